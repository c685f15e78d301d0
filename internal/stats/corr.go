package stats

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Corr returns the correlation matrix r of the columns cols, with method
// "pearson" or "spearman", and n[i][j], the number of rows in which both
// cols[i] and cols[j] are finite (the rows behind r[i][j]).
//
// It reproduces pandas 1.5.3's DataFrame.corr(method) with min_periods=1.
// NaN and ±Inf are missing (pandas masks with isfinite). Each pair uses its
// pairwise-complete rows: Pearson centres on the means over those rows;
// Spearman ranks each column within those rows, giving tied values the
// average rank, and correlates the ranks. r[i][j] is NaN when fewer than 2
// complete rows exist or when either column is constant over them; the
// diagonal is exactly 1 when the column has at least two distinct finite
// values and NaN otherwise. Off-diagonal values are clipped to [-1, 1]
// (pandas does not clip; it can differ from 1 by an ulp).
//
// Pairs are computed in parallel; each entry is computed by one goroutine in
// a fixed order, so results do not depend on GOMAXPROCS. cols is not
// modified. Corr returns an error for an unknown method or columns of
// unequal length.
func Corr(cols [][]float64, method string) (r [][]float64, n [][]int, err error) {
	if method != "pearson" && method != "spearman" {
		return nil, nil, fmt.Errorf("stats: Corr: unknown method %q (want \"pearson\" or \"spearman\")", method)
	}
	k := len(cols)
	rows := 0
	if k > 0 {
		rows = len(cols[0])
	}
	for i, c := range cols {
		if len(c) != rows {
			return nil, nil, fmt.Errorf("stats: Corr: column %d has %d rows, column 0 has %d", i, len(c), rows)
		}
	}
	if rows > math.MaxInt32 {
		return nil, nil, fmt.Errorf("stats: Corr: %d rows exceed the supported %d", rows, math.MaxInt32)
	}

	r = make([][]float64, k)
	n = make([][]int, k)
	for i := range r {
		r[i] = make([]float64, k)
		n[i] = make([]int, k)
	}
	cs := make([]column, k)
	parallel(workers(k), k, func(_, i int) { cs[i] = newColumn(cols[i], method == "spearman") })

	type pair struct{ i, j int }
	pairs := make([]pair, 0, k*(k-1)/2)
	for i := range k {
		n[i][i] = cs[i].count
		r[i][i] = math.NaN()
		if cs[i].distinct2 {
			r[i][i] = 1
		}
		for j := i + 1; j < k; j++ {
			pairs = append(pairs, pair{i, j})
		}
	}
	// Per-worker scratch space for re-ranking (spearman).
	nw := workers(len(pairs))
	scratch := make([][2][]float64, nw)
	parallel(nw, len(pairs), func(w, p int) {
		i, j := pairs[p].i, pairs[p].j
		var v float64
		var m int
		if method == "pearson" {
			v, m = pearsonPair(&cs[i], &cs[j])
		} else {
			v, m = spearmanPair(&cs[i], &cs[j], &scratch[w])
		}
		r[i][j], r[j][i] = v, v
		n[i][j], n[j][i] = m, m
	})
	return r, n, nil
}

// column caches what Corr needs about one input column.
type column struct {
	x         []float64    // the input, not modified
	count     int          // finite values
	complete  bool         // every value finite
	distinct2 bool         // at least two distinct finite values
	mean      float64      // mean of the values (complete columns only)
	sorted    sortedFinite // finite values sorted, with their rows (spearman)
	finite    bitset       // finite rows; nil when complete (spearman)
	ranks     []float64    // average ranks over the finite rows, NaN elsewhere (spearman)
}

func newColumn(x []float64, ranked bool) column {
	c := column{x: x}
	var sum float64
	first, seen := 0.0, false
	for _, v := range x {
		if !isFinite(v) {
			continue
		}
		c.count++
		sum += v
		if !seen {
			first, seen = v, true
		} else if v != first {
			c.distinct2 = true
		}
	}
	c.complete = c.count == len(x)
	if c.complete && c.count > 0 {
		c.mean = correctedMean(x, sum/float64(c.count))
	}
	if ranked {
		c.sorted = sortFinite(x)
		if !c.complete {
			c.finite = newBitset(len(x))
			for i, v := range x {
				if isFinite(v) {
					c.finite.set(i)
				}
			}
		}
		c.ranks = make([]float64, len(x))
		rankInto(c.ranks, c.sorted, nil)
	}
	return c
}

// correctedMean refines a mean m of x by the mean residual, the correction
// step of the two-pass algorithm.
func correctedMean(x []float64, m float64) float64 {
	var s float64
	for _, v := range x {
		s += v - m
	}
	return m + s/float64(len(x))
}

func isFinite(v float64) bool { return v-v == 0 }

