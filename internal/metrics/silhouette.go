package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/churnlab/segment/internal/randsample"
)

// silhouetteBlock is the number of rows in a block; tiles are
// silhouetteBlock×silhouetteBlock distances. It is a constant, so the order
// of every sum, and hence the result, does not depend on the number of
// workers.
const silhouetteBlock = 64

// sampleStream is the second PCG word used by SilhouetteSample.
const sampleStream = 0x5eed5111_0e77e5a3

// Silhouette returns the mean silhouette coefficient of the clustering of the
// n×d row-major matrix X given by labels in [0, k), with Euclidean distances,
// as sklearn.metrics.silhouette_score.
//
// For row i in cluster A, a(i) is the mean distance to the other members of
// A and b(i) the smallest mean distance to the members of another non-empty
// cluster; s(i) = (b − a) / max(a, b), with s(i) = 0 when A has a single
// member or when a = b = 0. The result is the mean of s(i) over all rows.
//
// The computation is exact (every distance is computed, once per pair) but
// never stores a distance matrix: the extra memory is O(n·k) for per-row,
// per-cluster distance sums plus a 64×64 tile per worker. Tiles are computed
// in parallel in a fixed schedule, so the result is bit-identical for any
// GOMAXPROCS. The cost is O(n²·d); use SilhouetteSample for large n.
//
// It returns an error if the shapes disagree, a value is not finite, a label
// is outside [0, k), k < 2, or fewer than 2 (or more than n − 1) clusters are
// non-empty.
func Silhouette(X []float64, n, d int, labels []int32, k int) (float64, error) {
	sizes, nonEmpty, err := checkClustering(X, n, d, labels, k)
	if err != nil {
		return math.NaN(), err
	}
	if err := checkLabelCount(nonEmpty, n); err != nil {
		return math.NaN(), err
	}
	return silhouette(X, n, d, labels, sizes), nil
}

// SilhouetteSample estimates the mean silhouette from a random sample of
// sampleSize rows, as silhouette_score(..., sample_size=sampleSize) does: the
// silhouette is computed exactly within the sample, so distances to rows
// outside the sample are not used. If n ≤ sampleSize it returns the exact
// Silhouette.
//
// The sample is a uniform simple random sample without replacement (not
// stratified by cluster, like sklearn's), drawn by selection sampling
// (Knuth's Algorithm S, internal/randsample) from a math/rand/v2 PCG source
// seeded with (seed, a fixed stream constant), so that the same arguments
// give the same sample in every Go version. The sample does
// not depend on the labels or the data, only on n, sampleSize and seed. A
// small cluster may be absent from the sample; an error is returned if fewer
// than 2 clusters remain.
func SilhouetteSample(X []float64, n, d int, labels []int32, k, sampleSize int, seed uint64) (float64, error) {
	_, nonEmpty, err := checkClustering(X, n, d, labels, k)
	if err != nil {
		return math.NaN(), err
	}
	if err := checkLabelCount(nonEmpty, n); err != nil {
		return math.NaN(), err
	}
	if sampleSize < 2 {
		return math.NaN(), fmt.Errorf("silhouette sample size %d is below 2", sampleSize)
	}
	if n <= sampleSize {
		return Silhouette(X, n, d, labels, k)
	}
	idx := sampleIndices(n, sampleSize, seed)
	m := len(idx)
	xs := make([]float64, m*d)
	ls := make([]int32, m)
	sizes := make([]int, k)
	for r, i := range idx {
		copy(xs[r*d:r*d+d], X[i*d:i*d+d])
		ls[r] = labels[i]
		sizes[labels[i]]++
	}
	nonEmpty = 0
	for _, s := range sizes {
		if s > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 2 || nonEmpty > m-1 {
		return math.NaN(), errors.New("the silhouette sample contains fewer than 2 clusters; increase the sample size")
	}
	return silhouette(xs, m, d, ls, sizes), nil
}

// sampleIndices returns m ≤ n distinct indices of [0, n), in increasing
// order, chosen uniformly by selection sampling from the PCG stream (seed,
// sampleStream).
func sampleIndices(n, m int, seed uint64) []int {
	return randsample.Select(rand.NewPCG(seed, sampleStream), n, m)
}
