package plotkit_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/plotkit"
)

// NewBars resolves the segment-size chart: each bar gets its segment's
// colour and a count-and-share label.
func ExampleNewBars() {
	b, err := plotkit.NewBars(plotkit.BarsSpec{
		Title: "Segment sizes", XLabel: "customers",
		Bars: []plotkit.BarSpec{{Segment: 0, Label: "Segment 1", Count: 2567}, {Segment: 1, Label: "Loyal", Count: 1091}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, bar := range b.Bars {
		fmt.Println(bar.Label, plotkit.Hex(bar.Color), bar.Text)
	}
	fmt.Printf("%d×%d px\n", b.WidthPx, b.HeightPx)
	// Output:
	// Segment 1 #0072b2 2,567 (70.2%)
	// Loyal #e69f00 1,091 (29.8%)
	// 720×260 px
}

// NewZHeatmap resolves the segment × feature z-score heatmap; the colour
// scale is symmetric around 0 and, by default, reaches the largest |z|
// rounded up to 0.5.
func ExampleNewZHeatmap() {
	z, err := plotkit.NewZHeatmap(plotkit.ZHeatmapSpec{
		Columns: []string{"Tenure", "Revenue"},
		Rows: []plotkit.ZRow{
			{Segment: 0, Label: "Segment 1", Values: []float64{-0.81, -0.64}},
			{Segment: 1, Label: "Segment 2", Values: []float64{1.26, 1.74}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, row := range z.Cells {
		fmt.Print(z.RowLabels[i], ":")
		for _, c := range row {
			fmt.Print(" ", c.Text, " ", plotkit.Hex(c.Fill))
		}
		fmt.Println()
	}
	fmt.Println(z.ColorBarLabels)
	// Output:
	// Segment 1: -0.8 #f3a381 -0.6 #f8bb9e
	// Segment 2: +1.3 #3e8cc0 +1.7 #175392
	// [-2σ -1σ 0σ +1σ +2σ]
}
