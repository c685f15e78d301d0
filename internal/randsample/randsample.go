package randsample

import (
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Below returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method ("Fast random integer generation in an
// interval", 2019).
func Below(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// Select returns m ≤ n distinct indices of [0, n), in increasing order,
// chosen uniformly by Knuth's selection sampling (Algorithm S): index i is
// taken with probability (m − taken)/(n − i). It draws once per index
// visited, so the sample depends only on n, m and the source.
func Select(src *rand.PCG, n, m int) []int {
	idx := make([]int, 0, m)
	for i := 0; i < n && len(idx) < m; i++ {
		if Below(src, uint64(n-i)) < uint64(m-len(idx)) {
			idx = append(idx, i)
		}
	}
	return idx
}

// Choose returns m of rows (all of them, copied, when m ≥ len(rows)) chosen
// uniformly without replacement by a partial Fisher–Yates shuffle, sorted
// ascending. rows is not modified.
func Choose(src *rand.PCG, rows []int, m int) []int {
	pool := append([]int(nil), rows...)
	if m >= len(pool) {
		return pool
	}
	for i := range m {
		j := i + int(Below(src, uint64(len(pool)-i)))
		pool[i], pool[j] = pool[j], pool[i]
	}
	chosen := pool[:m]
	slices.Sort(chosen)
	return chosen
}
