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

// Scan fits several k at once; each result is exactly Fit's for that k.
func ExampleScan() {
	X := []float64{
		0.0, 0.1,
		0.2, 0.0,
		0.1, 0.2,
		5.0, 5.1,
		5.2, 4.9,
		9.8, 0.1,
		10.1, 0.0,
	}
	opt := kmeans.DefaultOptions(0) // K is ignored by Scan
	opt.Seed = 1
	rs, err := kmeans.Scan(context.Background(), X, 7, 2, []int{1, 2, 3}, opt)
	if err != nil {
		panic(err)
	}
	for _, r := range rs {
		fmt.Printf("k=%d inertia %.3f restarts %d\n", r.K, r.Inertia, len(r.RestartIterations))
	}
	// Output:
	// k=1 inertia 152.746 restarts 10
	// k=2 inertia 48.155 restarts 10
	// k=3 inertia 0.130 restarts 10
}

// A row of weight 3 counts like three copies of the row: it pulls its
// centre towards it and triples its share of the inertia.
func ExampleFit_weights() {
	X := []float64{0, 1, 2, 10, 11}
	opt := kmeans.DefaultOptions(2)
	opt.Weights = []float64{1, 1, 3, 1, 1}
	res, err := kmeans.Fit(context.Background(), X, 5, 1, opt)
	if err != nil {
		panic(err)
	}
	kmeans.Canonicalize(res)
	fmt.Printf("centres %.2f, sizes %v, weights %v, inertia %.2f\n", res.Centers, res.Sizes, res.Weights, res.Inertia)
	// Output:
	// centres [1.40 10.50], sizes [3 2], weights [5 2], inertia 3.70
}
