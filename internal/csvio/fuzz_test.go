package csvio

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// FuzzReadFile checks that ReadFile gives the same table, or the same
// error, whatever the block size and the number of workers, and the table
// that refRead builds. Small blocks
// exercise the in-chunk promotion to strings and the second pass.
func FuzzReadFile(f *testing.F) {
	seeds := []string{
		"a,b\n1,x\n2.5,y\n",
		"a,b\ntrue,1\nfalse,x\n,2\n",
		"a;b\n\"1\";\" \"\n\"x\ny\";3\n",
		"a\n1\n2\n3\nfoo\n4\n",
		"a,b\n-0,1\n2.5,\"q\"\"\"\n",
		"a,b\n1,2\n3\n",
		"h\n\"open\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(5))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		base, berr := ReadFile(context.Background(), path, Options{})
		got, gerr := ReadFile(context.Background(), path, Options{chunkSize: int(size) + 1, workers: 2})
		if (berr == nil) != (gerr == nil) {
			t.Fatalf("errors differ: %v / %v", berr, gerr)
		}
		if berr != nil {
			if berr.Error() != gerr.Error() {
				t.Fatalf("errors differ:\n%v\n%v", berr, gerr)
			}
			return
		}
		if d := diffTables(base.Table, got.Table); d != "" {
			t.Fatal(d)
		}
		// Scan hands out the same rows in batches.
		r, err := Open(context.Background(), path, Options{chunkSize: int(size) + 1, workers: 2})
		if err != nil {
			t.Fatalf("Open after ReadFile succeeded: %v", err)
		}
		var batches []string
		_, err = r.Scan(context.Background(), int(size)%7+1, func(b *frame.Table) error {
			batches = append(batches, strings.Join(renderRows(b), "\n"))
			return nil
		})
		r.Close()
		if err != nil {
			t.Fatalf("Scan failed after ReadFile succeeded: %v", err)
		}
		if whole := strings.Join(renderRows(base.Table), "\n"); len(batches) == 1 && batches[0] != whole {
			t.Fatalf("one batch %q\nReadAll %q", batches[0], whole)
		}
		if base.BOM || base.CR || base.Encoding != "utf-8" {
			return // the reference knows neither byte order marks nor CR-only line ends
		}
		if want := refRead(string(data), byte(base.Delimiter)); !reflect.DeepEqual(renderTable(base.Table), want) {
			t.Fatalf("got %q\nreference %q", renderTable(base.Table), want)
		}
	})
}

// FuzzReadCompressed checks that the gzip and zstd paths read the table the
// plain file gives, or fail where it fails, and never panic on arbitrary
// (including corrupt) compressed bytes.
func FuzzReadCompressed(f *testing.F) {
	for _, s := range []string{"a,b\n1,x\n2.5,y\n", "a\r1\r2\r", "\xff\xfea\x00\n\x001\x00\n\x00", "PAR1\x15\x00", "a,b\n1,1e400\n"} {
		f.Add([]byte(s), false)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		plain := filepath.Join(dir, "f.csv")
		gz := filepath.Join(dir, "f.csv.gz")
		if err := os.WriteFile(plain, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if raw { // the bytes themselves as a compressed file: must not panic
			os.WriteFile(gz, append([]byte("\x1f\x8b\x08"), data...), 0o644)
			ReadFile(context.Background(), gz, Options{})
			os.WriteFile(gz, append([]byte("\x28\xb5\x2f\xfd"), data...), 0o644)
			ReadFile(context.Background(), gz, Options{})
			return
		}
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(data)
		w.Close()
		os.WriteFile(gz, b.Bytes(), 0o644)
		base, berr := ReadFile(context.Background(), plain, Options{})
		got, gerr := ReadFile(context.Background(), gz, Options{chunkSize: 7})
		if (berr == nil) != (gerr == nil) {
			t.Fatalf("errors differ: %v / %v", berr, gerr)
		}
		if berr != nil {
			return
		}
		if d := diffTables(base.Table, got.Table); d != "" {
			t.Fatal(d)
		}
		if got.Compression != "gzip" || got.Bytes != int64(b.Len()) {
			t.Fatalf("compression %q bytes %d", got.Compression, got.Bytes)
		}
	})
}
