package kmeans

import (
	"math"
	"math/rand/v2"
	"testing"
)

// nearest2Ref is the plain definition: first index of the smallest
// sqDist, and the smallest distance among the other centres.
func nearest2Ref(x, centers []float64, k int) (int, float64, float64) {
	d := len(x)
	best, d1 := 0, inf
	for j := 0; j < k; j++ {
		if s := sqDist(x, centers[j*d:j*d+d]); s < d1 {
			best, d1 = j, s
		}
	}
	d2 := inf
	for j := 0; j < k; j++ {
		if j != best {
			d2 = math.Min(d2, sqDist(x, centers[j*d:j*d+d]))
		}
	}
	return best, d1, d2
}

// TestNearest2Kernels: the branchy (k ≤ 4) and branch-free (k > 4) kernels
// both return the plain definition's bits, ties and duplicate centres
// included.
func TestNearest2Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, d := range []int{1, 3, 6} {
		for k := 1; k <= 13; k++ {
			centers := make([]float64, k*d)
			for i := range centers {
				centers[i] = float64(rng.IntN(5)) // small grid: many exact ties
			}
			copy(centers[(k-1)*d:], centers[:d]) // a duplicate centre
			for p := 0; p < 500; p++ {
				x := make([]float64, d)
				for i := range x {
					x[i] = float64(rng.IntN(9))/2 - 0.5
				}
				b, d1, d2 := nearest2(x, centers, k)
				rb, rd1, rd2 := nearest2Ref(x, centers, k)
				if b != rb || math.Float64bits(d1) != math.Float64bits(rd1) || math.Float64bits(d2) != math.Float64bits(rd2) {
					t.Fatalf("d=%d k=%d x=%v: (%d %v %v), want (%d %v %v)", d, k, x, b, d1, d2, rb, rd1, rd2)
				}
			}
		}
	}
}
