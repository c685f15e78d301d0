package stats

import (
	"math"
	"unsafe"

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
//
// Memory: 16 bytes per value (the sort keys and the radix buffer; the
// non-missing values are copied only when some are missing, and then the
// copy becomes the keys).
func Describe(x []float64) Numeric {
	if d, ok := describeIntegral(x); ok {
		return d
	}
	return describeSorted(x)
}

// describeSorted is Describe by sorting the values.
func describeSorted(x []float64) Numeric {
	vals := x
	missing := 0
	for _, v := range x {
		if math.IsNaN(v) {
			missing++
		}
	}
	if missing > 0 {
		vals = make([]float64, 0, len(x)-missing)
		for _, v := range x {
			if !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
	}
	d := emptyNumeric(len(vals), missing)
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

	// Sort keys: in vals' own memory when vals is a copy.
	var keys []uint64
	if missing > 0 {
		keys = unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(vals))), len(vals))
	} else {
		keys = make([]uint64, len(vals))
	}
	for i, v := range vals {
		keys[i] = floatKey(v)
	}
	sortKeys(keys)
	at := func(i int) float64 { return keyFloat(keys[i]) }
	d.Min, d.Max = at(0), at(len(keys)-1)
	d.Q25 = quantileAt(len(keys), 0.25, at)
	d.Q50 = quantileAt(len(keys), 0.5, at)
	d.Q75 = quantileAt(len(keys), 0.75, at)
	d.Distinct = 1
	prev := at(0)
	for i := 1; i < len(keys); i++ {
		if v := at(i); v != prev { // -0 == +0
			d.Distinct++
			prev = v
		}
	}
	return d
}

// emptyNumeric is the Numeric of count values and missing missing ones
// before any statistic is computed.
func emptyNumeric(count, missing int) Numeric {
	nan := math.NaN()
	return Numeric{Count: count, Missing: missing, Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}
}

// Integer is an integer type DescribeInts reads.
type Integer interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// DescribeInts is Describe of the float64 values of x, missing where
// missing (nil: nothing) is true: the same statistics, bit for bit,
// computed without a float copy of the column, and without a sort when
// the values span a small range (a count per value then gives the
// quantiles, min, max and distinct count). x and missing are not modified.
//
// The sum behind the mean is exact in any order while the values are
// integers whose magnitudes sum below 2^53; beyond that the values are
// copied as floats and Describe is used.
func DescribeInts[T Integer](x []T, missing []bool) Numeric {
	count := 0
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	var abs uint64
	exact := true
	for i, v := range x {
		if missing != nil && missing[i] {
			continue
		}
		count++
		w := int64(v)
		lo, hi = min(lo, w), max(hi, w)
		if exact {
			a := uint64(w)
			if w < 0 {
				a = uint64(-w) // MinInt64 stays huge: beyond the bound
			}
			if abs += a; a > 1<<53 || abs > 1<<53 {
				exact = false
			}
		}
	}
	if !exact {
		f := make([]float64, len(x))
		for i, v := range x {
			f[i] = float64(v)
			if missing != nil && missing[i] {
				f[i] = math.NaN()
			}
		}
		return Describe(f)
	}
	d := emptyNumeric(count, len(x)-count)
	if count == 0 {
		return d
	}
	// Mean and variance exactly as stat.MeanVariance computes them from
	// the float64 values: an exact sum, then the corrected two-pass sums
	// in row order.
	var sum int64
	for i, v := range x {
		if missing == nil || !missing[i] {
			sum += int64(v)
		}
	}
	if count == 1 {
		d.Mean = float64(sum)
	} else {
		mean := float64(sum) / float64(count)
		var ss, compensation float64
		for i, v := range x {
			if missing != nil && missing[i] {
				continue
			}
			dv := float64(v) - mean
			ss += dv * dv
			compensation += dv
		}
		n := float64(count)
		unnormalised := ss - compensation*compensation/n
		d.Mean = mean
		d.Std = math.Sqrt(unnormalised / (n - 1))
	}
	d.Min, d.Max = float64(lo), float64(hi)
	if span := uint64(hi - lo); span < countSortSpan && hi-lo >= 0 {
		counts := make([]int, span+1)
		for i, v := range x {
			if missing == nil || !missing[i] {
				counts[int64(v)-lo]++
			}
		}
		d.Distinct = 0
		for _, c := range counts {
			if c > 0 {
				d.Distinct++
			}
		}
		// value at rank r: walk the cumulative counts (ranks asked in
		// increasing order)
		var (
			bin  int
			upto = counts[0] // values in bins 0..bin
		)
		at := func(r int) float64 {
			for r >= upto {
				bin++
				upto += counts[bin]
			}
			return float64(lo + int64(bin))
		}
		d.Q25 = quantileAt(count, 0.25, at)
		d.Q50 = quantileAt(count, 0.5, at)
		d.Q75 = quantileAt(count, 0.75, at)
		return d
	}
	keys := make([]uint64, 0, count)
	for i, v := range x {
		if missing == nil || !missing[i] {
			keys = append(keys, uint64(int64(v))^1<<63) // order-preserving
		}
	}
	sortKeys(keys)
	at := func(i int) float64 { return float64(int64(keys[i] ^ 1<<63)) }
	d.Q25 = quantileAt(count, 0.25, at)
	d.Q50 = quantileAt(count, 0.5, at)
	d.Q75 = quantileAt(count, 0.75, at)
	d.Distinct = 1
	for i := 1; i < len(keys); i++ {
		if keys[i] != keys[i-1] {
			d.Distinct++
		}
	}
	return d
}

// describeIntegral is Describe for values that are all whole numbers
// (besides NaN) in a small range, with no -0 and an exact integer sum:
// DescribeInts' counting path, the same statistics bit for bit without a
// sort. ok is false for other values.
func describeIntegral(x []float64) (d Numeric, ok bool) {
	if len(x) < radixMin {
		return Numeric{}, false
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var abs float64
	count := 0
	for _, v := range x {
		if v != v {
			continue
		}
		if v != math.Trunc(v) || v == 0 && math.Signbit(v) || math.IsInf(v, 0) {
			return Numeric{}, false
		}
		lo, hi = min(lo, v), max(hi, v)
		abs += math.Abs(v)
		count++
	}
	if count == 0 || hi-lo >= countSortSpan || abs >= 1<<53 {
		return Numeric{}, false
	}
	var missing []bool
	if count < len(x) {
		missing = make([]bool, len(x))
	}
	ints := make([]int64, len(x))
	for i, v := range x {
		if v != v {
			missing[i] = true
			continue
		}
		ints[i] = int64(v)
	}
	return DescribeInts(ints, missing), true
}

// countSortSpan bounds the range of values (max − min) DescribeInts counts
// instead of sorting: 8 bytes of counts per possible value.
const countSortSpan = 1 << 20

// quantileAt is Quantile over n sorted values read with at(i); it asks for
// ranks in increasing order.
func quantileAt(n int, q float64, at func(int) float64) float64 {
	virtual := float64(n-1) * q
	if virtual >= float64(n-1) {
		return at(n - 1)
	}
	prev := math.Floor(virtual)
	i := int(prev)
	g := virtual - prev
	a, b := at(i), at(i+1)
	diff := b - a
	if g >= 0.5 {
		return b - diff*(1-g)
	}
	return a + diff*g
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
