package csv_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/synth"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/csv"
)

// sizeTol is the relative error allowed on an estimated row count: records
// of the synthetic churn table vary in length, and the estimate reads only
// the first MiB.
const sizeTol = 0.03

// TestSize: a file under 1 MiB has its records counted; a larger one,
// plain or gzip-compressed, is estimated from its first MiB within
// sizeTol; the columns are those asked for (every column when none).
func TestSize(t *testing.T) {
	dir := t.TempDir()
	var big bytes.Buffer
	const rows = 30_000 // about 6 MB of text
	if err := synth.Churn(&big, rows, 3); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(big.Bytes())
	zw.Close()
	files := map[string][]byte{
		"small.csv":       []byte("id,x\n1,2\n3,4\n5,6"), // no final line break
		"small_crlf.csv":  []byte("id,x\r\n1,2\r\n3,4\r\n"),
		"big.csv":         big.Bytes(),
		"big.csv.gz":      gz.Bytes(),
		"header_only.csv": []byte("id,x\n"),
	}
	for name, b := range files {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	for _, tc := range []struct {
		file    string
		columns []string
		rows    int64
		tol     float64
		cols    int
		how     string
	}{
		{file: "small.csv", rows: 3, cols: 2, how: "counted"},
		{file: "small_crlf.csv", columns: []string{"x"}, rows: 2, cols: 1, how: "counted"},
		{file: "big.csv", rows: rows, tol: sizeTol, cols: len(synth.ChurnColumns()), how: "mean record length"},
		{file: "big.csv.gz", columns: []string{"Age", "Tenure in Months"}, rows: rows, tol: sizeTol, cols: 2, how: "gzip compression ratio"},
		{file: "header_only.csv", rows: -1, cols: 2, how: "fewer than two records"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			src, err := csv.Open(context.Background(), input(path, nil))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			sz, ok := src.(pipeline.Sizer)
			if !ok {
				t.Fatal("the CSV source is not a pipeline.Sizer")
			}
			got, err := sz.Size(context.Background(), tc.columns)
			if err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(path)
			if got.Columns != tc.cols || got.Bytes != st.Size() || got.RowsExact || !strings.Contains(got.How, tc.how) {
				t.Errorf("size %+v, want %d columns, %d bytes, how ~ %q", got, tc.cols, st.Size(), tc.how)
			}
			if tc.tol == 0 && got.Rows != tc.rows || tc.tol > 0 && math.Abs(float64(got.Rows-tc.rows))/float64(tc.rows) > tc.tol {
				t.Errorf("rows %d, want %d (relative tolerance %g); %s", got.Rows, tc.rows, tc.tol, got.How)
			}
		})
	}
}
