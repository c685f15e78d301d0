package parquetio

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// sameTable fails the test unless a and b have the same column names, kinds,
// values (floats bit for bit), missing masks and string dictionaries.
func sameTable(t *testing.T, a, b *frame.Table) {
	t.Helper()
	if a.NumRows() != b.NumRows() || a.NumCols() != b.NumCols() {
		t.Fatalf("shape %d×%d vs %d×%d", a.NumRows(), a.NumCols(), b.NumRows(), b.NumCols())
	}
	an, bn := a.Names(), b.Names()
	for j := range an {
		if an[j] != bn[j] {
			t.Fatalf("column %d: name %q vs %q", j, an[j], bn[j])
		}
	}
	for j, ca := range a.Columns() {
		cb := b.Columns()[j]
		if ca.Kind != cb.Kind {
			t.Errorf("column %q: kind %v vs %v", ca.Name, ca.Kind, cb.Kind)
			continue
		}
		if (ca.Missing == nil) != (cb.Missing == nil) {
			t.Errorf("column %q: missing mask nil %v vs %v", ca.Name, ca.Missing == nil, cb.Missing == nil)
		}
		if ca.Kind == frame.String && !equalStrings(ca.Dict, cb.Dict) {
			t.Errorf("column %q: dictionaries differ: %d vs %d entries", ca.Name, len(ca.Dict), len(cb.Dict))
		}
		bad := 0
		for i := 0; i < a.NumRows() && bad < 5; i++ {
			ma, mb := ca.IsMissing(i), cb.IsMissing(i)
			same := ma == mb
			if same && !ma {
				switch ca.Kind {
				case frame.Float:
					same = math.Float64bits(ca.Floats[i]) == math.Float64bits(cb.Floats[i])
				case frame.Int:
					same = ca.Int(i) == cb.Int(i)
				case frame.Bool:
					same = ca.Bools[i] == cb.Bools[i]
				default:
					same = ca.Code(i) == cb.Code(i) && ca.Str(i) == cb.Str(i)
				}
			}
			if !same {
				bad++
				t.Errorf("column %q row %d: %q (missing %v) vs %q (missing %v)", ca.Name, i, ca.Str(i), ma, cb.Str(i), mb)
			}
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeTemp writes t to a Parquet file in a temporary directory.
func writeTemp(t *testing.T, tb *frame.Table, opt WriteOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.parquet")
	var buf bytes.Buffer
	if err := Write(&buf, tb, opt); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll opens path and reads the given columns.
func readAll(t *testing.T, path string, columns ...string) *frame.Table {
	t.Helper()
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := d.Read(context.Background(), columns)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func mustTable(t testing.TB, cols ...*frame.Column) *frame.Table {
	t.Helper()
	tb, err := frame.New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func writeBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readDirNames(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out, err
}
