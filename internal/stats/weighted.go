package stats

import (
	"cmp"
	"math"
	"slices"
)

// Frequency weights. With sample weights w (finite, ≥ 0) each row counts
// w_i times, as if it were repeated w_i times (integer weights give exactly
// the statistics of the repeated rows, up to rounding):
//
//	W       = Σ w_i over the non-missing values
//	mean    = Σ w_i x_i / W
//	std     = sqrt(Σ w_i (x_i − mean)² / (W − 1))    (ddof 1, as pandas; NaN when W ≤ 1)
//	q-quantile: numpy's linear quantile of the repeated rows — the value at
//	        virtual position h = (W − 1)·q in the sorted order, where sorted
//	        value x_(r) occupies positions [C_(r−1), C_r) (C the cumulative
//	        weights), interpolated linearly towards the next value when h
//	        lies within the last unit of that interval
//	min/max over the values with w > 0
//
// Rows of weight 0 are ignored. pandas has no weighted describe; these are
// the definitions of R's Hmisc wtd.mean/wtd.var (normwt = FALSE) and, for
// the quantiles, of the repeated table.

// DescribeWeighted returns the descriptive statistics of x (NaN = missing)
// with frequency weights w (len(x), finite, ≥ 0). Count and Missing count
// rows with a positive weight; Distinct counts their distinct values. x and
// w are not modified.
func DescribeWeighted(x, w []float64) Numeric {
	type vw struct{ v, w float64 }
	vals := make([]vw, 0, len(x))
	missing := 0
	for i, v := range x {
		if !(w[i] > 0) {
			continue
		}
		if math.IsNaN(v) {
			missing++
			continue
		}
		vals = append(vals, vw{v, w[i]})
	}
	nan := math.NaN()
	d := Numeric{Count: len(vals), Missing: missing, Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}
	if len(vals) == 0 {
		return d
	}
	var W, sum float64
	for _, p := range vals {
		W += p.w
		sum += float64(p.w * p.v)
	}
	d.Mean = sum / W
	if W > 1 {
		var ss float64
		for _, p := range vals {
			t := p.v - d.Mean
			ss += float64(p.w * float64(t*t))
		}
		d.Std = math.Sqrt(ss / (W - 1))
	}
	slices.SortStableFunc(vals, func(a, b vw) int { return cmp.Compare(a.v, b.v) })
	xs := make([]float64, len(vals))
	ws := make([]float64, len(vals))
	for i, p := range vals {
		xs[i], ws[i] = p.v, p.w
	}
	d.Min, d.Max = xs[0], xs[len(xs)-1]
	d.Q25 = WeightedQuantile(xs, ws, 0.25)
	d.Q50 = WeightedQuantile(xs, ws, 0.5)
	d.Q75 = WeightedQuantile(xs, ws, 0.75)
	d.Distinct = 1
	for i := 1; i < len(xs); i++ {
		if xs[i] != xs[i-1] {
			d.Distinct++
		}
	}
	return d
}

// WeightedQuantile returns the q-quantile of the sorted values x (no NaN)
// with frequency weights w (> 0, aligned with x): numpy's linear quantile
// of the table in which x_r is repeated w_r times, for any positive
// weights (see the package's frequency-weight definitions). With all
// weights 1 it equals Quantile. NaN for no values or q outside [0, 1].
func WeightedQuantile(x, w []float64, q float64) float64 {
	n := len(x)
	if n == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	var W float64
	for _, v := range w {
		W += v
	}
	h := (W - 1) * q
	if h <= 0 {
		return x[0]
	}
	// r: the value occupying position h, i.e. C_(r−1) ≤ h < C_r.
	var c float64
	for r := 0; r < n; r++ {
		next := c + w[r]
		if h < next || r == n-1 {
			if r == n-1 {
				return x[r]
			}
			// within the value's block the repeated rows are equal; in
			// its last unit the quantile moves towards the next value.
			g := h - (next - 1)
			if g <= 0 {
				return x[r]
			}
			a, b := x[r], x[r+1]
			diff := b - a
			if g >= 0.5 {
				return b - diff*(1-g)
			}
			return a + diff*g
		}
		c = next
	}
	return x[n-1]
}

// PearsonWeighted returns the weighted Pearson correlation of x and y over
// the rows where both are finite and w > 0, and the number of such rows:
// Σw(x−x̄)(y−ȳ) / sqrt(Σw(x−x̄)² Σw(y−ȳ)²) with weighted means — the
// correlation of the repeated rows. NaN with fewer than 2 rows or a
// constant column. Inputs are not modified.
func PearsonWeighted(x, y, w []float64) (float64, int) {
	var W, sx, sy float64
	n := 0
	for i := range x {
		if w[i] > 0 && isFinite(x[i]) && isFinite(y[i]) {
			W += w[i]
			sx += float64(w[i] * x[i])
			sy += float64(w[i] * y[i])
			n++
		}
	}
	if n < 2 {
		return math.NaN(), n
	}
	mx, my := sx/W, sy/W
	var sxx, syy, sxy float64
	for i := range x {
		if w[i] > 0 && isFinite(x[i]) && isFinite(y[i]) {
			dx, dy := x[i]-mx, y[i]-my
			sxx += float64(w[i] * float64(dx*dx))
			syy += float64(w[i] * float64(dy*dy))
			sxy += float64(w[i] * float64(dx*dy))
		}
	}
	return finishPearson(sxx, syy, sxy), n
}

// CorrWeighted is Corr's Pearson matrix with frequency weights w (finite,
// ≥ 0): r[i][j] = PearsonWeighted over the pairwise-complete rows with a
// positive weight, n[i][j] those rows. The diagonal is 1 when the column
// has two distinct finite values among weighted rows, else NaN. Results do
// not depend on GOMAXPROCS.
func CorrWeighted(cols [][]float64, w []float64) (r [][]float64, n [][]int) {
	k := len(cols)
	r = make([][]float64, k)
	n = make([][]int, k)
	for i := range r {
		r[i] = make([]float64, k)
		n[i] = make([]int, k)
	}
	parallel(workers(k), k, func(_, i int) {
		for j := i; j < k; j++ {
			v, m := PearsonWeighted(cols[i], cols[j], w)
			if i == j {
				if !math.IsNaN(v) {
					v = 1
				}
			} else {
				v = clip(v)
			}
			r[i][j], n[i][j] = v, m
			r[j][i], n[j][i] = v, m
		}
	})
	return r, n
}
