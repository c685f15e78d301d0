package stability

import "math"

// WithinSS is the pooled within-cluster sum of squares of a labelling,
// Σ_r Σ_{i∈C_r} w_i ‖x_i − m_r‖² with m_r the weighted mean of cluster r
// (weights nil = 1). Without weights it equals Tibshirani et al.'s
// W_k = Σ_r D_r / (2 n_r), D_r being the sum of squared Euclidean
// distances over all ordered pairs in cluster r, and k-means' inertia at a
// fixed point. Labels must be in [0, k); empty clusters add nothing.
// Sums run in row order.
func WithinSS(X []float64, n, d int, labels []int32, k int, weights []float64) float64 {
	sums := make([]float64, k*d)
	w := make([]float64, k)
	for i := 0; i < n; i++ {
		j := int(labels[i])
		wi := weightOf(weights, i)
		w[j] += wi
		for f, v := range X[i*d : i*d+d] {
			sums[j*d+f] += float64(wi * v)
		}
	}
	for j := 0; j < k; j++ {
		if w[j] > 0 {
			for f := 0; f < d; f++ {
				sums[j*d+f] /= w[j]
			}
		}
	}
	var total float64
	for i := 0; i < n; i++ {
		j := int(labels[i])
		var s float64
		for f, v := range X[i*d : i*d+d] {
			t := v - sums[j*d+f]
			s += float64(t * t)
		}
		total += float64(weightOf(weights, i) * s)
	}
	return total
}

func weightOf(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

func checkMatrix(X []float64, n, d int, weights []float64) error {
	if n <= 0 || d <= 0 || len(X) != n*d {
		return errf("matrix has %d values, want rows × columns = %d × %d (both positive)", len(X), n, d)
	}
	for i, v := range X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errf("row %d, column %d is %v", i/d, i%d, v)
		}
	}
	if weights != nil {
		if len(weights) != n {
			return errf("%d weights for %d rows", len(weights), n)
		}
		for i, v := range weights {
			if !(v > 0) || math.IsInf(v, 0) {
				return errf("row %d has weight %v; weights must be finite and > 0", i, v)
			}
		}
	}
	return nil
}
