package kmeans

// The fixture seed_reference.json is produced by
//
//	cd internal/kmeans/testdata && /usr/bin/python3 gen_seed_reference.py

import (
	"context"
	"math"
	"testing"
)

type seedFixture struct {
	Rows      int `json:"rows"`
	BestKnown struct {
		Inertia float64   `json:"inertia"`
		Sizes   []int     `json:"sizes"`
		Centers []float64 `json:"centers"`
	} `json:"best_known"`
	SklearnReach struct {
		Seeds   int `json:"seeds"`
		Reached int `json:"reached"`
	} `json:"sklearn_reach"`
	ElbowSklearnBest []float64 `json:"elbow_sklearn_best"`
	ElbowProduct     []float64 `json:"elbow_product"`
}

// referenceSeed is the first seed whose NInit = 10 fit reaches the
// best-known k = 4 optimum; 12 of the seeds 0..99 do (see
// TestSeedReachability). Seed 0 stops at 0.2162027139742047, the same local
// optimum as sklearn's random_state=0.
const referenceSeed = 9

// loadReference returns the product's reference matrix: Maven rows with
// Customer Status != "Churned", [Number of Referrals, Tenure in Months,
// trunc(Total Revenue)], rows scaled to unit L2 norm.
func loadReference(t testing.TB) ([]float64, int) {
	t.Helper()
	cols := []string{"Number of Referrals", "Tenure in Months", "Total Revenue"}
	X, n := loadColumns(t, "telecom_customer_churn.csv", cols, func(get func(string) string) bool {
		return get("Customer Status") != "Churned"
	})
	for i := 0; i < n; i++ {
		r := X[i*3 : i*3+3]
		r[2] = math.Trunc(r[2])
		norm := math.Sqrt(r[0]*r[0] + r[1]*r[1] + r[2]*r[2])
		if norm > 0 {
			for j := range r {
				r[j] /= norm
			}
		}
	}
	return X, n
}

// matchCenters reports whether got equals want up to a permutation of the
// k centres, within tol per coordinate.
func matchCenters(got, want []float64, k, d int, tol float64) bool {
	used := make([]bool, k)
	for i := 0; i < k; i++ {
		found := false
		for j := 0; j < k && !found; j++ {
			if used[j] {
				continue
			}
			ok := true
			for t := 0; t < d; t++ {
				if math.Abs(got[i*d+t]-want[j*d+t]) > tol {
					ok = false
					break
				}
			}
			if ok {
				used[j], found = true, true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func reaches(r *Result, inertia float64) bool {
	const tol = 1e-9 // relative
	return relClose(r.Inertia, inertia, tol)
}

// TestSeedReproduction: with referenceSeed and NInit = 10, Fit reproduces
// sklearn's best-known k = 4 optimum of the reference data.
func TestSeedReproduction(t *testing.T) {
	const (
		inertiaTol = 1e-9 // relative
		centerTol  = 1e-8 // absolute (unit-norm data)
	)
	var fx seedFixture
	readJSON(t, "testdata/seed_reference.json", &fx)
	X, n := loadReference(t)
	if n != fx.Rows {
		t.Fatalf("rows = %d, fixture %d", n, fx.Rows)
	}
	opt := DefaultOptions(4)
	opt.Seed = referenceSeed
	r, err := Fit(context.Background(), X, n, 3, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(r.Inertia, fx.BestKnown.Inertia, inertiaTol) {
		t.Fatalf("inertia %.17g, best known %.17g", r.Inertia, fx.BestKnown.Inertia)
	}
	if !matchCenters(r.Centers, fx.BestKnown.Centers, 4, 3, centerTol) {
		t.Errorf("centres %v do not match %v", r.Centers, fx.BestKnown.Centers)
	}
	Canonicalize(r)
	want := []int{3987, 1124, 49, 14}
	for j, s := range want {
		if r.Sizes[j] != s {
			t.Errorf("canonical sizes %v, want %v", r.Sizes, want)
			break
		}
	}
}

// TestSeedReachability counts the seeds 0..99 whose NInit = 10 fit reaches
// the best-known optimum. sklearn reaches it for fixture.SklearnReach of its
// random_state 0..99; the many near-identical local optima (inertia
// differences ~1e-7 relative) make this a rare event for both.
func TestSeedReachability(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("100 fits; skipped in -short and -race")
	}
	var fx seedFixture
	readJSON(t, "testdata/seed_reference.json", &fx)
	X, n := loadReference(t)
	reached := 0
	var first []int
	for s := 0; s < 100; s++ {
		opt := DefaultOptions(4)
		opt.Seed = uint64(s)
		r, err := Fit(context.Background(), X, n, 3, opt)
		if err != nil {
			t.Fatal(err)
		}
		if reaches(r, fx.BestKnown.Inertia) {
			reached++
			if len(first) < 10 {
				first = append(first, s)
			}
		}
	}
	t.Logf("seeds 0..99 reaching %.17g with NInit=10: %d (first: %v); sklearn random_state 0..99: %d",
		fx.BestKnown.Inertia, reached, first, fx.SklearnReach.Reached)
	if reached < minReached {
		t.Errorf("only %d of 100 seeds reach the best-known optimum, want ≥ %d", reached, minReached)
	}
}

// minReached is the floor for TestSeedReachability.
// sklearn's random_state 0..99 reach it 10 times, Fit's seeds 12 times.
const minReached = 5

// TestElbowReference: NInit = 10 with referenceSeed gives the product's
// best-of-many-starts elbow values for k = 1..10 within elbowTol.
func TestElbowReference(t *testing.T) {
	const elbowTol = 5e-3 // relative
	var fx seedFixture
	readJSON(t, "testdata/seed_reference.json", &fx)
	X, n := loadReference(t)
	for k := 1; k <= 10; k++ {
		opt := DefaultOptions(k)
		opt.Seed = referenceSeed
		r, err := Fit(context.Background(), X, n, 3, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := fx.ElbowProduct[k-1]
		if math.Abs(r.Inertia/want-1) > elbowTol {
			t.Errorf("k=%d: inertia %.6f, product reference %.6f (rel %+.2e)", k, r.Inertia, want, r.Inertia/want-1)
		}
		t.Logf("k=%2d inertia %.6f product %.6f sklearn-best %.6f", k, r.Inertia, want, fx.ElbowSklearnBest[k-1])
	}
}
