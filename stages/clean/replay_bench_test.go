package clean

import (
	"context"
	"testing"
)

// BenchmarkReplayMaven replays mavenSteps (every kind, frozen statistics,
// two derived columns) on the raw Maven table read as text, repeated to
// 704,300 rows: coercion of the needed columns from text plus the steps.
// Reading the file is not included.
func BenchmarkReplayMaven(b *testing.B) {
	tb, _ := loadMaven(b)
	_, tr := fitSteps(b, tb, "Customer ID", mavenSteps)
	raw := asText(b, mavenPath)
	r, err := NewReplay(tr, mavenFeatures)
	if err != nil {
		b.Fatal(err)
	}
	p, err := r.Plan(raw.Names(), ReplayOptions{})
	if err != nil {
		b.Fatal(err)
	}
	sub, _ := raw.Select(p.Read...)
	rows := make([]int, 0, 100*sub.NumRows())
	for range 100 {
		for i := range sub.NumRows() {
			rows = append(rows, i)
		}
	}
	big := sub.Take(rows)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res, err := p.Run(context.Background(), big)
		if err != nil || res.Table.NumRows() != len(rows) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)), "rows")
}
