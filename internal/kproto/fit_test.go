package kproto

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func mustFit(t *testing.T, tb table, opt Options) *Result {
	t.Helper()
	res, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sameResult(a, b *Result) bool {
	return slices.Equal(a.Labels, b.Labels) && a.Cost == b.Cost &&
		slices.Equal(a.Centroids, b.Centroids) && slices.Equal(a.Modes, b.Modes) &&
		slices.Equal(a.RestartCosts, b.RestartCosts) && slices.Equal(a.RestartIterations, b.RestartIterations) &&
		a.BestRestart == b.BestRestart && a.Gamma == b.Gamma
}

// TestDeterministicAcrossWorkers: the same input and seed give bit-identical
// results for Workers 1, 2, 3 and 8 and for GOMAXPROCS 1 and 2, with
// restarts run in parallel (NInit ≥ workers) and with the chunked passes
// run in parallel inside one restart (NInit = 1); n spans several chunks.
func TestDeterministicAcrossWorkers(t *testing.T) {
	tb := randomTable(5, 3*chunkRows+17, 3, []int{3, 4, 6}, 0.05, "float")
	for _, init := range []InitMethod{InitCao, InitHuang} {
		for _, ninit := range []int{1, 4} {
			opt := Options{K: 5, NInit: ninit, Init: init, Seed: 9, Weights: tb.weights, Missing: MissingCategory, Workers: 1}
			ref := mustFit(t, tb, opt)
			for _, w := range []int{2, 3, 8} {
				opt.Workers = w
				if got := mustFit(t, tb, opt); !sameResult(ref, got) {
					t.Errorf("%v NInit %d: Workers %d differs from Workers 1 (cost %v vs %v)", init, ninit, w, got.Cost, ref.Cost)
				}
			}
			for _, procs := range []int{1, 2} {
				old := runtime.GOMAXPROCS(procs)
				opt.Workers = 0
				got := mustFit(t, tb, opt)
				runtime.GOMAXPROCS(old)
				if !sameResult(ref, got) {
					t.Errorf("%v NInit %d: GOMAXPROCS %d differs", init, ninit, procs)
				}
			}
		}
	}
}

// TestSeedHonoured (kmodes issues #43, #112): the same seed reproduces the
// result exactly, and restart i does not depend on NInit.
func TestSeedHonoured(t *testing.T) {
	tb := randomTable(6, 400, 2, []int{3, 3}, 0, "")
	for _, init := range []InitMethod{InitCao, InitHuang} {
		opt := Options{K: 4, NInit: 6, Init: init, Seed: 42}
		a, b := mustFit(t, tb, opt), mustFit(t, tb, opt)
		if !sameResult(a, b) {
			t.Errorf("%v: two fits with seed 42 differ", init)
		}
		opt.NInit = 3
		c := mustFit(t, tb, opt)
		if !slices.Equal(c.RestartCosts, a.RestartCosts[:3]) {
			t.Errorf("%v: restarts 0..2 depend on NInit: %v vs %v", init, c.RestartCosts, a.RestartCosts[:3])
		}
	}
	// Different seeds explore different starts (Huang draws everything).
	seen := map[float64]bool{}
	for seed := uint64(0); seed < 8; seed++ {
		r := mustFit(t, tb, Options{K: 6, NInit: 1, Init: InitHuang, Seed: seed})
		seen[r.Cost] = true
	}
	if len(seen) < 2 {
		t.Errorf("eight seeds gave one cost: the seed is not used")
	}
}

// TestLargeKInitialises is kmodes issues #132 and #136: with many clusters
// and few distinct categorical rows, kmodes' random normal numeric
// prototypes leave clusters empty and its init gives up. Here every
// initial prototype is a distinct data row, so every cluster starts
// non-empty, for both methods and k up to 40.
func TestLargeKInitialises(t *testing.T) {
	tb := randomTable(7, 600, 2, []int{2, 2, 3}, 0, "")
	for _, init := range []InitMethod{InitCao, InitHuang} {
		for _, k := range []int{10, 20, 40} {
			res := mustFit(t, tb, Options{K: k, NInit: 3, Init: init, Seed: 1})
			for j, s := range res.Sizes {
				if s == 0 {
					t.Errorf("%v k %d: cluster %d is empty", init, k, j)
				}
			}
			if res.RestartRelocations[0] != 0 && init == InitHuang && k == 10 {
				t.Logf("%v k %d: %d refills", init, k, res.RestartRelocations[0])
			}
		}
	}
}

// TestDuplicateRows: with many identical rows the prototypes are still
// distinct; with fewer distinct rows than k, an actionable error.
func TestDuplicateRows(t *testing.T) {
	// 3 distinct rows, each repeated 20 times.
	var tb table
	tb.p = 1
	tb.cat = [][]int32{nil}
	for r := 0; r < 60; r++ {
		tb.num = append(tb.num, float64(r%3))
		tb.cat[0] = append(tb.cat[0], int32(r%3))
	}
	tb.n = 60
	for _, init := range []InitMethod{InitCao, InitHuang} {
		res := mustFit(t, tb, Options{K: 3, Init: init})
		if !slices.Equal(res.Sizes, []int{20, 20, 20}) || res.Cost != 0 {
			t.Errorf("%v: sizes %v cost %v, want three clusters of 20 and cost 0", init, res.Sizes, res.Cost)
		}
		_, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, Options{K: 4, Init: init})
		if !errors.Is(err, ErrTooFewDistinct) || !strings.Contains(err.Error(), "k = 4") {
			t.Errorf("%v k 4: error %v, want ErrTooFewDistinct naming k", init, err)
		}
	}
}

