package pushdown

import "math"

// Moments are the count, mean and sum of squared deviations from the mean
// (M2) of a column's non-NULL values: what PostgreSQL's regr_count,
// regr_avgx and regr_sxx give for regr_*(x, x) (its Youngs–Cramer
// accumulation). Moments of two parts combine exactly as the moments of
// their union would be computed in one pass up to rounding (Add).
type Moments struct {
	N    int64
	Mean float64
	M2   float64
}

// Add combines the moments of two disjoint sets of rows (Chan, Golub and
// LeVeque's pairwise update).
func (a Moments) Add(b Moments) Moments {
	switch {
	case b.N == 0:
		return a
	case a.N == 0:
		return b
	}
	n := a.N + b.N
	na, nb, nn := float64(a.N), float64(b.N), float64(n)
	delta := b.Mean - a.Mean
	return Moments{N: n, Mean: a.Mean + delta*nb/nn, M2: a.M2 + b.M2 + delta*delta*na*nb/nn}
}

// Mean is the mean (NaN without values).
func (m Moments) MeanOrNaN() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return m.Mean
}

// Std is the sample standard deviation (ddof 1, pandas' std): NaN with
// fewer than two values.
func (m Moments) Std() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	return math.Sqrt(math.Max(m.M2, 0) / float64(m.N-1))
}

// CoMoments are the co-moments of two columns over the rows where both
// are non-NULL (pairwise complete): the count, both means and the sums of
// squared and crossed deviations, as regr_count, regr_avgx, regr_avgy,
// regr_sxx, regr_syy and regr_sxy give them.
type CoMoments struct {
	N             int64
	MeanX, MeanY  float64
	Sxx, Syy, Sxy float64
}

// Add combines the co-moments of two disjoint sets of rows.
func (a CoMoments) Add(b CoMoments) CoMoments {
	switch {
	case b.N == 0:
		return a
	case a.N == 0:
		return b
	}
	n := a.N + b.N
	na, nb, nn := float64(a.N), float64(b.N), float64(n)
	dx, dy := b.MeanX-a.MeanX, b.MeanY-a.MeanY
	f := na * nb / nn
	return CoMoments{
		N:     n,
		MeanX: a.MeanX + dx*nb/nn, MeanY: a.MeanY + dy*nb/nn,
		Sxx: a.Sxx + b.Sxx + dx*dx*f,
		Syy: a.Syy + b.Syy + dy*dy*f,
		Sxy: a.Sxy + b.Sxy + dx*dy*f,
	}
}

// Corr is Pearson's r, Sxy / sqrt(Sxx·Syy) as PostgreSQL's corr computes
// it: NaN with fewer than two rows or when either column is constant on
// them (pandas gives NaN there too).
func (c CoMoments) Corr() float64 {
	if c.N < 2 || !(c.Sxx > 0) || !(c.Syy > 0) {
		return math.NaN()
	}
	r := c.Sxy / math.Sqrt(c.Sxx*c.Syy)
	return math.Max(-1, math.Min(1, r))
}
