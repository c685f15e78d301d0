package synth

import (
	"math"
	"slices"
	"testing"
)

func TestBlobs(t *testing.T) {
	spec := BlobSpec{Clusters: 5, Dims: 6, Rows: 1000, Ratio: 9, MinSep: 6, Seed: 3}
	X, labels, centres, err := Blobs(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(X) != 6000 || len(labels) != 1000 || len(centres) != 5 {
		t.Fatalf("shapes %d %d %d", len(X), len(labels), len(centres))
	}
	sizes := make([]int, 5)
	for _, l := range labels {
		sizes[l]++
	}
	// 9 : 5.2 : 3 : 1.73 : 1, largest remainders on the rows left over.
	if !slices.Equal(sizes, []int{451, 261, 151, 87, 50}) || sizes[0] < 7*sizes[4] {
		t.Errorf("sizes %v", sizes)
	}
	for p := range centres {
		for q := p + 1; q < len(centres); q++ {
			var s float64
			for j := range centres[p] {
				s += (centres[p][j] - centres[q][j]) * (centres[p][j] - centres[q][j])
			}
			if math.Sqrt(s) < 6 {
				t.Errorf("centres %d and %d are %.2f apart", p, q, math.Sqrt(s))
			}
		}
	}
	X2, _, _, _ := Blobs(spec)
	if !slices.Equal(X, X2) {
		t.Error("the same spec gave other values")
	}
	if _, _, _, err := Blobs(BlobSpec{Clusters: 3, Dims: 1, Rows: 2, Ratio: 1}); err == nil {
		t.Error("fewer rows than blobs")
	}
	if _, _, _, err := Blobs(BlobSpec{Clusters: 50, Dims: 1, Rows: 100, Ratio: 1, MinSep: 6, Box: 1}); err == nil {
		t.Error("impossible spacing")
	}
}
