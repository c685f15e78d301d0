package kmeans

import "math"

// problem is the read-only data shared by all restarts run on one matrix
// (the input, or in sample mode the sample).
type problem struct {
	X       []float64 // n*d row-major, never written
	n, d    int
	w       []float64 // per-row sample weights; nil means every weight is 1
	wChunk  []float64 // per-chunk Σw (nil when w is nil), for the first k-means++ centre
	maxIter int
	tolAbs  float64 // Tol × mean per-feature variance of the input (sklearn _tolerance)
}

// newProblem returns the problem for X with weights w (nil = unit).
func newProblem(X []float64, n, d int, w []float64, maxIter int, tolAbs float64) *problem {
	p := &problem{X: X, n: n, d: d, w: w, maxIter: maxIter, tolAbs: tolAbs}
	if w != nil {
		p.wChunk = make([]float64, numChunks(n))
		for c := range p.wChunk {
			lo, hi := chunkBounds(c, n)
			p.wChunk[c] = sumInOrder(w[lo:hi])
		}
	}
	return p
}

// nLocalTrials is sklearn's default number of k-means++ candidates per
// centre: 2 + int(ln k).
func nLocalTrials(k int) int { return 2 + int(math.Log(float64(k))) }

// worker owns the reusable buffers of one goroutine running restarts (or
// refinements) one after another, for any k. Per-chunk slots are written by
// forChunks callbacks and reduced in chunk order, so inner parallelism
// never changes the result.
type worker struct {
	p     *problem
	k     int
	inner int // goroutines for chunk loops inside one restart
	nc    int // number of chunks

	// buf holds 2n floats: k-means++ keeps the closest squared distances in
	// the first n; Lloyd uses them as Hamerly's upper bounds (distance to
	// the assigned centre) and the second n as lower bounds (distance to
	// any other centre).
	buf      []float64
	labels   []int32   // n labels for refinements, allocated on first use
	trialBuf []float64 // trials*n: min(D², distance²) per k-means++ candidate; allocated on first use
	trials   int

	chunkSums    []float64 // nc*k*d per-chunk (weighted) coordinate sums per cluster
	chunkW       []float64 // nc*k per-chunk cluster weights (sizes when unweighted)
	chunkPot     []float64 // nc per-chunk potentials (k-means++) or inertias
	chunkChanges []int     // nc per-chunk count of label changes
	far          [][]farPoint
	scratch      []hamerlyScratch // one per inner goroutine
}

// hamerlyScratch holds one chunk's rows that failed the bound test, their
// bound and their exact distance to the assigned centre.
type hamerlyScratch struct {
	idx   [chunkRows]int32
	m, u  [chunkRows]float64
	touch float64
}

func newWorker(p *problem, inner int) *worker {
	nc := numChunks(p.n)
	return &worker{
		p:            p,
		inner:        inner,
		nc:           nc,
		buf:          make([]float64, 2*p.n),
		chunkPot:     make([]float64, nc),
		chunkChanges: make([]int, nc),
		far:          make([][]farPoint, nc),
		scratch:      make([]hamerlyScratch, max(inner, 1)),
	}
}

// setK prepares the per-cluster buffers for k clusters.
func (w *worker) setK(k int) {
	w.k = k
	w.trials = nLocalTrials(k)
	if need := w.nc * k * w.p.d; cap(w.chunkSums) < need {
		w.chunkSums = make([]float64, need)
	}
	w.chunkSums = w.chunkSums[:w.nc*k*w.p.d]
	if need := w.nc * k; cap(w.chunkW) < need {
		w.chunkW = make([]float64, need)
	}
	w.chunkW = w.chunkW[:w.nc*k]
}

// trialRows returns the k-means++ candidate buffers for w.trials
// candidates, allocating them on first use (refinements never need them).
func (w *worker) trialRows() []float64 {
	if need := w.trials * w.p.n; cap(w.trialBuf) < need {
		w.trialBuf = make([]float64, need)
	}
	return w.trialBuf[:w.trials*w.p.n]
}

// labelBuf returns a reusable buffer of n labels.
func (w *worker) labelBuf() []int32 {
	if w.labels == nil {
		w.labels = make([]int32, w.p.n)
	}
	return w.labels
}

// inertiaOf returns Σ_i w_i ‖x_i − c_{labels[i]}‖², chunked and reduced in
// chunk order.
func (w *worker) inertiaOf(centers []float64, labels []int32) float64 {
	X, n, d, wt := w.p.X, w.p.n, w.p.d, w.p.w
	part := w.chunkPot[:w.nc]
	forChunks(n, w.inner, func(c, lo, hi int) {
		var s float64
		if wt == nil {
			for i := lo; i < hi; i++ {
				a := int(labels[i])
				s += sqDist(X[i*d:i*d+d], centers[a*d:a*d+d])
			}
		} else {
			for i := lo; i < hi; i++ {
				a := int(labels[i])
				s += float64(wt[i] * sqDist(X[i*d:i*d+d], centers[a*d:a*d+d]))
			}
		}
		part[c] = s
	})
	return sumInOrder(part)
}
