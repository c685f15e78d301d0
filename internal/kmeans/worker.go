package kmeans

import "math"

// problem is the read-only state shared by all restarts of one fit.
type problem struct {
	X       []float64 // n*d row-major, never written
	n, d, k int
	maxIter int
	tolAbs  float64 // Tol × mean per-feature variance (sklearn _tolerance)
}

// nLocalTrials is sklearn's default number of k-means++ candidates per
// centre: 2 + int(ln k).
func nLocalTrials(k int) int { return 2 + int(math.Log(float64(k))) }

// worker owns the reusable buffers of one goroutine running restarts one
// after another. Per-chunk slots are written by forChunks callbacks and
// reduced in chunk order, so inner parallelism never changes the result.
type worker struct {
	p     *problem
	inner int // goroutines for chunk loops inside one restart
	nc    int // number of chunks

	// buf holds 2n floats: k-means++ keeps the closest squared distances in
	// the first n; Lloyd uses them as Hamerly's upper bounds (distance to
	// the assigned centre) and the second n as lower bounds (distance to
	// any other centre).
	buf      []float64
	trialBuf []float64 // trials*n: min(D², distance²) per k-means++ candidate
	trials   int

	chunkSums    []float64 // nc*k*d per-chunk coordinate sums per cluster
	chunkCounts  []int     // nc*k per-chunk cluster sizes
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
	trials := nLocalTrials(p.k)
	return &worker{
		p:            p,
		inner:        inner,
		nc:           nc,
		buf:          make([]float64, 2*p.n),
		trialBuf:     make([]float64, trials*p.n),
		trials:       trials,
		chunkSums:    make([]float64, nc*p.k*p.d),
		chunkCounts:  make([]int, nc*p.k),
		chunkPot:     make([]float64, nc),
		chunkChanges: make([]int, nc),
		far:          make([][]farPoint, nc),
		scratch:      make([]hamerlyScratch, max(inner, 1)),
	}
}

// inertiaOf returns Σ_i ‖x_i − c_{labels[i]}‖², chunked and reduced in chunk
// order.
func (w *worker) inertiaOf(centers []float64, labels []int32) float64 {
	X, n, d := w.p.X, w.p.n, w.p.d
	part := w.chunkPot[:w.nc]
	forChunks(n, w.inner, func(c, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			a := int(labels[i])
			s += sqDist(X[i*d:i*d+d], centers[a*d:a*d+d])
		}
		part[c] = s
	})
	var tot float64
	for _, v := range part {
		tot += v
	}
	return tot
}
