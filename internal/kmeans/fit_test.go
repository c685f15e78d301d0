package kmeans

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// blobs returns n points in d dimensions drawn from k spherical Gaussian
// blobs (std 1) whose centres are at least sep apart, plus the true labels.
func blobs(n, d, k int, sep float64, seed uint64) ([]float64, []int32) {
	rng := rand.New(rand.NewPCG(seed, 7))
	centers := make([]float64, k*d)
	for j := 0; j < k; j++ {
		for {
			for t := 0; t < d; t++ {
				centers[j*d+t] = (rng.Float64()*2 - 1) * sep * float64(k)
			}
			ok := true
			for q := 0; q < j; q++ {
				if math.Sqrt(sqDist(centers[j*d:j*d+d], centers[q*d:q*d+d])) < sep {
					ok = false
				}
			}
			if ok {
				break
			}
		}
	}
	X := make([]float64, n*d)
	truth := make([]int32, n)
	for i := 0; i < n; i++ {
		j := i % k
		truth[i] = int32(j)
		for t := 0; t < d; t++ {
			X[i*d+t] = centers[j*d+t] + rng.NormFloat64()
		}
	}
	return X, truth
}

// adjustedRand returns the adjusted Rand index of two labelings.
func adjustedRand(a, b []int32) float64 {
	type pair struct{ x, y int32 }
	nij := map[pair]float64{}
	ai := map[int32]float64{}
	bj := map[int32]float64{}
	for i := range a {
		nij[pair{a[i], b[i]}]++
		ai[a[i]]++
		bj[b[i]]++
	}
	c2 := func(v float64) float64 { return v * (v - 1) / 2 }
	var sij, sa, sb float64
	for _, v := range nij {
		sij += c2(v)
	}
	for _, v := range ai {
		sa += c2(v)
	}
	for _, v := range bj {
		sb += c2(v)
	}
	exp := sa * sb / c2(float64(len(a)))
	return (sij - exp) / ((sa+sb)/2 - exp)
}

