package metrics

import (
	"errors"
	"math"
	"runtime"
	"sync"
)

// Weighted indices. With frequency weights w (finite, ≥ 0) row i counts
// w_i times: every index below equals the unweighted index of the table in
// which each row is repeated w_i times (integer weights; up to rounding).
// Rows of weight 0 take no part. nil weights give the unweighted index.

// weightedCentroids returns the k×d weighted cluster means and each
// cluster's total weight.
func weightedCentroids(X []float64, d int, labels []int32, k int, w []float64) ([]float64, []float64) {
	c := make([]float64, k*d)
	tot := make([]float64, k)
	for i, l := range labels {
		if !(w[i] > 0) {
			continue
		}
		tot[l] += w[i]
		ci, xi := c[int(l)*d:int(l)*d+d], X[i*d:i*d+d]
		for t, v := range xi {
			ci[t] += float64(w[i] * v)
		}
	}
	for l, s := range tot {
		if s > 0 {
			for t := range c[l*d : l*d+d] {
				c[l*d+t] /= s
			}
		}
	}
	return c, tot
}

// CalinskiHarabaszWeighted is CalinskiHarabasz with frequency weights:
// [B/(m−1)] / [W/(N−m)] with N = Σw, B = Σ_l W_l‖c_l − c‖² and W =
// Σ w_i‖x_i − c_{l_i}‖², weighted means throughout.
func CalinskiHarabaszWeighted(X []float64, n, d int, labels []int32, k int, w []float64) float64 {
	if w == nil {
		return CalinskiHarabasz(X, n, d, labels, k)
	}
	if _, _, err := checkClustering(X, n, d, labels, k); err != nil {
		return math.NaN()
	}
	c, tot := weightedCentroids(X, d, labels, k, w)
	var N float64
	m := 0
	for _, s := range tot {
		N += s
		if s > 0 {
			m++
		}
	}
	if m < 2 || float64(m) > N-1 {
		return math.NaN()
	}
	mean := make([]float64, d)
	for l, s := range tot {
		for t := range mean {
			mean[t] += float64(s * c[l*d+t])
		}
	}
	for t := range mean {
		mean[t] /= N
	}
	var extra, intra float64
	for l, s := range tot {
		if s == 0 {
			continue
		}
		var ss float64
		for t, v := range c[l*d : l*d+d] {
			e := v - mean[t]
			ss += float64(e * e)
		}
		extra += float64(s * ss)
	}
	for i, l := range labels {
		if !(w[i] > 0) {
			continue
		}
		var ss float64
		ci := c[int(l)*d : int(l)*d+d]
		for t, v := range X[i*d : i*d+d] {
			e := v - ci[t]
			ss += float64(e * e)
		}
		intra += float64(w[i] * ss)
	}
	if intra == 0 {
		return 1
	}
	return extra * (N - float64(m)) / (intra * float64(m-1))
}

// DaviesBouldinWeighted is DaviesBouldin with frequency weights: each
// cluster's scatter is the weighted mean Euclidean distance of its rows to
// its weighted mean.
func DaviesBouldinWeighted(X []float64, n, d int, labels []int32, k int, w []float64) float64 {
	if w == nil {
		return DaviesBouldin(X, n, d, labels, k)
	}
	if _, _, err := checkClustering(X, n, d, labels, k); err != nil {
		return math.NaN()
	}
	c, tot := weightedCentroids(X, d, labels, k, w)
	s := make([]float64, k)
	for i, l := range labels {
		if w[i] > 0 {
			s[l] += float64(w[i] * euclid(X[i*d:i*d+d], c[int(l)*d:int(l)*d+d]))
		}
	}
	var live []int
	for l := range k {
		if tot[l] > 0 {
			s[l] /= tot[l]
			live = append(live, l)
		}
	}
	if len(live) < 2 {
		return math.NaN()
	}
	const atol = 1e-8 // numpy.allclose(a, 0), as DaviesBouldin
	allSmall, allClose := true, true
	for _, l := range live {
		allSmall = allSmall && math.Abs(s[l]) <= atol
	}
	for _, a := range live {
		for _, b := range live {
			if a != b {
				allClose = allClose && euclid(c[a*d:a*d+d], c[b*d:b*d+d]) <= atol
			}
		}
	}
	if allSmall || allClose {
		return 0
	}
	var sum float64
	for _, a := range live {
		worst := 0.0
		for _, b := range live {
			if a == b {
				continue
			}
			if dd := euclid(c[a*d:a*d+d], c[b*d:b*d+d]); dd != 0 {
				worst = max(worst, (s[a]+s[b])/dd)
			}
		}
		sum += worst
	}
	return sum / float64(len(live))
}

