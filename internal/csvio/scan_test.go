package csvio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// scanAll scans r and glues the batches back into rendered columns.
func scanAll(t *testing.T, r *Reader, batch int) (*Result, []string, []*frame.Table) {
	t.Helper()
	var tables []*frame.Table
	res, err := r.Scan(context.Background(), batch, func(b *frame.Table) error {
		tables = append(tables, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var cols []*strings.Builder
	for i, tb := range tables {
		if i < len(tables)-1 && tb.NumRows() != batch {
			t.Errorf("batch %d has %d rows, want %d", i, tb.NumRows(), batch)
		}
		for j, c := range tb.Columns() {
			if i == 0 {
				cols = append(cols, &strings.Builder{})
				cols[j].WriteString(c.Name + " " + c.Kind.String() + ":")
			} else if k := tables[0].Columns()[j].Kind; c.Kind != k {
				t.Errorf("batch %d column %q: kind %v, first batch %v", i, c.Name, c.Kind, k)
			}
			for row := range c.Len() {
				cell := "<NA>"
				if !c.IsMissing(row) {
					cell = c.Format(row)
				}
				cols[j].WriteString(" " + cell + "|")
			}
		}
	}
	out := make([]string, len(cols))
	for j, b := range cols {
		out[j] = b.String()
	}
	return res, out, tables
}

func renderRows(t *frame.Table) []string {
	var cols []string
	for _, c := range t.Columns() {
		var s strings.Builder
		s.WriteString(c.Name + " " + c.Kind.String() + ":")
		for row := range c.Len() {
			cell := "<NA>"
			if !c.IsMissing(row) {
				cell = c.Format(row)
			}
			s.WriteString(" " + cell + "|")
		}
		cols = append(cols, s.String())
	}
	return cols
}

// TestScanMatchesReadAll: the batches of Scan hold the table of ReadAll,
// with one schema, and the same facts.
func TestScanMatchesReadAll(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	for _, opt := range []Options{{}, {chunkSize: 70000}, {Columns: []string{"Total Charges", "Customer ID", "Churn Reason"}}} {
		all, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := renderRows(all.Table)
		for _, batch := range []int{1000, 7043, 100000} {
			r, err := Open(context.Background(), path, opt)
			if err != nil {
				t.Fatal(err)
			}
			res, got, _ := scanAll(t, r, batch)
			r.Close()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("batch %d: the batches differ from ReadAll", batch)
			}
			if res.Rows != all.Rows || res.SHA256 != all.SHA256 || res.Bytes != all.Bytes || strings.Join(res.Warnings, ";") != strings.Join(all.Warnings, ";") {
				t.Errorf("batch %d: facts %+v vs %+v", batch, res, all)
			}
		}
	}
}

// TestScanStream scans a pipe: without a schema it is spooled to a
// temporary file and read twice; with one (Types for every column) it is
// read once.
func TestScanStream(t *testing.T) {
	content := "id,a,b\n" + strings.Repeat("0007,1,x\n0008,2.5,y\n", 500) + "0009,,N/A\n"
	want, err := readString(t, content, Options{TextColumns: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{
		{TextColumns: []string{"id"}, TempDir: t.TempDir()},
		{TextColumns: []string{"id"}, Types: map[string]frame.Kind{"a": frame.Float, "b": frame.String}},
	} {
		pr, pw, _ := os.Pipe()
		go func() {
			pw.WriteString(content)
			pw.Close()
		}()
		r, err := Open(context.Background(), fmt.Sprintf("/proc/self/fd/%d", pr.Fd()), opt)
		if err != nil {
			t.Skipf("no /proc: %v", err)
		}
		res, got, _ := scanAll(t, r, 300)
		r.Close()
		pr.Close()
		if strings.Join(got, "\n") != strings.Join(renderRows(want.Table), "\n") {
			t.Errorf("%+v: batches differ", opt.Types)
		}
		if res.Rows != want.Rows || res.SHA256 != want.SHA256 || res.Bytes != want.Bytes {
			t.Errorf("facts %+v", res)
		}
		if opt.TempDir != "" {
			if left, _ := os.ReadDir(opt.TempDir); len(left) != 0 {
				t.Errorf("spool left behind: %v", left)
			}
		}
	}
}

func TestInferAndErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(path, []byte("a,b,c\n1,x,\n2.5,y,\n"), 0o644)
	r, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fields, err := r.Infer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(fields); got != "[{a float float 0} {b string string 0} {c float float 2}]" {
		t.Errorf("schema %s", got)
	}
	if _, err := r.ReadAll(context.Background()); err != errUsed {
		t.Errorf("ReadAll after Infer: %v", err)
	}
	stop := errors.New("stop")
	if _, err := r.Scan(context.Background(), 1, func(*frame.Table) error { return stop }); err != stop {
		t.Errorf("fn error: %v", err)
	}
	// Overflow found by Infer.
	os.WriteFile(path, []byte("a\n1\n1e999\n"), 0o644)
	r2, _ := Open(context.Background(), path, Options{})
	defer r2.Close()
	if _, err := r2.Scan(context.Background(), 10, func(*frame.Table) error { return nil }); err == nil || !strings.Contains(err.Error(), "line 3, column \"a\": 1e999 is beyond") {
		t.Errorf("overflow: %v", err)
	}
}

// TestScanMemory scans a 64 MB file in batches: the heap stays far below
// the size of the file (and of the table ReadAll would build, about 130 MB
// here). What is in memory is the read-ahead: with 1 MB chunks and two
// workers, six chunks in flight (text and parsed columns, about 3 MB each)
// and six recycled results, about 34 MB whatever the file size.
func TestScanMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MB")
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	f, _ := os.Create(path)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id,a,b,c,d,e\n")
	rows := 0
	for size := 0; size < 64<<20; rows++ {
		n, _ := fmt.Fprintf(w, "%08d,%d,%d.25,%d,x%d,%d\n", rows, rows%1000, rows%777, rows*3, rows%50, -rows)
		size += n
	}
	w.Flush()
	f.Close()
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	peak := uint64(0)
	types := map[string]frame.Kind{"a": frame.Int, "b": frame.Float, "c": frame.Int, "d": frame.String, "e": frame.Int}
	r, err := Open(context.Background(), path, Options{TextColumns: []string{"id"}, Types: types, chunkSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	batches := 0
	res, err := r.Scan(context.Background(), 8192, func(b *frame.Table) error {
		if batches++; batches%8 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != rows {
		t.Errorf("%d rows, want %d", res.Rows, rows)
	}
	const bound = 48 << 20
	if peak == 0 || peak > bound {
		t.Errorf("peak heap %d MB while scanning a 64 MB file, want ≤ %d MB", peak>>20, bound>>20)
	}
	t.Logf("%d rows, peak heap %.1f MB", rows, float64(peak)/(1<<20))
}
