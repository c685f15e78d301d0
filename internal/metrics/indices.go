package metrics

import "math"

// centroids returns the k×d matrix of cluster means (zero rows for empty
// clusters).
func centroids(X []float64, d int, labels []int32, sizes []int) []float64 {
	k := len(sizes)
	c := make([]float64, k*d)
	for i, l := range labels {
		ci, xi := c[int(l)*d:int(l)*d+d], X[i*d:i*d+d]
		for t, v := range xi {
			ci[t] += v
		}
	}
	for l, s := range sizes {
		if s > 0 {
			for t := range c[l*d : l*d+d] {
				c[l*d+t] /= float64(s)
			}
		}
	}
	return c
}

// CalinskiHarabasz returns the Calinski–Harabasz index (variance ratio
// criterion) of the clustering of the n×d matrix X by labels in [0, k), as
// sklearn.metrics.calinski_harabasz_score:
//
//	CH = [B / (m − 1)] / [W / (n − m)]
//
// where B is the between-cluster dispersion Σ nₗ‖cₗ − c‖², W the
// within-cluster dispersion Σ ‖xᵢ − c_{lᵢ}‖² and m the number of non-empty
// clusters. As in sklearn it returns 1 when W = 0. Higher is better.
//
// It returns NaN if the input is invalid (shapes, non-finite values, labels
// outside [0, k), k < 2) or m is not in [2, n − 1].
func CalinskiHarabasz(X []float64, n, d int, labels []int32, k int) float64 {
	sizes, m, err := checkClustering(X, n, d, labels, k)
	if err != nil || checkLabelCount(m, n) != nil {
		return math.NaN()
	}
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for t, v := range X[i*d : i*d+d] {
			mean[t] += v
		}
	}
	for t := range mean {
		mean[t] /= float64(n)
	}
	c := centroids(X, d, labels, sizes)
	var extra, intra float64
	for l, s := range sizes {
		if s == 0 {
			continue
		}
		var ss float64
		for t, v := range c[l*d : l*d+d] {
			e := v - mean[t]
			ss += float64(e * e)
		}
		extra += float64(float64(s) * ss)
	}
	for i, l := range labels {
		cl := c[int(l)*d : int(l)*d+d]
		for t, v := range X[i*d : i*d+d] {
			e := v - cl[t]
			intra += float64(e * e)
		}
	}
	if intra == 0 {
		return 1
	}
	return extra * float64(n-m) / (intra * float64(m-1))
}

// DaviesBouldin returns the Davies–Bouldin index of the clustering of the
// n×d matrix X by labels in [0, k), as sklearn.metrics.davies_bouldin_score:
// the mean over non-empty clusters i of maxⱼ (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖, where sᵢ
// is the mean distance of cluster i's members to its centroid cᵢ. Pairs of
// coincident centroids are skipped, and, as in sklearn, the index is 0 when
// all sᵢ or all centroid distances are within 1e-8 of zero. Lower is better.
//
// It returns NaN under the same conditions as CalinskiHarabasz.
func DaviesBouldin(X []float64, n, d int, labels []int32, k int) float64 {
	sizes, m, err := checkClustering(X, n, d, labels, k)
	if err != nil || checkLabelCount(m, n) != nil {
		return math.NaN()
	}
	c := centroids(X, d, labels, sizes)
	intra := make([]float64, k)
	for i, l := range labels {
		intra[l] += euclid(X[i*d:i*d+d], c[int(l)*d:int(l)*d+d])
	}
	// The non-empty clusters, in label order.
	var live []int
	for l, s := range sizes {
		if s > 0 {
			intra[l] /= float64(s)
			live = append(live, l)
		}
	}
	const atol = 1e-8 // numpy.allclose(a, 0)
	allSmall := true
	for _, l := range live {
		allSmall = allSmall && math.Abs(intra[l]) <= atol
	}
	dist := make([]float64, len(live)*len(live))
	allClose := true
	for a, la := range live {
		for b, lb := range live {
			if a != b {
				dist[a*len(live)+b] = euclid(c[la*d:la*d+d], c[lb*d:lb*d+d])
			}
			allClose = allClose && dist[a*len(live)+b] <= atol
		}
	}
	if allSmall || allClose {
		return 0
	}
	var total float64
	for a, la := range live {
		var worst float64
		for b, lb := range live {
			if dd := dist[a*len(live)+b]; dd != 0 {
				worst = max(worst, (intra[la]+intra[lb])/dd)
			}
		}
		total += worst
	}
	return total / float64(len(live))
}

func euclid(x, y []float64) float64 {
	y = y[:len(x)]
	var s float64
	for t, v := range x {
		e := v - y[t]
		s += float64(e * e)
	}
	return math.Sqrt(s)
}
