package metrics

import (
	"fmt"
	"math"
)

// checkClustering validates an n×d matrix X with labels in [0, k) and returns
// the cluster sizes and the number of non-empty clusters.
func checkClustering(X []float64, n, d int, labels []int32, k int) (sizes []int, nonEmpty int, err error) {
	if n < 1 || d < 1 {
		return nil, 0, fmt.Errorf("need at least one row and one column, got %d×%d", n, d)
	}
	if len(X) != n*d {
		return nil, 0, fmt.Errorf("data has %d values, want %d rows × %d columns = %d", len(X), n, d, n*d)
	}
	if len(labels) != n {
		return nil, 0, fmt.Errorf("%d labels for %d rows", len(labels), n)
	}
	if k < 2 {
		return nil, 0, fmt.Errorf("need k ≥ 2 clusters, got k = %d", k)
	}
	for i, v := range X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("value %v at row %d, column %d is not finite", v, i/d, i%d)
		}
	}
	sizes = make([]int, k)
	for i, l := range labels {
		if l < 0 || int(l) >= k {
			return nil, 0, fmt.Errorf("label %d of row %d is outside [0, %d)", l, i, k)
		}
		sizes[l]++
	}
	for _, s := range sizes {
		if s > 0 {
			nonEmpty++
		}
	}
	return sizes, nonEmpty, nil
}

// checkLabelCount returns sklearn's error condition for a score that needs
// 2 ≤ number of distinct labels ≤ n − 1.
func checkLabelCount(nonEmpty, n int) error {
	if nonEmpty < 2 || nonEmpty > n-1 {
		return fmt.Errorf("%d non-empty clusters among %d rows; need between 2 and %d", nonEmpty, n, n-1)
	}
	return nil
}
