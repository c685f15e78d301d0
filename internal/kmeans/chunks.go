package kmeans

import (
	"math"
	"sync"
	"sync/atomic"
)

// chunkRows is the fixed number of rows per reduction chunk. Every sum over
// rows is formed as a sequential sum inside each chunk, then the chunk
// partials are added in chunk order. Because the chunk boundaries depend only
// on n (never on GOMAXPROCS or Options.Workers), results are bit-identical
// however many goroutines execute the chunks.
const chunkRows = 256

var inf = math.Inf(1)

// numChunks returns the number of chunks covering n rows.
func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

// chunkBounds returns the row range [lo, hi) of chunk c.
func chunkBounds(c, n int) (lo, hi int) {
	lo = c * chunkRows
	hi = min(lo+chunkRows, n)
	return lo, hi
}

// forChunks calls fn(c, lo, hi) for every chunk of n rows, using up to
// workers goroutines. fn must only write chunk-local state; callers reduce
// the per-chunk results in chunk order afterwards.
func forChunks(n, workers int, fn func(c, lo, hi int)) {
	forChunksG(n, workers, func(_, c, lo, hi int) { fn(c, lo, hi) })
}

// forChunksG is forChunks that also passes the index g < workers of the
// goroutine running the chunk, for per-goroutine scratch space.
func forChunksG(n, workers int, fn func(g, c, lo, hi int)) {
	nc := numChunks(n)
	if workers <= 1 || nc <= 1 {
		for c := 0; c < nc; c++ {
			lo, hi := chunkBounds(c, n)
			fn(0, c, lo, hi)
		}
		return
	}
	workers = min(workers, nc)
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for g := 0; g < workers; g++ {
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= nc {
					return
				}
				lo, hi := chunkBounds(c, n)
				fn(g, c, lo, hi)
			}
		}()
	}
	wg.Wait()
}

// columnVarianceMean returns the mean over features of the population
// variance of each column of X (numpy's np.mean(np.var(X, axis=0))), computed
// with two chunked passes so that it is deterministic.
func columnVarianceMean(X []float64, n, d, workers int) float64 {
	nc := numChunks(n)
	part := make([]float64, nc*d)
	forChunks(n, workers, func(c, lo, hi int) {
		p := part[c*d : c*d+d]
		for i := lo; i < hi; i++ {
			for j, v := range X[i*d : i*d+d] {
				p[j] += v
			}
		}
	})
	mean := reduceChunks(part, nc, d)
	for j := range mean {
		mean[j] /= float64(n)
	}
	clear(part)
	forChunks(n, workers, func(c, lo, hi int) {
		p := part[c*d : c*d+d]
		for i := lo; i < hi; i++ {
			for j, v := range X[i*d : i*d+d] {
				t := v - mean[j]
				p[j] += float64(t * t)
			}
		}
	})
	vars := reduceChunks(part, nc, d)
	var s float64
	for _, v := range vars {
		s += v / float64(n)
	}
	return s / float64(d)
}

// reduceChunks sums nc consecutive blocks of width w in chunk order.
func reduceChunks(part []float64, nc, w int) []float64 {
	out := make([]float64, w)
	for c := 0; c < nc; c++ {
		for j, v := range part[c*w : c*w+w] {
			out[j] += v
		}
	}
	return out
}
