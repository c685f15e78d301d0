package streamstat

import "math"

// Pearson accumulates, for every pair of m columns, the co-moments of the
// rows where both values are finite (NaN and ±Inf are missing, as pandas'
// DataFrame.corr() masks them): the pairwise-complete Pearson correlation
// of pandas, batch by batch. The zero value is not usable: NewPearson.
type Pearson struct {
	m     int
	pairs []coMoment // upper triangle: pair (i, j), i < j, at index(i, j)
	// scratch
	dev   [][]float64
	fin   []bool
	means []float64
	m2    []float64 // a complete column's sum of squared deviations
	vary  []bool    // whether a complete column has a value other than its first
}

// coMoment is the pairwise-complete summary of one pair: n rows, their
// means, sums of squared deviations and of cross products; first values
// and whether either side varies, to tell a constant column exactly.
type coMoment struct {
	n            int64
	mx, my       float64 // the means' offsets from fx and fy
	m2x, m2y, c  float64
	fx, fy       float64 // the first row's values: shifts, and tests of constancy
	varyX, varyY bool
}

// NewPearson accumulates the pairs of m columns.
func NewPearson(m int) *Pearson {
	return &Pearson{m: m, pairs: make([]coMoment, m*(m-1)/2)}
}

// Columns is the number of columns.
func (p *Pearson) Columns() int { return p.m }

func (p *Pearson) index(i, j int) int {
	if i > j {
		i, j = j, i
	}
	// rows 0..i-1 hold m-1, m-2, … pairs
	return i*(2*p.m-i-1)/2 + (j - i - 1)
}

// Add adds one batch: cols[j] holds column j's values (all of equal
// length).
func (p *Pearson) Add(cols [][]float64) {
	m := p.m
	if len(cols) != m || m < 2 {
		return
	}
	n := len(cols[0])
	if n == 0 {
		return
	}
	if cap(p.dev) < m {
		p.dev = make([][]float64, m)
		p.fin = make([]bool, m)
		p.means = make([]float64, m)
		p.m2 = make([]float64, m)
		p.vary = make([]bool, m)
	}
	// Columns whose every value in the batch is finite share one mean and
	// one set of deviations for all their pairs.
	for j, x := range cols {
		complete := true
		var sum float64
		k := x[0]
		for _, v := range x {
			if v-v != 0 {
				complete = false
				break
			}
			sum += v - k
		}
		p.fin[j] = complete
		if !complete {
			continue
		}
		mean := sum / float64(n)
		var corr float64
		for _, v := range x {
			corr += (v - k) - mean
		}
		mean += corr / float64(n)
		p.means[j] = mean // offset from x[0]
		if cap(p.dev[j]) < n {
			p.dev[j] = make([]float64, n)
		}
		d := p.dev[j][:n]
		var m2 float64
		vary := false
		for i, v := range x {
			e := (v - k) - mean
			d[i] = e
			m2 += float64(e * e)
			vary = vary || v != k
		}
		p.dev[j], p.m2[j], p.vary[j] = d, m2, vary
	}
	for i := range m {
		for j := i + 1; j < m; j++ {
			var b coMoment
			if p.fin[i] && p.fin[j] {
				b = p.complete(cols[i], cols[j], i, j)
			} else {
				b = partial(cols[i], cols[j])
			}
			p.pairs[p.index(i, j)].merge(b)
		}
	}
}

// complete summarises the pair of columns i and j, both complete, over
// all n rows of the batch: the columns' own sums of squares and constancy
// were found once per column (the same sums, in the same order, as a
// pair would find), so a pair only sums its cross products.
func (p *Pearson) complete(x, y []float64, i, j int) coMoment {
	dx, dy := p.dev[i], p.dev[j][:len(p.dev[i])]
	b := coMoment{n: int64(len(x)), mx: p.means[i], my: p.means[j], fx: x[0], fy: y[0],
		m2x: p.m2[i], m2y: p.m2[j], varyX: p.vary[i], varyY: p.vary[j]}
	var c float64
	for r, v := range dx {
		c += float64(v * dy[r])
	}
	b.c = c
	return b
}

