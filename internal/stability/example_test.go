package stability_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/stability"
)

// Two groups on a line: each bootstrap refits a two-cluster split at the
// widest gap (a stand-in for a real k-means fitter), and both clusters
// come back intact every time.
func ExampleBootstrap() {
	X := []float64{0, 0.2, 0.4, 0.5, 5, 5.3, 5.5, 6}
	labels := []int32{0, 0, 0, 0, 1, 1, 1, 1}
	split := func(_ context.Context, X []float64, n, _, _ int, _ []float64, _ uint64) ([]int32, float64, error) {
		out := make([]int32, n)
		for i, v := range X {
			if v > 2.5 {
				out[i] = 1
			}
		}
		return out, 0, nil
	}
	res, err := stability.Bootstrap(context.Background(), labels, 2,
		stability.KMeans(X, 8, 1, 2, nil, split), stability.BootOptions{B: 10, Seed: 1})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Clusters {
		fmt.Printf("cluster %d: mean Jaccard %.2f, dissolved %d, unstable %v\n", c.Cluster, c.MeanJaccard, c.Dissolved, c.Unstable)
	}
	fmt.Printf("ARI %.2f ± %.2f\n", res.MeanARI, res.SDARI)
	// Output:
	// cluster 0: mean Jaccard 1.00, dissolved 0, unstable false
	// cluster 1: mean Jaccard 1.00, dissolved 0, unstable false
	// ARI 1.00 ± 0.00
}
