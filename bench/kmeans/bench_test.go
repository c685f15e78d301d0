package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/churnlab/segment/internal/kmeans"
)

// churnMatrix is written by run.sh (segment synth churn --rows 1000000
// --seed 1, then `kmeansbench csv`): 1M rows × the 6 features of
// configs/churn.yaml, standardised.
const churnMatrix = "../../bench/out/churn_1m_6.f64"

// BenchmarkChurnScan times the k: auto scan of issue 10 (k = 2..10,
// NInit = 10, default options) on the 1M-row churn matrix: one Scan call,
// and one Fit per k as the cluster stage does today. Skipped when run.sh
// has not written the matrix.
//
//	go test -run '^$' -bench . -benchmem ./bench/kmeans
func BenchmarkChurnScan(b *testing.B) {
	X, n, d, err := readMatrix(churnMatrix)
	if errors.Is(err, fs.ErrNotExist) {
		b.Skipf("%s missing: run bench/kmeans/run.sh first", churnMatrix)
	}
	if err != nil {
		b.Fatal(err)
	}
	ks := []int{2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, workers := range []int{1, 2} {
		opt := kmeans.DefaultOptions(0)
		opt.Workers = workers
		b.Run(fmt.Sprintf("Scan/workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := kmeans.Scan(context.Background(), X, n, d, ks, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("FitPerK/workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, k := range ks {
					o := opt
					o.K = k
					if _, err := kmeans.Fit(context.Background(), X, n, d, o); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
