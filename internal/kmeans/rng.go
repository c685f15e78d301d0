package kmeans

import "math/rand/v2"

// splitmixGamma is SplitMix64's increment (2^64 / golden ratio, odd).
const splitmixGamma = 0x9E3779B97F4A7C15

// splitmix64 returns output number i (1-based) of the SplitMix64 generator
// started at state seed: the state after i steps is seed + i·γ, passed
// through SplitMix64's finaliser.
func splitmix64(seed, i uint64) uint64 {
	z := seed + i*splitmixGamma
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// restartRand returns restart i's generator: a math/rand/v2 PCG seeded with
// outputs 2i+1 and 2i+2 of SplitMix64 started at seed. Each restart's stream
// depends only on (seed, i), so restarts can run in any order or in parallel.
func restartRand(seed uint64, i int) *rand.Rand {
	s1 := splitmix64(seed, 2*uint64(i)+1)
	s2 := splitmix64(seed, 2*uint64(i)+2)
	return rand.New(rand.NewPCG(s1, s2))
}
