package metrics

import (
	"math"
	"slices"
	"testing"
)

func TestPSI(t *testing.T) {
	const tol = 1e-15
	ln := math.Log
	eps := PSIEpsilon
	oneTo := func(n int) []float64 { return seq(1, n) }
	nan := math.NaN()
	tests := []struct {
		name             string
		expected, actual []float64
		bins             int
		want             float64
	}{
		// Quartiles of 1..8 (numpy linear): cut points 2.75, 4.5, 6.25, so
		// each expected bin holds 2/8. Actual {1,1,1,1,3,5,7,8} falls 4,1,1,2:
		// PSI = (0.5−0.25)·ln 2 + 2·(0.125−0.25)·ln 0.5 + 0 = 0.5·ln 2.
		{"worked quartiles", oneTo(8), []float64{1, 1, 1, 1, 3, 5, 7, 8}, 4, 0.5 * ln(2)},
		// All actual values in the first bin: the three empty bins take
		// PSIEpsilon.
		{"empty bins", oneTo(8), []float64{1, 1, 1, 1}, 4, 0.75*ln(4) + 3*(eps-0.25)*ln(eps/0.25)},
		// Deciles of 1..100 (cut points 10.9, 20.8, …, 90.1), actual shifted
		// by +10: the first bin is empty, the last holds 20 %.
		{"deciles shifted", oneTo(100), seq(11, 100), 0, (eps-0.1)*ln(eps/0.1) + (0.2-0.1)*ln(2)},
		// Heavily tied data: the decile cut points of 50 zeros and 50 ones
		// are 0 (×4), 0.5, 1 (×4), merged into bins (−∞,0], (0,0.5],
		// (0.5,1], (1,∞) with expected shares 0.5, 0, 0.5, 0.
		{"ties", append(make([]float64, 50), slices.Repeat([]float64{1}, 50)...), append(make([]float64, 30), slices.Repeat([]float64{1}, 70)...), 10,
			(0.3-0.5)*ln(0.3/0.5) + (0.7-0.5)*ln(0.7/0.5)},
		{"identical", oneTo(1000), oneTo(1000), 10, 0},
		{"same distribution, different order", []float64{5, 1, 4, 2, 3}, []float64{3, 2, 5, 4, 1}, 3, 0},
		{"NaN ignored", []float64{nan, 1, 2, 3, 4, 5, 6, 7, 8, nan}, []float64{1, nan, 1, 1, 1, 3, 5, 7, 8}, 4, 0.5 * ln(2)},
		{"one bin", oneTo(10), []float64{100, 200}, 1, 0},
	}
	for _, tc := range tests {
		e, a := slices.Clone(tc.expected), slices.Clone(tc.actual)
		got := PSI(tc.expected, tc.actual, tc.bins)
		if math.Abs(got-tc.want) > tol*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s: PSI = %.17g, want %.17g", tc.name, got, tc.want)
		}
		if !slices.Equal(e, tc.expected) && !hasNaN(e) || !slices.Equal(a, tc.actual) && !hasNaN(a) {
			t.Errorf("%s: inputs mutated", tc.name)
		}
	}
	for _, tc := range []struct{ e, a []float64 }{{nil, oneTo(3)}, {oneTo(3), nil}, {[]float64{nan}, oneTo(3)}} {
		if got := PSI(tc.e, tc.a, 10); !math.IsNaN(got) {
			t.Errorf("PSI(%v, %v) = %v, want NaN", tc.e, tc.a, got)
		}
	}
}

func hasNaN(x []float64) bool { return slices.ContainsFunc(x, math.IsNaN) }

func TestPSINotMutatedWithNaN(t *testing.T) {
	e := []float64{3, math.NaN(), 1, 2}
	a := []float64{math.NaN(), 2, 1}
	PSI(e, a, 2)
	if e[0] != 3 || !math.IsNaN(e[1]) || e[2] != 1 || e[3] != 2 || !math.IsNaN(a[0]) || a[1] != 2 {
		t.Errorf("inputs mutated: %v %v", e, a)
	}
}

func TestTransitionMatrix(t *testing.T) {
	prev := []int32{0, 0, 1, 1, 1, 2}
	next := []int32{1, 1, 0, 1, 3, 3}
	got := TransitionMatrix(prev, next, 3, 4)
	want := [][]int{{0, 2, 0, 0}, {1, 1, 0, 1}, {0, 0, 0, 1}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("TransitionMatrix = %v, want %v", got, want)
	}
	// Rows are independent slices.
	got[0] = append(got[0], 99)
	if got[1][0] != 1 {
		t.Error("rows share storage beyond their length")
	}
	for name, m := range map[string][][]int{
		"lengths":  TransitionMatrix(prev, next[:5], 3, 4),
		"prev out": TransitionMatrix(prev, next, 2, 4),
		"next out": TransitionMatrix(prev, next, 3, 3),
		"negative": TransitionMatrix([]int32{-1}, []int32{0}, 1, 1),
		"k zero":   TransitionMatrix(nil, nil, 0, 1),
	} {
		if m != nil {
			t.Errorf("%s: %v, want nil", name, m)
		}
	}
	if m := TransitionMatrix(nil, nil, 2, 2); len(m) != 2 || m[1][1] != 0 {
		t.Errorf("no rows: %v", m)
	}
}

func TestPSIInfinite(t *testing.T) {
	inf := math.Inf(1)
	e := []float64{-inf, 1, 2, 3, 4, 5, 6, inf}
	if got := PSI(e, e, 4); got != 0 {
		t.Errorf("PSI with infinite values = %v, want 0", got)
	}
	if got := PSI(e, []float64{inf, inf}, 4); math.IsNaN(got) || got <= 0 {
		t.Errorf("PSI = %v, want > 0", got)
	}
}