// TestMissingPolicy: -1 is an error naming row and feature, or a category
// of its own that can be a mode (reported as -1).
func TestMissingPolicy(t *testing.T) {
	tb := table{n: 6, p: 1, num: []float64{0, 0.1, 0.2, 5, 5.1, 5.2},
		cat: [][]int32{{-1, -1, 0, 1, 1, 1}}}
	_, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, Options{K: 2, CategoricalNames: []string{"Contract"}})
	if err == nil || !strings.Contains(err.Error(), "row 0") || !strings.Contains(err.Error(), `"Contract"`) {
		t.Errorf("MissingError: got %v, want an error naming row 0 and \"Contract\"", err)
	}
	res := mustFit(t, tb, Options{K: 2, Missing: MissingCategory, Init: InitHuang})
	m := res.Modes
	if res.Labels[0] == res.Labels[3] || !slices.Contains(m, -1) || !slices.Contains(m, 1) {
		t.Errorf("MissingCategory: labels %v modes %v, want the first three rows apart with mode -1", res.Labels, m)
	}
}

// TestModeTiesLowestCode: a cluster whose categories tie takes the lowest
// code, missing (-1) lowest of all.
func TestModeTiesLowestCode(t *testing.T) {
	tb := table{n: 4, p: 1, num: []float64{0, 0, 0, 0}, cat: [][]int32{{3, 2, 2, 3}, {5, -1, 5, -1}}}
	res := mustFit(t, tb, Options{K: 1, Gamma: 1, Missing: MissingCategory})
	if !slices.Equal(res.Modes, []int32{2, -1}) {
		t.Errorf("modes %v, want [2 -1]", res.Modes)
	}
}

// TestPredictReproducesFit: Model.Predict on the training rows gives Fit's
// labels and cost bit for bit; ties go to the lowest prototype index; an
// unseen category code mismatches every prototype.
func TestPredictReproducesFit(t *testing.T) {
	tb := randomTable(8, 3000, 3, []int{4, 2}, 0.02, "int")
	res := mustFit(t, tb, Options{K: 4, Seed: 3, Weights: tb.weights, Missing: MissingCategory})
	m := res.Model()
	labels, cost, err := m.Predict(tb.num, tb.n, tb.cat, tb.weights)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labels, res.Labels) || cost != res.Cost {
		t.Errorf("Predict cost %v, Fit cost %v (labels equal: %v)", cost, res.Cost, slices.Equal(labels, res.Labels))
	}
	if c := m.Cost(tb.num, tb.n, tb.cat, res.Labels, tb.weights); relDiff(c, res.Cost) > 1e-12 {
		t.Errorf("Model.Cost %v, Fit cost %v", c, res.Cost)
	}
	tie := &Model{K: 2, P: 1, Q: 1, Gamma: 1, Centroids: []float64{-1, 1}, Modes: []int32{0, 0}}
	got, _, err := tie.Predict([]float64{0, 0}, 2, [][]int32{{0, 7}}, nil)
	if err != nil || !slices.Equal(got, []int32{0, 0}) {
		t.Errorf("ties: %v %v, want [0 0]", got, err)
	}
	if _, _, err := tie.Predict([]float64{math.NaN()}, 1, [][]int32{{0}}, nil); err == nil {
		t.Errorf("NaN accepted")
	}
	if _, _, err := tie.Predict([]float64{0}, 1, [][]int32{{-1}}, nil); err == nil {
		t.Errorf("missing category accepted under MissingError")
	}
}

