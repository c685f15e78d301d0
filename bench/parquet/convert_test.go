package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
)

// testRows is the size of the generated CSVs: about 6 MB, more than the CSV
// reader's 4 MB blocks, so that rows near the end are parsed after the
// first batches were written (which is what can make the read start over).
const testRows = 150_000

// lateRow is where the generated CSVs change a column's kind, far beyond
// the first block and the first batch.
const lateRow = 140_000

// genCSV writes a CSV of testRows rows: an id, an int column, a float
// column with -0 and missing cells, a string column with missing cells and
// repeats, a bool column, a column all missing, and the column "late",
// whose cell i is late(i) ("" is missing).
func genCSV(t *testing.T, late func(i int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,n,x,city,flag,none,late\n")
	cities := []string{"Oslo", "Lima", "", "Kyiv", "Pune"}
	for i := range testRows {
		x := fmt.Sprintf("%.3f", float64(i%977)/7)
		switch i % 101 {
		case 3:
			x = ""
		case 5:
			x = "-0.0"
		}
		fmt.Fprintf(&b, "C%07d,%d,%s,%s,%t,,%s\n", i, i%1000-500, x, cities[i%len(cities)], i%3 == 0, late(i))
	}
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// syncWriter is a bytes.Buffer for the progress lines, which come from the
// reporter and the reading goroutine.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func readParquet(t *testing.T, path string) *frame.Table {
	t.Helper()
	d, err := parquetio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := d.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestConvertStreamSameAsMemory converts each CSV streamed and in memory
// and checks that both Parquet files read back to the table csvio.ReadFile
// gives (names, kinds, values bit for bit, missing cells), including when
// a column's kind changes after batches were written and the read starts
// over.
func TestConvertStreamSameAsMemory(t *testing.T) {
	const maven = "../../../shared/datasets/telecom_customer_churn.csv"
	cases := []struct {
		name     string
		csv      func(t *testing.T) string
		restarts int
		late     frame.Kind
	}{
		{"kinds settled early", func(t *testing.T) string {
			return genCSV(t, func(i int) string { return fmt.Sprint(i % 7) })
		}, 0, frame.Int},
		{"int column gets a float late", func(t *testing.T) string {
			return genCSV(t, func(i int) string {
				if i == lateRow {
					return "2.5"
				}
				return fmt.Sprint(i % 7)
			})
		}, 1, frame.Float},
		{"number column gets text late", func(t *testing.T) string {
			return genCSV(t, func(i int) string {
				if i == lateRow {
					return "N/A"
				}
				return fmt.Sprint(i % 7)
			})
		}, 1, frame.String},
		{"column missing until late, then ints", func(t *testing.T) string {
			return genCSV(t, func(i int) string {
				if i >= lateRow {
					return fmt.Sprint(i)
				}
				return ""
			})
		}, 1, frame.Int},
		{"column missing until late, then floats", func(t *testing.T) string {
			return genCSV(t, func(i int) string {
				if i >= lateRow {
					return "0.25"
				}
				return ""
			})
		}, 0, frame.Float},
		{"Maven telecom churn", func(t *testing.T) string { return maven }, 0, 0},
	}
	ctx := context.Background()
	opt := parquetio.WriteOptions{RowGroupRows: 40_000} // several row groups, not aligned with the batches
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.csv(t)
			dir := t.TempDir()
			streamed, memory := filepath.Join(dir, "s.parquet"), filepath.Join(dir, "m.parquet")
			var log syncWriter
			st, err := convertStream(ctx, in, streamed, opt, &log, time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			if st.restarts != tc.restarts {
				t.Errorf("the read started over %d times, want %d; progress:\n%s", st.restarts, tc.restarts, log.String())
			}
			if _, err := convertMemory(ctx, in, memory, opt); err != nil {
				t.Fatal(err)
			}
			want, err := csvio.ReadFile(ctx, in, csvio.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if st.rows != want.Table.NumRows() || st.cols != want.Table.NumCols() {
				t.Errorf("converted %d×%d, the CSV has %d×%d", st.rows, st.cols, want.Table.NumRows(), want.Table.NumCols())
			}
			gotS, gotM := readParquet(t, streamed), readParquet(t, memory)
			if err := frame.Equal(gotS, want.Table); err != nil {
				t.Errorf("streamed Parquet vs the CSV: %v", err)
			}
			if err := frame.Equal(gotS, gotM); err != nil {
				t.Errorf("streamed vs in-memory Parquet: %v", err)
			}
			if tc.late != 0 {
				if k := gotS.Col("late").Kind; k != tc.late {
					t.Errorf("column late is %v, want %v", k, tc.late)
				}
			}
			if left := leftovers(t, dir); len(left) != 2 {
				t.Errorf("files in the output directory: %q, want the two Parquet files", left)
			}
		})
	}
}

// TestConvertStreamError checks that a CSV that turns out bad after
// batches were written leaves no output and no temporary file, and that
// the error names the line.
func TestConvertStreamError(t *testing.T) {
	in := genCSV(t, func(i int) string {
		if i == lateRow {
			return "1,extra"
		}
		return "1"
	})
	dir := t.TempDir()
	out := filepath.Join(dir, "out.parquet")
	var log syncWriter
	_, err := convertStream(context.Background(), in, out, parquetio.WriteOptions{}, &log, time.Hour)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d", lateRow+2)) {
		t.Fatalf("error %v, want one naming line %d", err, lateRow+2)
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("files left behind: %q", left)
	}
}

// TestConvertStreamProgress checks that progress lines report the rows
// written and the share of the input read.
func TestConvertStreamProgress(t *testing.T) {
	in := genCSV(t, func(i int) string { return "1" })
	var log syncWriter
	st, err := convertStream(context.Background(), in, filepath.Join(t.TempDir(), "out.parquet"), parquetio.WriteOptions{}, &log, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range strings.Split(log.String(), "\n") {
		var n int64
		if _, err := fmt.Sscanf(l, "convert: %d rows written, ", &n); err == nil && n > 0 && strings.Contains(l, " MB read (") && strings.Contains(l, " rows/s (") {
			found = true
		}
	}
	if st.rows != testRows || !found {
		t.Fatalf("%d rows; no progress line with rows written and the share read:\n%s", st.rows, log.String())
	}
}

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