// partial summarises a pair over the batch rows where both are finite,
// with the two-pass mean correction, around the first such row.
func partial(x, y []float64) coMoment {
	var b coMoment
	var sx, sy float64
	for i, vx := range x {
		vy := y[i]
		if vx-vx != 0 || vy-vy != 0 {
			continue
		}
		if b.n == 0 {
			b.fx, b.fy = vx, vy
		} else {
			b.varyX = b.varyX || vx != b.fx
			b.varyY = b.varyY || vy != b.fy
		}
		b.n++
		sx += vx - b.fx
		sy += vy - b.fy
	}
	if b.n == 0 {
		return b
	}
	fn := float64(b.n)
	b.mx, b.my = sx/fn, sy/fn
	var cx, cy float64
	for i, vx := range x {
		vy := y[i]
		if vx-vx != 0 || vy-vy != 0 {
			continue
		}
		dx, dy := (vx-b.fx)-b.mx, (vy-b.fy)-b.my
		cx += dx
		cy += dy
		b.m2x += float64(dx * dx)
		b.m2y += float64(dy * dy)
		b.c += float64(dx * dy)
	}
	b.m2x -= cx * cx / fn
	b.m2y -= cy * cy / fn
	b.c -= cx * cy / fn
	b.mx += cx / fn
	b.my += cy / fn
	return b
}

// merge adds o to a (Chan et al.'s update for co-moments).
func (a *coMoment) merge(o coMoment) {
	if o.n == 0 {
		return
	}
	if a.n == 0 {
		*a = o
		return
	}
	na, nb := float64(a.n), float64(o.n)
	nn := na + nb
	dx := (o.fx - a.fx) + (o.mx - a.mx)
	dy := (o.fy - a.fy) + (o.my - a.my)
	f := na * nb / nn
	a.m2x += o.m2x + float64(dx*dx)*f
	a.m2y += o.m2y + float64(dy*dy)*f
	a.c += o.c + float64(dx*dy)*f
	a.mx += dx * (nb / nn)
	a.my += dy * (nb / nn)
	a.varyX = a.varyX || o.varyX || o.fx != a.fx
	a.varyY = a.varyY || o.varyY || o.fy != a.fy
	a.n += o.n
}

// Merge adds the batches o accumulated (o must have as many columns).
func (p *Pearson) Merge(o *Pearson) {
	for k := range p.pairs {
		p.pairs[k].merge(o.pairs[k])
	}
}

// R returns the correlation of columns i and j (i ≠ j) over their
// pairwise-complete rows, and the number of those rows: NaN when fewer
// than 2, or when either column is constant over them; clipped to
// [-1, 1].
func (p *Pearson) R(i, j int) (float64, int64) {
	c := p.pairs[p.index(i, j)]
	if c.n < 2 || !c.varyX || !c.varyY || !(c.m2x > 0) || !(c.m2y > 0) {
		return math.NaN(), c.n
	}
	r := c.c / (math.Sqrt(c.m2x) * math.Sqrt(c.m2y))
	return max(-1, min(1, r)), c.n
}

// Means returns the means of columns i and j over their pairwise-complete
// rows (NaN without rows): the first is column i's.
func (p *Pearson) Means(i, j int) (float64, float64) {
	c := p.pairs[p.index(i, j)]
	if c.n == 0 {
		return math.NaN(), math.NaN()
	}
	mx, my := c.fx+c.mx, c.fy+c.my
	if i > j {
		return my, mx
	}
	return mx, my
}

// Cov returns the covariance of columns i and j with ddof degrees of
// freedom over their pairwise-complete rows.
func (p *Pearson) Cov(i, j, ddof int) float64 {
	c := p.pairs[p.index(i, j)]
	if c.n <= int64(ddof) {
		return math.NaN()
	}
	return c.c / float64(c.n-int64(ddof))
}
