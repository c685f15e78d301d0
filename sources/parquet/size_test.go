package parquet_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/parquet"
)

// TestSize: a folder of Parquet files has its rows counted exactly from
// the footers; the bytes are the files' sizes; the columns those asked
// for (every readable column when none).
func TestSize(t *testing.T) {
	dir := t.TempDir()
	ids := make([]int64, 5000)
	xs := make([]float64, 5000)
	for i := range ids {
		ids[i], xs[i] = int64(i), float64(i)/7
	}
	for i, n := range []int{5000, 1200} {
		tb := table(t, frame.NewInt("id", ids[:n], nil), frame.NewFloat("x", xs[:n], nil))
		if err := parquetio.WriteFile(filepath.Join(dir, "part-"+string(rune('0'+i))+".parquet"), tb, parquetio.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	src, err := parquet.Open(context.Background(), input(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sz, ok := src.(pipeline.Sizer)
	if !ok {
		t.Fatal("the Parquet source is not a pipeline.Sizer")
	}
	var bytes int64
	for _, f := range []string{"part-0.parquet", "part-1.parquet"} {
		st, _ := os.Stat(filepath.Join(dir, f))
		bytes += st.Size()
	}
	for _, tc := range []struct {
		columns []string
		cols    int
	}{{nil, 2}, {[]string{"x"}, 1}} {
		got, err := sz.Size(context.Background(), tc.columns)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != 6200 || !got.RowsExact || got.Columns != tc.cols || got.Bytes != bytes {
			t.Errorf("columns %v: size %+v, want 6200 exact rows, %d columns, %d bytes", tc.columns, got, tc.cols, bytes)
		}
	}
}
