package model

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/metrics"
)

// CategorySharesOf returns the shares of each category (code order) and,
// last, of the missing category among the codes of one categorical
// feature with ncat training categories: codes are Codes' (−1 missing;
// ncat, a category never seen in training, is counted as such by
// CategoricalPSI and must not occur here). It returns nil for no codes.
func CategorySharesOf(codes []int32, ncat int) ([]float64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	counts := make([]int, ncat+1)
	for i, c := range codes {
		switch {
		case c == -1:
			counts[ncat]++
		case c >= 0 && int(c) < ncat:
			counts[c]++
		default:
			return nil, fmt.Errorf("model: row %d has category code %d, want -1…%d", i, c, ncat-1)
		}
	}
	return metrics.Shares(counts), nil
}

// CategoricalPSI returns the population stability index of categorical
// feature c (model order) over the codes from Codes against the training
// shares (CategoryShares):
//
//	PSI = Σ_b (a_b − e_b) · ln(a_b / e_b)
//
// over the training categories, the missing category and one bin for
// every category never seen in training (expected share 0), a share of 0
// replaced by metrics.PSIEpsilon as for numeric features. ok is false when
// the model stores no shares (written before they were added) or there
// are no rows.
func (m *Model) CategoricalPSI(c int, codes []int32) (psi float64, ok bool) {
	if c < 0 || c >= len(m.CategoryShares) || len(codes) == 0 {
		return math.NaN(), false
	}
	ncat := len(m.Categories[c])
	counts := make([]int, ncat+2) // categories, missing, unseen
	for _, v := range codes {
		switch {
		case v < 0:
			counts[ncat]++
		case int(v) >= ncat:
			counts[ncat+1]++
		default:
			counts[v]++
		}
	}
	expected := append(append(make([]float64, 0, ncat+2), m.CategoryShares[c]...), 0)
	return metrics.PSIFromShares(expected, metrics.Shares(counts)), true
}

// validateShares checks CategoryShares when present: one list per
// categorical feature, one share per category plus the missing one, each
// in 0…1, summing to 1.
func (m *Model) validateShares() error {
	if len(m.CategoryShares) == 0 {
		return nil
	}
	if len(m.CategoryShares) != len(m.CategoricalFeatures) {
		return fmt.Errorf("%d categorical features but %d category_shares lists", len(m.CategoricalFeatures), len(m.CategoryShares))
	}
	for c, sh := range m.CategoryShares {
		f := m.CategoricalFeatures[c]
		if len(sh) != len(m.Categories[c])+1 {
			return fmt.Errorf("category_shares of %q: %d categories need %d shares (the last for the missing category), got %d", f, len(m.Categories[c]), len(m.Categories[c])+1, len(sh))
		}
		var sum float64
		for b, v := range sh {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("category_shares of %q: share %d is %v, want 0…1", f, b, v)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("category_shares of %q: shares sum to %v, want 1", f, sum)
		}
	}
	return nil
}
