package kmeans

import (
	"context"
	"fmt"

	"github.com/muesli/clusters"
	"github.com/muesli/kmeans"
)

// muesliMaxIter is github.com/muesli/kmeans v0.3.1's hard-coded iteration
// threshold: Partition stops after iteration index 96, i.e. 97 iterations.
const muesliMaxIter = 97

// FitMuesli clusters X with github.com/muesli/kmeans v0.3.1 (through
// github.com/muesli/clusters observations), for comparison with Fit. It runs
// opt.NInit independent Partition calls (on the package's worker pool, up to
// opt.Workers goroutines) and keeps the lowest inertia, with Fit's rule.
//
// The library assumes coordinates in [0,1] (its initial centres are uniform
// in [0,1]^d), so X is min-max scaled per column first (constant columns map
// to 0) and the centres are mapped back. Because the library can return
// memberships that count a point twice after an empty-cluster refill, the
// returned Labels, Sizes and Inertia are recomputed from the final centres
// with Assign. The library draws from math/rand's global source, which on
// Go ≥ 1.24 cannot be seeded (rand.Seed is a no-op), so results differ from
// run to run: Reproducible is false and opt.Seed, opt.MaxIter, opt.Tol,
// opt.Init and the sample-mode options are not used (its own rules apply:
// stop when fewer than 1% of the points change cluster, or after 97
// iterations); opt.Weights other than all 1 are an error (the library has
// no weights). Converged reports whether the best run stopped before that
// limit.
//
// Only ctx cancellation between iterations is honoured (through the
// library's plotter hook).
func FitMuesli(ctx context.Context, X []float64, n, d int, opt Options) (*Result, error) {
	if err := opt.validate(X, n, d, []int{opt.K}); err != nil {
		return nil, err
	}
	if opt.Weights != nil && !allOnes(opt.Weights) {
		return nil, fmt.Errorf("kmeans: the muesli engine has no sample weights; use Fit")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	obs, lo, span := muesliObservations(X, n, d)
	col := newCollector(opt.K, opt.NInit, 0)
	prog := newProgress(opt.Progress, opt.NInit)
	err := runPool(ctx, opt.NInit, opt.workers(), func(int) struct{} { return struct{}{} }, func(ctx context.Context, _ struct{}, i int) error {
		r, _, err := muesliRestart(ctx, X, obs, n, d, opt.K, lo, span)
		if err != nil {
			return err
		}
		col.add(i, r)
		prog.add(1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	best := col.best
	return &Result{
		K:                 opt.K,
		D:                 d,
		Centers:           best.centers,
		Labels:            best.labels,
		Sizes:             sizesOf(best.labels, opt.K),
		Inertia:           best.inertia,
		Iterations:        best.iters,
		BestRestart:       col.bestIdx,
		RestartInertia:    col.inertia,
		RestartIterations: col.iters,
		Converged:         best.converged,
		Reproducible:      false,
	}, nil
}

// muesliRestart runs one Partition and converts its clusters back to X's
// space. memberships is the library's raw Σ_j len(cluster j's observations),
// which can exceed n.
func muesliRestart(ctx context.Context, X []float64, obs clusters.Observations, n, d, k int, lo, span []float64) (r *lloydResult, memberships int, err error) {
	pl := &muesliHook{ctx: ctx}
	km, err := kmeans.NewWithOptions(0.01, pl)
	if err != nil {
		return nil, 0, err
	}
	cc, err := km.Partition(obs, k)
	if cerr := ctx.Err(); cerr != nil {
		return nil, 0, cerr
	}
	if err != nil {
		return nil, 0, err
	}
	centers := make([]float64, k*d)
	for j, c := range cc {
		memberships += len(c.Observations)
		for t := 0; t < d; t++ {
			centers[j*d+t] = c.Center[t]*span[t] + lo[t]
		}
	}
	labels, inertia := assignInto(X, n, d, centers, k, 1, make([]int32, n), nil)
	return &lloydResult{
		centers:   centers,
		labels:    labels,
		inertia:   inertia,
		iters:     pl.iters,
		converged: pl.iters < muesliMaxIter,
	}, memberships, nil
}

// muesliHook is a kmeans.Plotter that counts iterations and aborts the
// partition when the context is cancelled.
type muesliHook struct {
	ctx   context.Context
	iters int
}

func (h *muesliHook) Plot(_ clusters.Clusters, iteration int) error {
	h.iters = iteration + 1
	return h.ctx.Err()
}

// muesliObservations min-max scales X into [0,1] per column and wraps each
// row as a clusters.Coordinates observation.
func muesliObservations(X []float64, n, d int) (obs clusters.Observations, lo, span []float64) {
	lo, span = minMax(X, n, d)
	scaled := make([]float64, n*d)
	obs = make(clusters.Observations, n)
	for i := 0; i < n; i++ {
		row := scaled[i*d : i*d+d : i*d+d]
		for j, v := range X[i*d : i*d+d] {
			row[j] = (v - lo[j]) / span[j]
		}
		obs[i] = clusters.Coordinates(row)
	}
	return obs, lo, span
}

// minMax returns per-column minima and ranges (1 for constant columns).
func minMax(X []float64, n, d int) (lo, span []float64) {
	lo = make([]float64, d)
	hi := make([]float64, d)
	copy(lo, X[:d])
	copy(hi, X[:d])
	for i := 1; i < n; i++ {
		for j, v := range X[i*d : i*d+d] {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	span = make([]float64, d)
	for j := range span {
		span[j] = hi[j] - lo[j]
		if span[j] == 0 {
			span[j] = 1
		}
	}
	return lo, span
}
