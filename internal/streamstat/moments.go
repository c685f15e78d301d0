package streamstat

import "math"

// Moments summarises the non-missing (non-NaN) values seen: their count,
// mean, sum of squared deviations from the mean (M2), minimum and maximum.
// The zero value is empty and ready to use.
//
// The mean is held as Shift + Dev, where Shift is a value of the data (the
// first value of the first batch) and Dev the mean's small offset from it:
// batch means and their differences are then exact to the data's spread,
// not to its magnitude, so a column like 1e8 + noise of σ = 3 keeps its
// standard deviation to about 1e-15 relative (a plain merge of batch
// means loses 1e-10 there).
type Moments struct {
	N          int64
	Shift, Dev float64
	M2         float64
	Min, Max   float64
	// Inf counts the infinite values; they are ordinary values, as in
	// pandas, and make the mean infinite (or NaN for both signs) and M2
	// NaN.
	Inf int64
}

// Mean is the mean (NaN without values).
func (m Moments) Mean() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	if m.Inf > 0 {
		return m.Dev // the mean of a column with infinities (see Merge)
	}
	return m.Shift + m.Dev
}

// Add adds the values of x (NaN skipped) as one batch: a two-pass mean and
// M2 of the batch around its first value, merged into m.
func (m *Moments) Add(x []float64) {
	var b Moments
	var sum float64
	start := 0
	for start < len(x) && x[start] != x[start] {
		start++
	}
	if start == len(x) {
		return
	}
	b.Min, b.Max, b.Shift = x[start], x[start], x[start]
	for _, v := range x[start:] {
		if v != v {
			continue
		}
		b.Min, b.Max = min(b.Min, v), max(b.Max, v)
		b.N++
		if math.IsInf(v, 0) {
			b.Inf++
		}
		sum += v - b.Shift
	}
	if b.Inf > 0 {
		var s float64
		for _, v := range x {
			if v == v {
				s += v
			}
		}
		b.Dev, b.M2 = s/float64(b.N), math.NaN()
		m.Merge(b)
		return
	}
	fn := float64(b.N)
	b.Dev = sum / fn
	var corr, ss float64
	for _, v := range x[start:] {
		if v != v {
			continue
		}
		t := (v - b.Shift) - b.Dev
		corr += t
		ss += float64(t * t)
	}
	b.M2 = max(0, ss-corr*corr/fn)
	b.Dev += corr / fn
	m.Merge(b)
}

// AddValue adds one value (NaN skipped). Batches are more exact and faster:
// prefer Add.
func (m *Moments) AddValue(v float64) {
	if v != v {
		return
	}
	b := Moments{N: 1, Shift: v, Min: v, Max: v}
	if math.IsInf(v, 0) {
		b.Inf, b.Dev, b.M2 = 1, v, math.NaN()
	}
	m.Merge(b)
}

// Merge adds the values summarised by o (Chan et al.'s update, on the
// shifted means).
func (m *Moments) Merge(o Moments) {
	if o.N == 0 {
		return
	}
	if m.N == 0 {
		*m = o
		return
	}
	na, nb := float64(m.N), float64(o.N)
	nn := na + nb
	switch {
	case m.Inf > 0 || o.Inf > 0:
		m.Dev = m.Mean()*(na/nn) + o.Mean()*(nb/nn) // ±Inf or NaN, as a sum would give
		m.M2 = math.NaN()
	default:
		delta := (o.Shift - m.Shift) + (o.Dev - m.Dev)
		m.Dev += delta * (nb / nn)
		m.M2 += o.M2 + float64(delta*delta)*(na*nb/nn)
	}
	m.N += o.N
	m.Inf += o.Inf
	m.Min, m.Max = min(m.Min, o.Min), max(m.Max, o.Max)
}

// Var is the variance with ddof delta degrees of freedom (1 as pandas'
// std, 0 as numpy's and scikit-learn's StandardScaler); NaN when N ≤ ddof.
func (m Moments) Var(ddof int) float64 {
	if m.N <= int64(ddof) {
		return math.NaN()
	}
	return m.M2 / float64(m.N-int64(ddof))
}

// Std is the standard deviation with ddof degrees of freedom.
func (m Moments) Std(ddof int) float64 { return math.Sqrt(m.Var(ddof)) }

// Extremes returns the minimum and maximum, NaN without values.
func (m Moments) Extremes() (lo, hi float64) {
	if m.N == 0 {
		return math.NaN(), math.NaN()
	}
	return m.Min, m.Max
}
