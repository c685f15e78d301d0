package csvio

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// onePassRun is what ScanReset handed out, after the last reset.
type onePassRun struct {
	res    *Result
	cols   []string
	resets int
	reads  int
	err    error
}

// scanReset scans path with ScanReset, dropping the batches at every
// reset, and renders the batches kept like scanAll.
func scanReset(t *testing.T, path string, opt Options, batch int) onePassRun {
	t.Helper()
	r, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out onePassRun
	var tables []*frame.Table
	out.res, out.err = r.ScanReset(context.Background(), batch, func() error {
		out.resets++
		tables = nil
		return nil
	}, func(b *frame.Table) error {
		tables = append(tables, b)
		return nil
	})
	out.reads = r.reads
	if out.err == nil {
		out.cols = renderBatches(t, tables, batch)
	}
	return out
}

// scanInferFirst is Scan's result: Infer, then a second read.
func scanInferFirst(t *testing.T, path string, opt Options, batch int) (*Result, []string, error) {
	t.Helper()
	r, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var tables []*frame.Table
	res, err := r.Scan(context.Background(), batch, func(b *frame.Table) error {
		tables = append(tables, b)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if r.reads != 2 {
		t.Errorf("Scan read the rows %d times, want 2 (Infer first)", r.reads)
	}
	return res, renderBatches(t, tables, batch), nil
}

// renderBatches renders each column over the batches, checking that every
// batch is full but the last and has the first batch's kinds.
func renderBatches(t *testing.T, tables []*frame.Table, batch int) []string {
	t.Helper()
	var cols []string
	for i, tb := range tables {
		if i < len(tables)-1 && tb.NumRows() != batch {
			t.Errorf("batch %d has %d rows, want %d", i, tb.NumRows(), batch)
		}
		for j, c := range tb.Columns() {
			if k := tables[0].Columns()[j].Kind; c.Kind != k {
				t.Errorf("batch %d column %q: kind %v, first batch %v", i, c.Name, c.Kind, k)
			}
		}
		for j, s := range renderRows(tb) {
			if i == 0 {
				cols = append(cols, s)
			} else {
				_, rest, _ := strings.Cut(s, ":")
				cols[j] += rest
			}
		}
	}
	return cols
}

func writeCSV(t *testing.T, name string, rows int, cell func(row int) string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,a,b\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,%s,x%d\n", i, cell(i), i%7)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScanResetOnePass: ScanReset reads a regular file once when the
// kinds it learns on the way fit the batches handed out, and starts over
// (once, after a reset) when they do not; either way its batches and
// Result are those of Scan.
func TestScanResetOnePass(t *testing.T) {
	const rows = 3000
	cases := []struct {
		name       string
		cell       func(row int) string
		batch      int
		wantResets int
		wantReads  int
	}{
		{"consistent kinds", func(i int) string { return fmt.Sprint(i * 3) }, 100, 0, 1},
		{"consistent floats and bools", func(i int) string { return fmt.Sprintf("%.2f", float64(i)/8) }, 100, 0, 1},
		{"int to float in the first batch", func(i int) string {
			if i == 7 {
				return "-0"
			}
			if i >= 2000 {
				return "2.5"
			}
			return fmt.Sprint(i)
		}, 4000, 0, 1},
		{"int to float after batches went out", func(i int) string {
			if i >= 2000 {
				return "2.5"
			}
			return fmt.Sprint(i)
		}, 100, 1, 3},
		{"int chunks in a float column", func(i int) string {
			if i < 10 {
				return "0.5"
			}
			return fmt.Sprint(i)
		}, 100, 0, 1},
		{"number turning textual late", func(i int) string {
			if i == rows-3 {
				return "n/a?"
			}
			return fmt.Sprint(i)
		}, 100, 1, 3},
		{"missing then floats", func(i int) string {
			if i < 1500 {
				return ""
			}
			return fmt.Sprintf("%d.5", i)
		}, 100, 0, 1},
		{"missing then ints", func(i int) string {
			if i < 1500 {
				return ""
			}
			return fmt.Sprint(i)
		}, 100, 1, 3},
		{"missing then ints in the first batch", func(i int) string {
			if i < 1500 {
				return ""
			}
			return fmt.Sprint(i)
		}, 4000, 0, 1},
		{"missing then text", func(i int) string {
			if i < 1500 {
				return ""
			}
			return "t" + fmt.Sprint(i%3)
		}, 100, 1, 3},
		{"all missing", func(int) string { return "" }, 100, 0, 1},
		{"overflow", func(i int) string {
			if i == 2500 {
				return "1e999"
			}
			return "1.5"
		}, 100, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeCSV(t, "f.csv", rows, tc.cell)
			for _, opt := range []Options{{chunkSize: 1 << 10}, {chunkSize: 1 << 10, workers: 1}, {chunkSize: 5000, Columns: []string{"a", "id"}}} {
				wantRes, wantCols, wantErr := scanInferFirst(t, path, opt, tc.batch)
				got := scanReset(t, path, opt, tc.batch)
				if fmt.Sprint(got.err) != fmt.Sprint(wantErr) {
					t.Fatalf("error %v, Scan's %v", got.err, wantErr)
				}
				if wantErr != nil {
					continue
				}
				if got.resets != tc.wantResets || got.reads != tc.wantReads {
					t.Errorf("%d resets and %d reads, want %d and %d", got.resets, got.reads, tc.wantResets, tc.wantReads)
				}
				if !reflect.DeepEqual(got.cols, wantCols) {
					t.Errorf("batches differ from Scan's:\n got %.300q\nwant %.300q", got.cols, wantCols)
				}
				if !reflect.DeepEqual(got.res, wantRes) {
					t.Errorf("Result %+v, Scan's %+v", got.res, wantRes)
				}
			}
		})
	}
}

// TestScanResetDatasets: on real files, ScanReset's batches and Result are
// Scan's, in one read.
func TestScanResetDatasets(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	for _, opt := range []Options{{}, {chunkSize: 70000}, {Columns: []string{"Total Charges", "Customer ID", "Churn Reason"}}} {
		wantRes, wantCols, err := scanInferFirst(t, path, opt, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got := scanReset(t, path, opt, 1000)
		if got.err != nil {
			t.Fatal(got.err)
		}
		if !reflect.DeepEqual(got.cols, wantCols) || !reflect.DeepEqual(got.res, wantRes) {
			t.Errorf("%+v: ScanReset differs from Scan", opt)
		}
		if got.reads+got.resets < 1 {
			t.Errorf("no read")
		}
		t.Logf("%+v: %d reads, %d resets", opt, got.reads, got.resets)
	}
}
