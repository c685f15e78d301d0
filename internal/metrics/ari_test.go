package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestAdjustedRandHand(t *testing.T) {
	// sklearn's documented example: adjusted_rand_score([0, 0, 1, 1],
	// [0, 0, 1, 2]) = 0.5714285714285714. Ordered pair counts, as sklearn's
	// pair_confusion_matrix: Σ n_ij² = 6, so tp = 6 − 4 = 2; row sizes
	// (2, 2) give fn = 8 − 6 = 2; column sizes (2, 1, 1) give fp = 6 − 6 = 0;
	// tn = 16 − 2 − 0 − 6 = 8. ARI = 2·(2·8 − 2·0) / ((2+2)·(2+8) + (2+0)·(0+8))
	// = 32/56 = 4/7.
	if got := AdjustedRand([]int32{0, 0, 1, 1}, []int32{0, 0, 1, 2}); math.Abs(got-4.0/7) > 1e-15 {
		t.Errorf("AdjustedRand = %v, want 4/7", got)
	}
	if got := AdjustedRand([]int32{0, 0, 1, 1}, []int32{1, 1, 0, 0}); got != 1 {
		t.Errorf("swapped labels: %v, want 1", got)
	}
	// Crossed splits [0 0 1 1] vs [0 1 0 1]: tp = 0, fn = fp = 4, tn = 4,
	// ARI = 2·(0 − 16) / (4·8 + 4·8) = −0.5.
	if got := AdjustedRand([]int32{0, 0, 1, 1}, []int32{0, 1, 0, 1}); math.Abs(got+0.5) > 1e-15 {
		t.Errorf("AdjustedRand = %v, want -0.5", got)
	}
	if got := AdjustedRand(nil, nil); got != 1 {
		t.Errorf("empty: %v, want 1 (as sklearn)", got)
	}
	if got := AdjustedRand([]int32{1, 2}, []int32{1}); !math.IsNaN(got) {
		t.Errorf("length mismatch: %v, want NaN", got)
	}
	a, b := []int32{3, 3, 1, 2}, []int32{0, 1, 1, 1}
	ac, bc := slices.Clone(a), slices.Clone(b)
	AdjustedRand(a, b)
	if !slices.Equal(a, ac) || !slices.Equal(b, bc) {
		t.Error("inputs mutated")
	}
}

// TestAdjustedRandSparseLabels checks labels spread over the whole int32
// range (the map-based path) against the same partitions with small labels.
func TestAdjustedRandSparseLabels(t *testing.T) {
	a := []int32{0, 0, 1, 1, 2, 2, 2, 0}
	b := []int32{0, 1, 1, 1, 2, 0, 2, 0}
	want := AdjustedRand(a, b)
	remap := []int32{math.MinInt32, 0, math.MaxInt32}
	sa, sb := make([]int32, len(a)), make([]int32, len(b))
	for i := range a {
		sa[i], sb[i] = remap[a[i]], remap[2-b[i]]
	}
	if got := AdjustedRand(sa, sb); got != want {
		t.Errorf("sparse labels: %v, dense labels: %v", got, want)
	}
}

func TestAdjustedRandLarge(t *testing.T) {
	// 3,000,000 rows: pair counts near 9e12 and their products near 1e25
	// overflow int64 but not the big-integer arithmetic. Two labellings that
	// agree except on every 10th row.
	const n = 3000000
	a := make([]int32, n)
	b := make([]int32, n)
	for i := range a {
		a[i] = int32(i % 4)
		b[i] = a[i]
		if i%10 == 0 {
			b[i] = int32((i / 10) % 4)
		}
	}
	got := AdjustedRand(a, b)
	if !(got > 0.5 && got < 1) {
		t.Errorf("AdjustedRand = %v, want in (0.5, 1)", got)
	}
}

// TestAdjustedRandTable: the index from the contingency table is
// AdjustedRand's, bit for bit, on seeded random labellings of several
// sizes and label counts (and the hand example, 4/7).
func TestAdjustedRandTable(t *testing.T) {
	if got := AdjustedRandTable([][]int{{2, 0, 0}, {0, 1, 1}}); math.Abs(got-4.0/7) > 1e-15 {
		t.Errorf("hand example: %v, want 4/7", got)
	}
	if got := AdjustedRandTable(nil); got != 1 {
		t.Errorf("empty: %v, want 1", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, ka, kb int }{{1, 1, 1}, {10, 2, 3}, {1000, 5, 6}, {20000, 7, 4}} {
		a, b := make([]int32, tc.n), make([]int32, tc.n)
		for i := range a {
			a[i] = int32(r.IntN(tc.ka))
			b[i] = a[i] % int32(tc.kb)
			if r.IntN(4) == 0 {
				b[i] = int32(r.IntN(tc.kb))
			}
		}
		want := AdjustedRand(a, b)
		if got := AdjustedRandTable(TransitionMatrix(a, b, tc.ka, tc.kb)); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("n %d, k %d×%d: from the table %v, from the labels %v", tc.n, tc.ka, tc.kb, got, want)
		}
	}
}
