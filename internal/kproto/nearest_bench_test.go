package kproto

import (
	"math/rand/v2"
	"testing"
)

func benchState(b *testing.B, n, p, q, k int) *state {
	rng := rand.New(rand.NewPCG(1, 2))
	num := make([]float64, n*p)
	for i := range num {
		num[i] = rng.NormFloat64()
	}
	cat := make([][]int32, q)
	for c := range cat {
		cat[c] = make([]int32, n)
		for i := range cat[c] {
			cat[c][i] = int32(rng.IntN(5))
		}
	}
	opt := DefaultOptions(k)
	pr, err := newProblem(num, n, p, cat, &opt)
	if err != nil {
		b.Fatal(err)
	}
	s := newState(pr, rng, 1)
	for j := 0; j < k; j++ {
		x, a := pr.row(j)
		s.setPrototype(j, x, a)
	}
	return s
}

func BenchmarkNearest(b *testing.B) {
	s := benchState(b, 1<<16, 5, 5, 6)
	b.ResetTimer()
	var sink int
	for it := 0; it < b.N; it++ {
		j, _ := s.nearest(it&(1<<16-1), s.dist, s.acc)
		sink += j
	}
	_ = sink
}

// BenchmarkFit100k: 100,000 rows × (5 numeric + 5 categorical), k = 6,
// NInit = 10, with 6 latent segments like bench/kproto's generator
// (bench/kproto times 1M rows).
func BenchmarkFit100k(b *testing.B) {
	const n, segs = 100_000, 6
	rng := rand.New(rand.NewPCG(1, 1))
	centre := make([]float64, segs*5)
	for i := range centre {
		centre[i] = 2 * rng.NormFloat64()
	}
	cards := []int{3, 4, 5, 6, 8}
	tb := table{n: n, p: 5, num: make([]float64, n*5), cat: make([][]int32, 5)}
	for c := range tb.cat {
		tb.cat[c] = make([]int32, n)
	}
	for i := 0; i < n; i++ {
		s := rng.IntN(segs)
		for f := 0; f < 5; f++ {
			tb.num[i*5+f] = centre[s*5+f] + rng.NormFloat64()
		}
		for c, card := range cards {
			tb.cat[c][i] = int32((s + c) % card)
			if rng.Float64() < 0.4 {
				tb.cat[c][i] = int32(rng.IntN(card))
			}
		}
	}
	opt := DefaultOptions(6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fit(b.Context(), tb.num, tb.n, tb.p, tb.cat, opt); err != nil {
			b.Fatal(err)
		}
	}
}
