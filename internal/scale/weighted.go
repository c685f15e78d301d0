package scale

import (
	"cmp"
	"math"
	"slices"
)

// FitWeighted is Fit with frequency weights rows (one finite weight ≥ 0 per
// row; nil = Fit): each row counts rows[i] times, so the fitted centre and
// scale equal those of the table with every row repeated that many times
// (integer weights, up to rounding). standard and log1p-standard use the
// weighted mean and the weighted population standard deviation
// (scikit-learn's StandardScaler with sample_weight), minmax the minimum
// and range of the rows with a positive weight, robust the weighted median
// and interquartile range (numpy's linear quantiles of the repeated rows,
// internal/stats' frequency-weight definition). normalize and none have no
// statistics. Rows of weight 0 are still checked for NaN/Inf. X and rows
// are not modified.
func FitWeighted(method string, X []float64, n, d int, features []string, weights, rows []float64) (*Scaler, error) {
	s, err := Fit(method, X, n, d, features, weights)
	if err != nil || rows == nil || s.Center == nil {
		return s, err
	}
	col := make([]pair, 0, n)
	for j, name := range features {
		col = col[:0]
		for i := range n {
			if rows[i] > 0 {
				v := X[i*d+j]
				if method == Log1pStandard {
					v = math.Log1p(v)
				}
				col = append(col, pair{v, rows[i]})
			}
		}
		var c, sc float64
		switch method {
		case Standard, Log1pStandard:
			c, sc, err = weightedMeanStd(col, name)
		case MinMax:
			c, sc, err = weightedMinRange(col, name)
		case Robust:
			c, sc, err = weightedMedianIQR(col, name)
		}
		if err != nil {
			return nil, err
		}
		s.Center[j], s.Scale[j] = c, sc
	}
	return s, nil
}

type pair struct{ v, w float64 }

func weightedMeanStd(col []pair, name string) (float64, float64, error) {
	var W, sum float64
	for _, p := range col {
		W += p.w
		sum += float64(p.w * p.v)
	}
	mean := sum / W
	var ss float64
	for _, p := range col {
		t := p.v - mean
		ss += float64(p.w * float64(t*t))
	}
	variance := ss / W
	if math.IsInf(sum, 0) || math.IsNaN(variance) || math.IsInf(variance, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has values too large to standardise"}
	}
	if bound := float64(W*eps*variance) + float64((W*mean*eps)*(W*mean*eps)); variance <= bound {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero variance over the rows with a positive weight; drop it or use scale: none"}
	}
	return mean, math.Sqrt(variance), nil
}

func weightedMinRange(col []pair, name string) (float64, float64, error) {
	lo, hi := col[0].v, col[0].v
	for _, p := range col[1:] {
		lo, hi = min(lo, p.v), max(hi, p.v)
	}
	r := hi - lo
	if math.IsInf(r, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has a range too large to represent"}
	}
	if r < tinyScale {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero range over the rows with a positive weight; drop it or use scale: none"}
	}
	return lo, r, nil
}

func weightedMedianIQR(col []pair, name string) (float64, float64, error) {
	slices.SortStableFunc(col, func(a, b pair) int { return cmp.Compare(a.v, b.v) })
	x := make([]float64, len(col))
	w := make([]float64, len(col))
	for i, p := range col {
		x[i], w[i] = p.v, p.w
	}
	med := weightedQuantile(x, w, 0.5)
	iqr := weightedQuantile(x, w, 0.75) - weightedQuantile(x, w, 0.25)
	if math.IsInf(med, 0) || math.IsInf(iqr, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has values too large to scale"}
	}
	if iqr < tinyScale {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero interquartile range over the rows with a positive weight; drop it or use scale: none"}
	}
	return med, iqr, nil
}

// weightedQuantile is internal/stats.WeightedQuantile (this package does
// not import stats): the linear quantile of the repeated rows.
func weightedQuantile(x, w []float64, q float64) float64 {
	var W float64
	for _, v := range w {
		W += v
	}
	h := (W - 1) * q
	if h <= 0 {
		return x[0]
	}
	var c float64
	for r := range x {
		next := c + w[r]
		if h < next || r == len(x)-1 {
			if r == len(x)-1 {
				return x[r]
			}
			g := h - (next - 1)
			if g <= 0 {
				return x[r]
			}
			return lerp(x[r], x[r+1], g)
		}
		c = next
	}
	return x[len(x)-1]
}
