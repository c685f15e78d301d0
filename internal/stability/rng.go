package stability

import "math/rand/v2"

// splitmix64 returns output i (1-based) of SplitMix64 started at seed.
func splitmix64(seed, i uint64) uint64 {
	z := seed + i*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// stream returns generator number i of a family salted by salt: a PCG
// seeded from SplitMix64 outputs, depending only on (seed, salt, i).
func stream(seed, salt uint64, i int) *rand.Rand {
	s := seed ^ salt
	return rand.New(rand.NewPCG(splitmix64(s, 2*uint64(i)+1), splitmix64(s, 2*uint64(i)+2)))
}

// derivedSeed is the seed handed to a fitter for (salt, i).
func derivedSeed(seed, salt uint64, i int) uint64 {
	return splitmix64(seed^salt, 1<<40+uint64(i))
}

// Salts separating the random streams of the different uses of one seed.
const (
	saltReference = 0x6761702d72656600 // "gap-ref"
	saltGapFit    = 0x6761702d66697400 // "gap-fit"
	saltGapSample = 0x6761702d736d7000 // "gap-smp"
	saltResample  = 0x626f6f742d727300 // "boot-rs"
	saltBootFit   = 0x626f6f742d667400 // "boot-ft"
)
