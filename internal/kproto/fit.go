package kproto

import (
	"context"
	"sync"
	"sync/atomic"
)

// Result is a fitted k-prototypes clustering.
type Result struct {
	K, P, Q int
	Gamma   float64 // the γ used (the default rule's value when Options.Gamma was 0)
	Missing MissingPolicy

	// Labels[i] is row i's nearest prototype (lowest index among equal
	// costs); Cost = Σ_i w_i × cost(row i, Labels[i]).
	Labels []int32
	Cost   float64
	// Centroids (K×P) and Modes (K×Q, caller's codes, -1 = the missing
	// category) are the best restart's final prototypes.
	Centroids []float64
	Modes     []int32
	Sizes     []int     // rows per cluster (of Labels)
	Weights   []float64 // Σ weights per cluster (= Sizes without weights)

	Iterations int  // sweeps of the best restart
	Converged  bool // kmodes' criterion: a sweep moved no row, or the cost stopped decreasing (by more than Tol)
	// Stationary: the last sweep moved no row, so the prototypes are the
	// weighted means and modes of Labels' clusters and Labels are the
	// nearest prototypes (a fixed point). When the run stopped because the
	// cost rose or MaxIter was reached, the prototypes are those of the
	// last sweep and Labels the nearest to them, as in kmodes.
	Stationary  bool
	Relocations int // empty clusters refilled in the best restart
	BestRestart int

	RestartCosts       []float64
	RestartIterations  []int
	RestartConverged   []bool
	RestartRelocations []int
}

// Model returns the prototypes and settings Predict needs.
func (r *Result) Model() *Model {
	return &Model{K: r.K, P: r.P, Q: r.Q, Gamma: r.Gamma, Missing: r.Missing,
		Centroids: append([]float64(nil), r.Centroids...), Modes: append([]int32(nil), r.Modes...)}
}

// restartResult is what one restart hands back.
type restartResult struct {
	cent        []float64
	mode        []int32 // shifted
	cost        float64
	iters       int
	converged   bool
	stationary  bool
	relocations int
}

// Fit clusters n rows of p numeric features (num, row-major, already
// scaled) and len(cat) categorical features (cat[c][i] is row i's code of
// feature c: 0, 1, … or -1 for missing) into opt.K clusters with Huang's
// k-prototypes, iterated as the kmodes package does. Inputs are not
// modified. See the package documentation for the procedure.
func Fit(ctx context.Context, num []float64, n, p int, cat [][]int32, opt Options) (*Result, error) {
	if opt.NInit == 0 {
		opt.NInit = DefaultNInit
	}
	if opt.MaxIter == 0 {
		opt.MaxIter = DefaultMaxIter
	}
	pr, err := newProblem(num, n, p, cat, &opt)
	if err != nil {
		return nil, err
	}
	var seeds *caoSeeds
	if opt.Start == nil && opt.Init == InitCao {
		seeds = pr.newCaoSeeds()
	}
	results := make([]*restartResult, opt.NInit)
	errs := make([]error, opt.NInit)
	run := func(i, inner int) {
		results[i], errs[i] = restart(ctx, pr, &opt, seeds, i, inner)
	}
	if w := pr.workers; w > 1 && opt.NInit >= w {
		var next atomic.Int64
		var wg sync.WaitGroup
		wg.Add(w)
		for g := 0; g < w; g++ {
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= opt.NInit {
						return
					}
					run(i, 1)
				}
			}()
		}
		wg.Wait()
	} else {
		for i := 0; i < opt.NInit; i++ {
			run(i, pr.workers)
		}
	}
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	best := 0
	for i, r := range results {
		if r.cost < results[best].cost {
			best = i
		}
	}
	b := results[best]
	res := &Result{K: pr.k, P: pr.p, Q: pr.q, Gamma: pr.gamma, Missing: opt.Missing,
		Centroids: b.cent, Modes: unshift(b.mode),
		Iterations: b.iters, Converged: b.converged, Stationary: b.stationary,
		Relocations: b.relocations, BestRestart: best,
		RestartCosts:       make([]float64, opt.NInit),
		RestartIterations:  make([]int, opt.NInit),
		RestartConverged:   make([]bool, opt.NInit),
		RestartRelocations: make([]int, opt.NInit),
	}
	for i, r := range results {
		res.RestartCosts[i], res.RestartIterations[i] = r.cost, r.iters
		res.RestartConverged[i], res.RestartRelocations[i] = r.converged, r.relocations
	}
	res.Labels = make([]int32, n)
	res.Cost = assign(pr.x, pr.codes, n, pr.p, pr.q, b.cent, b.mode, pr.k, pr.gamma, pr.w, pr.workers, res.Labels)
	res.Sizes = make([]int, pr.k)
	res.Weights = make([]float64, pr.k)
	for i, l := range res.Labels {
		res.Sizes[l]++
		res.Weights[l] += pr.weight(i)
	}
	return res, nil
}

func unshift(mode []int32) []int32 {
	out := make([]int32, len(mode))
	for i, m := range mode {
		out[i] = m - 1
	}
	return out
}

// restart runs restart i: initialise, assign every row to its nearest
// initial prototype, refill empty clusters, set the prototypes to the
// means and modes, then sweep until converged or MaxIter.
func restart(ctx context.Context, pr *problem, opt *Options, seeds *caoSeeds, i, inner int) (*restartResult, error) {
	s := newState(pr, restartRand(opt.Seed, i), inner)
	var err error
	switch {
	case opt.Start != nil:
		s.initStart(opt.Start)
	case opt.Init == InitHuang:
		err = s.initHuang()
	default:
		err = s.initCao(seeds)
	}
	if err != nil {
		return nil, err
	}
	s.costPass()
	copy(s.label, s.near)
	s.rebuild()
	for j := 0; j < pr.k; j++ {
		if s.cnt[j] == 0 {
			s.refill(j)
		}
	}
	cost := s.costPass()
	r := &restartResult{}
	for r.iters < opt.MaxIter && !r.converged {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.iters++
		if s.sweep() == 0 {
			// Converged at a fixed point; the cost is recomputed below.
			r.stationary, r.converged = true, true
			break
		}
		ncost := s.costPass()
		r.converged = ncost >= cost || cost-ncost <= opt.Tol*cost
		cost = ncost
	}
	if r.stationary {
		// The prototypes are the means and modes of the final partition:
		// recompute them from scratch so that restarts reaching the same
		// partition report bit-identical costs (the incremental sums
		// differ in their last bits) and the earliest one wins.
		s.rebuild()
		cost = s.costPass()
	}
	r.cost = cost
	r.cent = s.cent
	r.mode = s.mode
	r.relocations = s.relocations
	return r, nil
}
