package kmeans

// The fixture sklearn_weights.json is produced by
//
//	cd internal/kmeans/testdata && /usr/bin/python3 gen_sklearn_weights.py
//
// (scikit-learn 1.2.1 KMeans(init=array, n_init=1).fit(Z, sample_weight=w)).

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// fixtureWeights recomputes a weight scheme of gen_sklearn_weights.py.
func fixtureWeights(t testing.TB, scheme string, n int) []float64 {
	t.Helper()
	w := make([]float64, n)
	for i := range w {
		switch scheme {
		case "int":
			w[i] = float64(1 + (7*i)%5)
		case "frac":
			w[i] = 0.25 + float64((37*i)%100)/40
		case "zeros":
			if i%10 == 3 {
				w[i] = 0
			} else {
				w[i] = float64(1 + i%3)
			}
		default:
			t.Fatalf("unknown weight scheme %q", scheme)
		}
	}
	return w
}

// TestWeightedLloydMatchesSklearn: from the same starting centres, weighted
// Lloyd gives sklearn's iteration count, cluster sizes and weights, inertia
// and centres.
func TestWeightedLloydMatchesSklearn(t *testing.T) {
	const (
		inertiaTol = 1e-10 // relative
		centerTol  = 1e-9  // absolute, standardised units
		weightTol  = 1e-9  // relative, cluster weights
	)
	var fx struct {
		Cases []struct {
			Dataset        string    `json:"dataset"`
			File           string    `json:"file"`
			Columns        []string  `json:"columns"`
			Rows           int       `json:"rows"`
			K              int       `json:"k"`
			InitRows       []int     `json:"init_rows"`
			Weights        string    `json:"weights"`
			NIter          int       `json:"n_iter"`
			Inertia        float64   `json:"inertia"`
			Centers        []float64 `json:"centers"`
			Sizes          []int     `json:"sizes"`
			ClusterWeights []float64 `json:"cluster_weights"`
		} `json:"cases"`
	}
	readJSON(t, "testdata/sklearn_weights.json", &fx)
	for _, c := range fx.Cases {
		X, n := loadColumns(t, c.File, c.Columns, nil)
		if n != c.Rows {
			t.Fatalf("%s: rows = %d, fixture %d", c.Dataset, n, c.Rows)
		}
		d := len(c.Columns)
		Z, _, _ := standardize(X, n, d)
		opt := DefaultOptions(c.K)
		opt.NInit = 1
		opt.Weights = fixtureWeights(t, c.Weights, n)
		for _, r := range c.InitRows {
			opt.Init = append(opt.Init, Z[r*d:r*d+d]...)
		}
		res := mustFit(t, Z, n, d, opt)
		name := fmt.Sprintf("%s/k=%d/%s", c.Dataset, c.K, c.Weights)
		if res.Iterations != c.NIter {
			t.Errorf("%s: iterations %d, sklearn %d", name, res.Iterations, c.NIter)
		}
		if !relClose(res.Inertia, c.Inertia, inertiaTol) {
			t.Errorf("%s: inertia %.15g, sklearn %.15g", name, res.Inertia, c.Inertia)
		}
		if !slices.Equal(res.Sizes, c.Sizes) {
			t.Errorf("%s: sizes %v, sklearn %v", name, res.Sizes, c.Sizes)
		}
		for j, v := range c.ClusterWeights {
			if !relClose(res.Weights[j], v, weightTol) {
				t.Errorf("%s: cluster weights %v, sklearn %v", name, res.Weights, c.ClusterWeights)
				break
			}
		}
		for i, v := range c.Centers {
			if math.Abs(res.Centers[i]-v) > centerTol {
				t.Errorf("%s: centre %d feature %d = %.12g, sklearn %.12g", name, i/d, i%d, res.Centers[i], v)
				break
			}
		}
		// AssignWeighted reproduces Fit's labels and weighted inertia.
		labels, inertia, err := AssignWeighted(Z, n, d, res.Centers, c.K, opt.Weights)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(labels, res.Labels) || math.Float64bits(inertia) != math.Float64bits(res.Inertia) {
			t.Errorf("%s: AssignWeighted inertia %v, Fit %v", name, inertia, res.Inertia)
		}
	}
}

// repeatRows returns X with row i repeated w[i] times (integer weights) and
// the index of each original row's first copy.
func repeatRows(X []float64, d int, w []float64) ([]float64, []int) {
	var out []float64
	first := make([]int, len(w))
	r := 0
	for i, wi := range w {
		first[i] = r
		for c := 0; c < int(wi); c++ {
			out = append(out, X[i*d:i*d+d]...)
			r++
		}
	}
	return out, first
}

