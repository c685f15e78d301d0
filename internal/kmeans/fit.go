package kmeans

import (
	"context"
	"math"
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
	// Weights holds the total sample weight of each cluster, or nil when
	// Options.Weights is nil (or all 1), in which case it equals Sizes.
	Weights []float64
	// Inertia is Σ_i w_i ‖x_i − Centers[Labels[i]]‖² over all rows (w_i = 1
	// without weights), summed in fixed chunk order.
	Inertia float64
	// Iterations is the number of Lloyd iterations of the kept fit: of the
	// best restart, or in sample mode of the kept refinement on all rows.
	Iterations int
	// BestRestart is the index of the kept restart (in sample mode, the
	// restart whose refinement was kept).
	BestRestart int
	// RestartInertia and RestartIterations hold every restart's inertia and
	// Lloyd iteration count, by restart index. In sample mode they are
	// measured on the sample (Sample rows), not on all rows.
	RestartInertia    []float64
	RestartIterations []int
	// Converged reports whether the kept fit stopped before MaxIter
	// (labels unchanged or centre shift ≤ tolerance).
	Converged bool
	// Sample is the number of rows the restarts ran on in sample mode, 0
	// when they ran on all rows (see Options.SampleAbove).
	Sample int
	// Refined lists, in sample mode, the refinements on all rows, best
	// sample inertia first; nil otherwise.
	Refined []Refinement
	// Reproducible reports whether the same inputs and Seed give the same
	// result on every run (true for Fit and Scan, false for FitMuesli).
	Reproducible bool
}

// Refinement is one sample-mode candidate refined by Lloyd on all rows.
type Refinement struct {
	// Restart is the restart whose sample centres started the refinement.
	Restart int
	// Inertia is the refined inertia on all rows.
	Inertia float64
	// Iterations counts the Lloyd iterations on all rows.
	Iterations int
	// Converged reports whether the refinement stopped before MaxIter.
	Converged bool
}

