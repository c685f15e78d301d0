package kmeans

import (
	"fmt"
	"math"
	"runtime"
)

// Sample-mode defaults (see Options.SampleAbove).
const (
	// DefaultSampleAbove is the row count above which sample mode engages
	// when Options.SampleAbove is 0.
	DefaultSampleAbove = 200_000
	// DefaultSampleRows is the sample size when Options.SampleRows is 0.
	DefaultSampleRows = 50_000
	// DefaultRefine is the number of candidates refined on all rows when
	// Options.Refine is 0.
	DefaultRefine = 2
	// DefaultSampleNInitFactor × NInit restarts run in sample mode when
	// Options.SampleNInit is 0.
	DefaultSampleNInitFactor = 3
)

// Options configures Fit, Scan and FitMuesli.
type Options struct {
	// K is the number of clusters, 1 ≤ K ≤ n (ignored by Scan).
	K int
	// NInit is the number of restarts (sklearn n_init); the restart with
	// the lowest inertia is kept. Must be ≥ 1.
	NInit int
	// MaxIter is the maximum number of Lloyd iterations per restart
	// (sklearn max_iter), and per refinement in sample mode. Must be ≥ 1.
	MaxIter int
	// Tol is the relative tolerance (sklearn tol): a restart stops when the
	// sum over centres of the squared centre shift is ≤ Tol × mean of the
	// per-feature variances of X (unweighted, as in sklearn, and of all
	// rows also in sample mode). Must be ≥ 0.
	Tol float64
	// Seed selects the random streams; see the package documentation for
	// how restart i's stream and the sample are derived from it.
	Seed uint64
	// Init, when non-nil, holds K*d row-major starting centres used by
	// restart 0 instead of k-means++ (the other restarts use k-means++).
	Init []float64
	// Weights, when non-nil, holds one sample weight per row (finite,
	// ≥ 0, at least K of them positive): row i counts w_i times in the
	// centres, the inertia and the k-means++ seeding (see the package
	// documentation). nil, or every weight exactly 1, is the unweighted fit.
	Weights []float64

	// SampleAbove is the row count above which sample mode engages: the
	// restarts run on a seeded uniform sample of SampleRows rows and the
	// Refine best distinct candidates are refined by Lloyd on all rows.
	// 0 means DefaultSampleAbove; a negative value turns sample mode off.
	// Sample mode also stays off when SampleRows ≥ n, and for a k larger
	// than the number of sampled rows with a positive weight.
	SampleAbove int
	// SampleRows is the sample size in sample mode; 0 means
	// DefaultSampleRows.
	SampleRows int
	// SampleNInit is the number of restarts in sample mode; 0 means
	// DefaultSampleNInitFactor × NInit. They run on a coarse sample, so
	// each costs a small fraction of a restart on all rows.
	SampleNInit int
	// Refine is the number of candidates refined on all rows in sample
	// mode; 0 means DefaultRefine. More candidates cost one full-data
	// Lloyd run each and guard against a sample ranking two nearly equal
	// optima the wrong way round.
	Refine int

	// Workers bounds the number of goroutines; 0 means GOMAXPROCS. The
	// result does not depend on it.
	Workers int
	// Progress, when non-nil, is called with the number of finished work
	// units and their total (NInit per fit, len(ks)·NInit for Scan). A
	// restart on all rows is one unit; in sample mode a restart on the
	// sample is half a unit and a fit's refinements share the other half
	// of its NInit units. done never decreases, the last call has
	// done == total, and calls never overlap.
	Progress func(done, total int)
}

// DefaultOptions returns scikit-learn 1.2.1's KMeans defaults for k
// clusters: NInit 10, MaxIter 300, Tol 1e-4, Seed 0, Workers 0, and the
// default sample mode.
func DefaultOptions(k int) Options {
	return Options{K: k, NInit: 10, MaxIter: 300, Tol: 1e-4}
}

