package kproto_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/kproto"
)

// Six customers, one scaled numeric feature (tenure) and one categorical
// (contract: 0 = monthly, 1 = yearly): two segments, then two new
// customers scored with the frozen model.
func Example() {
	num := []float64{-1.2, -1.0, -0.9, 0.9, 1.1, 1.1}
	contract := []int32{0, 0, 0, 1, 1, 0}
	opt := kproto.DefaultOptions(2)
	res, err := kproto.Fit(context.Background(), num, 6, 1, [][]int32{contract}, opt)
	if err != nil {
		panic(err)
	}
	fmt.Println("labels:", res.Labels)
	fmt.Printf("centroids: %.3f\n", res.Centroids)
	fmt.Println("modes:", res.Modes)
	fmt.Printf("gamma %.3f, cost %.4f\n", res.Gamma, res.Cost)

	labels, _, err := res.Model().Predict([]float64{1.0, -1.1}, 2, [][]int32{{1, 0}}, nil)
	fmt.Println("new customers:", labels, err)
	// Output:
	// labels: [0 0 0 1 1 1]
	// centroids: [-1.033 1.033]
	// modes: [0 1]
	// gamma 0.520, cost 0.5929
	// new customers: [1 0] <nil>
}