// Fit clusters the n×d row-major matrix X into opt.K clusters with
// scikit-learn 1.2.1's KMeans(algorithm="lloyd") procedure: opt.NInit
// restarts of greedy k-means++ seeding followed by Lloyd iterations, keeping
// the restart with the lowest inertia. Above opt.SampleAbove rows the
// restarts run on a seeded sample and the best candidates are refined on all
// rows (sample mode; see the package documentation). X is not modified. The
// result is a pure function of (X, n, d, opt minus Workers/Progress).
//
// Fit returns ctx.Err() if ctx is cancelled; the context is checked between
// k-means++ steps and Lloyd iterations.
func Fit(ctx context.Context, X []float64, n, d int, opt Options) (*Result, error) {
	if err := opt.validate(X, n, d, []int{opt.K}); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := newSession(X, n, d, &opt)
	rs, err := s.run(ctx, []int{opt.K}, opt.Init)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// session holds what the fits of one Fit or Scan call share: the
// validated options, the tolerance, the weights and the sample.
type session struct {
	X    []float64
	n, d int
	opt  *Options
	W    int
	full *problem // all rows
	// sample is the sample-mode problem (nil when sample mode is off);
	// sampleOK(k) tells whether k is fitted on it.
	sample    *problem
	samplePos int // rows of the sample with a positive weight
}

func newSession(X []float64, n, d int, opt *Options) *session {
	W := opt.workers()
	w := opt.Weights
	if allOnes(w) {
		w = nil
	}
	var tolAbs float64
	if opt.Tol > 0 {
		tolAbs = opt.Tol * columnVarianceMean(X, n, d, W)
	}
	s := &session{X: X, n: n, d: d, opt: opt, W: W, full: newProblem(X, n, d, w, opt.MaxIter, tolAbs)}
	if m, ok := opt.sampleSize(n); ok {
		Xs, ws := gatherRows(X, d, w, sampleRows(n, m, opt.Seed))
		s.sample = newProblem(Xs, m, d, ws, opt.MaxIter, tolAbs)
		s.samplePos = m
		if ws != nil {
			s.samplePos = positive(ws)
		}
	}
	return s
}

// sampled reports whether the fit with k clusters runs its restarts on the
// sample: sample mode is on and the sample has at least k rows of positive
// weight.
func (s *session) sampled(k int) bool { return s.sample != nil && k <= s.samplePos }

// kstate is one k's fit in progress.
type kstate struct {
	k       int
	sampled bool
	init    []float64
	col     *collector
	refined []*lloydResult // by candidate rank (sample mode)
}

// run fits every k of ks; init, when non-nil, starts restart 0 of the k
// with k*d == len(init).
func (s *session) run(ctx context.Context, ks []int, init []float64) ([]*Result, error) {
	nInit := s.opt.NInit
	prog := newProgress(s.opt.Progress, len(ks)*nInit)
	states := make([]*kstate, len(ks))
	for a, k := range ks {
		st := &kstate{k: k, sampled: s.sampled(k)}
		if init != nil && len(init) == k*s.d {
			st.init = init
		}
		top := 0
		if st.sampled {
			top = s.opt.refineTop()
		}
		st.col = newCollector(k, nInit, top)
		states[a] = st
	}
	// Restart units: all of a k's NInit units without sampling; in sample
	// mode restarts get sampleShare of them and refinements the rest.
	restartUnit := func(st *kstate) float64 {
		if st.sampled {
			return sampleShare
		}
		return 1
	}

	// Phase 1: every restart of every k, largest k first (the longest jobs
	// first balances the pool).
	order := byKDesc(ks)
	jobs := len(ks) * nInit
	outer, inner := splitWorkers(s.W, jobs)
	type pair struct{ full, sample *worker }
	err := runPool(ctx, jobs, outer, func(int) *pair { return &pair{} }, func(ctx context.Context, ws *pair, j int) error {
		st := states[order[j/nInit]]
		i := j % nInit
		var w *worker
		if st.sampled {
			if ws.sample == nil {
				ws.sample = newWorker(s.sample, inner)
			}
			w = ws.sample
		} else {
			if ws.full == nil {
				ws.full = newWorker(s.full, inner)
			}
			w = ws.full
		}
		w.setK(st.k)
		r, err := w.restart(ctx, i, st.init, s.opt.Seed)
		if err != nil {
			return err
		}
		st.col.add(i, r)
		prog.add(restartUnit(st))
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Phase 2 (sample mode): refine each k's candidates on all rows.
	type rjob struct{ a, c int }
	var rjobs []rjob
	for _, a := range order {
		st := states[a]
		if !st.sampled {
			continue
		}
		st.refined = make([]*lloydResult, len(st.col.top))
		for c := range st.col.top {
			rjobs = append(rjobs, rjob{a, c})
		}
	}
	if len(rjobs) > 0 {
		outer, inner := splitWorkers(s.W, len(rjobs))
		type refiner struct {
			w      *worker
			labels []int32
		}
		err := runPool(ctx, len(rjobs), outer, func(int) *refiner {
			return &refiner{w: newWorker(s.full, inner), labels: make([]int32, s.n)}
		}, func(ctx context.Context, rf *refiner, j int) error {
			st, c := states[rjobs[j].a], rjobs[j].c
			rf.w.setK(st.k)
			centers := append([]float64(nil), st.col.top[c].r.centers...)
			r, err := rf.w.lloyd(ctx, centers, rf.labels, false)
			if err != nil {
				return err
			}
			r.labels = nil // rf.labels is reused by the next job
			st.refined[c] = r
			prog.add(float64(nInit) * (1 - sampleShare) / float64(len(st.refined)))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// Phase 3: labels and inertia of the kept centres on all rows, with the
	// code of Assign.
	out := make([]*Result, len(ks))
	for a, st := range states {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[a] = s.result(st)
	}
	prog.finish()
	return out, nil
}

// sampleShare is the share of a k's progress units given to its restarts
// in sample mode (the refinements on all rows take the rest); measured on
// 1M × 6 rows, the refinements take about that share of the time.
const sampleShare = 0.5

// result assembles k's Result from its kept fit.
func (s *session) result(st *kstate) *Result {
	col := st.col
	r := &Result{
		K: st.k, D: s.d,
		RestartInertia:    col.inertia,
		RestartIterations: col.iters,
		Reproducible:      true,
	}
	var centers []float64
	var labels []int32
	if !st.sampled {
		best := col.best
		centers, labels = best.centers, best.labels
		r.Iterations, r.Converged, r.BestRestart = best.iters, best.converged, col.bestIdx
	} else {
		r.Sample = s.sample.n
		kept := 0
		r.Refined = make([]Refinement, len(st.refined))
		for c, f := range st.refined {
			r.Refined[c] = Refinement{Restart: col.top[c].i, Inertia: f.inertia, Iterations: f.iters, Converged: f.converged}
			if f.inertia < st.refined[kept].inertia {
				kept = c
			}
		}
		f := st.refined[kept]
		centers, labels = f.centers, make([]int32, s.n)
		r.Iterations, r.Converged, r.BestRestart = f.iters, f.converged, col.top[kept].i
	}
	r.Centers = centers
	r.Labels, r.Inertia = assignInto(s.X, s.n, s.d, centers, st.k, s.W, labels, s.full.w)
	r.Sizes = sizesOf(r.Labels, st.k)
	if s.full.w != nil {
		r.Weights = weightsOf(r.Labels, st.k, s.full.w)
	}
	return r
}

// restart runs restart i: seeding (init for restart 0 when set, k-means++
// from restart i's stream otherwise) then Lloyd.
func (w *worker) restart(ctx context.Context, i int, init []float64, seed uint64) (*lloydResult, error) {
	centers := make([]float64, w.k*w.p.d)
	labels := make([]int32, w.p.n)
	if i == 0 && init != nil {
		copy(centers, init)
		return w.lloyd(ctx, centers, labels, false)
	}
	if err := w.plusplus(ctx, restartRand(seed, i), centers, labels); err != nil {
		return nil, err
	}
	return w.lloyd(ctx, centers, labels, true)
}

// candidate is a restart kept for refinement in sample mode.
type candidate struct {
	i int
	r *lloydResult
}

// collector gathers one k's restarts, considering them strictly in index
// order whatever order they finish in, so the choice is deterministic.
// Without sampling (top = 0) it keeps the best restart like sklearn: a
// restart replaces the best so far only if its inertia is strictly lower
// and its partition differs (sklearn's _is_same_clustering guard), so ties
// keep the lowest index. In sample mode it keeps the top restarts with the
// lowest inertia (ties → lowest index) whose partitions of the sample are
// all different; of two equal partitions the lower inertia (then the lower
// index) stays.
type collector struct {
	mu      sync.Mutex
	k, nTop int
	pending map[int]*lloydResult
	next    int
	inertia []float64
	iters   []int

	best    *lloydResult
	bestIdx int
	top     []candidate
}

func newCollector(k, nInit, top int) *collector {
	return &collector{
		k:       k,
		nTop:    top,
		pending: map[int]*lloydResult{},
		inertia: make([]float64, nInit),
		iters:   make([]int, nInit),
	}
}

// add records restart i's result.
func (s *collector) add(i int, r *lloydResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inertia[i] = r.inertia
	s.iters[i] = r.iters
	s.pending[i] = r
	for {
		r, ok := s.pending[s.next]
		if !ok {
			break
		}
		delete(s.pending, s.next)
		if s.nTop == 0 {
			if s.best == nil || (r.inertia < s.best.inertia && !sameClustering(r.labels, s.best.labels, s.k)) {
				s.best, s.bestIdx = r, s.next
			}
		} else {
			s.keep(candidate{s.next, r})
		}
		s.next++
	}
}

// keep inserts c into the top list (sample mode).
func (s *collector) keep(c candidate) {
	for q, t := range s.top {
		if sameClustering(c.r.labels, t.r.labels, s.k) {
			if c.r.inertia >= t.r.inertia {
				return
			}
			s.top = append(s.top[:q], s.top[q+1:]...)
			break
		}
	}
	q := len(s.top)
	for q > 0 && c.r.inertia < s.top[q-1].r.inertia {
		q--
	}
	if q >= s.nTop {
		return
	}
	s.top = append(s.top, candidate{})
	copy(s.top[q+1:], s.top[q:])
	s.top[q] = c
	if len(s.top) > s.nTop {
		s.top = s.top[:s.nTop]
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

// weightsOf sums the weights per cluster, in row order.
func weightsOf(labels []int32, k int, w []float64) []float64 {
	s := make([]float64, k)
	for i, l := range labels {
		s[l] += w[i]
	}
	return s
}

// progress turns fractional units of work into Progress calls with whole
// units: calls never overlap, done never decreases, and the last call has
// done == total.
type progress struct {
	mu       sync.Mutex
	report   func(done, total int)
	total    int
	units    float64
	reported int
}

func newProgress(report func(done, total int), total int) *progress {
	return &progress{report: report, total: total}
}

func (p *progress) add(u float64) {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.units += u
	if d := min(int(math.Floor(p.units+1e-9)), p.total); d > p.reported {
		p.reported = d
		p.report(d, p.total)
	}
}

// finish makes the last call done == total if it has not happened.
func (p *progress) finish() {
	if p.report == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reported < p.total {
		p.reported = p.total
		p.report(p.total, p.total)
	}
}
