package frame_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// benchTable has 100,000 rows of 4 float, 2 int (one with missing values)
// and 4 string columns (20 levels), like the churn table's mix.
func benchTable(b *testing.B) *frame.Table {
	const n = 100000
	rng := rand.New(rand.NewPCG(1, 2))
	var cols []*frame.Column
	for j := range 4 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * 100
		}
		cols = append(cols, frame.NewFloat(fmt.Sprint("f", j), x, nil))
	}
	for j := range 2 {
		v := make([]int64, n)
		miss := make([]bool, n)
		for i := range v {
			v[i] = rng.Int64N(10000)
			miss[i] = j == 1 && rng.IntN(5) == 0
		}
		cols = append(cols, frame.NewInt(fmt.Sprint("i", j), v, miss))
	}
	for j := range 4 {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint("level-", rng.IntN(20))
		}
		cols = append(cols, frame.NewString(fmt.Sprint("s", j), s, nil))
	}
	t, err := frame.New(cols...)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkGotaConversion: Table → gota DataFrame and back.
func BenchmarkGotaConversion(b *testing.B) {
	t := benchTable(b)
	df := t.DataFrame()
	b.Run("DataFrame", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = t.DataFrame()
		}
	})
	b.Run("FromDataFrame", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := frame.FromDataFrame(df); err != nil {
				b.Fatal(err)
			}
		}
	})
}
