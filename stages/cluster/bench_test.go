package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/churnlab/segment/internal/scale"
)

// benchMatrix is n rows of d standardised features drawn around 6 centres.
func benchMatrix(n, d int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := make([]float64, 6*d)
	for i := range centres {
		centres[i] = 4 * rng.NormFloat64()
	}
	X := make([]float64, n*d)
	for i := 0; i < n; i++ {
		c := rng.IntN(6)
		for j := 0; j < d; j++ {
			X[i*d+j] = centres[c*d+j] + rng.NormFloat64()
		}
	}
	feats := make([]string, d)
	for j := range feats {
		feats[j] = fmt.Sprint("f", j)
	}
	s, err := scale.Fit(scale.Standard, X, n, d, feats, nil)
	if err != nil {
		panic(err)
	}
	Z, _ := s.Transform(X, n)
	return Z
}

// BenchmarkElbow is the stage's k: auto work (fits, silhouette on a
// 10,000-row sample, Calinski–Harabasz, Davies–Bouldin) for k = 2..10 with
// n_init 10, without reading or writing files. The 1,000,000-row job
// through `segment run` is bench/cluster/run.sh.
func BenchmarkElbow(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		const d = 6
		Z := benchMatrix(n, d)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			for b.Loop() {
				f := &fitter{Z: Z, n: n, d: d, set: fitSettings{
					engine: EngineNative, nInit: DefaultNInit, maxIter: DefaultMaxIter, tol: DefaultTol,
					seed: 1, silSample: DefaultSilhouetteSample, silSeed: 2,
				}}
				if _, _, err := f.fitRange(context.Background(), Range{2, 10}.Ks(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
