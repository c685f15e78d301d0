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
	// Lloyd iteration count, by restart index (NInit restarts, or in sample
	// mode SampleNInit), measured on the RestartRows rows they ran on.
	RestartInertia    []float64
	RestartIterations []int
	// RestartRows is the number of rows the restarts ran on: n, or in
	// sample mode the coarse sample.
	RestartRows int
	// Converged reports whether the kept fit stopped before MaxIter
	// (labels unchanged or centre shift ≤ tolerance).
	Converged bool
	// Sample is the number of sampled rows in sample mode, 0 when sample
	// mode was off (see Options.SampleAbove).
	Sample int
	// Refined lists, in sample mode, the candidates refined on all rows,
	// lowest sample inertia first; nil otherwise.
	Refined []Refinement
	// Reproducible reports whether the same inputs and Seed give the same
	// result on every run (true for Fit and Scan, false for FitMuesli).
	Reproducible bool
}

// Refinement is one sample-mode candidate refined by Lloyd on all rows.
type Refinement struct {
	// Restart is the restart the candidate descends from.
	Restart int
	// SampleInertia is its inertia on the Sample rows, where it was chosen.
	SampleInertia float64
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
// the restart with the lowest inertia. Above opt.SampleAbove rows (sample
// mode; see the package documentation) opt.SampleNInit restarts run on a
// seeded sample and the best candidates are refined on all rows. X is not
// modified. The result is a pure function of (X, n, d, opt minus
// Workers/Progress).
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
// validated options, the tolerance, the weights and, in sample mode, the
// sample levels.
type session struct {
	X    []float64
	n, d int
	opt  *Options
	W    int
	full *problem // all rows
	// levels are the sample-mode problems, smallest first: restarts run on
	// levels[0], the candidates kept at level l continue on levels[l+1],
	// and those kept at the last level are refined on all rows. nil when
	// sample mode is off.
	levels    []level
	samplePos int // rows of levels[0] with a positive weight
}

// level is one sample-mode problem and the number of distinct candidates
// it passes on (-1: every distinct one).
type level struct {
	p    *problem
	keep int
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
	m, ok := opt.sampleSize(n)
	if !ok {
		return s
	}
	idx := sampleRows(n, m, opt.Seed)
	shuffle(idx, opt.Seed)
	Xs, ws := gatherRows(X, d, w, idx)
	prefix := func(r int) *problem {
		var wr []float64
		if ws != nil {
			wr = ws[:r]
		}
		return newProblem(Xs[:r*d], r, d, wr, opt.MaxIter, tolAbs)
	}
	if c := coarseRows(m); c < m {
		s.levels = append(s.levels, level{prefix(c), -1})
	}
	s.levels = append(s.levels, level{prefix(m), opt.refineTop()})
	p0 := s.levels[0].p
	s.samplePos = p0.n
	if p0.w != nil {
		s.samplePos = positive(p0.w)
	}
	return s
}

// sampled reports whether the fit with k clusters runs in sample mode: it
// is on and the smallest sample level has at least k rows of positive
// weight.
func (s *session) sampled(k int) bool { return s.levels != nil && k <= s.samplePos }

// kstate is one k's fit in progress.
type kstate struct {
	k        int
	sampled  bool
	restarts int // NInit, or SampleNInit in sample mode
	init     []float64
	// cols[0] gathers the restarts; in sample mode cols[l] gathers the
	// continuations on levels[l] of the candidates kept by cols[l-1].
	cols    []*collector
	refined []*lloydResult // by rank in the last collector's top (sample mode)
}

// job is one unit of work of a phase: k index a, sequence number q.
type job struct{ a, q int }

// runPhase runs jobs on the pool, each goroutine keeping one worker per
// problem (lazily created) and calling do with the worker for prob(job).
func (s *session) runPhase(ctx context.Context, jobs []job, prob func(job) *problem, do func(ctx context.Context, w *worker, jb job) error) error {
	outer, inner := splitWorkers(s.W, len(jobs))
	return runPool(ctx, len(jobs), outer, func(int) map[*problem]*worker { return map[*problem]*worker{} },
		func(ctx context.Context, ws map[*problem]*worker, j int) error {
			p := prob(jobs[j])
			w := ws[p]
			if w == nil {
				w = newWorker(p, inner)
				ws[p] = w
			}
			return do(ctx, w, jobs[j])
		})
}

// run fits every k of ks; init, when non-nil, starts restart 0 of the k
// with k*d == len(init).
func (s *session) run(ctx context.Context, ks []int, init []float64) ([]*Result, error) {
	nInit := s.opt.NInit
	prog := newProgress(s.opt.Progress, len(ks)*nInit)
	states := make([]*kstate, len(ks))
	order := byKDesc(ks) // longest jobs first balances the pool
	for a, k := range ks {
		st := &kstate{k: k, sampled: s.sampled(k), restarts: nInit}
		if init != nil && len(init) == k*s.d {
			st.init = init
		}
		if st.sampled {
			st.restarts = s.opt.sampleNInit()
			st.cols = []*collector{newCollector(k, st.restarts, s.levels[0].keep)}
		} else {
			st.cols = []*collector{newCollector(k, nInit, 0)}
		}
		states[a] = st
	}
	// Progress units: a k has NInit. Without sampling a restart is one
	// unit; in sample mode each phase has its share of them.
	shares := sampleShares(len(s.levels))
	share := func(st *kstate, phase int, jobs int) float64 {
		if !st.sampled {
			return 1
		}
		return float64(nInit) * shares[phase] / float64(jobs)
	}

	// Phase 0: every restart of every k.
	var jobs []job
	for _, a := range order {
		for i := 0; i < states[a].restarts; i++ {
			jobs = append(jobs, job{a, i})
		}
	}
	err := s.runPhase(ctx, jobs, func(jb job) *problem {
		if states[jb.a].sampled {
			return s.levels[0].p
		}
		return s.full
	}, func(ctx context.Context, w *worker, jb job) error {
		st := states[jb.a]
		w.setK(st.k)
		r, err := w.restart(ctx, jb.q, st.init, s.opt.Seed)
		if err != nil {
			return err
		}
		r.restart = jb.q
		st.cols[0].add(jb.q, r)
		prog.add(share(st, 0, st.restarts))
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Phases 1..: continue the kept candidates on the next sample level,
	// then refine the last level's on all rows.
	for l := 1; l <= len(s.levels); l++ {
		jobs = jobs[:0]
		for _, a := range order {
			st := states[a]
			if !st.sampled {
				continue
			}
			prev := st.cols[l-1]
			if l < len(s.levels) {
				st.cols = append(st.cols, newCollector(st.k, len(prev.top), s.levels[l].keep))
			} else {
				st.refined = make([]*lloydResult, len(prev.top))
			}
			for c := range prev.top {
				jobs = append(jobs, job{a, c})
			}
		}
		if len(jobs) == 0 {
			break
		}
		last := l == len(s.levels)
		p := s.full
		if !last {
			p = s.levels[l].p
		}
		err := s.runPhase(ctx, jobs, func(job) *problem { return p }, func(ctx context.Context, w *worker, jb job) error {
			st := states[jb.a]
			cand := st.cols[l-1].top[jb.q]
			w.setK(st.k)
			centers := append([]float64(nil), cand.r.centers...)
			var labels []int32
			if last {
				labels = w.labelBuf() // only the centres are kept
			} else {
				labels = make([]int32, p.n) // kept to compare partitions
			}
			r, err := w.lloyd(ctx, centers, labels, false)
			if err != nil {
				return err
			}
			r.restart = cand.r.restart
			if last {
				r.labels = nil
				r.sampleInertia = cand.r.inertia
				st.refined[jb.q] = r
			} else {
				st.cols[l].add(jb.q, r)
			}
			prog.add(share(st, l, len(st.cols[l-1].top)))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// Last: labels and inertia of the kept centres on all rows, with the
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

// sampleShares returns the share of a k's progress units of each
// sample-mode phase (restarts, continuation on the sample, refinement on
// all rows), roughly their share of the CPU time on 1M × 6 rows.
func sampleShares(levels int) []float64 {
	if levels == 1 {
		return []float64{0.6, 0.4}
	}
	return []float64{0.2, 0.45, 0.35}
}

// result assembles k's Result from its kept fit.
func (s *session) result(st *kstate) *Result {
	col := st.cols[0]
	r := &Result{
		K: st.k, D: s.d,
		RestartRows:       s.n,
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
		r.Sample = s.levels[len(s.levels)-1].p.n
		r.RestartRows = s.levels[0].p.n
		kept := 0
		r.Refined = make([]Refinement, len(st.refined))
		for c, f := range st.refined {
			r.Refined[c] = Refinement{Restart: f.restart, SampleInertia: f.sampleInertia, Inertia: f.inertia, Iterations: f.iters, Converged: f.converged}
			if f.inertia < st.refined[kept].inertia {
				kept = c
			}
		}
		f := st.refined[kept]
		centers, labels = f.centers, make([]int32, s.n)
		r.Iterations, r.Converged, r.BestRestart = f.iters, f.converged, f.restart
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
	if s.nTop > 0 && q >= s.nTop {
		return
	}
	s.top = append(s.top, candidate{})
	copy(s.top[q+1:], s.top[q:])
	s.top[q] = c
	if s.nTop > 0 && len(s.top) > s.nTop {
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
