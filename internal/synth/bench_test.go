package synth

import (
	"io"
	"testing"
)

// countWriter counts bytes and discards them.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// benchGen runs gen for rows rows per op into a discarding writer and
// reports bytes/op as throughput and rows/s.
func benchGen(b *testing.B, gen func(io.Writer, int, uint64) error, rows int) {
	var cw countWriter
	if err := gen(&cw, rows, 1); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := gen(io.Discard, rows, uint64(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// go test ./internal/synth -run '^$' -bench . -benchmem
func BenchmarkChurn1e6(b *testing.B)      { benchGen(b, Churn, 1_000_000) }
func BenchmarkChurn7043(b *testing.B)     { benchGen(b, Churn, realRows) }
func BenchmarkEngagement1e6(b *testing.B) { benchGen(b, Engagement, 1_000_000) }
