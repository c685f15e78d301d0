package metrics_test

import (
	"fmt"
	"log"

	"github.com/churnlab/segment/internal/metrics"
)

func ExampleSilhouette() {
	// Five customers on one feature: clusters {0, 1}, {4, 6} and {20}.
	// scikit-learn 1.2.1 gives 0.522987…, 103.32 and 0.244444….
	X := []float64{0, 1, 4, 6, 20}
	labels := []int32{0, 0, 1, 1, 2}
	s, err := metrics.Silhouette(X, 5, 1, labels, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("silhouette %.4f\n", s)
	fmt.Printf("Calinski-Harabasz %.4f\n", metrics.CalinskiHarabasz(X, 5, 1, labels, 3))
	fmt.Printf("Davies-Bouldin %.4f\n", metrics.DaviesBouldin(X, 5, 1, labels, 3))
	// Output:
	// silhouette 0.5230
	// Calinski-Harabasz 103.3200
	// Davies-Bouldin 0.2444
}

func ExampleKneedle() {
	k := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	inertia := []float64{1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050, 0.100110, 0.082330, 0.073298, 0.064352}
	i, err := metrics.Kneedle(k, inertia)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("elbow at k =", k[i])
	// Output:
	// elbow at k = 3
}

func ExampleHungarian() {
	// overlap[p][q]: customers in previous segment p and new segment q.
	overlap := [][]float64{
		{40, 5, 0},
		{3, 2, 50},
	}
	cost := make([][]float64, len(overlap))
	for p, row := range overlap {
		cost[p] = make([]float64, len(row))
		for q, v := range row {
			cost[p][q] = -v // maximise the overlap
		}
	}
	match, total := metrics.Hungarian(cost)
	fmt.Println(match, -total)
	// Output:
	// [0 2] 90
}

func ExamplePSI() {
	expected := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	actual := []float64{1, 1, 1, 1, 3, 5, 7, 8}
	fmt.Printf("%.6f\n", metrics.PSI(expected, actual, 4))
	// Output:
	// 0.346574
}

func ExampleAdjustedRand() {
	fmt.Printf("%.4f\n", metrics.AdjustedRand([]int32{0, 0, 1, 1}, []int32{0, 0, 1, 2}))
	// Output:
	// 0.5714
}

func ExampleTransitionMatrix() {
	prev := []int32{0, 0, 1, 1, 1}
	next := []int32{0, 1, 1, 1, 0}
	fmt.Println(metrics.TransitionMatrix(prev, next, 2, 2))
	// Output:
	// [[1 1] [1 2]]
}

// AdjustedRandTable gives the index from a transition matrix (previous
// segment × new segment counts) when the labels themselves are not kept.
func ExampleAdjustedRandTable() {
	counts := [][]int{
		{2, 0, 0}, // two rows of the first segment stay together
		{0, 1, 1}, // the second segment splits
	}
	fmt.Printf("%.4f\n", metrics.AdjustedRandTable(counts))
	// Output: 0.5714
}
