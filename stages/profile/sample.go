package profile

import (
	"math/rand/v2"
	"sort"

	"github.com/churnlab/segment/internal/randsample"
)

// allocate splits m sample rows among segments of the given sizes in
// proportion to their size (Hamilton's largest-remainder method, ties to
// the lower index), giving every non-empty segment at least one row (taken
// from the segment with the largest allocation, ties to the lower index).
// When the sizes sum to m or less every row is taken.
func allocate(sizes []int, m int) []int {
	n := 0
	for _, s := range sizes {
		n += s
	}
	out := make([]int, len(sizes))
	if n <= m {
		copy(out, sizes)
		return out
	}
	type rem struct {
		s    int
		frac float64
	}
	rems := make([]rem, len(sizes))
	used := 0
	for s, size := range sizes {
		q := float64(m) * float64(size) / float64(n)
		out[s] = int(q)
		rems[s] = rem{s, q - float64(out[s])}
		used += out[s]
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].frac > rems[b].frac })
	for i := 0; used < m; i++ {
		out[rems[i].s]++
		used++
	}
	for s, size := range sizes {
		if size > 0 && out[s] == 0 {
			big := 0
			for j := range out {
				if out[j] > out[big] {
					big = j
				}
			}
			if out[big] > 1 {
				out[big]--
				out[s] = 1
			}
		}
	}
	return out
}

// sampleRows draws take[s] rows of each segment without replacement: a
// partial Fisher–Yates shuffle of the segment's rows driven by PCG-DXSM
// seeded with (seed, s), the chosen rows sorted ascending
// (randsample.Choose). The result is a pure function of its arguments.
// members is not modified.
func sampleRows(members [][]int, take []int, seed uint64) [][]int {
	out := make([][]int, len(members))
	for s, rows := range members {
		out[s] = randsample.Choose(rand.NewPCG(seed, uint64(s)), rows, take[s])
	}
	return out
}
