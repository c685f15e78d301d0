package metrics

import (
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/stats"
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
	e := dropNaN(expected)
	a := dropNaN(actual)
	if len(e) == 0 || len(a) == 0 {
		return math.NaN()
	}
	slices.Sort(e)
	cuts := QuantileCuts(e, bins)
	return PSIFromCounts(BinCounts(e, cuts), BinCounts(a, cuts))
}

// PSIReading is the customary reading of a PSI value: "stable" below 0.1,
// "moderate shift" up to 0.25, "major shift" above ("not computed" for NaN).
func PSIReading(v float64) string {
	switch {
	case math.IsNaN(v):
		return "not computed"
	case v < 0.1:
		return "stable"
	case v <= 0.25:
		return "moderate shift"
	}
	return "major shift"
}

// QuantileCuts returns the cut points of bins quantile bins of the sorted,
// NaN-free x: its quantiles j/bins, j = 1 … bins−1, by numpy's linear
// method (stats.Quantile, bit-identical to numpy), with duplicates merged
// so they increase strictly. bins ≤ 0 selects deciles.
func QuantileCuts(sorted []float64, bins int) []float64 {
	if bins <= 0 {
		bins = 10
	}
	cuts := []float64{}
	for j := 1; j < bins; j++ {
		q := stats.Quantile(sorted, float64(j)/float64(bins))
		if len(cuts) == 0 || q > cuts[len(cuts)-1] {
			cuts = append(cuts, q)
		}
	}
	return cuts
}

// PSIFromShares is the PSI of the bin proportions actual against expected
// (equal lengths), each proportion of 0 replaced by PSIEpsilon.
func PSIFromShares(expected, actual []float64) float64 {
	var psi float64
	for b, pe := range expected {
		pa := actual[b]
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

// PSIFromCounts is PSIFromShares of two histograms over the same bins.
func PSIFromCounts(expected, actual []int) float64 {
	return PSIFromShares(Shares(expected), Shares(actual))
}

// Shares turns bin counts into proportions.
func Shares(counts []int) []float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	out := make([]float64, len(counts))
	for b, c := range counts {
		out[b] = float64(c) / float64(total)
	}
	return out
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

// BinCounts counts the values of x in the bins (−∞, cuts[0]], (cuts[0],
// cuts[1]], …, (cuts[last], +∞).
func BinCounts(x, cuts []float64) []int {
	counts := make([]int, len(cuts)+1)
	for _, v := range x {
		counts[sort.SearchFloat64s(cuts, v)]++
	}
	return counts
}
