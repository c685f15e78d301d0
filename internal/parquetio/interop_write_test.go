package parquetio

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	xsbuffer "github.com/xitongsys/parquet-go-source/buffer"
	xsreader "github.com/xitongsys/parquet-go/reader"

	"github.com/churnlab/segment/internal/frame"
)

// TestOtherReaderReadsOurFiles is the other direction of the interop check:
// files this package writes (dictionary-encoded strings, nulls in every
// kind, several row groups, each codec another reader supports) are read by
// xitongsys/parquet-go v1.6.2, value by value.
func TestOtherReaderReadsOurFiles(t *testing.T) {
	tb := kindsTable(t, 3000)
	for _, codec := range []string{"snappy", "zstd", "gzip", "none"} {
		t.Run(codec, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tb, WriteOptions{Compression: codec, RowGroupRows: 1000}); err != nil {
				t.Fatal(err)
			}
			src, err := xsbuffer.NewBufferFile(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			pr, err := xsreader.NewParquetColumnReader(src, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer pr.ReadStop()
			if got := pr.GetNumRows(); got != 3000 {
				t.Fatalf("%d rows", got)
			}
			if n := len(pr.Footer.RowGroups); n != 3 {
				t.Errorf("%d row groups", n)
			}
			for j, c := range tb.Columns() {
				vals, _, _, err := pr.ReadColumnByIndex(int64(j), 3000)
				if err != nil {
					t.Fatalf("column %q: %v", c.Name, err)
				}
				if len(vals) != 3000 {
					t.Fatalf("column %q: %d values", c.Name, len(vals))
				}
				bad := 0
				for i, v := range vals {
					if want := expectedValue(c, i); fmt.Sprint(v) != fmt.Sprint(want) && bad < 3 {
						bad++
						t.Errorf("column %q row %d: %v (%T), want %v", c.Name, i, v, v, want)
					}
				}
			}
		})
	}
}

// expectedValue is what the other reader should give for row i: nil for a
// missing value, else the Go value.
func expectedValue(c *frame.Column, i int) any {
	if c.IsMissing(i) {
		return nil
	}
	switch c.Kind {
	case frame.Int:
		return c.Int(i)
	case frame.Float:
		if math.IsNaN(c.Floats[i]) {
			return nil
		}
		return c.Floats[i]
	case frame.Bool:
		return c.Bools[i]
	}
	return c.Dict[c.Code(i)]
}
