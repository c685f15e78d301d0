package randsample_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/churnlab/segment/internal/randsample"
)

// Draw 4 of 1,000 row indices, and 3 of a segment's rows, reproducibly: the
// same seeds give the same samples in every Go release.
func Example() {
	fmt.Println(randsample.Select(rand.NewPCG(42, 1), 1000, 4))
	fmt.Println(randsample.Choose(rand.NewPCG(42, 2), []int{3, 8, 13, 21, 34, 55}, 3))
	// Output:
	// [6 30 124 584]
	// [3 13 55]
}
