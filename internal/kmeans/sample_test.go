package kmeans

import (
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// sampleOpts returns options that put a table of a few thousand rows in
// sample mode (the defaults only engage above DefaultSampleAbove rows).
func sampleOpts(k int) Options {
	opt := DefaultOptions(k)
	opt.SampleAbove = 5000
	opt.SampleRows = 4000
	return opt
}

// sameResult extends sameBits with the fields sample mode adds.
func sameResult(a, b *Result) string {
	if diff := sameBits(a, b); diff != "" {
		return diff
	}
	switch {
	case !slices.Equal(a.RestartIterations, b.RestartIterations):
		return "restart iterations"
	case a.Sample != b.Sample || a.RestartRows != b.RestartRows:
		return "sample sizes"
	case !slices.Equal(a.Refined, b.Refined):
		return "refinements"
	}
	return ""
}

func TestSampleModeEngages(t *testing.T) {
	X, _ := blobs(12000, 4, 6, 3, 8)
	n, d := 12000, 4
	opt := sampleOpts(6)
	r := mustFit(t, X, n, d, opt)
	if r.Sample != 4000 || r.RestartRows != coarseRows(4000) || r.RestartRows != 1000 {
		t.Fatalf("Sample %d RestartRows %d, want 4000 and 1000", r.Sample, r.RestartRows)
	}
	if len(r.RestartInertia) != DefaultSampleNInitFactor*opt.NInit || len(r.RestartIterations) != len(r.RestartInertia) {
		t.Errorf("%d restart inertias, %d iteration counts, want %d", len(r.RestartInertia), len(r.RestartIterations), DefaultSampleNInitFactor*opt.NInit)
	}
	if len(r.Refined) < 1 || len(r.Refined) > DefaultRefine {
		t.Fatalf("%d refinements, want 1..%d", len(r.Refined), DefaultRefine)
	}
	best := r.Refined[0]
	for _, f := range r.Refined {
		if f.Inertia < best.Inertia {
			best = f
		}
	}
	if r.BestRestart != best.Restart || r.Iterations != best.Iterations || r.Converged != best.Converged || !r.Converged {
		t.Errorf("kept restart %d (%d iterations), best refinement %+v", r.BestRestart, r.Iterations, best)
	}
	// Labels, Sizes and Inertia are those of the centres on all rows.
	labels, inertia, _ := Assign(X, n, d, r.Centers, 6)
	if !slices.Equal(labels, r.Labels) || inertia != r.Inertia || !slices.Equal(sizesOf(labels, 6), r.Sizes) {
		t.Error("sample-mode result inconsistent with Assign on its centres")
	}
	if !relClose(best.Inertia, r.Inertia, 1e-12) {
		t.Errorf("kept refinement inertia %v, result %v", best.Inertia, r.Inertia)
	}

	// At or below SampleAbove rows, and with SampleAbove < 0, it stays off
	// and gives the unchanged fit.
	off := opt
	off.SampleAbove = -1
	base := mustFit(t, X, n, d, off)
	at := opt
	at.SampleAbove = n
	if r := mustFit(t, X, n, d, at); r.Sample != 0 || sameResult(r, base) != "" {
		t.Errorf("n = SampleAbove: Sample %d, differs from sample mode off in %q", r.Sample, sameResult(r, base))
	}
	def := off
	def.SampleAbove = 0 // DefaultSampleAbove ≫ n
	if r := mustFit(t, X, n, d, def); sameResult(r, base) != "" || r.RestartRows != n || r.Refined != nil {
		t.Errorf("default threshold: differs from sample mode off in %q", sameResult(r, base))
	}
	big := opt
	big.SampleRows = n // a sample as large as the table is no sample
	if r := mustFit(t, X, n, d, big); r.Sample != 0 {
		t.Errorf("SampleRows = n: Sample %d", r.Sample)
	}
}

// TestSampleModeQuality: on overlapping blobs the sample-mode fit is as
// good as 10 restarts on all rows, and on separated blobs it recovers the
// truth.
func TestSampleModeQuality(t *testing.T) {
	const slack = 1e-3 // relative inertia excess allowed over the full fit
	X, _ := blobs(40000, 4, 7, 3, 4)
	n, d := 40000, 4
	for _, k := range []int{3, 7, 9} {
		opt := sampleOpts(k)
		opt.SampleAbove, opt.SampleRows = 20000, 16000
		s := mustFit(t, X, n, d, opt)
		f := mustFit(t, X, n, d, DefaultOptions(k))
		if s.Inertia > f.Inertia*(1+slack) {
			t.Errorf("k=%d: sample mode inertia %.6f > full %.6f × (1+%g)", k, s.Inertia, f.Inertia, slack)
		}
		t.Logf("k=%d: sample mode %.6f full %.6f (rel %+.1e)", k, s.Inertia, f.Inertia, s.Inertia/f.Inertia-1)
	}
	Y, truth := blobs(30000, 3, 5, 12, 6)
	opt := sampleOpts(5)
	if r := mustFit(t, Y, 30000, 3, opt); adjustedRand(r.Labels, truth) != 1 {
		t.Errorf("separated blobs: ARI %v", adjustedRand(r.Labels, truth))
	}
}

// TestSampleModeDeterministic: sample mode (Fit and Scan, weighted or not)
// is bit-identical for GOMAXPROCS 1 and 2 and any Workers.
func TestSampleModeDeterministic(t *testing.T) {
	X, _ := blobs(9000, 3, 6, 3, 12)
	n, d := 9000, 3
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 + float64(i%7)/4
	}
	ks := []int{2, 5, 7}
	for _, weighted := range []bool{false, true} {
		opt := sampleOpts(0)
		opt.Seed = 3
		if weighted {
			opt.Weights = w
		}
		prev := runtime.GOMAXPROCS(1)
		ref, err := Scan(context.Background(), X, n, d, ks, opt)
		if err != nil {
			t.Fatal(err)
		}
		runtime.GOMAXPROCS(2)
		got2, err := Scan(context.Background(), X, n, d, ks, opt)
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		for a := range ks {
			if diff := sameResult(ref[a], got2[a]); diff != "" {
				t.Errorf("weighted %v k=%d: GOMAXPROCS 1 vs 2 differ in %s", weighted, ks[a], diff)
			}
		}
		for _, wk := range []int{1, 2, 3} {
			o := opt
			o.Workers = wk
			for a, k := range ks {
				o.K = k
				if diff := sameResult(ref[a], mustFit(t, X, n, d, o)); diff != "" {
					t.Errorf("weighted %v k=%d Workers=%d: Fit differs from Scan in %s", weighted, k, wk, diff)
				}
			}
		}
	}
}

