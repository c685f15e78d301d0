// Package metrics provides cluster-quality indices, clustering comparison
// measures and the small numerical tools used to choose and track customer
// segments.
//
// Data are dense and row-major: a matrix of n rows and d columns is a
// []float64 of length n·d where element (i, j) is X[i*d+j]. Cluster labels are
// int32 values in [0, k); labels in [0, k) that no row carries (empty
// clusters) are ignored, as scikit-learn ignores labels that do not occur.
// No function in this package modifies its inputs.
//
// The definitions follow scikit-learn 1.2.1 and are tested against it:
//
//   - Silhouette and SilhouetteSample: sklearn.metrics.silhouette_score with
//     the Euclidean metric. Distances are computed directly as
//     sqrt(Σ (xᵢ − yᵢ)²), which is more accurate than sklearn's
//     ‖x‖² + ‖y‖² − 2x·y expansion; the means agree to about 1e-13.
//   - CalinskiHarabasz: calinski_harabasz_score.
//   - DaviesBouldin: davies_bouldin_score.
//   - AdjustedRand: adjusted_rand_score, bit for bit (pair counts are exact
//     integers).
//
// MinSeparation is segment's own index of how clearly the closest two
// clusters are apart (their centres' distance over their spreads along the
// line joining them), used to recognise obvious structure when choosing k.
// Kneedle follows the kneed package (Satopää et al. 2011), Hungarian solves
// rectangular assignment problems, PSI is the population stability index and
// TransitionMatrix counts segment-to-segment moves.
//
// Everything is deterministic: the parallel silhouette computes fixed tiles
// in a fixed schedule, so every sum is formed in the same order and the
// result does not depend on GOMAXPROCS or on scheduling. Products that are
// accumulated are wrapped in explicit float64 conversions, which forbid the
// compiler from fusing them into FMA instructions (as it may on arm64 or with
// GOAMD64=v3), so results are also the same across architectures.
package metrics
