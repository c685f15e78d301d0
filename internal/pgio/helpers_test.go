package pgio

import (
	"context"
	dsnpkg "github.com/churnlab/segment/internal/dsn"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
)

// testDB connects to a fresh schema on the test server; the schema and the
// connection go away at cleanup. It returns the DB and the schema's DSN.
func testDB(t *testing.T) (*DB, string) {
	t.Helper()
	dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	return open(t, dsn, Options{}), dsn
}

func open(t *testing.T, dsn string, opt Options) *DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := Connect(ctx, dsn, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return db
}

// mustRead reads src whole or fails the test.
func mustRead(t *testing.T, db *DB, src Source) *Result {
	t.Helper()
	res, err := db.Read(context.Background(), src)
	if err != nil {
		t.Fatalf("read %+v: %v", src, err)
	}
	return res
}

// cells renders a table row by row with Str ("" for missing), plus a
// marker so that missing and empty strings differ.
func cells(tb *frame.Table) [][]string {
	out := make([][]string, tb.NumRows())
	cols := tb.Columns()
	for i := range out {
		out[i] = make([]string, len(cols))
		for j, c := range cols {
			if c.IsMissing(i) {
				out[i][j] = "<NULL>"
			} else {
				out[i][j] = c.Format(i)
			}
		}
	}
	return out
}

// sameTable fails unless a and b have the same names, kinds and cells.
func sameTable(t *testing.T, what string, a, b *frame.Table) {
	t.Helper()
	if a.NumRows() != b.NumRows() || a.NumCols() != b.NumCols() {
		t.Fatalf("%s: shape %dx%d vs %dx%d", what, a.NumRows(), a.NumCols(), b.NumRows(), b.NumCols())
	}
	for j, ca := range a.Columns() {
		cb := b.Columns()[j]
		if ca.Name != cb.Name || ca.Kind != cb.Kind {
			t.Fatalf("%s: column %d is %s %v vs %s %v", what, j, ca.Name, ca.Kind, cb.Name, cb.Kind)
		}
		for i := range a.NumRows() {
			if ca.IsMissing(i) != cb.IsMissing(i) || ca.Format(i) != cb.Format(i) {
				t.Fatalf("%s: column %q row %d: %q (missing %v) vs %q (missing %v)", what, ca.Name, i, ca.Format(i), ca.IsMissing(i), cb.Format(i), cb.IsMissing(i))
			}
		}
	}
}

// passwordOf returns the password of a key=value DSN.
func passwordOf(t *testing.T, dsn string) string {
	t.Helper()
	kv, err := dsnpkg.SplitKV(dsn)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range kv {
		if p.Key == "password" {
			return p.Value
		}
	}
	t.Fatalf("no password in the DSN")
	return ""
}
