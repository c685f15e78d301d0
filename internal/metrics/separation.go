package metrics

import "math"

// Separation is how clearly the closest two clusters of a clustering are
// apart; see MinSeparation.
type Separation struct {
	// Min is the smallest pairwise separation over the non-empty clusters
	// (+Inf when every pair has zero spread and distinct centres; NaN when
	// it is undefined).
	Min float64
	// P and Q (P < Q) are the clusters of that pair; -1 when undefined.
	P, Q int
}

// MinSeparation returns the smallest pairwise separation of the clustering
// of the n×d matrix X by labels in [0, k). The separation of clusters p and
// q is
//
//	sep(p, q) = ‖c_q − c_p‖ / (s_p + s_q)
//
// where c are the cluster means and s_p is the standard deviation
// (population, 1/n_p) of cluster p's rows projected on the line through
// c_p and c_q: the distance between the centres in units of the clusters'
// spread along that line, a one-dimensional Fisher ratio. Reference values:
// two normal clusters with unit spread whose centres are Δ apart score
// Δ/2 (4σ apart: 2); k-means cutting one normal cluster into two halves
// gives 2·0.798/(2·0.603) ≈ 1.32, one uniform cluster cut in two ≈ 1.73.
//
// Each cluster's covariance matrix is accumulated once in row order (so
// the result is deterministic and O(n·d² + k²·d²)); s_p² is uᵀΣ_p u for
// the unit vector u from c_p to c_q. Pairs with equal centres have
// separation 0. Empty clusters are ignored. It returns Min = NaN with P =
// Q = -1 when the input is invalid or fewer than two clusters are
// non-empty.
func MinSeparation(X []float64, n, d int, labels []int32, k int) Separation {
	none := Separation{Min: math.NaN(), P: -1, Q: -1}
	sizes, m, err := checkClustering(X, n, d, labels, k)
	if err != nil || m < 2 {
		return none
	}
	c := centroids(X, d, labels, sizes)
	cov := make([]float64, k*d*d)
	diff := make([]float64, d)
	for i, l := range labels {
		ci, xi := c[int(l)*d:int(l)*d+d], X[i*d:i*d+d]
		for a := range diff {
			diff[a] = xi[a] - ci[a]
		}
		S := cov[int(l)*d*d : int(l)*d*d+d*d]
		for a, da := range diff {
			row := S[a*d : a*d+d]
			for b := a; b < d; b++ { // the upper triangle; mirrored below
				row[b] += float64(da * diff[b])
			}
		}
	}
	for l := 0; l < k; l++ {
		S := cov[l*d*d : l*d*d+d*d]
		for a := 0; a < d; a++ {
			for b := 0; b < a; b++ {
				S[a*d+b] = S[b*d+a]
			}
		}
	}
	u := make([]float64, d)
	spread := func(l int) float64 {
		S := cov[l*d*d : l*d*d+d*d]
		var v float64
		for a := range u {
			var r float64
			for b := range u {
				r += float64(S[a*d+b] * u[b])
			}
			v += float64(u[a] * r)
		}
		return math.Sqrt(math.Max(v, 0) / float64(sizes[l]))
	}
	out := none
	for p := 0; p < k; p++ {
		if sizes[p] == 0 {
			continue
		}
		for q := p + 1; q < k; q++ {
			if sizes[q] == 0 {
				continue
			}
			var dist float64
			for t := range u {
				u[t] = c[q*d+t] - c[p*d+t]
				dist += float64(u[t] * u[t])
			}
			dist = math.Sqrt(dist)
			sep := 0.0
			if dist > 0 {
				for t := range u {
					u[t] /= dist
				}
				sep = dist / (spread(p) + spread(q)) // +Inf when both spreads are 0
			}
			if out.P < 0 || sep < out.Min {
				out = Separation{Min: sep, P: p, Q: q}
			}
		}
	}
	return out
}
