package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// repeat returns x with x[i] repeated w[i] times (integer weights).
func repeat(x, w []float64) []float64 {
	var out []float64
	for i, v := range x {
		for range int(w[i]) {
			out = append(out, v)
		}
	}
	return out
}

// TestWeightedEqualsRepeated: with integer weights (zeros and missing
// values included) DescribeWeighted, WeightedQuantile and PearsonWeighted
// equal Describe, Quantile and Corr of the repeated rows.
func TestWeightedEqualsRepeated(t *testing.T) {
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 1 + rng.IntN(30)
		x, y, w := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			x[i] = math.Round(rng.NormFloat64()*10) / 4 // ties
			y[i] = x[i] + rng.NormFloat64()
			w[i] = float64(rng.IntN(4))
			if rng.IntN(10) == 0 {
				x[i] = math.NaN()
			}
		}
		w[0] = 1 + w[0]
		got, want := DescribeWeighted(x, w), Describe(repeat(x, w))
		for _, c := range [][3]float64{{got.Mean, want.Mean}, {got.Std, want.Std}, {got.Min, want.Min}, {got.Q25, want.Q25}, {got.Q50, want.Q50}, {got.Q75, want.Q75}, {got.Max, want.Max}} {
			if !(math.Abs(c[0]-c[1]) <= tol*math.Max(1, math.Abs(c[1]))) && !(math.IsNaN(c[0]) && math.IsNaN(c[1])) {
				t.Fatalf("trial %d: weighted %+v, repeated %+v", trial, got, want)
			}
		}
		r, _ := PearsonWeighted(x, y, w)
		rr, _, err := Corr([][]float64{repeat(x, w), repeat(y, w)}, "pearson")
		if err != nil {
			t.Fatal(err)
		}
		if !(math.Abs(r-rr[0][1]) <= 1e-9) && !(math.IsNaN(r) && math.IsNaN(rr[0][1])) {
			t.Fatalf("trial %d: weighted r %v, repeated %v", trial, r, rr[0][1])
		}
	}
}

// TestWeightedQuantile: hand-computed values with fractional weights, and
// equality with Quantile for unit weights.
func TestWeightedQuantile(t *testing.T) {
	x := []float64{1, 2, 4}
	for _, tc := range []struct {
		w    []float64
		q    float64
		want float64
	}{
		{[]float64{1, 1, 1}, 0.5, 2},
		{[]float64{1, 1, 1}, 0.25, 1.5},
		{[]float64{2, 1, 1}, 0.5, 1.5},   // 1 1 2 4: position 1.5 → between 1 and 2
		{[]float64{1, 1, 2}, 0.75, 4},    // 1 2 4 4: position 2.25 → 4
		{[]float64{0.5, 1, 0.5}, 0.5, 2}, // W = 2, h = 0.5: inside 2's block [0.5, 1.5)
		{[]float64{1, 1, 1}, 1, 4},
		{[]float64{1, 1, 1}, 0, 1},
	} {
		if got := WeightedQuantile(x, tc.w, tc.q); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("w %v q %v: got %v, want %v", tc.w, tc.q, got, tc.want)
		}
	}
	if !math.IsNaN(WeightedQuantile(nil, nil, 0.5)) || !math.IsNaN(WeightedQuantile(x, []float64{1, 1, 1}, 2)) {
		t.Error("NaN cases")
	}
}
