package csvio

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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
		if base.BOM {
			return
		}
		if want := refRead(string(data), byte(base.Delimiter)); !reflect.DeepEqual(renderTable(base.Table), want) {
			t.Fatalf("got %q\nreference %q", renderTable(base.Table), want)
		}
	})
}
