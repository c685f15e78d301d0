// Package randsample draws reproducible random samples of row indices from a
// math/rand/v2 PCG source. The algorithms are spelled out here, using only
// the generator's 64-bit outputs, so that the same seed gives the same sample
// in every Go release (rand.Rand's helpers may change how they draw).
//
// Silhouette sampling (internal/metrics) and the profile stage's plot sample
// both draw through it.
package randsample