// TestIntegerWeightsEqualRepeatedRows: with integer weights, Fit equals Fit
// on the table with each row repeated w times. From the same starting
// centres with Tol = 0 (the tolerance is computed from the unweighted
// variance of X, as in sklearn, so it differs between the two tables):
// identical labels and iteration count, sizes equal to the repeated
// counts, inertia and centres equal up to summation order. With k-means++
// restarts on data with clear structure, the best inertia is the same.
func TestIntegerWeightsEqualRepeatedRows(t *testing.T) {
	const (
		inertiaTol = 1e-12 // relative: only the order of the sums differs
		centerTol  = 1e-12 // absolute
	)
	X, _ := blobs(3000, 3, 5, 3, 17) // overlapping: Lloyd needs many iterations
	n, d := 3000, 3
	w := make([]float64, n)
	for i := range w {
		w[i] = float64(1 + (i*7)%4)
	}
	R, first := repeatRows(X, d, w)
	nr := len(R) / d
	for _, k := range []int{2, 5, 8} {
		ow := DefaultOptions(k)
		ow.NInit, ow.Tol, ow.Weights = 1, 0, w
		ow.Init = slices.Clone(X[:k*d])
		or := ow
		or.Weights = nil
		rw := mustFit(t, X, n, d, ow)
		rr := mustFit(t, R, nr, d, or)
		if rw.Iterations != rr.Iterations || !rw.Converged {
			t.Errorf("k=%d: iterations weighted %d (converged %v), repeated %d", k, rw.Iterations, rw.Converged, rr.Iterations)
		}
		t.Logf("k=%d: %d iterations, inertia %.6f", k, rw.Iterations, rw.Inertia)
		for i := range w {
			if rw.Labels[i] != rr.Labels[first[i]] {
				t.Fatalf("k=%d: row %d label %d, repeated %d", k, i, rw.Labels[i], rr.Labels[first[i]])
			}
		}
		for j := 0; j < k; j++ {
			if rw.Weights[j] != float64(rr.Sizes[j]) {
				t.Errorf("k=%d: cluster weights %v, repeated sizes %v", k, rw.Weights, rr.Sizes)
				break
			}
		}
		if !relClose(rw.Inertia, rr.Inertia, inertiaTol) {
			t.Errorf("k=%d: inertia weighted %.17g, repeated %.17g", k, rw.Inertia, rr.Inertia)
		}
		for i := range rw.Centers {
			if math.Abs(rw.Centers[i]-rr.Centers[i]) > centerTol {
				t.Errorf("k=%d: centres %v vs %v", k, rw.Centers, rr.Centers)
				break
			}
		}
	}

	// k-means++ restarts, default tolerance: separated blobs, so every
	// restart finds the same optimum in both tables.
	S, _ := blobs(2000, 2, 4, 20, 3)
	ws := make([]float64, 2000)
	for i := range ws {
		ws[i] = float64(1 + i%3)
	}
	RS, _ := repeatRows(S, 2, ws)
	ow := DefaultOptions(4)
	ow.Weights = ws
	a := mustFit(t, S, 2000, 2, ow)
	b := mustFit(t, RS, len(RS)/2, 2, DefaultOptions(4))
	if !relClose(a.Inertia, b.Inertia, 1e-9) {
		t.Errorf("best inertia weighted %.12g, repeated %.12g", a.Inertia, b.Inertia)
	}
}

// TestUnitWeightsAreUnweighted: Weights all 1 is bit for bit the unweighted
// fit (and Result.Weights stays nil).
func TestUnitWeightsAreUnweighted(t *testing.T) {
	X, n := loadReference(t)
	opt := DefaultOptions(4)
	opt.Seed = referenceSeed
	base := mustFit(t, X, n, 3, opt)
	opt.Weights = make([]float64, n)
	for i := range opt.Weights {
		opt.Weights[i] = 1
	}
	ones := mustFit(t, X, n, 3, opt)
	if diff := sameBits(base, ones); diff != "" || ones.Weights != nil {
		t.Errorf("unit weights differ in %q (Weights %v)", diff, ones.Weights != nil)
	}
}

// TestZeroWeightRows: rows of weight 0 never become k-means++ centres and do
// not move the centres: the fit equals the fit without them (Tol = 0, so
// the unweighted tolerance plays no part), and they are still labelled.
func TestZeroWeightRows(t *testing.T) {
	const tol = 1e-12
	X, _ := blobs(1500, 2, 3, 8, 5)
	n, d := 1500, 2
	// Far outliers with weight 0.
	for i := 0; i < n; i += 50 {
		X[i*d], X[i*d+1] = 1e3+float64(i), -1e3
	}
	w := make([]float64, n)
	var kept []float64
	for i := range w {
		if i%50 != 0 {
			w[i] = 1
			kept = append(kept, X[i*d:i*d+d]...)
		}
	}
	for seed := uint64(0); seed < 20; seed++ {
		opt := DefaultOptions(3)
		opt.Seed, opt.Tol, opt.NInit, opt.Weights = seed, 0, 1, w
		r := mustFit(t, X, n, d, opt)
		opt.Weights = nil
		opt.Init = slices.Clone(r.Centers)
		// Restarting the kept rows from the weighted fit's centres must
		// be a fixed point: those centres are the means of kept rows.
		ref := mustFit(t, kept, len(kept)/d, d, opt)
		for i := range r.Centers {
			if math.Abs(r.Centers[i]-ref.Centers[i]) > tol*math.Max(1, math.Abs(ref.Centers[i])) {
				t.Fatalf("seed %d: centres %v, without zero-weight rows %v", seed, r.Centers, ref.Centers)
			}
			if r.Centers[i] > 500 {
				t.Fatalf("seed %d: a zero-weight outlier moved centre %d: %v", seed, i/d, r.Centers)
			}
		}
		if !relClose(r.Inertia, ref.Inertia, 1e-12) {
			t.Errorf("seed %d: inertia %v vs %v", seed, r.Inertia, ref.Inertia)
		}
	}
}

