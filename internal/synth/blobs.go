package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BlobSpec describes Gaussian blobs for testing how k is chosen.
type BlobSpec struct {
	Clusters int     // number of blobs, ≥ 1
	Dims     int     // dimensions, ≥ 1
	Rows     int     // rows in total (each blob gets at least one)
	Ratio    float64 // largest / smallest blob size, ≥ 1 (sizes in geometric progression)
	MinSep   float64 // smallest distance between two centres, in units of the blobs' σ (1)
	Box      float64 // centres are uniform in [−Box, Box]^Dims; 0 means 10
	Seed     uint64
}

// Blobs draws spec.Rows rows in spec.Dims dimensions (row-major) from
// spec.Clusters spherical unit-variance Gaussian blobs whose sizes fall
// geometrically from Ratio to 1 (blob 0 the largest) and whose centres, drawn
// uniformly in the box and redrawn until every pair is at least MinSep
// apart, are returned too; labels gives each row's blob. Rows are grouped
// by blob. The same spec always gives the same values.
func Blobs(spec BlobSpec) (X []float64, labels []int32, centres [][]float64, err error) {
	c, d := spec.Clusters, spec.Dims
	switch {
	case c < 1 || d < 1 || spec.Rows < c:
		return nil, nil, nil, fmt.Errorf("synth: blobs need 1 ≤ clusters ≤ rows and dims ≥ 1, got %d clusters, %d dims, %d rows", c, d, spec.Rows)
	case spec.Ratio < 1:
		return nil, nil, nil, fmt.Errorf("synth: blob size ratio %g is below 1", spec.Ratio)
	}
	box := spec.Box
	if box == 0 {
		box = 10
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0xb10b5))
	sizes := blobSizes(c, spec.Rows, spec.Ratio)
	for tries := 0; len(centres) < c; tries++ {
		if tries > 100000 {
			return nil, nil, nil, fmt.Errorf("synth: cannot place %d centres %g apart in [−%g, %g]^%d", c, spec.MinSep, box, box, d)
		}
		p := make([]float64, d)
		for j := range p {
			p[j] = box * (2*rng.Float64() - 1)
		}
		ok := true
		for _, q := range centres {
			var s float64
			for j := range p {
				s += (p[j] - q[j]) * (p[j] - q[j])
			}
			ok = ok && math.Sqrt(s) >= spec.MinSep
		}
		if ok {
			centres = append(centres, p)
		}
	}
	X = make([]float64, 0, spec.Rows*d)
	labels = make([]int32, 0, spec.Rows)
	for b, size := range sizes {
		for range size {
			for j := 0; j < d; j++ {
				X = append(X, centres[b][j]+rng.NormFloat64())
			}
			labels = append(labels, int32(b))
		}
	}
	return X, labels, centres, nil
}

// blobSizes splits rows into c sizes proportional to ratio^((c−1−i)/(c−1)),
// largest first, by largest remainders, each at least 1.
func blobSizes(c, rows int, ratio float64) []int {
	w := make([]float64, c)
	var tot float64
	for i := range w {
		w[i] = 1
		if c > 1 {
			w[i] = math.Pow(ratio, float64(c-1-i)/float64(c-1))
		}
		tot += w[i]
	}
	sizes := make([]int, c)
	left := rows - c
	sum := 0
	for i := range sizes {
		sizes[i] = 1 + int(float64(left)*w[i]/tot)
		sum += sizes[i]
	}
	for i := 0; sum < rows; i = (i + 1) % c {
		sizes[i]++
		sum++
	}
	return sizes
}