// workers resolves Options.Workers.
func (o *Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// sampleSize returns the sample size and whether sample mode engages for n
// rows.
func (o *Options) sampleSize(n int) (int, bool) {
	above := o.SampleAbove
	if above == 0 {
		above = DefaultSampleAbove
	}
	m := o.SampleRows
	if m == 0 {
		m = DefaultSampleRows
	}
	return m, above > 0 && n > above && m < n
}

// sampleNInit resolves Options.SampleNInit.
func (o *Options) sampleNInit() int {
	if o.SampleNInit > 0 {
		return o.SampleNInit
	}
	return DefaultSampleNInitFactor * o.NInit
}

// refineTop resolves Options.Refine.
func (o *Options) refineTop() int {
	if o.Refine > 0 {
		return o.Refine
	}
	return DefaultRefine
}

// validate checks the options against an n×d matrix X and the k to fit.
func (o *Options) validate(X []float64, n, d int, ks []int) error {
	if err := checkMatrix(X, n, d); err != nil {
		return err
	}
	for _, k := range ks {
		switch {
		case k < 1:
			return fmt.Errorf("kmeans: K = %d, must be ≥ 1", k)
		case k > n:
			return fmt.Errorf("kmeans: K = %d exceeds the number of rows n = %d", k, n)
		}
	}
	switch {
	case o.NInit < 1:
		return fmt.Errorf("kmeans: NInit = %d, must be ≥ 1", o.NInit)
	case o.MaxIter < 1:
		return fmt.Errorf("kmeans: MaxIter = %d, must be ≥ 1", o.MaxIter)
	case o.Tol < 0 || math.IsNaN(o.Tol) || math.IsInf(o.Tol, 0):
		return fmt.Errorf("kmeans: Tol = %v, must be finite and ≥ 0", o.Tol)
	case o.Workers < 0:
		return fmt.Errorf("kmeans: Workers = %d, must be ≥ 0", o.Workers)
	case o.SampleRows < 0:
		return fmt.Errorf("kmeans: SampleRows = %d, must be ≥ 0 (0 = default %d)", o.SampleRows, DefaultSampleRows)
	case o.SampleNInit < 0:
		return fmt.Errorf("kmeans: SampleNInit = %d, must be ≥ 0 (0 = %d × NInit)", o.SampleNInit, DefaultSampleNInitFactor)
	case o.Refine < 0:
		return fmt.Errorf("kmeans: Refine = %d, must be ≥ 0 (0 = default %d)", o.Refine, DefaultRefine)
	}
	if o.Init != nil {
		if len(o.Init) != o.K*d {
			return fmt.Errorf("kmeans: len(Init) = %d, want K*d = %d", len(o.Init), o.K*d)
		}
		for i, v := range o.Init {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("kmeans: Init centre %d feature %d is %v", i/d, i%d, v)
			}
		}
	}
	if o.Weights != nil {
		if len(o.Weights) != n {
			return fmt.Errorf("kmeans: len(Weights) = %d, want one per row, n = %d", len(o.Weights), n)
		}
		pos := 0
		for i, v := range o.Weights {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("kmeans: Weights row %d is %v, must be finite and ≥ 0", i, v)
			}
			if v > 0 {
				pos++
			}
		}
		for _, k := range ks {
			if k > pos {
				return fmt.Errorf("kmeans: K = %d but only %d row(s) have a positive weight", k, pos)
			}
		}
	}
	return nil
}

// checkMatrix validates the shape of X and that every value is finite.
func checkMatrix(X []float64, n, d int) error {
	switch {
	case n <= 0:
		return fmt.Errorf("kmeans: n = %d rows, need at least 1", n)
	case d <= 0:
		return fmt.Errorf("kmeans: d = %d columns, need at least 1", d)
	case len(X) != n*d:
		return fmt.Errorf("kmeans: len(X) = %d, want n*d = %d*%d = %d", len(X), n, d, n*d)
	}
	for i, v := range X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("kmeans: X row %d column %d is %v (NaN/Inf not allowed)", i/d, i%d, v)
		}
	}
	return nil
}
