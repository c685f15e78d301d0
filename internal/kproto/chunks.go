package kproto

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
)

// chunkRows is the fixed number of rows per reduction chunk. Sums over rows
// are sequential inside a chunk and the chunk partials are added in chunk
// order; chunk boundaries depend only on n, so results do not depend on how
// many goroutines run the chunks.
const chunkRows = 2048

func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

func chunkBounds(c, n int) (lo, hi int) {
	lo = c * chunkRows
	return lo, min(lo+chunkRows, n)
}

// forChunks calls fn(c, lo, hi) for every chunk of n rows on up to workers
// goroutines. fn may only write chunk-local state.
func forChunks(n, workers int, fn func(c, lo, hi int)) {
	nc := numChunks(n)
	if workers <= 1 || nc <= 1 {
		for c := 0; c < nc; c++ {
			lo, hi := chunkBounds(c, n)
			fn(c, lo, hi)
		}
		return
	}
	workers = min(workers, nc)
	var next atomic.Int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for g := 0; g < workers; g++ {
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= nc {
					return
				}
				lo, hi := chunkBounds(c, n)
				fn(c, lo, hi)
			}
		}()
	}
	wg.Wait()
}

// splitmix64 returns output i (1-based) of SplitMix64 started at seed.
func splitmix64(seed, i uint64) uint64 {
	z := seed + i*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// restartRand is restart i's generator: a PCG seeded with SplitMix64
// outputs 2i+1 and 2i+2 from seed, so it depends only on (seed, i).
func restartRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix64(seed, 2*uint64(i)+1), splitmix64(seed, 2*uint64(i)+2)))
}
