package kmeans

import (
	"context"
	"fmt"
	"testing"
)

// Benchmarks on seeded Gaussian blobs (overlapping, so Lloyd needs tens of
// iterations). Run: go test -run '^$' -bench . -benchmem ./internal/kmeans

func benchData(n, d, k int) []float64 {
	X, _ := blobs(n, d, k, 4, 99)
	return X
}

func BenchmarkFit(b *testing.B) {
	for _, tc := range []struct{ n, d, k, ninit, workers int }{
		{100_000, 10, 8, 1, 1},
		{100_000, 10, 8, 10, 1},
		{100_000, 10, 8, 10, 2},
		{10_000, 3, 4, 10, 1},
	} {
		X := benchData(tc.n, tc.d, tc.k)
		b.Run(fmt.Sprintf("n=%d/d=%d/k=%d/ninit=%d/workers=%d", tc.n, tc.d, tc.k, tc.ninit, tc.workers), func(b *testing.B) {
			opt := DefaultOptions(tc.k)
			opt.NInit, opt.Workers = tc.ninit, tc.workers
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Fit(context.Background(), X, tc.n, tc.d, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFitMuesli(b *testing.B) {
	const n, d, k = 20_000, 10, 8
	X := benchData(n, d, k)
	opt := DefaultOptions(k)
	opt.NInit, opt.Workers = 1, 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitMuesli(context.Background(), X, n, d, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssign(b *testing.B) {
	const n, d, k = 100_000, 10, 8
	X := benchData(n, d, k)
	centers := X[:k*d]
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Assign(X, n, d, centers, k); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlusPlus times k-means++ seeding alone (one restart, one
// goroutine).
func BenchmarkPlusPlus(b *testing.B) {
	const n, d, k = 100_000, 10, 8
	X := benchData(n, d, k)
	w := newWorker(newProblem(X, n, d, nil, 300, 0), 1)
	w.setK(k)
	centers := make([]float64, k*d)
	labels := make([]int32, n)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := w.plusplus(context.Background(), restartRand(0, i), centers, labels); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearest2 times the full-search kernel per point.
func BenchmarkNearest2(b *testing.B) {
	const n, d, k = 4096, 10, 8
	X := benchData(n, d, k)
	centers := X[:k*d]
	var sink int
	for i := 0; b.Loop(); i++ {
		j, _, _ := nearest2(X[(i%n)*d:(i%n)*d+d], centers, k)
		sink += j
	}
	_ = sink
}
