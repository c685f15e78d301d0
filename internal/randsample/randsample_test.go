package randsample

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBelow(t *testing.T) {
	src := rand.NewPCG(3, 4)
	for _, n := range []uint64{1, 2, 3, 7, 1 << 40, math.MaxUint64} {
		for range 1000 {
			if v := Below(src, n); v >= n {
				t.Fatalf("Below(%d) = %d", n, v)
			}
		}
	}
}

// TestPinned pins samples drawn before the package existed (by the copies
// in internal/metrics and stages/profile it replaced), so that silhouette
// samples and plot samples, and with them every output, stay the same.
func TestPinned(t *testing.T) {
	const silhouetteStream = 0x5eed5111_0e77e5a3 // internal/metrics' stream word
	rows := make([]int, 100)
	for i := range rows {
		rows[i] = i
	}
	for _, tc := range []struct {
		name      string
		got, want []int
	}{
		{"Select(100, 5)", Select(rand.NewPCG(42, silhouetteStream), 100, 5), []int{0, 30, 61, 65, 69}},
		{"Select(100000, 8)", Select(rand.NewPCG(7, silhouetteStream), 100000, 8), []int{3472, 15999, 17346, 22042, 28783, 44298, 58283, 77955}},
		{"Choose(5 of 100)", Choose(rand.NewPCG(42, 0), rows, 5), []int{11, 15, 21, 85, 96}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct{ n, m int }{{10, 10}, {10, 3}, {1000, 1}, {1000, 999}, {10, 0}} {
		idx := Select(rand.NewPCG(7, 1), tc.n, tc.m)
		if len(idx) != tc.m || !slices.IsSorted(idx) || len(slices.Compact(slices.Clone(idx))) != tc.m {
			t.Fatalf("n=%d m=%d: %v", tc.n, tc.m, idx)
		}
		if len(idx) > 0 && (idx[0] < 0 || idx[len(idx)-1] >= tc.n) {
			t.Fatalf("n=%d m=%d: out of range %v", tc.n, tc.m, idx)
		}
	}
	// Uniformity: over 2000 samples of 3 out of 10, each index is drawn
	// 600 times in expectation (sd ≈ 22); allow 5 sd.
	counts := make([]int, 10)
	for s := range uint64(2000) {
		for _, i := range Select(rand.NewPCG(s, 9), 10, 3) {
			counts[i]++
		}
	}
	for i, c := range counts {
		if c < 490 || c > 710 {
			t.Errorf("index %d drawn %d times, want about 600", i, c)
		}
	}
}

func TestChoose(t *testing.T) {
	rows := []int{40, 10, 30, 20, 50}
	keep := slices.Clone(rows)
	got := Choose(rand.NewPCG(1, 2), rows, 3)
	if len(got) != 3 || !slices.IsSorted(got) || !slices.Equal(rows, keep) {
		t.Errorf("Choose = %v (rows now %v)", got, rows)
	}
	for _, r := range got {
		if !slices.Contains(rows, r) {
			t.Errorf("%d is not one of the rows", r)
		}
	}
	if all := Choose(rand.NewPCG(1, 2), rows, 9); !slices.Equal(all, rows) {
		t.Errorf("m ≥ len: %v, want the rows as given", all)
	}
}