// TestWeightedSeedingDistribution: the first k-means++ centre is row i with
// probability w_i/Σw, and the greedy D²·w draws of later centres have the
// same distribution as on the table with rows repeated w times.
func TestWeightedSeedingDistribution(t *testing.T) {
	const (
		draws = 20000
		zMax  = 4.5
	)
	// Four well separated points; with k = 1 only the first centre is drawn.
	X := []float64{0, 0, 10, 0, 0, 10, 10, 10}
	w := []float64{1, 2, 3, 4}
	p := newProblem(X, 4, 2, w, 1, 0)
	wk := newWorker(p, 1)
	wk.setK(1)
	counts := make([]int, 4)
	centers := make([]float64, 2)
	labels := make([]int32, 4)
	for s := 0; s < draws; s++ {
		if err := wk.plusplus(context.Background(), restartRand(uint64(s), 1), centers, labels); err != nil {
			t.Fatal(err)
		}
		counts[int(centers[0]/10)+2*int(centers[1]/10)]++
	}
	for i, c := range counts {
		pi := w[i] / 10
		if z := (float64(c) - draws*pi) / math.Sqrt(draws*pi*(1-pi)); math.Abs(z) > zMax {
			t.Errorf("first centre row %d drawn %d/%d times, expected share %.2f (z %.1f)", i, c, draws, pi, z)
		}
	}

	// k = 2: the pair of rows chosen, weighted vs repeated, as distributions
	// over the 4 distinct points (second centre in D²·w).
	Y := []float64{0, 0, 1, 0, 5, 0, 6, 1}
	wy := []float64{3, 1, 2, 1}
	R, _ := repeatRows(Y, 2, wy)
	pair := func(c []float64) int {
		id := func(x, y float64) int {
			for i := 0; i < 4; i++ {
				if Y[2*i] == x && Y[2*i+1] == y {
					return i
				}
			}
			return -1
		}
		return id(c[0], c[1])*4 + id(c[2], c[3])
	}
	hist := func(Xm []float64, wts []float64) []float64 {
		pr := newProblem(Xm, len(Xm)/2, 2, wts, 1, 0)
		wk := newWorker(pr, 1)
		wk.setK(2)
		h := make([]float64, 16)
		c := make([]float64, 4)
		l := make([]int32, len(Xm)/2)
		for s := 0; s < draws; s++ {
			if err := wk.plusplus(context.Background(), restartRand(uint64(s), 1), c, l); err != nil {
				t.Fatal(err)
			}
			h[pair(c)]++
		}
		return h
	}
	hw, hr := hist(Y, wy), hist(R, nil)
	for j := range hw {
		pp := (hw[j] + hr[j]) / (2 * draws)
		if pp == 0 {
			continue
		}
		if z := (hw[j] - hr[j]) / draws / math.Sqrt(2*pp*(1-pp)/draws); math.Abs(z) > zMax {
			t.Errorf("pair %d→%d: weighted %v, repeated %v (z %.1f)", j/4, j%4, hw[j], hr[j], z)
		}
	}
}

func TestWeightErrors(t *testing.T) {
	X := []float64{0, 0, 1, 1, 2, 2}
	for _, tc := range []struct {
		w    []float64
		k    int
		want string
	}{
		{[]float64{1, 1}, 2, "len(Weights) = 2"},
		{[]float64{1, -1, 1}, 2, "Weights row 1 is -1"},
		{[]float64{1, math.NaN(), 1}, 2, "Weights row 1 is NaN"},
		{[]float64{0, 0, 1}, 2, "only 1 row(s) have a positive weight"},
	} {
		opt := DefaultOptions(tc.k)
		opt.Weights = tc.w
		if _, err := Fit(context.Background(), X, 3, 2, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("weights %v: err %v, want %q", tc.w, err, tc.want)
		}
	}
	opt := DefaultOptions(2)
	opt.Weights = []float64{1, 2, 1}
	if _, err := FitMuesli(context.Background(), X, 3, 2, opt); err == nil || !strings.Contains(err.Error(), "no sample weights") {
		t.Errorf("FitMuesli with weights: err %v", err)
	}
	if _, _, err := AssignWeighted(X, 3, 2, []float64{0, 0}, 1, []float64{1, 1}); err == nil || !strings.Contains(err.Error(), "len(w) = 2") {
		t.Errorf("AssignWeighted: err %v", err)
	}
}
