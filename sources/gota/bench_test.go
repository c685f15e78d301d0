package gota_test

import (
	"context"
	"os"
	"testing"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/gota"
)

// benchFrame is the Maven table (7,043 × 38) read by gota's ReadCSV.
func benchFrame(b *testing.B) dataframe.DataFrame {
	b.Helper()
	f, err := os.Open(mavenPath)
	if err != nil {
		b.Skipf("Maven churn table not found at %s", mavenPath)
	}
	defer f.Close()
	return dataframe.ReadCSV(f)
}

// BenchmarkRead is what the ingest stage costs on a DataFrame: opening
// the source, converting the columns asked for (all, or the notebook's 12
// raw columns) with csv_missing, and the lineage's row digests over every
// column.
func BenchmarkRead(b *testing.B) {
	df := benchFrame(b)
	used := []string{"Customer ID", "Gender", "Age", "Married", "Number of Dependents", "City", "Zip Code",
		"Number of Referrals", "Tenure in Months", "Contract", "Total Revenue", "Customer Status"}
	for _, tc := range []struct {
		name string
		cols []string
	}{{"all", nil}, {"used", used}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				src, err := gota.Open(context.Background(), df, &pipeline.InputConfig{Options: &gota.Config{CSVMissing: true}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := src.Read(context.Background(), tc.cols); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScan converts the same rows in batches of 1,000.
func BenchmarkScan(b *testing.B) {
	df := benchFrame(b)
	b.ReportAllocs()
	for b.Loop() {
		src, err := gota.Open(context.Background(), df, &pipeline.InputConfig{Options: &gota.Config{CSVMissing: true}})
		if err != nil {
			b.Fatal(err)
		}
		if err := src.Scan(context.Background(), nil, 1000, func(*frame.Table) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
