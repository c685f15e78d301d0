package kmeans

import (
	"context"
	"math"
	"slices"
	"testing"
)

// TestMuesliConsistent: FitMuesli's labels, sizes and inertia are those of
// Assign on its centres, sizes sum to n, and Reproducible is false.
func TestMuesliConsistent(t *testing.T) {
	X, _ := blobs(3000, 3, 4, 10, 3)
	opt := DefaultOptions(4)
	opt.NInit = 3
	r, err := FitMuesli(context.Background(), X, 3000, 3, opt)
	if err != nil {
		t.Fatal(err)
	}
	labels, inertia, err := Assign(X, 3000, 3, r.Centers, 4)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range r.Sizes {
		total += s
	}
	if !slices.Equal(labels, r.Labels) || inertia != r.Inertia || total != 3000 {
		t.Errorf("inconsistent: labels equal %v, inertia %v vs %v, Σsizes %d", slices.Equal(labels, r.Labels), r.Inertia, inertia, total)
	}
	if r.Reproducible || len(r.RestartInertia) != 3 || r.Iterations < 1 {
		t.Errorf("Reproducible %v, restarts %d, iterations %d", r.Reproducible, len(r.RestartInertia), r.Iterations)
	}
}

// TestMuesliMeasured records what the doc claims about muesli on the Mall
// data (standardised, k = 5): results differ between runs with the same
// options, its raw memberships can exceed n, and its inertia is not below
// Fit's.
func TestMuesliMeasured(t *testing.T) {
	const runs = 40
	if raceEnabled {
		t.Skip("measurement; skipped under -race")
	}
	cols := []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}
	X, n := loadColumns(t, "Mall_Customers.csv", cols, nil)
	Z, _, _ := standardize(X, n, 3)
	native := mustFit(t, Z, n, 3, DefaultOptions(5))
	obs, lo, span := muesliObservations(Z, n, 3)
	distinct := map[uint64]bool{}
	over, notConverged := 0, 0
	worse := 0
	for r := 0; r < runs; r++ {
		res, members, err := muesliRestart(context.Background(), Z, obs, n, 3, 5, lo, span)
		if err != nil {
			t.Fatal(err)
		}
		distinct[math.Float64bits(res.inertia)] = true
		if members != n {
			over++
		}
		if !res.converged {
			notConverged++
		}
		if res.inertia > native.Inertia*(1+1e-9) {
			worse++
		}
	}
	t.Logf("muesli, %d single runs on Mall k=5: %d distinct inertias, %d with Σ memberships ≠ n, %d hit the 97-iteration cap, %d worse than Fit's %.4f",
		runs, len(distinct), over, notConverged, worse, native.Inertia)
	if len(distinct) < 2 {
		t.Errorf("muesli gave the same inertia in all %d runs; expected run-to-run variation", runs)
	}
}

// TestMuesliDoubleCounting reproduces muesli's empty-cluster refill bug:
// with identical rows every iteration leaves clusters 1..k-1 empty, each
// refill appends a point that stays in its old cluster too, and the
// 97-iteration cap ends the loop right after a refill, so the library's
// memberships total n + k − 1. FitMuesli's Sizes (from Assign) still sum
// to n.
func TestMuesliDoubleCounting(t *testing.T) {
	const n, d, k = 10, 2, 3
	X := make([]float64, n*d)
	for i := range X {
		X[i] = 4
	}
	obs, lo, span := muesliObservations(X, n, d)
	r, members, err := muesliRestart(context.Background(), X, obs, n, d, k, lo, span)
	if err != nil {
		t.Fatal(err)
	}
	if members != n+k-1 || r.iters != muesliMaxIter || r.converged {
		t.Errorf("memberships %d (want %d), iterations %d (want %d), converged %v",
			members, n+k-1, r.iters, muesliMaxIter, r.converged)
	}
	opt := DefaultOptions(k)
	opt.NInit = 2
	res, err := FitMuesli(context.Background(), X, n, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Sizes[0] + res.Sizes[1] + res.Sizes[2]; got != n || res.Inertia != 0 {
		t.Errorf("FitMuesli sizes %v (sum %d), inertia %v", res.Sizes, got, res.Inertia)
	}
	for j := 0; j < k; j++ {
		if res.Centers[j*d] != 4 || res.Centers[j*d+1] != 4 {
			t.Errorf("centre %d = %v, want (4, 4) after mapping back", j, res.Centers[j*d:j*d+d])
		}
	}
}
