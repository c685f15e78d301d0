package parquetio

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/synth"
)

// The benchmarks read a 200,000-row synthetic churn table (38 columns, the
// Maven schema) from CSV and from Parquet. bench/parquet/ has the
// full-size comparison (1M and 10M rows, peak memory of the process).
const benchRows = 200_000

var benchFeatures = []string{"Age", "Tenure in Months", "Number of Referrals", "Monthly Charge", "Total Revenue", "Avg Monthly GB Download"}

var (
	benchOnce  sync.Once
	benchDir   string
	benchTable *frame.Table
	benchErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchFiles writes the table as CSV and Parquet once per test binary.
func benchFiles(b *testing.B) (csvPath, pqPath string) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "parquetio-bench")
		if benchErr != nil {
			return
		}
		csvPath := filepath.Join(benchDir, "churn.csv")
		f, err := os.Create(csvPath)
		if err != nil {
			benchErr = err
			return
		}
		if benchErr = synth.Churn(f, benchRows, 1); benchErr != nil {
			return
		}
		f.Close()
		res, err := csvio.ReadFile(context.Background(), csvPath, csvio.Options{})
		if err != nil {
			benchErr = err
			return
		}
		benchTable = res.Table
		benchErr = WriteFile(filepath.Join(benchDir, "churn.parquet"), benchTable, WriteOptions{RowGroupRows: 64 << 10})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return filepath.Join(benchDir, "churn.csv"), filepath.Join(benchDir, "churn.parquet")
}

func BenchmarkReadCSVAll(b *testing.B) {
	csvPath, _ := benchFiles(b)
	b.ReportAllocs()
	for range b.N {
		if _, err := csvio.ReadFile(context.Background(), csvPath, csvio.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadCSVFeatures(b *testing.B) {
	csvPath, _ := benchFiles(b)
	b.ReportAllocs()
	for range b.N {
		if _, err := csvio.ReadFile(context.Background(), csvPath, csvio.Options{Columns: benchFeatures}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRead(b *testing.B, cols []string) {
	_, pq := benchFiles(b)
	b.ReportAllocs()
	for range b.N {
		d, err := Open(pq)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Read(context.Background(), cols); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadParquetAll(b *testing.B)      { benchRead(b, nil) }
func BenchmarkReadParquetFeatures(b *testing.B) { benchRead(b, benchFeatures) }

func BenchmarkScanParquetAll(b *testing.B) {
	_, pq := benchFiles(b)
	b.ReportAllocs()
	for range b.N {
		d, err := Open(pq)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Scan(context.Background(), nil, 0, func(*frame.Table) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLineage(b *testing.B) {
	_, pq := benchFiles(b)
	st, _ := os.Stat(pq)
	b.SetBytes(st.Size())
	for range b.N {
		d, err := Open(pq)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Lineage(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	benchFiles(b)
	b.ReportAllocs()
	var buf bytes.Buffer
	for range b.N {
		buf.Reset()
		if err := Write(io.Writer(&buf), benchTable, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
