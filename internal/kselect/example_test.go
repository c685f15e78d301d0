package kselect_test

import (
	"fmt"
	"log"

	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/result"
)

func ExampleChoose() {
	// Five well-separated groups: every pair of segments is clearly apart
	// up to k = 5; at k = 6 one group is cut in two (separation 1.35).
	inertia := []float64{9100, 5200, 2600, 1400, 1300, 1200, 1150, 1100, 1060}
	sil := []float64{0.55, 0.62, 0.70, 0.69, 0.60, 0.52, 0.47, 0.45, 0.44}
	ch := []float64{3100, 4200, 6900, 8700, 8800, 8600, 8300, 8100, 7900}
	db := []float64{0.71, 0.60, 0.49, 0.50, 0.70, 0.85, 0.90, 0.95, 0.97}
	sep := []float64{4.1, 3.2, 2.9, 2.6, 1.35, 1.41, 1.33, 1.38, 1.40}
	var scores []result.KScore
	for i := range inertia {
		scores = append(scores, result.KScore{K: i + 2, Inertia: inertia[i], Silhouette: sil[i],
			CalinskiHarabasz: ch[i], DaviesBouldin: db[i], Separation: sep[i]})
	}
	c, _, err := kselect.Choose(scores, kselect.Auto, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("k =", c.K, "by", c.Rule)
	fmt.Println(c.Reason)
	fmt.Println(c.Disagreement)
	// Output:
	// k = 5 by separation
	// k = 5 is the largest k whose segments are all clearly apart: the closest two have a separation of 2.60 (2.00 or more means distinct groups); at k = 6 the closest two score only 1.35, so a group would be cut in two.
	// The indices disagree: elbow 5, silhouette 4, Calinski–Harabasz 6, Davies–Bouldin 4.
}
