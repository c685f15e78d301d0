package kmeans

import (
	"fmt"
	"math"
	"runtime"
)

// Options configures Fit and FitMuesli.
type Options struct {
	// K is the number of clusters, 1 ≤ K ≤ n.
	K int
	// NInit is the number of restarts (sklearn n_init); the restart with
	// the lowest inertia is kept. Must be ≥ 1.
	NInit int
	// MaxIter is the maximum number of Lloyd iterations per restart
	// (sklearn max_iter). Must be ≥ 1.
	MaxIter int
	// Tol is the relative tolerance (sklearn tol): a restart stops when the
	// sum over centres of the squared centre shift is ≤ Tol × mean of the
	// per-feature variances of X. Must be ≥ 0.
	Tol float64
	// Seed selects the random streams; see the package documentation for
	// how restart i's stream is derived from it.
	Seed uint64
	// Init, when non-nil, holds K*d row-major starting centres used by
	// restart 0 instead of k-means++ (the other restarts use k-means++).
	Init []float64
	// Workers bounds the number of goroutines; 0 means GOMAXPROCS. The
	// result does not depend on it.
	Workers int
	// Progress, when non-nil, is called after each finished restart with
	// the number of finished restarts and NInit. Calls never overlap.
	Progress func(done, total int)
}

// DefaultOptions returns scikit-learn 1.2.1's KMeans defaults for k
// clusters: NInit 10, MaxIter 300, Tol 1e-4, Seed 0, Workers 0.
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

// validate checks the options against an n×d matrix X.
func (o *Options) validate(X []float64, n, d int) error {
	if err := checkMatrix(X, n, d); err != nil {
		return err
	}
	switch {
	case o.K < 1:
		return fmt.Errorf("kmeans: K = %d, must be ≥ 1", o.K)
	case o.K > n:
		return fmt.Errorf("kmeans: K = %d exceeds the number of rows n = %d", o.K, n)
	case o.NInit < 1:
		return fmt.Errorf("kmeans: NInit = %d, must be ≥ 1", o.NInit)
	case o.MaxIter < 1:
		return fmt.Errorf("kmeans: MaxIter = %d, must be ≥ 1", o.MaxIter)
	case o.Tol < 0 || math.IsNaN(o.Tol) || math.IsInf(o.Tol, 0):
		return fmt.Errorf("kmeans: Tol = %v, must be finite and ≥ 0", o.Tol)
	case o.Workers < 0:
		return fmt.Errorf("kmeans: Workers = %d, must be ≥ 0", o.Workers)
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
