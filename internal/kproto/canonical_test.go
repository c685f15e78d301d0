package kproto

import (
	"slices"
	"testing"
)

// TestCanonicalize: clusters renumbered by weight descending, labels and
// prototypes moved with them; Predict with the renumbered model gives the
// renumbered labels.
func TestCanonicalize(t *testing.T) {
	tb := randomTable(12, 500, 2, []int{3, 2}, 0, "float")
	r := mustFit(t, tb, Options{K: 4, Seed: 2, Weights: tb.weights})
	orig := slices.Clone(r.Labels)
	cost := r.Cost
	perm := Canonicalize(r)
	for i := 1; i < r.K; i++ {
		if r.Weights[i] > r.Weights[i-1] {
			t.Errorf("weights not descending: %v", r.Weights)
		}
	}
	for i, l := range orig {
		if r.Labels[i] != int32(perm[l]) {
			t.Fatalf("row %d: label %d, want perm[%d] = %d", i, r.Labels[i], l, perm[l])
		}
	}
	labels, c, err := r.Model().Predict(tb.num, tb.n, tb.cat, tb.weights)
	if err != nil || !slices.Equal(labels, r.Labels) || relDiff(c, cost) > 1e-12 {
		t.Errorf("Predict after Canonicalize: equal labels %v, cost %v vs %v (%v)", slices.Equal(labels, r.Labels), c, cost, err)
	}
}
