package stats

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// Numeric holds the descriptive statistics of a numeric column, as reported
// by pandas' Series.describe() plus Series.nunique() and Series.isna().sum().
type Numeric struct {
	Count   int // number of non-missing values
	Missing int // number of NaN values

	Mean float64 // arithmetic mean; NaN when Count == 0
	Std  float64 // sample standard deviation (ddof 1); NaN when Count < 2
	Min  float64 // NaN when Count == 0
	Q25  float64 // 25 % quantile, linear interpolation; NaN when Count == 0
	Q50  float64 // median; NaN when Count == 0
	Q75  float64 // 75 % quantile; NaN when Count == 0
	Max  float64 // NaN when Count == 0

	Distinct int // number of distinct non-missing values (-0 == +0)
}

// Describe returns the descriptive statistics of x, where NaN marks a
// missing value. x is not modified.
//
// Infinite values are ordinary values, as in pandas: they are counted and
// propagate into Mean, Std and the quantiles.
func Describe(x []float64) Numeric {
	vals := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	d := Numeric{
		Count:   len(vals),
		Missing: len(x) - len(vals),
		Mean:    math.NaN(),
		Std:     math.NaN(),
		Min:     math.NaN(),
		Q25:     math.NaN(),
		Q50:     math.NaN(),
		Q75:     math.NaN(),
		Max:     math.NaN(),
	}
	if d.Count == 0 {
		return d
	}
	if d.Count == 1 {
		d.Mean = vals[0]
	} else {
		mean, variance := stat.MeanVariance(vals, nil)
		d.Mean = mean
		d.Std = math.Sqrt(variance)
	}

	sortFloat64s(vals)
	d.Min = vals[0]
	d.Max = vals[len(vals)-1]
	d.Q25 = Quantile(vals, 0.25)
	d.Q50 = Quantile(vals, 0.5)
	d.Q75 = Quantile(vals, 0.75)
	d.Distinct = 1
	for i := 1; i < len(vals); i++ {
		if vals[i] != vals[i-1] {
			d.Distinct++
		}
	}
	return d
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of sorted, which must be sorted
// in increasing order and hold no NaN, using numpy's default "linear" method
// (Hyndman & Fan type 7): the value at virtual index (n-1)·q, interpolated
// between its neighbours with numpy's formula
//
//	a + (b-a)·g   if g < 0.5
//	b - (b-a)·(1-g) otherwise
//
// so results are bit-identical to numpy.quantile and pandas'
// Series.quantile. It returns NaN when sorted is empty or q is NaN or
// outside [0, 1]. sorted is not modified.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	virtual := float64(n-1) * q
	if virtual >= float64(n-1) {
		return sorted[n-1]
	}
	prev := math.Floor(virtual)
	i := int(prev)
	g := virtual - prev
	a, b := sorted[i], sorted[i+1]
	diff := b - a
	if g >= 0.5 {
		return b - diff*(1-g)
	}
	return a + diff*g
}
