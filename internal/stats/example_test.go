package stats_test

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/stats"
)

func ExampleDescribe() {
	d := stats.Describe([]float64{4, math.NaN(), 2, 1, 3})
	fmt.Printf("count=%d missing=%d mean=%g std=%.4f\n", d.Count, d.Missing, d.Mean, d.Std)
	fmt.Printf("min=%g q25=%g median=%g q75=%g max=%g distinct=%d\n", d.Min, d.Q25, d.Q50, d.Q75, d.Max, d.Distinct)
	// Output:
	// count=4 missing=1 mean=2.5 std=1.2910
	// min=1 q25=1.75 median=2.5 q75=3.25 max=4 distinct=4
}

func ExampleCorr() {
	cols := [][]float64{
		{1, 2, 3, 4},
		{2, 4, 6, 9},
		{4, 3, math.NaN(), 1},
	}
	r, n, err := stats.Corr(cols, "pearson")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range r {
		fmt.Printf("%+.3f %+.3f %+.3f  n=%v\n", r[i][0], r[i][1], r[i][2], n[i])
	}
	// Output:
	// +1.000 +0.994 -1.000  n=[4 4 3]
	// +0.994 +1.000 -0.999  n=[4 4 3]
	// -1.000 -0.999 +1.000  n=[3 3 3]
}

func ExampleDescribeCodes() {
	dict := []string{"Stayed", "Churned", "Joined"}
	codes := []int32{0, 1, 0, -1, 2, 1}
	c, err := stats.DescribeCodes(codes, dict)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Stayed and Churned tie; pandas picks the one seen first.
	fmt.Printf("%+v\n", c)
	// Output:
	// {Count:5 Missing:1 Distinct:3 Top:Stayed Freq:2}
}
