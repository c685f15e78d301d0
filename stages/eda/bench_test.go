package eda

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
)

// benchTable is the bench/eda workload in memory: 12 numeric columns (6
// int, 6 float; 1 % missing in the floats) over rows rows, with shared
// factors so the correlations are not all zero.
func benchTable(rows int) *frame.Table {
	rng := rand.New(rand.NewPCG(1, 2))
	f1 := make([]float64, rows)
	f2 := make([]float64, rows)
	for i := range rows {
		f1[i], f2[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	var cols []*frame.Column
	for c := range 12 {
		a, b := math.Cos(float64(c)), math.Sin(float64(c))
		if c%2 == 0 {
			v := make([]int64, rows)
			for i := range v {
				v[i] = int64(math.Round(50 + 10*(a*f1[i]+b*f2[i]+rng.NormFloat64())))
			}
			cols = append(cols, frame.NewInt(fmt.Sprintf("i%d", c), v, nil))
		} else {
			v := make([]float64, rows)
			for i := range v {
				v[i] = 100*(a*f1[i]+b*f2[i]) + 30*rng.NormFloat64()
				if rng.IntN(100) == 0 {
					v[i] = math.NaN()
				}
			}
			cols = append(cols, frame.NewFloat(fmt.Sprintf("f%d", c), v, nil))
		}
	}
	t, err := frame.New(cols...)
	if err != nil {
		panic(err)
	}
	return t
}

// BenchmarkSummarizeCorrelate is the statistics of the stage on 12 columns
// × 1,000,000 rows, as Analyze runs them: summary (describe + distinct +
// missing) and the Pearson matrix, sharing the converted columns.
func BenchmarkSummarizeCorrelate(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		t := benchTable(rows)
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				vals := make([][]float64, t.NumCols())
				if _, err := summarizeAll(context.Background(), t, "", "", nil, vals); err != nil {
					b.Fatal(err)
				}
				if _, err := correlate(t, t.Names(), "pearson", vals, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnalyzeAndDraw is everything the stage computes and draws for
// 12 columns × 1,000,000 rows (files other than the PNG excluded).
func BenchmarkAnalyzeAndDraw(b *testing.B) {
	t := benchTable(1_000_000)
	cfg := NewConfig().(*Config)
	b.ReportAllocs()
	for b.Loop() {
		a, err := Analyze(context.Background(), t, "", cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := plotkit.Write(io.Discard, a.Heatmap, "png", 512, 512); err != nil {
			b.Fatal(err)
		}
	}
}
