package plotkit_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/plotkit"
)

func ExampleBuildHeatmap() {
	hm, err := plotkit.BuildHeatmap(plotkit.HeatmapSpec{
		Title:  "Pearson correlation",
		Labels: []string{"Tenure in Months", "Total Revenue"},
		Values: [][]float64{{1, 0.825361}, {0.825361, 1}},
		Format: ".2g",
		Mask:   "upper",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, row := range hm.Cells {
		for j, c := range row {
			if c.Masked {
				fmt.Printf("(%d,%d) masked\n", i, j)
				continue
			}
			fmt.Printf("(%d,%d) %s on %s, text %s\n", i, j, c.Text, plotkit.Hex(c.Fill), plotkit.Hex(c.TextColor))
		}
	}
	dir, err := os.MkdirTemp("", "plotkit")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := hm.Save(filepath.Join(dir, "corr.png")); err != nil {
		fmt.Println(err)
	}
	// Output:
	// (0,0) 1 on #053061, text #ffffff
	// (0,1) masked
	// (1,0) 0.83 on #1d5fa2, text #ffffff
	// (1,1) 1 on #053061, text #ffffff
}

func ExampleFormatValue() {
	for _, f := range []string{".2f", ".2g", "+.1%"} {
		s, _ := plotkit.FormatValue(f, -0.108764)
		fmt.Println(f, s)
	}
	// Output:
	// .2f -0.11
	// .2g -0.11
	// +.1% -10.9%
}

func ExampleSegmentColor() {
	for i := range 3 {
		fmt.Println(i, plotkit.Hex(plotkit.SegmentColor(i)))
	}
	// Output:
	// 0 #0072b2
	// 1 #e69f00
	// 2 #009e73
}
