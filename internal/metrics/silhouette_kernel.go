package metrics

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// silhouette computes the mean silhouette of validated input.
//
// Rows are first copied grouped by cluster and cut into blocks of
// silhouetteBlock rows. Every unordered pair of blocks (a tile) is visited
// once: its distances are computed into a small buffer and added both to the
// per-row, per-cluster sums of its row block and to those of its column
// block, so each distance is computed once. For parallelism the tiles are
// scheduled in rounds (a round-robin tournament over the blocks), each round
// touching every block at most once; tiles of a round run concurrently
// without conflicts and every sum receives its terms in the same order
// whatever the number of workers, so the result is deterministic.
func silhouette(X []float64, n, d int, labels []int32, sizes []int) float64 {
	k := len(sizes)
	pos := make([]int, k)
	for c := 1; c < k; c++ {
		pos[c] = pos[c-1] + sizes[c-1]
	}
	perm := make([]int32, n)    // original index of each grouped row
	cluster := make([]int32, n) // cluster of each grouped row
	for i, l := range labels {
		perm[pos[l]] = int32(i)
		cluster[pos[l]] = l
		pos[l]++
	}

	t := &tiler{n: n, d: d, k: k, X: X, perm: perm, cluster: cluster, sums: make([]float64, n*k)}
	nb := (n + silhouetteBlock - 1) / silhouetteBlock
	workers := min(runtime.GOMAXPROCS(0), max(nb/2, 1))
	bufs := make([]tileBuffers, workers)
	for w := range bufs {
		bufs[w] = tileBuffers{
			dist: make([]float64, (silhouetteBlock+4)*silhouetteBlock),
			col:  make([]float64, silhouetteBlock),
			xa:   make([]float64, silhouetteBlock*d),
			xb:   make([]float64, silhouetteBlock*d),
		}
	}

	// Round 0: the diagonal tiles. Then the round-robin "circle method" over
	// m = nb rounded up to even blocks: block m−1 is fixed, the others
	// rotate; pairs with the phantom block nb (odd nb) are skipped.
	diag := make([][2]int, nb)
	for b := range diag {
		diag[b] = [2]int{b, b}
	}
	t.round(diag, bufs)
	m := nb + nb%2
	pairs := make([][2]int, 0, m/2)
	for r := 0; r < m-1; r++ {
		pairs = pairs[:0]
		add := func(a, b int) {
			if a < nb && b < nb {
				pairs = append(pairs, [2]int{min(a, b), max(a, b)})
			}
		}
		add(r, m-1)
		for i := 1; i < m/2; i++ {
			add((r+i)%(m-1), (r-i+m-1)%(m-1))
		}
		t.round(pairs, bufs)
	}

	var total float64
	for p := 0; p < n; p++ {
		total += silhouetteOf(t.sums[p*k:p*k+k], sizes, int(cluster[p]))
	}
	return total / float64(n)
}

// tiler holds the data, its grouping by cluster and the per-row,
// per-cluster distance sums, all indexed by grouped position.
type tiler struct {
	n, d, k int
	X       []float64
	perm    []int32   // perm[p]: row of X at grouped position p
	cluster []int32   // cluster[p]: cluster of grouped position p
	sums    []float64 // n×k: sums[p*k+c] = Σ distances from p to cluster c
}

// gather copies the rows of X at grouped positions [lo, hi) into dst.
func (t *tiler) gather(dst []float64, lo, hi int) []float64 {
	d := t.d
	dst = dst[:(hi-lo)*d]
	for p := lo; p < hi; p++ {
		i := int(t.perm[p])
		copy(dst[(p-lo)*d:(p-lo)*d+d], t.X[i*d:i*d+d])
	}
	return dst
}

// tileBuffers is one worker's scratch space.
type tileBuffers struct {
	dist   []float64 // distance tile, row-major with stride silhouetteBlock
	col    []float64 // column partial sums
	xa, xb []float64 // the rows of the two blocks
}

