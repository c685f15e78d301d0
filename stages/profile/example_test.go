package profile_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/stages/profile"
)

// Analyze profiles segments found by the cluster stage; here a hand-made
// clustering of six customers into two segments. Segment 2's name is
// pinned; segment 1's is suggested from its description.
func ExampleAnalyze() {
	tenure := []float64{2, 4, 3, 60, 70, 65}
	revenue := []float64{100, 180, 150, 5000, 6500, 5800}
	t, _ := frame.New(frame.NewFloat("Tenure", tenure, nil), frame.NewFloat("Revenue", revenue, nil))
	cl := &result.Clusters{
		Features: []string{"Tenure", "Revenue"}, Scale: "standard", K: 2,
		Labels: []int32{0, 0, 0, 1, 1, 1}, IDs: []int{1, 2}, Names: []string{"", ""},
	}
	cfg := profile.NewConfig().(*profile.Config)
	cfg.Names = map[int]string{2: "Loyal"}
	cfg.Describe.Words = map[string]profile.Words{"Tenure": {High: "long-standing", Low: "new"}}
	a, err := profile.Analyze(context.Background(), t, cl, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range a.Result.Segments {
		fmt.Println(s.Description)
		fmt.Printf("  mean tenure %.1f, median revenue %.0f\n", s.Stats[0].Mean, s.Stats[1].Median)
	}
	// Output:
	// New, low Revenue (segment 1, 50% of customers): Tenure -0.9σ, Revenue -0.9σ — new customers with below-average Revenue
	//   mean tenure 3.0, median revenue 150
	// Loyal (segment 2, 50% of customers): Tenure +0.9σ, Revenue +0.9σ — long-standing customers with above-average Revenue
	//   mean tenure 65.0, median revenue 5800
}
