package kmeans_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/kmeans"
)

// Two tight groups on a line, clustered with sklearn's defaults and
// renumbered canonically (largest cluster first).
func Example() {
	X := []float64{
		0.0, 0.1,
		0.2, 0.0,
		0.1, 0.2,
		5.0, 5.1,
		5.2, 4.9,
	}
	opt := kmeans.DefaultOptions(2)
	opt.Seed = 1
	res, err := kmeans.Fit(context.Background(), X, 5, 2, opt)
	if err != nil {
		panic(err)
	}
	kmeans.Canonicalize(res)
	fmt.Println("labels:", res.Labels)
	fmt.Println("sizes:", res.Sizes)
	fmt.Printf("centres: %.2f\n", res.Centers)
	fmt.Printf("inertia: %.4f\n", res.Inertia)

	labels, _, _ := kmeans.Assign([]float64{4.8, 5.0, 0.3, 0.1}, 2, 2, res.Centers, 2)
	fmt.Println("new rows:", labels)
	// Output:
	// labels: [0 0 0 1 1]
	// sizes: [3 2]
	// centres: [0.10 0.10 5.10 5.00]
	// inertia: 0.0800
	// new rows: [1 0]
}