func mustFit(t testing.TB, X []float64, n, d int, opt Options) *Result {
	t.Helper()
	r, err := Fit(context.Background(), X, n, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sameBits reports whether two results are bit-identical.
func sameBits(a, b *Result) string {
	switch {
	case !slices.Equal(a.Labels, b.Labels):
		return "labels"
	case !slices.Equal(a.Sizes, b.Sizes):
		return "sizes"
	case math.Float64bits(a.Inertia) != math.Float64bits(b.Inertia):
		return "inertia"
	case a.Iterations != b.Iterations || a.BestRestart != b.BestRestart || a.Converged != b.Converged:
		return "iterations/best restart/converged"
	}
	for i := range a.Centers {
		if math.Float64bits(a.Centers[i]) != math.Float64bits(b.Centers[i]) {
			return "centers"
		}
	}
	for i := range a.RestartInertia {
		if math.Float64bits(a.RestartInertia[i]) != math.Float64bits(b.RestartInertia[i]) {
			return "restart inertia"
		}
	}
	return ""
}

func TestBlobsRecoverTruth(t *testing.T) {
	const ariWant = 1.0
	for _, tc := range []struct{ n, d, k int }{{600, 2, 3}, {3000, 4, 5}, {5000, 10, 8}} {
		X, truth := blobs(tc.n, tc.d, tc.k, 12, uint64(tc.k))
		r := mustFit(t, X, tc.n, tc.d, DefaultOptions(tc.k))
		if ari := adjustedRand(r.Labels, truth); ari != ariWant {
			t.Errorf("n=%d d=%d k=%d: ARI %v, want %v", tc.n, tc.d, tc.k, ari, ariWant)
		}
		if !r.Converged || !r.Reproducible {
			t.Errorf("converged %v reproducible %v", r.Converged, r.Reproducible)
		}
	}
}

// TestDeterministicAcrossParallelism requires bit-identical results for
// GOMAXPROCS 1 and 2 and for every Workers setting, including a single
// restart whose chunk loops run in parallel.
func TestDeterministicAcrossParallelism(t *testing.T) {
	X, _ := blobs(20000, 6, 7, 3, 11) // overlapping blobs: many iterations, many chunks
	n, d := 20000, 6
	for _, ninit := range []int{1, 3, 10} {
		opt := DefaultOptions(7)
		opt.NInit = ninit
		opt.Seed = 42
		prev := runtime.GOMAXPROCS(1)
		ref := mustFit(t, X, n, d, opt)
		runtime.GOMAXPROCS(2)
		got2 := mustFit(t, X, n, d, opt)
		runtime.GOMAXPROCS(prev)
		if diff := sameBits(ref, got2); diff != "" {
			t.Errorf("NInit=%d: GOMAXPROCS 1 vs 2 differ in %s", ninit, diff)
		}
		for _, w := range []int{1, 2, 3, 8} {
			o := opt
			o.Workers = w
			if diff := sameBits(ref, mustFit(t, X, n, d, o)); diff != "" {
				t.Errorf("NInit=%d Workers=%d differs in %s", ninit, w, diff)
			}
		}
	}
}

func TestRepeatable(t *testing.T) {
	X, n := loadReference(t)
	opt := DefaultOptions(5)
	opt.Seed = 9
	a := mustFit(t, X, n, 3, opt)
	b := mustFit(t, X, n, 3, opt)
	if diff := sameBits(a, b); diff != "" {
		t.Fatalf("two calls differ in %s", diff)
	}
	opt.Seed = 10
	c := mustFit(t, X, n, 3, opt)
	if slices.Equal(a.RestartInertia, c.RestartInertia) {
		t.Errorf("seeds 9 and 10 gave identical restart inertias %v", a.RestartInertia)
	}
}

func TestInputsNotMutated(t *testing.T) {
	X, _ := blobs(3000, 3, 4, 4, 1)
	init := append([]float64(nil), X[:12]...)
	X0, init0 := slices.Clone(X), slices.Clone(init)
	opt := DefaultOptions(4)
	opt.Init = init
	r := mustFit(t, X, 3000, 3, opt)
	centers0 := slices.Clone(r.Centers)
	if _, _, err := Assign(X, 3000, 3, r.Centers, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := FitMuesli(context.Background(), X, 3000, 3, opt); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(X, X0) || !slices.Equal(init, init0) || !slices.Equal(r.Centers, centers0) {
		t.Fatal("an input was modified")
	}
	// Weighted, sample mode and Scan.
	w := make([]float64, 3000)
	for i := range w {
		w[i] = float64(i%3) + 0.5
	}
	w0 := slices.Clone(w)
	opt.Weights, opt.SampleAbove, opt.SampleRows = w, 1000, 800
	mustFit(t, X, 3000, 3, opt)
	if _, err := Scan(context.Background(), X, 3000, 3, []int{2, 4}, opt); err != nil {
		t.Fatal(err)
	}
	if _, _, err := AssignWeighted(X, 3000, 3, r.Centers, 4, w); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(X, X0) || !slices.Equal(init, init0) || !slices.Equal(w, w0) {
		t.Fatal("an input was modified (weighted / sample mode / Scan)")
	}
}

// TestWarmStart: starting restart 0 from a fixed point of Lloyd (a fit with
// Tol = 0, which only stops when labels no longer change) converges in one
// iteration to the same solution; the other restarts still use k-means++.
func TestWarmStart(t *testing.T) {
	X, n := loadReference(t)
	fixed := DefaultOptions(4)
	fixed.Tol = 0
	base := mustFit(t, X, n, 3, fixed)
	opt := DefaultOptions(4)
	opt.NInit = 1
	opt.Init = base.Centers
	warm := mustFit(t, X, n, 3, opt)
	if warm.Iterations != 1 || !warm.Converged {
		t.Errorf("warm start took %d iterations (converged %v)", warm.Iterations, warm.Converged)
	}
	if math.Float64bits(warm.Inertia) != math.Float64bits(base.Inertia) || !slices.Equal(warm.Labels, base.Labels) {
		t.Errorf("warm start inertia %v labels differ; base %v", warm.Inertia, base.Inertia)
	}
	opt.NInit = 10
	mixed := mustFit(t, X, n, 3, opt)
	if mixed.RestartInertia[0] != warm.Inertia || mixed.Inertia > warm.Inertia {
		t.Errorf("restart 0 inertia %v, want warm %v", mixed.RestartInertia[0], warm.Inertia)
	}
	cold := mustFit(t, X, n, 3, DefaultOptions(4))
	if !slices.Equal(mixed.RestartInertia[1:], cold.RestartInertia[1:]) {
		t.Errorf("restarts 1.. changed by Init: %v vs %v", mixed.RestartInertia[1:], cold.RestartInertia[1:])
	}
}

func TestAssignMatchesFit(t *testing.T) {
	X, n := loadReference(t)
	for k := 1; k <= 6; k++ {
		r := mustFit(t, X, n, 3, DefaultOptions(k))
		labels, inertia, err := Assign(X, n, 3, r.Centers, k)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(labels, r.Labels) || math.Float64bits(inertia) != math.Float64bits(r.Inertia) {
			t.Errorf("k=%d: Assign differs from Fit (inertia %v vs %v)", k, inertia, r.Inertia)
		}
		if got := sizesOf(labels, k); !slices.Equal(got, r.Sizes) {
			t.Errorf("k=%d: sizes %v vs %v", k, got, r.Sizes)
		}
	}
}

func TestAssignTiesAndValues(t *testing.T) {
	const tol = 1e-15
	// Point 0 is equidistant from both centres: lowest index wins.
	X := []float64{0, 0, 3, 0, -1, 0}
	centers := []float64{-1, 0, 1, 0}
	labels, inertia, err := Assign(X, 3, 2, centers, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(labels, []int32{0, 1, 0}) || math.Abs(inertia-5) > tol {
		t.Errorf("labels %v inertia %v, want [0 1 0] 5", labels, inertia)
	}
}

func TestCanonicalize(t *testing.T) {
	X, n := loadReference(t)
	r := mustFit(t, X, n, 3, DefaultOptions(4))
	before := *r
	before.Labels = slices.Clone(r.Labels)
	before.Centers = slices.Clone(r.Centers)
	before.Sizes = slices.Clone(r.Sizes)
	perm := Canonicalize(r)
	for i, l := range before.Labels {
		if r.Labels[i] != int32(perm[l]) {
			t.Fatalf("row %d: label %d, want perm[%d] = %d", i, r.Labels[i], l, perm[l])
		}
	}
	for old, nw := range perm {
		if r.Sizes[nw] != before.Sizes[old] || !slices.Equal(r.Centers[nw*3:nw*3+3], before.Centers[old*3:old*3+3]) {
			t.Fatalf("cluster %d→%d not moved consistently", old, nw)
		}
	}
	if !slices.IsSortedFunc(r.Sizes, func(a, b int) int { return b - a }) {
		t.Errorf("sizes %v not descending", r.Sizes)
	}
	if r.Inertia != before.Inertia {
		t.Error("inertia changed")
	}
	if _, in, _ := Assign(X, n, 3, r.Centers, 4); in != r.Inertia {
		t.Errorf("inertia from canonical centres %v, want %v", in, r.Inertia)
	}
	// Equal sizes: lexicographic centre order, first coordinate then second.
	tie := &Result{K: 3, D: 2,
		Centers: []float64{1, 5, 0, 9, 1, 2},
		Labels:  []int32{0, 1, 2, 2, 0, 1},
		Sizes:   []int{2, 2, 2},
	}
	if p := Canonicalize(tie); !slices.Equal(p, []int{2, 0, 1}) ||
		!slices.Equal(tie.Centers, []float64{0, 9, 1, 2, 1, 5}) ||
		!slices.Equal(tie.Labels, []int32{2, 0, 1, 1, 2, 0}) {
		t.Errorf("tie order: perm %v centres %v labels %v", p, tie.Centers, tie.Labels)
	}
	// Idempotent.
	again := slices.Clone(r.Labels)
	if p := Canonicalize(r); !slices.Equal(p, []int{0, 1, 2, 3}) || !slices.Equal(r.Labels, again) {
		t.Errorf("second Canonicalize changed the result: %v", p)
	}
}

func TestDegenerateInputs(t *testing.T) {
	const tol = 1e-12
	// All rows identical: every k ≤ n works, inertia 0, no panic.
	X := make([]float64, 20*2)
	for i := range X {
		X[i] = 3.5
	}
	for k := 1; k <= 4; k++ {
		r := mustFit(t, X, 20, 2, DefaultOptions(k))
		if r.Inertia != 0 {
			t.Errorf("k=%d identical rows: inertia %v", k, r.Inertia)
		}
	}
	// k = n: every row its own cluster.
	Y := []float64{0, 1, 5, 9, 20}
	r := mustFit(t, Y, 5, 1, DefaultOptions(5))
	if r.Inertia != 0 {
		t.Errorf("k=n: inertia %v", r.Inertia)
	}
	// k = 1: centre is the mean 7, inertia Σ(y−7)² = 49+36+4+4+169 = 262.
	r = mustFit(t, Y, 5, 1, DefaultOptions(1))
	if math.Abs(r.Centers[0]-7) > tol || math.Abs(r.Inertia-262) > tol*262 {
		t.Errorf("k=1: centre %v inertia %v, want 7 and 262", r.Centers, r.Inertia)
	}
}

func TestErrors(t *testing.T) {
	good := []float64{0, 0, 1, 1, 2, 2}
	nan := []float64{0, 0, 1, math.NaN(), 2, 2}
	inf := []float64{0, 0, 1, 1, math.Inf(-1), 2}
	mod := func(f func(*Options)) Options { o := DefaultOptions(2); f(&o); return o }
	cases := []struct {
		name string
		X    []float64
		n, d int
		opt  Options
		want string
	}{
		{"k0", good, 3, 2, DefaultOptions(0), "K = 0"},
		{"k>n", good, 3, 2, DefaultOptions(4), "exceeds"},
		{"n0", nil, 0, 2, DefaultOptions(1), "n = 0"},
		{"d0", good, 3, 0, DefaultOptions(1), "d = 0"},
		{"len", good, 2, 2, DefaultOptions(1), "len(X) = 6"},
		{"nan", nan, 3, 2, DefaultOptions(2), "row 1 column 1 is NaN"},
		{"inf", inf, 3, 2, DefaultOptions(2), "row 2 column 0 is -Inf"},
		{"ninit", good, 3, 2, mod(func(o *Options) { o.NInit = 0 }), "NInit"},
		{"maxiter", good, 3, 2, mod(func(o *Options) { o.MaxIter = 0 }), "MaxIter"},
		{"tol", good, 3, 2, mod(func(o *Options) { o.Tol = -1 }), "Tol"},
		{"tolnan", good, 3, 2, mod(func(o *Options) { o.Tol = math.NaN() }), "Tol"},
		{"workers", good, 3, 2, mod(func(o *Options) { o.Workers = -1 }), "Workers"},
		{"initlen", good, 3, 2, mod(func(o *Options) { o.Init = []float64{1, 2} }), "len(Init)"},
		{"initnan", good, 3, 2, mod(func(o *Options) { o.Init = []float64{1, 2, math.NaN(), 0} }), "Init centre 1"},
	}
	for _, tc := range cases {
		for name, fit := range map[string]func(context.Context, []float64, int, int, Options) (*Result, error){"Fit": Fit, "FitMuesli": FitMuesli} {
			r, err := fit(context.Background(), tc.X, tc.n, tc.d, tc.opt)
			if err == nil || r != nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s %s: err %v, want containing %q", name, tc.name, err, tc.want)
			}
		}
	}
	assignCases := []struct {
		name    string
		X       []float64
		centers []float64
		k       int
		want    string
	}{
		{"k0", good, nil, 0, "k = 0"},
		{"centres len", good, []float64{1, 2, 3}, 2, "len(centers)"},
		{"centre nan", good, []float64{1, math.NaN()}, 1, "centre 0 feature 1"},
		{"x nan", nan, []float64{1, 2}, 1, "row 1"},
	}
	for _, tc := range assignCases {
		if _, _, err := Assign(tc.X, 3, 2, tc.centers, tc.k); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Assign %s: err %v, want containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCancellation(t *testing.T) {
	X, _ := blobs(5000, 4, 6, 3, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, X, 5000, 4, DefaultOptions(6)); !errors.Is(err, context.Canceled) {
		t.Errorf("pre-cancelled: err %v", err)
	}
	if _, err := FitMuesli(ctx, X, 5000, 4, DefaultOptions(6)); !errors.Is(err, context.Canceled) {
		t.Errorf("muesli pre-cancelled: err %v", err)
	}
	// Cancel from the progress callback after the first restart.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	opt := DefaultOptions(6)
	opt.NInit = 50
	opt.Progress = func(done, total int) { cancel() }
	if _, err := Fit(ctx, X, 5000, 4, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mid-fit: err %v", err)
	}
}

func TestProgress(t *testing.T) {
	X, _ := blobs(2000, 2, 3, 5, 2)
	var calls []int
	opt := DefaultOptions(3)
	opt.Workers = 2
	opt.Progress = func(done, total int) {
		if total != 10 {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done) // safe: calls never overlap
	}
	mustFit(t, X, 2000, 2, opt)
	if !slices.Equal(calls, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("progress calls %v", calls)
	}
}

func TestSameClustering(t *testing.T) {
	if !sameClustering([]int32{0, 0, 1, 2}, []int32{2, 2, 0, 1}, 3) {
		t.Error("relabelled partition not recognised")
	}
	if sameClustering([]int32{0, 0, 1, 2}, []int32{2, 1, 0, 1}, 3) {
		t.Error("different partitions reported equal")
	}
}

// TestRestartStreams checks the documented stream derivation and that
// restart i's stream does not depend on NInit.
func TestRestartStreams(t *testing.T) {
	// SplitMix64 from state 0: first output 0xE220A8397B1DCDAF (reference
	// value of the published algorithm).
	if got := splitmix64(0, 1); got != 0xE220A8397B1DCDAF {
		t.Errorf("splitmix64(0,1) = %#x", got)
	}
	X, n := loadReference(t)
	o3 := DefaultOptions(4)
	o3.NInit = 3
	r3 := mustFit(t, X, n, 3, o3)
	r10 := mustFit(t, X, n, 3, DefaultOptions(4))
	if !slices.Equal(r3.RestartInertia, r10.RestartInertia[:3]) {
		t.Errorf("restart inertias depend on NInit: %v vs %v", r3.RestartInertia, r10.RestartInertia[:3])
	}
}

// TestStoppingRules: MaxIter caps the iterations (not converged, labels
// still consistent with the centres); Tol = 0 only stops when the labels
// stop changing, and then one more fit from those centres moves nothing.
func TestStoppingRules(t *testing.T) {
	X, _ := blobs(5000, 4, 6, 3, 21)
	opt := DefaultOptions(6)
	opt.NInit = 1
	opt.MaxIter = 1
	r := mustFit(t, X, 5000, 4, opt)
	if r.Iterations != 1 || r.Converged {
		t.Errorf("MaxIter=1: iterations %d converged %v", r.Iterations, r.Converged)
	}
	labels, inertia, _ := Assign(X, 5000, 4, r.Centers, 6)
	if !slices.Equal(labels, r.Labels) || inertia != r.Inertia {
		t.Error("MaxIter=1: labels/inertia not those of the final centres")
	}
	opt.MaxIter = 300
	opt.Tol = 0
	strict := mustFit(t, X, 5000, 4, opt)
	opt.Tol = 1e-4
	loose := mustFit(t, X, 5000, 4, opt)
	if !strict.Converged || strict.Iterations < loose.Iterations {
		t.Errorf("Tol=0: %d iterations (converged %v), Tol=1e-4: %d", strict.Iterations, strict.Converged, loose.Iterations)
	}
	opt.Init = strict.Centers
	again := mustFit(t, X, 5000, 4, opt)
	if again.Iterations != 1 || !slices.Equal(again.Centers, strict.Centers) {
		t.Errorf("refit from a fixed point: %d iterations, centres moved %v", again.Iterations, !slices.Equal(again.Centers, strict.Centers))
	}
}