// TestScanEqualsFit: each Scan result is Fit's for that k, bit for bit, in
// full mode and sample mode, with a warm start for one k; Progress counts
// len(ks)·NInit units.
func TestScanEqualsFit(t *testing.T) {
	X, _ := blobs(7000, 3, 5, 3, 21)
	n, d := 7000, 3
	ks := []int{4, 1, 6, 2}
	for _, sampled := range []bool{false, true} {
		opt := DefaultOptions(0)
		if sampled {
			opt = sampleOpts(0)
		}
		opt.Seed = 11
		opt.Init = slices.Clone(X[100 : 100+6*d]) // for k = 6
		var calls []int
		opt.Progress = func(done, total int) {
			if total != len(ks)*opt.NInit {
				t.Errorf("total %d, want %d", total, len(ks)*opt.NInit)
			}
			calls = append(calls, done)
		}
		rs, err := Scan(context.Background(), X, n, d, ks, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSorted(calls) || len(calls) == 0 || calls[len(calls)-1] != len(ks)*opt.NInit {
			t.Errorf("sampled %v: progress calls %v", sampled, calls)
		}
		for a, k := range ks {
			o := opt
			o.K, o.Progress = k, nil
			if k != 6 {
				o.Init = nil
			}
			f := mustFit(t, X, n, d, o)
			if diff := sameResult(rs[a], f); diff != "" || rs[a].K != k {
				t.Errorf("sampled %v k=%d: Scan differs from Fit in %s", sampled, k, diff)
			}
			if sampled != (rs[a].Sample > 0) && k > 1 {
				t.Errorf("k=%d: Sample %d", k, rs[a].Sample)
			}
		}
	}
}

// TestSampleModeProgress: in sample mode Progress still reports NInit units
// per fit, non-decreasing, ending at the total.
func TestSampleModeProgress(t *testing.T) {
	X, _ := blobs(8000, 2, 4, 4, 9)
	opt := sampleOpts(4)
	opt.Workers = 2
	var calls []int
	opt.Progress = func(done, total int) {
		if total != opt.NInit {
			t.Errorf("total %d", total)
		}
		calls = append(calls, done)
	}
	mustFit(t, X, 8000, 2, opt)
	if !slices.IsSorted(calls) || calls[len(calls)-1] != opt.NInit || slices.Contains(calls, 0) {
		t.Errorf("progress calls %v", calls)
	}
}

// TestSampleRows: the sample is m distinct rows in increasing order, each
// row drawn with probability m/n, a function of the seed alone; shuffle
// permutes it.
func TestSampleRows(t *testing.T) {
	const (
		n, m, seeds = 200, 50, 4000
		zMax        = 4.5
	)
	hits := make([]int, n)
	for s := uint64(0); s < seeds; s++ {
		idx := sampleRows(n, m, s)
		if len(idx) != m || !slices.IsSorted(idx) || idx[0] < 0 || idx[m-1] >= n {
			t.Fatalf("seed %d: %v", s, idx)
		}
		for i := 1; i < m; i++ {
			if idx[i] == idx[i-1] {
				t.Fatalf("seed %d: row %d twice", s, idx[i])
			}
		}
		for _, i := range idx {
			hits[i]++
		}
	}
	p := float64(m) / n
	for i, h := range hits {
		if z := (float64(h) - seeds*p) / math.Sqrt(seeds*p*(1-p)); math.Abs(z) > zMax {
			t.Errorf("row %d sampled %d/%d times, expected %.0f (z %.1f)", i, h, seeds, seeds*p, z)
		}
	}
	if !slices.Equal(sampleRows(n, m, 7), sampleRows(n, m, 7)) || slices.Equal(sampleRows(n, m, 7), sampleRows(n, m, 8)) {
		t.Error("sample not a function of the seed")
	}
	idx := sampleRows(n, m, 7)
	sh := slices.Clone(idx)
	shuffle(sh, 7)
	if slices.Equal(sh, idx) {
		t.Error("shuffle left the sample in order")
	}
	slices.Sort(sh)
	if !slices.Equal(sh, idx) {
		t.Error("shuffle is not a permutation")
	}
}

func TestScanErrors(t *testing.T) {
	X := []float64{0, 0, 1, 1, 2, 2, 3, 3}
	for _, tc := range []struct {
		ks   []int
		init []float64
		want string
	}{
		{nil, nil, "at least one k"},
		{[]int{2, 2}, nil, "k = 2 listed twice"},
		{[]int{2, 5}, nil, "K = 5 exceeds"},
		{[]int{2, 3}, []float64{0, 0}, "len(Init) = 2 is not k*d"},
	} {
		opt := DefaultOptions(0)
		opt.Init = tc.init
		if _, err := Scan(context.Background(), X, 4, 2, tc.ks, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ks %v: err %v, want %q", tc.ks, err, tc.want)
		}
	}
	for _, tc := range []struct {
		mod  func(*Options)
		want string
	}{
		{func(o *Options) { o.SampleRows = -1 }, "SampleRows"},
		{func(o *Options) { o.SampleNInit = -1 }, "SampleNInit"},
		{func(o *Options) { o.Refine = -1 }, "Refine"},
	} {
		opt := DefaultOptions(2)
		tc.mod(&opt)
		if _, err := Fit(context.Background(), X, 4, 2, opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err %v, want %q", err, tc.want)
		}
	}
}
