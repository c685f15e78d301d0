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

// BenchmarkScan times the k = 2..10, NInit = 10 scan on 1M × 6
// overlapping blobs in sample mode (the default above 200k rows), and with
// sample mode off for k = 8 alone (the full cost it saves).
func BenchmarkScan(b *testing.B) {
	const n, d = 1_000_000, 6
	X := benchData(n, d, 8)
	ks := []int{2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("n=1M/d=6/k=2..10/workers=%d", workers), func(b *testing.B) {
			opt := DefaultOptions(0)
			opt.Workers = workers
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Scan(context.Background(), X, n, d, ks, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("n=1M/d=6/k=8/sample-mode-off/workers=2", func(b *testing.B) {
		opt := DefaultOptions(8)
		opt.Workers, opt.SampleAbove = 2, -1
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Fit(context.Background(), X, n, d, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
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
