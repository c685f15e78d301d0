package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMinSeparationHand(t *testing.T) {
	const tol = 1e-15
	// On a line: {0, 2} (mean 1, sd 1), {9, 11} (mean 10, sd 1) and
	// {30, 34} (mean 32, sd 2). Pairs: 9/2 = 4.5, 31/3, 22/3; the closest
	// pair is (0, 1).
	X := []float64{0, 2, 9, 11, 30, 34}
	labels := []int32{0, 0, 1, 1, 2, 2}
	got := MinSeparation(X, 6, 1, labels, 3)
	if !near(got.Min, 4.5, tol) || got.P != 0 || got.Q != 1 {
		t.Errorf("line: %+v, want 4.5 between 0 and 1", got)
	}
	// In the plane only the spread along the line between the centres
	// counts: {(0,0), (0,10)} and {(3,0), (3,10)} are both flat along x,
	// so they are infinitely separated; {(0,0), (2,0)} and {(5,0), (7,0)}
	// give 5/(1+1).
	X = []float64{0, 0, 0, 10, 3, 0, 3, 10}
	if got := MinSeparation(X, 4, 2, []int32{0, 0, 1, 1}, 2); !math.IsInf(got.Min, 1) {
		t.Errorf("flat clusters: %+v, want +Inf", got)
	}
	X = []float64{0, 0, 2, 0, 5, 0, 7, 0}
	if got := MinSeparation(X, 4, 2, []int32{1, 1, 3, 3}, 4); !near(got.Min, 2.5, tol) || got.P != 1 || got.Q != 3 {
		t.Errorf("with empty clusters: %+v, want 2.5 between 1 and 3", got)
	}
	// Equal centres: 0.
	X = []float64{-1, 1, -2, 2}
	if got := MinSeparation(X, 4, 1, []int32{0, 0, 1, 1}, 2); got.Min != 0 {
		t.Errorf("equal centres: %+v, want 0", got)
	}
	// Undefined: one non-empty cluster, bad shapes, non-finite values.
	for name, s := range map[string]Separation{
		"one cluster": MinSeparation([]float64{1, 2}, 2, 1, []int32{0, 0}, 2),
		"shape":       MinSeparation([]float64{1, 2}, 3, 1, []int32{0, 1, 1}, 2),
		"nan":         MinSeparation([]float64{1, math.NaN()}, 2, 1, []int32{0, 1}, 2),
	} {
		if !math.IsNaN(s.Min) || s.P != -1 || s.Q != -1 {
			t.Errorf("%s: %+v, want NaN and no pair", name, s)
		}
	}
}

// TestMinSeparationReference checks the reference values in the doc on
// samples: one normal cluster cut at its mean scores E|Z|/sd(|Z|) =
// 0.798/0.603 ≈ 1.324, a uniform one cut in two (1/2)/(1/√12) ≈ 1.732, and
// two unit normal clusters 4 apart 4/(1+1) = 2.
func TestMinSeparationReference(t *testing.T) {
	const tol = 0.02 // sampling error with 200,000 rows
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200000
	halves := func(draw func() float64) float64 {
		X := make([]float64, n)
		labels := make([]int32, n)
		for i := range X {
			X[i] = draw()
			if X[i] > 0 {
				labels[i] = 1
			}
		}
		return MinSeparation(X, n, 1, labels, 2).Min
	}
	halfNormal := math.Sqrt(2 / math.Pi)           // mean of |Z|
	sdHalf := math.Sqrt(1 - halfNormal*halfNormal) // sd of |Z|
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"normal cut in two", halves(rng.NormFloat64), halfNormal / sdHalf},
		{"uniform cut in two", halves(func() float64 { return 2*rng.Float64() - 1 }), 1 / (2 / math.Sqrt(12))},
		{"two normals 4 apart", func() float64 {
			X := make([]float64, 2*n)
			labels := make([]int32, n)
			for i := range labels {
				labels[i] = int32(i % 2)
				X[2*i] = 4*float64(labels[i]) + rng.NormFloat64()
				X[2*i+1] = rng.NormFloat64()
			}
			return MinSeparation(X, n, 2, labels, 2).Min
		}(), 2},
	} {
		if !near(tc.got, tc.want, tol) {
			t.Errorf("%s: %.4f, want %.4f", tc.name, tc.got, tc.want)
		}
	}
}