// round processes tiles that touch pairwise different blocks, in parallel.
func (t *tiler) round(tiles [][2]int, bufs []tileBuffers) {
	workers := min(len(bufs), len(tiles))
	if workers <= 1 {
		for _, tl := range tiles {
			t.tile(tl[0], tl[1], bufs[0])
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(buf tileBuffers) {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tiles) {
					return
				}
				t.tile(tiles[i][0], tiles[i][1], buf)
			}
		}(bufs[w])
	}
	wg.Wait()
}

// tile adds the distances between row blocks a ≤ b to the sums of both
// blocks (only once when a = b).
func (t *tiler) tile(a, b int, buf tileBuffers) {
	const B = silhouetteBlock
	d, k := t.d, t.k
	i0, i1 := a*B, min((a+1)*B, t.n)
	j0, j1 := b*B, min((b+1)*B, t.n)
	ni, nj := i1-i0, j1-j0
	dist := buf.dist

	// Distances, four rows of block a at a time. A short last group repeats
	// its last row and writes into the spare rows of the buffer.
	xa := t.gather(buf.xa, i0, i1)
	ys := xa
	if a != b {
		ys = t.gather(buf.xb, j0, j1)
	}
	for r := 0; r < ni; r += 4 {
		row := func(q int) []float64 {
			p := min(r+q, ni-1)
			return xa[p*d : p*d+d]
		}
		x0, x1, x2, x3 := row(0), row(1), row(2), row(3)
		out0 := dist[r*B : r*B+nj]
		out1 := dist[(r+1)*B : (r+1)*B+nj]
		out2 := dist[(r+2)*B : (r+2)*B+nj]
		out3 := dist[(r+3)*B : (r+3)*B+nj]
		for j := range out0 {
			y := ys[j*d : j*d+d]
			x0, x1, x2, x3 := x0[:len(y)], x1[:len(y)], x2[:len(y)], x3[:len(y)]
			var s0, s1, s2, s3 float64
			for q, v := range y {
				e0 := x0[q] - v
				e1 := x1[q] - v
				e2 := x2[q] - v
				e3 := x3[q] - v
				s0 += float64(e0 * e0)
				s1 += float64(e1 * e1)
				s2 += float64(e2 * e2)
				s3 += float64(e3 * e3)
			}
			out0[j] = math.Sqrt(s0)
			out1[j] = math.Sqrt(s1)
			out2[j] = math.Sqrt(s2)
			out3[j] = math.Sqrt(s3)
		}
	}

	// Row sums: each row of block a, over the cluster runs of block b.
	cb := t.cluster[j0:j1]
	for r := 0; r < ni; r++ {
		sums := t.sums[(i0+r)*k : (i0+r)*k+k]
		drow := dist[r*B : r*B+nj]
		for lo := 0; lo < nj; {
			c := cb[lo]
			hi := lo + 1
			for hi < nj && cb[hi] == c {
				hi++
			}
			var acc float64
			for _, v := range drow[lo:hi] {
				acc += v
			}
			sums[c] += acc
			lo = hi
		}
	}
	if a == b {
		return
	}

	// Column sums: each row of block b, over the cluster runs of block a.
	ca := t.cluster[i0:i1]
	col := buf.col[:nj]
	clear(col)
	flush := func(c int32) {
		for j, v := range col {
			t.sums[(j0+j)*k+int(c)] += v
		}
		clear(col)
	}
	for r := 0; r < ni; r++ {
		if r > 0 && ca[r] != ca[r-1] {
			flush(ca[r-1])
		}
		drow := dist[r*B : r*B+nj]
		for j, v := range drow {
			col[j] += v
		}
	}
	flush(ca[ni-1])
}

// silhouetteOf returns s(i) for a row of cluster own whose distance sums to
// each cluster are sums.
func silhouetteOf(sums []float64, sizes []int, own int) float64 {
	if sizes[own] <= 1 {
		return 0
	}
	a := sums[own] / float64(sizes[own]-1)
	b := math.Inf(1)
	for c, s := range sizes {
		if c != own && s > 0 {
			b = min(b, sums[c]/float64(s))
		}
	}
	m := max(a, b)
	if m == 0 {
		return 0
	}
	return (b - a) / m
}
