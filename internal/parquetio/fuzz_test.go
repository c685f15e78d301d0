package parquetio

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// FuzzRead feeds damaged Parquet files to Open, Read and Scan. They must
// return errors, never crash; a panic inside the parquet library is
// recovered into an error, but one raised by this package's own code fails
// the test. When a file reads, Read and Scan must give the same shape. Run
// it with
//
//	go test -run '^$' -fuzz FuzzRead -fuzztime 1m ./internal/parquetio
//
// The seeds are the fixtures and files written by this package.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.parquet")
	more, _ := filepath.Glob("testdata/xs_*/*/*/*.parquet")
	paths = append(paths, more...)
	more, _ = filepath.Glob("testdata/xs_mismatch/*.parquet")
	paths = append(paths, more...)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, opt := range []WriteOptions{{RowGroupRows: 7}, {Compression: "zstd", RowGroupRows: 40}, {Compression: "none"}} {
		var buf bytes.Buffer
		if err := Write(&buf, kindsTable(f, 50), opt); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := openBytes("fuzz.parquet", data)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		var names []string
		for _, fl := range d.Schema() {
			if fl.Unsupported == "" {
				names = append(names, fl.Name)
			}
		}
		// A damaged footer may claim up to a million rows per row group (see
		// pfile.open); decoding that many cells is legitimate but slow, and
		// the fuzzer counts an input that takes 10 s as a crash.
		if len(names) == 0 || d.NumRows()*int64(len(names)) > 1<<16 {
			return
		}
		batch := 5
		if d.NumRows() > 200 {
			batch = 1024
		}
		tb, rerr := d.Read(context.Background(), names)
		var parts []*frame.Table
		serr := d.Scan(context.Background(), names, batch, func(b *frame.Table) error {
			parts = append(parts, b)
			return nil
		})
		if rerr != nil || serr != nil {
			if rerr != nil {
				checkFuzzError(t, rerr)
			}
			if serr != nil {
				checkFuzzError(t, serr)
			}
			return
		}
		if int64(tb.NumRows()) != d.NumRows() {
			t.Fatalf("Read gave %d rows, the footer says %d", tb.NumRows(), d.NumRows())
		}
		// Only the shape is compared: on some damaged pages parquet-go
		// v0.32.1 returns values from a stale buffer (it checks the decoded
		// buffer's capacity, not its length), so two reads of such a file
		// can differ. Scan's values are checked against Read's on valid
		// files by the unit tests.
		n := 0
		for _, p := range parts {
			n += p.NumRows()
			for j, c := range p.Columns() {
				if c.Name != names[j] || c.Kind != tb.Columns()[j].Kind {
					t.Fatalf("batch column %d is %q %v, Read gave %q %v", j, c.Name, c.Kind, names[j], tb.Columns()[j].Kind)
				}
			}
		}
		if n != tb.NumRows() {
			t.Fatalf("Scan gave %d rows, Read %d", n, tb.NumRows())
		}
	})
}

// checkFuzzError fails when a panic was raised by this package's code rather
// than inside the library, or when the error does not name the file.
func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	if !strings.HasPrefix(err.Error(), "fuzz.parquet") {
		t.Fatalf("error does not name the file: %v", err)
	}
	var pe *PanicError
	if errors.As(err, &pe) && panicOrigin(pe.Stack) == "parquetio" {
		t.Fatalf("panic in parquetio: %v\n%s", pe.Value, pe.Stack)
	}
}

// panicOrigin names the package of the function that raised a panic, from a
// debug.Stack trace: "parquetio", "library" or "".
func panicOrigin(stack string) string {
	lines := strings.Split(stack, "\n")
	seen := false
	for _, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			seen = true
			continue
		}
		if !seen || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "runtime.") || l == "" {
			continue
		}
		if strings.HasPrefix(l, "github.com/churnlab/segment/internal/parquetio.") {
			return "parquetio"
		}
		return "library"
	}
	return ""
}

func TestPanicOrigin(t *testing.T) {
	err := guard("x", "", func() error {
		var s []int
		_ = s[3]
		return nil
	})
	var pe *PanicError
	if !errors.As(err, &pe) || panicOrigin(pe.Stack) != "parquetio" {
		t.Errorf("origin of a panic in this package: %q", panicOrigin(pe.Stack))
	}
}
