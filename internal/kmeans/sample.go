package kmeans

import (
	"math/rand/v2"
	"sort"
)

// sampleStream is the PCG stream constant of the sample's generator
// ("sample" in ASCII); its state is SplitMix64 output 0 of the seed, which
// no restart uses (restart i uses outputs 2i+1 and 2i+2).
const sampleStream = 0x73616d706c65

// coarseDiv sets the coarse sample of sample mode: its first
// SampleRows/coarseDiv rows (at least minCoarse).
const (
	coarseDiv = 8
	minCoarse = 1000
)

// coarseRows returns the size of the coarse level for a sample of m rows
// (m itself when the sample is too small to split).
func coarseRows(m int) int { return min(m, max(m/coarseDiv, minCoarse)) }

// sampleRows returns m distinct rows of 0..n-1 in increasing order, drawn
// uniformly without replacement by selection sampling (Knuth's Algorithm
// S): row i is taken with probability (m − taken)/(n − i), decided by an
// exact integer draw from a PCG seeded from seed alone, so the sample
// depends only on (n, m, seed) — the same for every k and every restart.
func sampleRows(n, m int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(splitmix64(seed, 0), sampleStream))
	idx := make([]int, 0, m)
	for i := 0; i < n && len(idx) < m; i++ {
		if rng.Uint64N(uint64(n-i)) < uint64(m-len(idx)) {
			idx = append(idx, i)
		}
	}
	return idx
}

// gatherRows copies the rows idx of X (and their weights, when w is not
// nil) into a new matrix.
func gatherRows(X []float64, d int, w []float64, idx []int) (Xs, ws []float64) {
	Xs = make([]float64, 0, len(idx)*d)
	for _, i := range idx {
		Xs = append(Xs, X[i*d:i*d+d]...)
	}
	if w != nil {
		ws = make([]float64, len(idx))
		for j, i := range idx {
			ws[j] = w[i]
		}
	}
	return Xs, ws
}

// allOnes reports whether w is non-nil and every weight is exactly 1, in
// which case the unweighted code path is used (bit-identical to nil).
func allOnes(w []float64) bool {
	if w == nil {
		return false
	}
	for _, v := range w {
		if v != 1 {
			return false
		}
	}
	return true
}

// positive counts the positive weights.
func positive(w []float64) int {
	c := 0
	for _, v := range w {
		if v > 0 {
			c++
		}
	}
	return c
}

// byKDesc returns the indices of ks ordered by k descending, ties by
// index.
func byKDesc(ks []int) []int {
	order := make([]int, len(ks))
	for a := range order {
		order[a] = a
	}
	sort.SliceStable(order, func(x, y int) bool { return ks[order[x]] > ks[order[y]] })
	return order
}

// shuffle permutes idx (Fisher–Yates) with a stream of seed, so that every
// prefix of the sample is itself a uniform sample.
func shuffle(idx []int, seed uint64) {
	rng := rand.New(rand.NewPCG(splitmix64(seed, 0), sampleStream+1))
	for i := len(idx) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
}
