package scale

import (
	"fmt"
	"math"
	"slices"
)

// eps is the float64 machine epsilon, 2⁻⁵², numpy's finfo(float64).eps.
const eps = 0x1p-52

// tinyScale is the threshold below which scikit-learn's _handle_zeros_in_scale
// treats a scale (range, interquartile range, row norm) as zero.
const tinyScale = 10 * eps

// Fit fits a scaler of the named method to the n×d row-major matrix X whose
// columns are named by features. weights is either nil (no weighting) or
// holds one finite weight > 0 per feature. X, features and weights are not
// modified and not retained.
//
// Fit returns a *FeatureError when a value is NaN or ±Inf, when a value is
// ≤ −1 for log1p-standard, or when a feature is constant for the method
// (see the package documentation); other errors describe inconsistent
// arguments.
func Fit(method string, X []float64, n, d int, features []string, weights []float64) (*Scaler, error) {
	fitted, ok := stateful(method)
	if !ok {
		return nil, fmt.Errorf("unknown scaling method %q (want one of %q)", method, Methods())
	}
	if n < 1 {
		return nil, fmt.Errorf("cannot fit scaler %q on %d rows", method, n)
	}
	if d < 1 {
		return nil, fmt.Errorf("cannot fit scaler %q on %d features", method, d)
	}
	if len(features) != d {
		return nil, fmt.Errorf("%d feature names for %d columns", len(features), d)
	}
	if len(X) != n*d {
		return nil, fmt.Errorf("data has %d values, want %d rows × %d columns = %d", len(X), n, d, n*d)
	}
	if err := checkFeatureNames(features); err != nil {
		return nil, err
	}
	if err := checkWeights(weights, features); err != nil {
		return nil, err
	}
	if err := checkValues(X, n, d, features, method == Log1pStandard); err != nil {
		return nil, err
	}
	s := &Scaler{Method: method, Features: slices.Clone(features)}
	if len(weights) > 0 {
		s.Weights = slices.Clone(weights)
	}
	if !fitted {
		return s, nil
	}
	s.Center = make([]float64, d)
	s.Scale = make([]float64, d)
	col := make([]float64, n)
	for j, name := range features {
		for i := range col {
			col[i] = X[i*d+j]
		}
		var (
			c, sc float64
			err   error
		)
		switch method {
		case Standard:
			c, sc, err = meanStd(col, name)
		case Log1pStandard:
			for i, v := range col {
				col[i] = math.Log1p(v)
			}
			c, sc, err = meanStd(col, name)
		case MinMax:
			c, sc, err = minRange(col, name)
		case Robust:
			c, sc, err = medianIQR(col, name)
		}
		if err != nil {
			return nil, err
		}
		s.Center[j], s.Scale[j] = c, sc
	}
	return s, nil
}

// checkValues returns a *FeatureError for the first (row-major) value of the
// n×d matrix X that is not finite or, if log1p is set, is ≤ −1.
func checkValues(X []float64, n, d int, features []string, log1p bool) error {
	ok := true
	for _, v := range X[:n*d] { // the common case, all finite, in one tight loop
		if v-v != 0 || (log1p && v <= -1) {
			ok = false
			break
		}
	}
	if ok {
		return nil
	}
	for i := 0; i < n; i++ {
		row := X[i*d : i*d+d]
		for j, v := range row {
			switch {
			case math.IsNaN(v):
				return &FeatureError{Feature: features[j], Row: i, Problem: "value is NaN"}
			case math.IsInf(v, 0):
				return &FeatureError{Feature: features[j], Row: i, Problem: fmt.Sprintf("value is %v", v)}
			case log1p && v <= -1:
				return &FeatureError{Feature: features[j], Row: i, Problem: fmt.Sprintf("value %v is <= -1, so log1p is undefined; use another scale method", v)}
			}
		}
	}
	return nil
}

// meanStd returns the mean and the population standard deviation of x,
// computed as scikit-learn's StandardScaler does (corrected two-pass
// algorithm), or a *FeatureError if x has (numerically) zero variance.
func meanStd(x []float64, name string) (mean, std float64, err error) {
	n := float64(len(x))
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean = sum / n
	var corr, ss float64
	for _, v := range x {
		t := v - mean
		corr += t
		ss += float64(t * t)
	}
	variance := (ss - corr*corr/n) / n
	if math.IsInf(sum, 0) || math.IsNaN(variance) || math.IsInf(variance, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has values too large to standardise"}
	}
	// sklearn.utils.extmath._is_constant_feature.
	if bound := float64(n*eps*variance) + float64((n*mean*eps)*(n*mean*eps)); variance <= bound {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero variance; drop it or use scale: none"}
	}
	return mean, math.Sqrt(variance), nil
}

// minRange returns the minimum and the range of x, or a *FeatureError if the
// range is (numerically) zero.
func minRange(x []float64, name string) (lo, r float64, err error) {
	lo, hi := x[0], x[0]
	for _, v := range x[1:] {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	r = hi - lo
	if math.IsInf(r, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has a range too large to represent"}
	}
	if r < tinyScale {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero range (all values equal); drop it or use scale: none"}
	}
	return lo, r, nil
}

// medianIQR sorts x in place and returns its median and interquartile range
// q75 − q25, or a *FeatureError if the interquartile range is (numerically)
// zero.
func medianIQR(x []float64, name string) (median, iqr float64, err error) {
	slices.Sort(x)
	median = medianSorted(x)
	iqr = quantileSorted(x, 0.75) - quantileSorted(x, 0.25)
	if math.IsInf(median, 0) || math.IsInf(iqr, 0) {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has values too large to scale"}
	}
	if iqr < tinyScale {
		return 0, 0, &FeatureError{Feature: name, Row: -1, Problem: "has zero interquartile range; drop it or use scale: none"}
	}
	return median, iqr, nil
}

// quantileSorted returns the q-quantile of the sorted, non-empty x with
// linear interpolation between order statistics, reproducing numpy 1.24's
// percentile(method="linear") to the last bit. For q = 0.5 this equals
// numpy's median.
func quantileSorted(x []float64, q float64) float64 {
	n := len(x)
	// numpy's virtual index n·q + (α + q·(1 − α − β)) − 1, evaluated in the
	// same order, with α = β = 1 for the linear method.
	const alpha, beta = 1.0, 1.0
	vi := float64(n)*q + (alpha + q*(1-alpha-beta)) - 1
	lo := math.Floor(vi)
	t := vi - lo
	i := int(lo)
	if i >= n-1 {
		return x[n-1]
	}
	if i < 0 {
		return x[0]
	}
	return lerp(x[i], x[i+1], t)
}

// medianSorted returns the median of the sorted, non-empty x as numpy's
// median computes it: the middle value, or the mean (a+b)/2 of the two
// middle values.
func medianSorted(x []float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// lerp is numpy's _lerp: a + (b−a)·t, evaluated from the nearer end point.
func lerp(a, b, t float64) float64 {
	diff := b - a
	if t >= 0.5 {
		return b - float64(diff*(1-t))
	}
	return a + float64(diff*t)
}
