package stats

import (
	"fmt"
	"math/rand/v2"
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

// BenchmarkDescribeMoney1M describes a column of amounts in cents (the
// churn table's charges and revenue): counted per hundredth, against the
// sort it replaces.
func BenchmarkDescribeMoney1M(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = float64(r.IntN(1_200_000)) / 100
	}
	for _, bc := range []struct {
		name string
		fn   func([]float64) Numeric
	}{{"counted", Describe}, {"sorted", describeSorted}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bc.fn(x)
			}
		})
	}
}
