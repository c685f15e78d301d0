package metrics

import (
	"math/rand/v2"
	"testing"
)

// blobs returns n rows of d features drawn around k well-separated centres,
// and their labels, from a fixed seed.
func blobs(n, d, k int, seed uint64) ([]float64, []int32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 6 * rng.NormFloat64()
	}
	X := make([]float64, n*d)
	labels := make([]int32, n)
	for i := 0; i < n; i++ {
		l := rng.IntN(k)
		labels[i] = int32(l)
		for t := 0; t < d; t++ {
			X[i*d+t] = centres[l*d+t] + rng.NormFloat64()
		}
	}
	return X, labels
}

func BenchmarkSilhouetteExact10000x10(b *testing.B) {
	const n, d, k = 10000, 10, 5
	X, labels := blobs(n, d, k, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Silhouette(X, n, d, labels, k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSilhouetteSample1000000x10(b *testing.B) {
	const n, d, k, m = 1000000, 10, 5, 10000
	X, labels := blobs(n, d, k, 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SilhouetteSample(X, n, d, labels, k, m, 3); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMinSeparation1Mx6: the separation of one k-means fit (k = 10)
// of 1,000,000 rows × 6 features, as k: auto computes it for every k.
func BenchmarkMinSeparation1Mx6(b *testing.B) {
	n, d, k := 1000000, 6, 10
	X := make([]float64, n*d)
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(i % k)
		for j := 0; j < d; j++ {
			X[i*d+j] = float64((i*31+j*17)%1000) + float64(labels[i]*100)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		MinSeparation(X, n, d, labels, k)
	}
}
