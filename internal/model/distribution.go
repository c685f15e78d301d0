package model

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/stats"
)

// PSIBins is the number of quantile bins of a stored training distribution:
// deciles.
const PSIBins = 10

// Distribution is one feature's training distribution, stored in model.json
// so that the population stability index (PSI) of new data can be computed
// without the training rows.
//
// Edges are the training values' quantiles j/PSIBins, j = 1 … PSIBins−1
// (numpy's linear method, as metrics.PSI cuts them), with duplicates merged
// so they increase strictly; bin b is (Edges[b−1], Edges[b]], the outer bins
// are open. Shares[b] is the fraction of training rows in bin b, so
// len(Shares) = len(Edges)+1 and the shares sum to 1.
type Distribution struct {
	Feature string    `json:"feature"`
	Edges   []float64 `json:"edges"`
	Shares  []float64 `json:"shares"`
}

// NewDistribution bins the values x (no NaN) of one feature into bins
// quantile bins (bins ≤ 0 selects PSIBins). x is not modified.
func NewDistribution(feature string, x []float64, bins int) (Distribution, error) {
	if bins <= 0 {
		bins = PSIBins
	}
	if len(x) == 0 {
		return Distribution{}, fmt.Errorf("feature %q: no values to bin", feature)
	}
	sorted := slices.Clone(x)
	for _, v := range sorted {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Distribution{}, fmt.Errorf("feature %q: cannot bin the value %v", feature, v)
		}
	}
	stats.SortFloat64s(sorted)
	edges := metrics.QuantileCuts(sorted, bins)
	return Distribution{Feature: feature, Edges: edges, Shares: metrics.Shares(metrics.BinCounts(sorted, edges))}, nil
}

// Distributions bins every feature column of the n×d row-major matrix X
// (d = len(features)). X is not modified.
func Distributions(features []string, X []float64, n int) ([]Distribution, error) {
	d := len(features)
	if d == 0 || n < 1 || len(X) != n*d {
		return nil, fmt.Errorf("model: %d values for %d rows × %d features", len(X), n, d)
	}
	out := make([]Distribution, d)
	col := make([]float64, n)
	for j, f := range features {
		for i := range n {
			col[i] = X[i*d+j]
		}
		dist, err := NewDistribution(f, col, PSIBins)
		if err != nil {
			return nil, err
		}
		out[j] = dist
	}
	return out, nil
}

// PSI returns the population stability index of the values actual against
// this training distribution:
//
//	PSI = Σ_b (a_b − e_b) · ln(a_b / e_b)
//
// with e_b the stored share of bin b and a_b the share of actual in it; a
// share of 0 is replaced by metrics.PSIEpsilon. This is metrics.PSI with
// the expected sample replaced by its stored bins. NaN values in actual are
// ignored; it returns NaN when actual has no other value.
func (d Distribution) PSI(actual []float64) float64 {
	a := make([]float64, 0, len(actual))
	for _, v := range actual {
		if !math.IsNaN(v) {
			a = append(a, v)
		}
	}
	if len(a) == 0 || len(d.Shares) != len(d.Edges)+1 {
		return math.NaN()
	}
	return metrics.PSIFromShares(d.Shares, metrics.Shares(metrics.BinCounts(a, d.Edges)))
}

// validate checks the distribution of feature.
func (d Distribution) validate(feature string) error {
	if d.Feature != feature {
		return fmt.Errorf("distribution of %q where %q is expected", d.Feature, feature)
	}
	if len(d.Shares) != len(d.Edges)+1 {
		return fmt.Errorf("distribution of %q: %d edges need %d shares, got %d", feature, len(d.Edges), len(d.Edges)+1, len(d.Shares))
	}
	for b, e := range d.Edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return fmt.Errorf("distribution of %q: edge %d is %v", feature, b, e)
		}
		if b > 0 && !(e > d.Edges[b-1]) {
			return fmt.Errorf("distribution of %q: edges must increase (edge %d is %v after %v)", feature, b, e, d.Edges[b-1])
		}
	}
	var sum float64
	for b, s := range d.Shares {
		if !(s >= 0 && s <= 1) {
			return fmt.Errorf("distribution of %q: share %d is %v, want 0…1", feature, b, s)
		}
		sum += s
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("distribution of %q: shares sum to %v, want 1", feature, sum)
	}
	return nil
}

// PSI returns the population stability index of each feature of the n×d
// matrix X (original units, model feature order) against the model's
// training distributions. It returns an error when the model stores none
// (a model written before they were added).
func (m *Model) PSI(X []float64, n int) ([]float64, error) {
	d := m.Dim()
	if len(X) != n*d {
		return nil, fmt.Errorf("model: %d values for %d rows × %d features", len(X), n, d)
	}
	if len(m.Distributions) == 0 {
		return nil, errors.New("the model stores no training distributions (it was written by an older segment)")
	}
	out := make([]float64, d)
	col := make([]float64, n)
	for j := range d {
		for i := range n {
			col[i] = X[i*d+j]
		}
		out[j] = m.Distributions[j].PSI(col)
	}
	return out, nil
}
