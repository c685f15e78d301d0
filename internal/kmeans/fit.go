package kmeans

import (
	"context"
	"sync"
)

// Result is a fitted clustering.
type Result struct {
	K, D int
	// Centers holds K*D row-major centres, in the space of the input X.
	Centers []float64
	// Labels holds each row's cluster, the nearest centre (ties → lowest
	// index); len n.
	Labels []int32
	// Sizes holds the number of rows in each cluster; it sums to n.
	Sizes []int
	// Inertia is Σ_i ‖x_i − Centers[Labels[i]]‖², summed in fixed chunk
	// order.
	Inertia float64
	// Iterations is the number of Lloyd iterations of the best restart.
	Iterations int
	// BestRestart is the index of the kept restart.
	BestRestart int
	// RestartInertia holds every restart's inertia, by restart index.
	RestartInertia []float64
	// Converged reports whether the best restart stopped before MaxIter
	// (labels unchanged or centre shift ≤ tolerance).
	Converged bool
	// Reproducible reports whether the same inputs and Seed give the same
	// result on every run (true for Fit, false for FitMuesli).
	Reproducible bool
}

// Fit clusters the n×d row-major matrix X into opt.K clusters with
// scikit-learn 1.2.1's KMeans(algorithm="lloyd") procedure: opt.NInit
// restarts of greedy k-means++ seeding followed by Lloyd iterations, keeping
// the restart with the lowest inertia. X is not modified. The result is a
// pure function of (X, n, d, opt minus Workers/Progress).
//
// Fit returns ctx.Err() if ctx is cancelled; the context is checked between
// k-means++ steps and Lloyd iterations.
func Fit(ctx context.Context, X []float64, n, d int, opt Options) (*Result, error) {
	if err := opt.validate(X, n, d); err != nil {
		return nil, err
	}
	W := opt.workers()
	p := &problem{X: X, n: n, d: d, k: opt.K, maxIter: opt.MaxIter}
	if opt.Tol > 0 {
		p.tolAbs = opt.Tol * columnVarianceMean(X, n, d, W)
	}

	// Restarts run concurrently on `outer` workers; the remaining
	// parallelism goes to chunk loops inside each restart.
	outer := min(W, opt.NInit)
	inner := max(1, W/outer)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	sel := newSelector(opt)
	jobs := make(chan int)
	var wg sync.WaitGroup
	errs := make([]error, outer)
	for g := 0; g < outer; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(p, inner)
			for i := range jobs {
				r, err := w.restart(ctx, i, opt)
				if err != nil {
					errs[g] = err
					cancel()
					continue
				}
				sel.add(i, r)
			}
		}()
	}
feed:
	for i := 0; i < opt.NInit; i++ {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	best := sel.best
	labels, inertia := assignInto(X, n, d, best.centers, opt.K, W, best.labels)
	return &Result{
		K:              opt.K,
		D:              d,
		Centers:        best.centers,
		Labels:         labels,
		Sizes:          sizesOf(labels, opt.K),
		Inertia:        inertia,
		Iterations:     best.iters,
		BestRestart:    sel.bestIdx,
		RestartInertia: sel.inertia,
		Converged:      best.converged,
		Reproducible:   true,
	}, nil
}

// restart runs restart i: seeding (warm start for restart 0 when opt.Init
// is set, k-means++ otherwise) then Lloyd.
func (w *worker) restart(ctx context.Context, i int, opt Options) (*lloydResult, error) {
	centers := make([]float64, w.p.k*w.p.d)
	labels := make([]int32, w.p.n)
	if i == 0 && opt.Init != nil {
		copy(centers, opt.Init)
		return w.lloyd(ctx, centers, labels, false)
	}
	if err := w.plusplus(ctx, restartRand(opt.Seed, i), centers, labels); err != nil {
		return nil, err
	}
	return w.lloyd(ctx, centers, labels, true)
}

// selector keeps the best restart, considering restarts strictly in index
// order whatever order they finish in, so the choice is deterministic.
type selector struct {
	mu      sync.Mutex
	k       int
	pending map[int]*lloydResult
	next    int
	best    *lloydResult
	bestIdx int
	inertia []float64
	done    int
	total   int
	report  func(done, total int)
}

func newSelector(opt Options) *selector {
	return &selector{
		k:       opt.K,
		pending: map[int]*lloydResult{},
		inertia: make([]float64, opt.NInit),
		total:   opt.NInit,
		report:  opt.Progress,
	}
}

// add records restart i's result. Like sklearn, a restart replaces the best
// so far only if its inertia is strictly lower and its partition differs
// (sklearn's _is_same_clustering guard), so ties keep the lowest index.
func (s *selector) add(i int, r *lloydResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inertia[i] = r.inertia
	s.pending[i] = r
	for {
		r, ok := s.pending[s.next]
		if !ok {
			break
		}
		delete(s.pending, s.next)
		if s.best == nil || (r.inertia < s.best.inertia && !sameClustering(r.labels, s.best.labels, s.k)) {
			s.best, s.bestIdx = r, s.next
		}
		s.next++
	}
	s.done++
	if s.report != nil {
		s.report(s.done, s.total)
	}
}

// sameClustering reports whether two labelings are the same partition up to
// a renaming of the clusters (sklearn's _is_same_clustering).
func sameClustering(a, b []int32, k int) bool {
	m := make([]int32, k)
	for j := range m {
		m[j] = -1
	}
	for i, la := range a {
		switch {
		case m[la] == -1:
			m[la] = b[i]
		case m[la] != b[i]:
			return false
		}
	}
	return true
}

// sizesOf counts labels per cluster.
func sizesOf(labels []int32, k int) []int {
	s := make([]int, k)
	for _, l := range labels {
		s[l]++
	}
	return s
}