// pearsonPair returns the Pearson correlation of two columns over their
// pairwise-complete rows and the number of those rows.
func pearsonPair(a, b *column) (float64, int) {
	x, y := a.x, b.x
	if a.complete && b.complete {
		if !a.distinct2 || !b.distinct2 || len(x) < 2 {
			return math.NaN(), len(x)
		}
		sxx, syy, sxy := centredSums(x, y, a.mean, b.mean)
		return finishPearson(sxx, syy, sxy), len(x)
	}
	// Pass 1: complete rows, their sums, and whether either side is constant.
	var m int
	var sx, sy, fx, fy float64
	varyX, varyY := false, false
	for i, vx := range x {
		vy := y[i]
		if !isFinite(vx) || !isFinite(vy) {
			continue
		}
		if m == 0 {
			fx, fy = vx, vy
		} else {
			varyX = varyX || vx != fx
			varyY = varyY || vy != fy
		}
		m++
		sx += vx
		sy += vy
	}
	if m < 2 || !varyX || !varyY {
		return math.NaN(), m
	}
	mx, my := sx/float64(m), sy/float64(m)
	// Pass 2: centred sums with the two-pass mean correction.
	var cx, cy, sxx, syy, sxy float64
	for i, vx := range x {
		vy := y[i]
		if !isFinite(vx) || !isFinite(vy) {
			continue
		}
		dx, dy := vx-mx, vy-my
		cx += dx
		cy += dy
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	fm := float64(m)
	sxx -= cx * cx / fm
	syy -= cy * cy / fm
	sxy -= cx * cy / fm
	return finishPearson(sxx, syy, sxy), m
}

// centredSums returns Σ(x-mx)², Σ(y-my)² and Σ(x-mx)(y-my) with four
// independent accumulators per sum (a fixed order, so deterministic).
func centredSums(x, y []float64, mx, my float64) (sxx, syy, sxy float64) {
	var xx, yy, xy [4]float64
	n := len(x)
	y = y[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		for u := range 4 {
			dx, dy := x[i+u]-mx, y[i+u]-my
			xx[u] += dx * dx
			yy[u] += dy * dy
			xy[u] += dx * dy
		}
	}
	for ; i < n; i++ {
		dx, dy := x[i]-mx, y[i]-my
		xx[0] += dx * dx
		yy[0] += dy * dy
		xy[0] += dx * dy
	}
	sxx = (xx[0] + xx[1]) + (xx[2] + xx[3])
	syy = (yy[0] + yy[1]) + (yy[2] + yy[3])
	sxy = (xy[0] + xy[1]) + (xy[2] + xy[3])
	return sxx, syy, sxy
}

func finishPearson(sxx, syy, sxy float64) float64 {
	if !(sxx > 0) || !(syy > 0) {
		return math.NaN()
	}
	return clip(sxy / (math.Sqrt(sxx) * math.Sqrt(syy)))
}

func clip(v float64) float64 {
	switch {
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}

// spearmanPair returns the Spearman correlation of two columns over their
// pairwise-complete rows and the number of those rows, as pandas'
// nancorr_spearman computes it: Pearson on average ranks within the
// complete rows, centred on the exact rank mean (m+1)/2, summed in row
// order.
func spearmanPair(a, b *column, scratch *[2][]float64) (float64, int) {
	x, y := a.x, b.x
	if a.complete && b.complete {
		if len(x) < 2 {
			return math.NaN(), len(x)
		}
		mean := float64(len(x)+1) / 2
		sxx, syy, sxy := centredSums(a.ranks, b.ranks, mean, mean)
		return finishPearson(sxx, syy, sxy), len(x)
	}
	// A column's own ranks are its ranks within the complete rows unless
	// the other column is missing somewhere this one is not; then it is
	// re-ranked within the complete rows.
	m := 0
	rerankX, rerankY := false, false
	for i, vx := range x {
		fx, fy := isFinite(vx), isFinite(y[i])
		switch {
		case fx && fy:
			m++
		case fx:
			rerankX = true
		case fy:
			rerankY = true
		}
	}
	if m < 2 {
		return math.NaN(), m
	}
	rx, ry := a.ranks, b.ranks
	if rerankX {
		if scratch[0] == nil {
			scratch[0] = make([]float64, len(x))
		}
		rx = scratch[0]
		rankInto(rx, a.sorted, b.finite)
	}
	if rerankY {
		if scratch[1] == nil {
			scratch[1] = make([]float64, len(x))
		}
		ry = scratch[1]
		rankInto(ry, b.sorted, a.finite)
	}
	mean := float64(m+1) / 2
	var sxx, syy, sxy float64
	for i, vx := range rx {
		vy := ry[i]
		if math.IsNaN(vx) || math.IsNaN(vy) {
			continue
		}
		dx, dy := vx-mean, vy-mean
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	return finishPearson(sxx, syy, sxy), m
}

// workers is the number of goroutines parallel uses for n tasks.
func workers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }

// parallel calls f(w, 0) … f(w, n-1) on nw goroutines, w (0 ≤ w < nw)
// being the worker's number. Each call must write only its own outputs
// (and worker w's scratch space), so results do not depend on scheduling.
func parallel(nw, n int, f func(w, i int)) {
	if nw <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(w, i)
			}
		}()
	}
	wg.Wait()
}
