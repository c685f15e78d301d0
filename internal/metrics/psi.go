package metrics

import (
	"math"
	"slices"
	"sort"
)

// PSIEpsilon replaces the proportion of an empty bin in PSI, so that the
// logarithm stays finite. 1e-4 (0.01 %) is the customary choice in credit-risk
// monitoring; the proportions are not renormalised afterwards.
const PSIEpsilon = 1e-4

// PSI returns the population stability index of actual against expected:
//
//	PSI = Σ_b (a_b − e_b) · ln(a_b / e_b)
//
// where e_b and a_b are the proportions of the expected and actual values in
// bin b. The bins are cut at the expected sample's quantiles j/bins,
// j = 1 … bins−1 (linear interpolation, numpy's default), so each holds about
// 1/bins of the expected sample; the outer bins are open (−∞, q₁] and
// (q_{bins−1}, +∞) and inner bins are (q_{j−1}, q_j]. Duplicate cut points, as
// produced by heavily tied data, are merged, giving fewer bins. A proportion
// of 0 is replaced by PSIEpsilon. bins ≤ 0 selects deciles (10 bins).
//
// NaN values in either sample are ignored; ±Inf values count like any other
// value (in the outer bins). Identical samples give exactly 0.
// Common reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
// It returns NaN if either sample has no non-NaN value.
func PSI(expected, actual []float64, bins int) float64 {
	if bins <= 0 {
		bins = 10
	}
	e := dropNaN(expected)
	a := dropNaN(actual)
	if len(e) == 0 || len(a) == 0 {
		return math.NaN()
	}
	slices.Sort(e)
	var cuts []float64
	for j := 1; j < bins; j++ {
		q := quantileSorted(e, float64(j)/float64(bins))
		if len(cuts) == 0 || q > cuts[len(cuts)-1] {
			cuts = append(cuts, q)
		}
	}
	ce := binCounts(e, cuts)
	ca := binCounts(a, cuts)
	var psi float64
	for b := range ce {
		pe := float64(ce[b]) / float64(len(e))
		pa := float64(ca[b]) / float64(len(a))
		if pe == 0 {
			pe = PSIEpsilon
		}
		if pa == 0 {
			pa = PSIEpsilon
		}
		psi += float64((pa - pe) * math.Log(pa/pe))
	}
	return psi
}

func dropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// binCounts counts the values of x in the bins (−∞, cuts[0]], (cuts[0],
// cuts[1]], …, (cuts[last], +∞).
func binCounts(x, cuts []float64) []int {
	counts := make([]int, len(cuts)+1)
	for _, v := range x {
		counts[sort.SearchFloat64s(cuts, v)]++
	}
	return counts
}

// quantileSorted returns the q-quantile of the sorted, non-empty x by linear
// interpolation between order statistics, as numpy.quantile's default.
func quantileSorted(x []float64, q float64) float64 {
	n := len(x)
	const alpha, beta = 1.0, 1.0 // numpy's "linear" method
	vi := float64(n)*q + (alpha + q*(1-alpha-beta)) - 1
	lo := math.Floor(vi)
	i := int(lo)
	if i >= n-1 {
		return x[n-1]
	}
	if i < 0 {
		return x[0]
	}
	a, b, t := x[i], x[i+1], vi-lo
	if a == b || t == 0 {
		return a // also avoids ∞·0 with infinite values
	}
	if t >= 0.5 {
		return b - float64((b-a)*(1-t))
	}
	return a + float64((b-a)*t)
}