// TestInputsNotModified: Fit and Predict leave their inputs alone.
func TestInputsNotModified(t *testing.T) {
	tb := randomTable(9, 200, 2, []int{3}, 0.1, "float")
	num, cat0, w := slices.Clone(tb.num), slices.Clone(tb.cat[0]), slices.Clone(tb.weights)
	res := mustFit(t, tb, Options{K: 3, Weights: tb.weights, Missing: MissingCategory})
	if _, _, err := res.Model().Predict(tb.num, tb.n, tb.cat, nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(num, tb.num) || !slices.Equal(cat0, tb.cat[0]) || !slices.Equal(w, tb.weights) {
		t.Errorf("inputs modified")
	}
}

// TestErrors: mistakes are errors a person can act on, never panics.
func TestErrors(t *testing.T) {
	tb := randomTable(10, 20, 2, []int{3}, 0, "")
	bad := []struct {
		name string
		mod  func(*table, *Options)
		want string
	}{
		{"k too large", func(_ *table, o *Options) { o.K = 21 }, "more than the 20 rows"},
		{"k zero", func(_ *table, o *Options) { o.K = 0 }, "want at least 1"},
		{"NaN", func(t *table, _ *Options) { t.num[5] = math.NaN() }, "row 2, numeric feature 1"},
		{"weight zero", func(t *table, o *Options) { o.Weights = make([]float64, 20) }, "row 0 has weight 0"},
		{"weights length", func(t *table, o *Options) { o.Weights = []float64{1} }, "1 weights for 20 rows"},
		{"bad code", func(t *table, _ *Options) { t.cat[0][3] = -2 }, "row 3, categorical feature 0 has code -2"},
		{"column length", func(t *table, _ *Options) { t.cat[0] = t.cat[0][:5] }, "has 5 rows, want 20"},
		{"gamma", func(_ *table, o *Options) { o.Gamma = -1 }, "gamma = -1"},
		{"cao without categories", func(t *table, o *Options) { t.cat = nil }, "Cao's initialisation needs categorical features"},
		{"start shape", func(_ *table, o *Options) { o.Start = &Prototypes{} }, "start prototypes"},
	}
	for _, c := range bad {
		tc := table{n: tb.n, p: tb.p, num: slices.Clone(tb.num), cat: [][]int32{slices.Clone(tb.cat[0])}}
		opt := Options{K: 3}
		c.mod(&tc, &opt)
		_, err := Fit(t.Context(), tc.num, tc.n, tc.p, tc.cat, opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// Constant numeric features make the default γ zero.
	tc := table{n: 4, p: 1, num: []float64{1, 1, 1, 1}, cat: [][]int32{{0, 1, 0, 1}}}
	if _, err := Fit(t.Context(), tc.num, tc.n, tc.p, tc.cat, Options{K: 2}); err == nil || !strings.Contains(err.Error(), "set gamma") {
		t.Errorf("constant numerics: %v", err)
	}
}

// TestNumericOnlyAndCategoricalOnly: P = 0 is k-modes (γ = 1), Q = 0 is an
// online k-means (Huang init).
func TestNumericOnlyAndCategoricalOnly(t *testing.T) {
	cat := table{n: 6, p: 0, cat: [][]int32{{0, 0, 0, 1, 1, 1}, {2, 2, 2, 3, 3, 4}}}
	r := mustFit(t, cat, Options{K: 2})
	if r.Gamma != 1 || r.Cost != 1 || r.Labels[0] == r.Labels[3] {
		t.Errorf("k-modes: gamma %v cost %v labels %v", r.Gamma, r.Cost, r.Labels)
	}
	num := table{n: 4, p: 1, num: []float64{0, 1, 10, 11}}
	r = mustFit(t, num, Options{K: 2, Init: InitHuang})
	if r.Cost != 1 || r.Labels[0] == r.Labels[2] {
		t.Errorf("numeric only: cost %v labels %v", r.Cost, r.Labels)
	}
}
