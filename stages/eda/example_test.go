package eda_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/stages/eda"
)

func ExampleAnalyze() {
	t, err := frame.New(
		frame.NewString("id", []string{"a", "b", "c", "d", "e", "f"}, nil),
		frame.NewInt("Visits", []int64{1, 2, 3, 4, 5, 6}, nil),
		frame.NewFloat("Spend", []float64{10, 25, 28, 45, 50, 61}, nil),
		frame.NewInt("Complaints", []int64{4, 3, 3, 1, 0, 2}, nil),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := eda.NewConfig().(*eda.Config)
	cfg.Several = 2
	a, err := eda.Analyze(context.Background(), t, "id", cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Result.Correlation.Columns)
	for _, in := range a.Result.Insights {
		fmt.Println(in.Text)
	}
	fmt.Println(a.Heatmap.Cells[0][1].Text, a.Heatmap.WidthPx, a.Heatmap.HeightPx)
	// Output:
	// [Visits Spend Complaints]
	// Strong positive correlation between Visits and Spend (r = 0.99, n = 6); the strongest positive pair.
	// Strong negative correlation between Spend and Complaints (r = -0.79, n = 6); the strongest negative pair.
	// Strong negative correlation between Visits and Complaints (r = -0.76, n = 6).
	// Complaints is negatively correlated with both other columns: Spend (r = -0.79) and Visits (r = -0.76); n = 6.
	// 0.99 512 512
}
