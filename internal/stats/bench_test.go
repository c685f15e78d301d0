package stats

import (
	"fmt"
	"testing"
)

// benchColumns: 12 columns × 1,000,000 rows; the "missing" variant has NaN
// in every 10th value of three columns.
func benchColumns(missing bool) [][]float64 {
	if missing {
		return randomColumns(12, 1_000_000, 42, 1, 5, 9)
	}
	return randomColumns(12, 1_000_000, 42)
}

func BenchmarkDescribe12x1M(b *testing.B) {
	cols := benchColumns(false)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cols {
			Describe(c)
		}
	}
}

func BenchmarkCorr12x1M(b *testing.B) {
	for _, missing := range []bool{false, true} {
		cols := benchColumns(missing)
		for _, method := range []string{"pearson", "spearman"} {
			b.Run(fmt.Sprintf("%s/missing=%v", method, missing), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := Corr(cols, method); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDescribeAndCorr12x1M is the EDA workload: Describe of every
// column plus the Pearson matrix.
func BenchmarkDescribeAndCorr12x1M(b *testing.B) {
	cols := benchColumns(false)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cols {
			Describe(c)
		}
		if _, _, err := Corr(cols, "pearson"); err != nil {
			b.Fatal(err)
		}
	}
}
