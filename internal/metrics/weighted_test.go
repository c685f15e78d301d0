package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWeightedIndicesEqualRepeated: with integer weights (zeros included)
// the weighted Calinski–Harabasz, Davies–Bouldin, separation and
// silhouette equal the unweighted indices of the repeated rows.
func TestWeightedIndicesEqualRepeated(t *testing.T) {
	const tol = 1e-9
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		n, d, k := 12+rng.IntN(20), 1+rng.IntN(3), 2+rng.IntN(3)
		X := make([]float64, n*d)
		labels := make([]int32, n)
		w := make([]float64, n)
		for i := range n {
			labels[i] = int32(i % k)
			w[i] = float64(rng.IntN(4))
			if i < k {
				w[i] = 1 + w[i] // every cluster weighs something
			}
			for j := range d {
				X[i*d+j] = float64(labels[i])*3 + rng.NormFloat64()
			}
		}
		var R []float64
		var RL []int32
		for i := range n {
			for range int(w[i]) {
				R = append(R, X[i*d:i*d+d]...)
				RL = append(RL, labels[i])
			}
		}
		m := len(RL)
		near := func(what string, a, b float64) {
			if !(math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))) {
				t.Fatalf("trial %d %s: weighted %v, repeated %v", trial, what, a, b)
			}
		}
		near("CH", CalinskiHarabaszWeighted(X, n, d, labels, k, w), CalinskiHarabasz(R, m, d, RL, k))
		near("DB", DaviesBouldinWeighted(X, n, d, labels, k, w), DaviesBouldin(R, m, d, RL, k))
		sw, sr := MinSeparationWeighted(X, n, d, labels, k, w), MinSeparation(R, m, d, RL, k)
		near("separation", sw.Min, sr.Min)
		dist := func(a, b int) float64 { return euclid(X[a*d:a*d+d], X[b*d:b*d+d]) }
		sil, err := SilhouetteDist(n, labels, k, w, dist)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Silhouette(R, m, d, RL, k)
		if err != nil {
			t.Fatal(err)
		}
		near("silhouette", sil, want)
		// nil weights: the unweighted index
		plain, _ := SilhouetteDist(n, labels, k, nil, dist)
		ref, _ := Silhouette(X, n, d, labels, k)
		near("silhouette (no weights)", plain, ref)
		if CalinskiHarabaszWeighted(X, n, d, labels, k, nil) != CalinskiHarabasz(X, n, d, labels, k) {
			t.Fatal("nil weights must be the unweighted CH, bit for bit")
		}
	}
}
