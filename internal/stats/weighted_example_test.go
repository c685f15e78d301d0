package stats_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/stats"
)

// A row of weight 3 counts three times: the statistics of [10 20 20 20 40].
func ExampleDescribeWeighted() {
	d := stats.DescribeWeighted([]float64{10, 20, 40, 99}, []float64{1, 3, 1, 0})
	fmt.Printf("count %d mean %.1f std %.4f median %.0f q75 %.0f max %.0f\n", d.Count, d.Mean, d.Std, d.Q50, d.Q75, d.Max)
	// Output:
	// count 3 mean 22.0 std 10.9545 median 20 q75 20 max 40
}