// MinSeparationWeighted is MinSeparation with frequency weights: weighted
// means and weighted population covariances.
func MinSeparationWeighted(X []float64, n, d int, labels []int32, k int, w []float64) Separation {
	if w == nil {
		return MinSeparation(X, n, d, labels, k)
	}
	none := Separation{Min: math.NaN(), P: -1, Q: -1}
	if _, _, err := checkClustering(X, n, d, labels, k); err != nil {
		return none
	}
	c, tot := weightedCentroids(X, d, labels, k, w)
	cov := make([]float64, k*d*d)
	diff := make([]float64, d)
	for i, l := range labels {
		if !(w[i] > 0) {
			continue
		}
		ci, xi := c[int(l)*d:int(l)*d+d], X[i*d:i*d+d]
		for a := range diff {
			diff[a] = xi[a] - ci[a]
		}
		S := cov[int(l)*d*d : int(l)*d*d+d*d]
		for a, da := range diff {
			for b := range d {
				S[a*d+b] += float64(w[i] * float64(da*diff[b]))
			}
		}
	}
	best := none
	u := make([]float64, d)
	spread := func(l int) float64 {
		S := cov[l*d*d : l*d*d+d*d]
		var v float64
		for a := range d {
			for b := range d {
				v += float64(u[a] * float64(S[a*d+b]*u[b]))
			}
		}
		return math.Sqrt(max(v/tot[l], 0))
	}
	for p := range k {
		for q := p + 1; q < k; q++ {
			if tot[p] == 0 || tot[q] == 0 {
				continue
			}
			var norm float64
			for a := range d {
				u[a] = c[q*d+a] - c[p*d+a]
				norm += float64(u[a] * u[a])
			}
			norm = math.Sqrt(norm)
			sep := 0.0
			if norm > 0 {
				for a := range u {
					u[a] /= norm
				}
				den := spread(p) + spread(q)
				if den == 0 {
					sep = math.Inf(1)
				} else {
					sep = norm / den
				}
			}
			if best.P < 0 || sep < best.Min {
				best = Separation{Min: sep, P: p, Q: q}
			}
		}
	}
	return best
}

// SilhouetteDist returns the mean silhouette of m points with labels in
// [0, k), frequency weights w (nil = 1) and the distance function dist
// (symmetric, dist(i, i) = 0): for point i in cluster A of total weight
// W_A,
//
//	a(i) = Σ_{j∈A} w_j d(i, j) / (W_A − 1)
//	b(i) = min over other clusters B of Σ_{j∈B} w_j d(i, j) / W_B
//	s(i) = (b − a) / max(a, b), 0 when W_A ≤ 1
//
// and the result is Σ w_i s(i) / Σ w_i — sklearn's silhouette_score of the
// table with each point repeated w_i times (its copies are at distance 0
// in its own cluster). Rows are shared among GOMAXPROCS goroutines; each
// s(i) is computed by one goroutine and the sum runs in row order, so the
// result does not depend on the number of goroutines. An error is
// returned with fewer than 2 non-empty clusters.
func SilhouetteDist(m int, labels []int32, k int, w []float64, dist func(i, j int) float64) (float64, error) {
	weight := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	tot := make([]float64, k)
	for i, l := range labels {
		tot[l] += weight(i)
	}
	live := 0
	for _, t := range tot {
		if t > 0 {
			live++
		}
	}
	if live < 2 {
		return math.NaN(), errors.New("the silhouette needs at least 2 non-empty clusters")
	}
	s := make([]float64, m)
	workers := max(1, min(runtime.GOMAXPROCS(0), m))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums := make([]float64, k)
			for i := range next {
				if !(weight(i) > 0) {
					continue
				}
				clear(sums)
				for j := range m {
					if wj := weight(j); wj > 0 && j != i {
						sums[labels[j]] += float64(wj * dist(i, j))
					}
				}
				own := labels[i]
				if tot[own] <= 1 {
					s[i] = 0
					continue
				}
				a := sums[own] / (tot[own] - 1)
				b := math.Inf(1)
				for l, t := range tot {
					if int32(l) != own && t > 0 {
						b = min(b, sums[l]/t)
					}
				}
				if mx := max(a, b); mx > 0 {
					s[i] = (b - a) / mx
				}
			}
		}()
	}
	for i := range m {
		next <- i
	}
	close(next)
	wg.Wait()
	var num, den float64
	for i := range m {
		wi := weight(i)
		num += float64(wi * s[i])
		den += wi
	}
	return num / den, nil
}

// SampleRows returns the sorted indices of the silhouette sample: all n
// rows when n ≤ size, else the uniform sample SilhouetteSample draws for
// (n, size, seed).
func SampleRows(n, size int, seed uint64) []int {
	if n <= size {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	return sampleIndices(n, size, seed)
}
