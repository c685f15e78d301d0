package cluster

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/scale"
)

// Matching a new model's segments to the previous model's.
//
// Matching space: both models' original-unit centroids (the mean feature
// values of each segment's members) are scaled with this run's scaler, and
// compared by Euclidean distance. Scaling both sides with the same scaler
// makes the comparison consistent for every scaling method, including the
// non-linear ones (normalize is row-wise, so it maps each centroid vector to
// its direction; log1p-standard transforms each coordinate), and measures
// shifts in the units the new segments were found in: for standard scaling,
// standard deviations of today's data.

// toMatchSpace scales original-unit centroids with the scaler.
func toMatchSpace(s *scale.Scaler, centers [][]float64) ([][]float64, error) {
	k, d := len(centers), s.Dim()
	flat := make([]float64, 0, k*d)
	for _, c := range centers {
		flat = append(flat, c...)
	}
	Z, err := s.Transform(flat, k)
	if err != nil {
		return nil, fmt.Errorf("scale the centroids: %w", err)
	}
	out := make([][]float64, k)
	for i := range out {
		out[i] = Z[i*d : i*d+d : i*d+d]
	}
	return out, nil
}

// distances returns the Euclidean distance of every a[i] to every b[j].
func distances(a, b [][]float64) [][]float64 {
	out := make([][]float64, len(a))
	for i, x := range a {
		out[i] = make([]float64, len(b))
		for j, y := range b {
			var ss float64
			for t, v := range x {
				e := v - y[t]
				ss += float64(e * e)
			}
			out[i][j] = math.Sqrt(ss)
		}
	}
	return out
}

// match pairs new segments (rows of dist) with previous ones (columns) by
// the Hungarian algorithm on the distances, then drops pairs farther apart
// than maxShift. It returns, per new segment, the previous segment's index
// or -1.
func match(dist [][]float64, maxShift float64) ([]int, error) {
	if len(dist) == 0 {
		return []int{}, nil
	}
	assign, total := metrics.Hungarian(dist)
	if assign == nil || math.IsNaN(total) {
		return nil, fmt.Errorf("matching the segments with the previous model failed (non-finite distances)")
	}
	for i, j := range assign {
		if j >= 0 && dist[i][j] > maxShift {
			assign[i] = -1
		}
	}
	return assign, nil
}

// stableIDs gives each new segment its ID: a matched segment keeps the
// previous segment's ID, the others get fresh IDs above highest, in segment
// order. It returns the IDs and the new highest ID.
func stableIDs(toPrev []int, prevIDs []int, highest int) ([]int, int) {
	ids := make([]int, len(toPrev))
	for s, p := range toPrev {
		if p >= 0 {
			ids[s] = prevIDs[p]
		}
	}
	for s, p := range toPrev {
		if p < 0 {
			highest++
			ids[s] = highest
		}
	}
	for _, id := range ids {
		highest = max(highest, id)
	}
	return ids, highest
}

// autoMaxShift is the default max_shift: the root-mean-square per-feature
// population standard deviation of the n×d scaled rows Z, i.e.
// sqrt(mean_j var_j). It is 1 for standard scaling without weights.
func autoMaxShift(Z []float64, n, d int) float64 {
	if n == 0 || d == 0 {
		return math.NaN()
	}
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range Z[i*d : i*d+d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	ss := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range Z[i*d : i*d+d] {
			e := v - mean[j]
			ss[j] += float64(e * e)
		}
	}
	var total float64
	for _, v := range ss {
		total += v / float64(n)
	}
	return math.Sqrt(total / float64(d))
}
