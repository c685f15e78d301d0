package kmeans

// The fixture sklearn_inertia.json is produced by
//
//	cd internal/kmeans/testdata && /usr/bin/python3 gen_sklearn_inertia.py
//
// (scikit-learn 1.2.1 KMeans(n_clusters=k, n_init=10, random_state=0)).

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
)

type sklearnFixture struct {
	Datasets []struct {
		Name     string    `json:"name"`
		File     string    `json:"file"`
		Columns  []string  `json:"columns"`
		Rows     int       `json:"rows"`
		Mean     []float64 `json:"mean"`
		Std      []float64 `json:"std"`
		FromInit []struct {
			Rows    []int     `json:"rows"`
			Inertia float64   `json:"inertia"`
			NIter   int       `json:"n_iter"`
			Sizes   []int     `json:"sizes"`
			Centers []float64 `json:"centers"`
		} `json:"from_init"`
		K map[string]struct {
			Inertia float64 `json:"inertia"`
			NIter   int     `json:"n_iter"`
		} `json:"k"`
	} `json:"datasets"`
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestInertiaVsSklearn checks, on every shared dataset standardised like
// sklearn's StandardScaler, that Fit's inertia is at most sklearn's
// KMeans(n_init=10, random_state=0) inertia × (1 + inertiaSlack) for
// k = 2..8.
//
// The fixture is one draw from sklearn's own distribution of 10-restart
// results, and that distribution is wide on these data (local optima up to
// 1.5% apart), so a 10-restart Fit cannot meet it for every (dataset, k)
// whatever the seed. Measured over seeds/random_states 0..19 × 35 cases:
// sklearn itself (random_state 1..20, n_init=10) exceeds its random_state=0
// fixture by more than 0.1% in 82/700 cases, Fit with NInit=10 in 67/700,
// NInit=20 in 21/700, NInit=30 in 14/700, NInit=50 in 3/700 (seeds 13, 16,
// 17; Churn_Modelling k=6/k=8, whose best optimum a single restart finds
// ~5% of the time). The test therefore gives Fit fitNInit restarts with
// Seed 0; TestLloydFromInitMatchesSklearn and TestRestartDistributionVsSklearn
// check equivalence at equal budget.
func TestInertiaVsSklearn(t *testing.T) {
	const (
		inertiaSlack = 1e-3  // allowed relative excess over sklearn
		scalerTol    = 1e-12 // relative agreement of our mean/std with sklearn's
		fitNInit     = 50
	)
	if raceEnabled {
		t.Skip("statistical test; skipped under -race")
	}
	var fx sklearnFixture
	readJSON(t, "testdata/sklearn_inertia.json", &fx)
	for _, ds := range fx.Datasets {
		t.Run(ds.Name, func(t *testing.T) {
			X, n := loadColumns(t, ds.File, ds.Columns, nil)
			d := len(ds.Columns)
			if n != ds.Rows {
				t.Fatalf("rows = %d, fixture %d", n, ds.Rows)
			}
			Z, mean, std := standardize(X, n, d)
			for j := 0; j < d; j++ {
				if !relClose(mean[j], ds.Mean[j], scalerTol) || !relClose(std[j], ds.Std[j], scalerTol) {
					t.Fatalf("column %q: mean/std %v/%v, sklearn %v/%v", ds.Columns[j], mean[j], std[j], ds.Mean[j], ds.Std[j])
				}
			}
			for k := 2; k <= 8; k++ {
				want := ds.K[strconv.Itoa(k)].Inertia
				opt := DefaultOptions(k)
				opt.NInit = fitNInit
				r, err := Fit(context.Background(), Z, n, d, opt)
				if err != nil {
					t.Fatal(err)
				}
				if r.Inertia > want*(1+inertiaSlack) {
					t.Errorf("k=%d: inertia %.9g > sklearn %.9g × (1+%g)", k, r.Inertia, want, inertiaSlack)
				}
				t.Logf("k=%d inertia %.6f sklearn %.6f rel %+.2e iters %d (sklearn %d)", k, r.Inertia, want, r.Inertia/want-1, r.Iterations, ds.K[strconv.Itoa(k)].NIter)
			}
		})
	}
}

// relClose reports whether a and b agree to relative tolerance tol.
func relClose(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// TestLloydFromInitMatchesSklearn runs single Lloyd restarts from the same
// fixed starting centres as sklearn (KMeans(init=array, n_init=1)) and
// requires the same iteration count, cluster sizes, inertia and centres.
// One start per dataset duplicates a centre, so sklearn's empty-cluster
// relocation is exercised too.
func TestLloydFromInitMatchesSklearn(t *testing.T) {
	const (
		inertiaTol = 1e-10 // relative
		centerTol  = 1e-9  // absolute, standardised units
	)
	var fx sklearnFixture
	readJSON(t, "testdata/sklearn_inertia.json", &fx)
	for _, ds := range fx.Datasets {
		t.Run(ds.Name, func(t *testing.T) {
			X, n := loadColumns(t, ds.File, ds.Columns, nil)
			d := len(ds.Columns)
			Z, _, _ := standardize(X, n, d)
			for _, fi := range ds.FromInit {
				k := len(fi.Rows)
				opt := DefaultOptions(k)
				opt.NInit = 1
				for _, r := range fi.Rows {
					opt.Init = append(opt.Init, Z[r*d:r*d+d]...)
				}
				res, err := Fit(context.Background(), Z, n, d, opt)
				if err != nil {
					t.Fatal(err)
				}
				if res.Iterations != fi.NIter {
					t.Errorf("rows %v: iterations %d, sklearn %d", fi.Rows, res.Iterations, fi.NIter)
				}
				if !relClose(res.Inertia, fi.Inertia, inertiaTol) {
					t.Errorf("rows %v: inertia %.15g, sklearn %.15g", fi.Rows, res.Inertia, fi.Inertia)
				}
				for j := range fi.Sizes {
					if res.Sizes[j] != fi.Sizes[j] {
						t.Errorf("rows %v: sizes %v, sklearn %v", fi.Rows, res.Sizes, fi.Sizes)
						break
					}
				}
				for i, v := range fi.Centers {
					if math.Abs(res.Centers[i]-v) > centerTol {
						t.Errorf("rows %v: centre %d feature %d = %.12g, sklearn %.12g", fi.Rows, i/d, i%d, res.Centers[i], v)
						break
					}
				}
			}
		})
	}
}

// TestRestartDistributionVsSklearn compares single restarts (k-means++ then
// Lloyd) at equal budget: Fit with NInit = 1 and Seed = 0..499 against
// sklearn's KMeans(n_init=1, random_state=0..499) (fixture
// sklearn_restarts.json, from testdata/gen_sklearn_restarts.py) on the two
// small datasets, k = 2..8. The mean inertia and the share of restarts that
// reach the best solution seen (within reachTol) must agree within zMax
// standard errors.
func TestRestartDistributionVsSklearn(t *testing.T) {
	const (
		zMax     = 4.0
		reachTol = 1e-6 // relative
	)
	if raceEnabled {
		t.Skip("statistical test; skipped under -race")
	}
	var fx sklearnFixture
	readJSON(t, "testdata/sklearn_inertia.json", &fx)
	var rx struct {
		Seeds    int `json:"seeds"`
		Datasets []struct {
			Name string               `json:"name"`
			K    map[string][]float64 `json:"k"`
		} `json:"datasets"`
	}
	readJSON(t, "testdata/sklearn_restarts.json", &rx)
	for _, dr := range rx.Datasets {
		var file string
		var cols []string
		for _, ds := range fx.Datasets {
			if ds.Name == dr.Name {
				file, cols = ds.File, ds.Columns
			}
		}
		X, n := loadColumns(t, file, cols, nil)
		d := len(cols)
		Z, _, _ := standardize(X, n, d)
		for k := 2; k <= 8; k++ {
			sk := dr.K[strconv.Itoa(k)]
			ours := make([]float64, rx.Seeds)
			for s := range ours {
				opt := DefaultOptions(k)
				opt.NInit = 1
				opt.Seed = uint64(s)
				ours[s] = mustFit(t, Z, n, d, opt).Inertia
			}
			best := math.Inf(1)
			for _, v := range append(slices.Clone(ours), sk...) {
				best = math.Min(best, v)
			}
			m1, se1, p1 := restartStats(ours, best, reachTol)
			m2, se2, p2 := restartStats(sk, best, reachTol)
			zMean := (m1 - m2) / math.Hypot(se1, se2)
			pp := (p1 + p2) / 2
			zReach := 0.0
			if pp > 0 && pp < 1 {
				zReach = (p1 - p2) / math.Sqrt(pp*(1-pp)*2/float64(rx.Seeds))
			}
			if math.Abs(zMean) > zMax || math.Abs(zReach) > zMax {
				t.Errorf("%s k=%d: mean %.5f vs sklearn %.5f (z %.2f), reach %.3f vs %.3f (z %.2f)", dr.Name, k, m1, m2, zMean, p1, p2, zReach)
			}
			t.Logf("%s k=%d: mean %.5f vs sklearn %.5f (z %+.2f), reach best %.3f vs %.3f (z %+.2f)", dr.Name, k, m1, m2, zMean, p1, p2, zReach)
		}
	}
}

// restartStats returns the mean, its standard error and the share of values
// within relative tol of best.
func restartStats(v []float64, best, tol float64) (mean, se, reach float64) {
	for _, x := range v {
		mean += x
		if x <= best*(1+tol) {
			reach++
		}
	}
	n := float64(len(v))
	mean /= n
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n), reach / n
}
