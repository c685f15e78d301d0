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
// the test. When a file reads, Read and Scan must agree. Run it with
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
		if len(names) == 0 {
			return
		}
		tb, rerr := d.Read(context.Background(), names)
		var parts []*frame.Table
		serr := d.Scan(context.Background(), names, 5, func(b *frame.Table) error {
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
		if len(parts) > 0 {
			sameValues(t, tb, concat(t, parts))
		} else if tb.NumRows() != 0 {
			t.Fatal("Scan gave no batch")
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
