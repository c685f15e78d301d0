package stability

import (
	"context"
	"math"
	"math/rand/v2"
)

// lloyd is a plain weighted k-means for the tests: restarts k-means++
// seeded starts (D² sampling) and runs Lloyd iterations until the labels
// stop changing, keeping the lowest inertia. It implements KMeansFunc.
func lloyd(restarts int) KMeansFunc {
	return func(ctx context.Context, X []float64, n, d, k int, w []float64, seed uint64) ([]int32, float64, error) {
		rng := rand.New(rand.NewPCG(seed, 99))
		var best []int32
		bestI := math.Inf(1)
		for r := 0; r < restarts; r++ {
			cent := plusplus(X, n, d, k, w, rng)
			labels := make([]int32, n)
			for i := range labels {
				labels[i] = -1
			}
			var inertia float64
			for it := 0; it < 300; it++ {
				changed := false
				inertia = 0
				for i := 0; i < n; i++ {
					j, dist := nearestCentre(X[i*d:i*d+d], cent, k)
					inertia += weightOf(w, i) * dist
					if labels[i] != int32(j) {
						labels[i], changed = int32(j), true
					}
				}
				if !changed {
					break
				}
				sum := make([]float64, k*d)
				tot := make([]float64, k)
				for i := 0; i < n; i++ {
					l := int(labels[i])
					tot[l] += weightOf(w, i)
					for f := 0; f < d; f++ {
						sum[l*d+f] += weightOf(w, i) * X[i*d+f]
					}
				}
				for j := 0; j < k; j++ {
					if tot[j] == 0 { // empty: restart the centre at a random row
						copy(cent[j*d:j*d+d], X[rng.IntN(n)*d:])
						continue
					}
					for f := 0; f < d; f++ {
						cent[j*d+f] = sum[j*d+f] / tot[j]
					}
				}
			}
			if inertia < bestI {
				best, bestI = labels, inertia
			}
		}
		return best, bestI, nil
	}
}

func nearestCentre(x, cent []float64, k int) (int, float64) {
	d := len(x)
	best, bestD := 0, math.Inf(1)
	for j := 0; j < k; j++ {
		var s float64
		for f := 0; f < d; f++ {
			t := x[f] - cent[j*d+f]
			s += t * t
		}
		if s < bestD {
			best, bestD = j, s
		}
	}
	return best, bestD
}

func plusplus(X []float64, n, d, k int, w []float64, rng *rand.Rand) []float64 {
	cent := make([]float64, 0, k*d)
	first := rng.IntN(n)
	cent = append(cent, X[first*d:first*d+d]...)
	dist := make([]float64, n)
	for len(cent) < k*d {
		var tot float64
		for i := 0; i < n; i++ {
			_, dist[i] = nearestCentre(X[i*d:i*d+d], cent, len(cent)/d)
			dist[i] *= weightOf(w, i)
			tot += dist[i]
		}
		u := rng.Float64() * tot
		pick := n - 1
		for i, v := range dist {
			if u < v {
				pick = i
				break
			}
			u -= v
		}
		cent = append(cent, X[pick*d:pick*d+d]...)
	}
	return cent
}

// blobs draws n rows around the given centres (d = len(centre)/len) with
// standard deviation sd; it returns the rows and the true blob of each.
func blobs(seed uint64, n int, centres [][]float64, sd float64) ([]float64, []int32) {
	rng := rand.New(rand.NewPCG(seed, 5))
	d := len(centres[0])
	X := make([]float64, n*d)
	truth := make([]int32, n)
	for i := 0; i < n; i++ {
		b := i % len(centres)
		truth[i] = int32(b)
		for f := 0; f < d; f++ {
			X[i*d+f] = centres[b][f] + sd*rng.NormFloat64()
		}
	}
	return X, truth
}
