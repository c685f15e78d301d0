package parquetio

// The xs_* fixtures were written by another Parquet implementation,
// github.com/xitongsys/parquet-go v1.6.2, with
//
//	go run ./internal/parquetio/testdata/gen -o internal/parquetio/testdata
//
// (from the module root). The generator also wrote the values it stored, as
// text, to the *.expected.json files; the tests compare against those.

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

type expectedFile struct {
	Rows      int64 `json:"rows"`
	RowGroups int   `json:"row_groups"`
	Columns   []struct {
		Name   string    `json:"name"`
		Kind   string    `json:"kind"`
		Type   string    `json:"type"`
		Values []*string `json:"values"`
	} `json:"columns"`
	Unsupported map[string]string `json:"unsupported"`
}

func loadExpected(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// checkColumn compares a column with the generator's text values: floats by
// their bits after parsing the exact decimal text, everything else as text.
func checkColumn(t *testing.T, c *frame.Column, want []*string) {
	t.Helper()
	if c.Len() != len(want) {
		t.Fatalf("column %q: %d rows, want %d", c.Name, c.Len(), len(want))
	}
	bad := 0
	for i, w := range want {
		if bad == 5 {
			break
		}
		if w == nil {
			if !c.IsMissing(i) {
				bad++
				t.Errorf("column %q row %d: %q, want missing", c.Name, i, c.Str(i))
			}
			continue
		}
		if c.IsMissing(i) {
			bad++
			t.Errorf("column %q row %d: missing, want %q", c.Name, i, *w)
			continue
		}
		if c.Kind == frame.Float {
			f, err := strconv.ParseFloat(*w, 64)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(f) != math.Float64bits(c.Floats[i]) {
				bad++
				t.Errorf("column %q row %d: %v, want %v (%s)", c.Name, i, c.Floats[i], f, *w)
			}
			continue
		}
		if c.Str(i) != *w {
			bad++
			t.Errorf("column %q row %d: %q, want %q", c.Name, i, c.Str(i), *w)
		}
	}
}

func TestOtherWriterTypes(t *testing.T) {
	var exp expectedFile
	loadExpected(t, "testdata/xs_types.expected.json", &exp)
	d, err := Open("testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if d.NumRows() != exp.Rows || len(d.files[0].rgRows) != exp.RowGroups {
		t.Fatalf("%d rows in %d row groups, want %d in %d", d.NumRows(), len(d.files[0].rgRows), exp.Rows, exp.RowGroups)
	}
	fields := map[string]Field{}
	for _, f := range d.Schema() {
		fields[f.Name] = f
	}
	var names []string
	for _, c := range exp.Columns {
		f := fields[c.Name]
		if f.Kind.String() != c.Kind || f.Type != c.Type || f.Unsupported != "" {
			t.Errorf("schema of %q: %v %q %q, want %s %q", c.Name, f.Kind, f.Type, f.Unsupported, c.Kind, c.Type)
		}
		names = append(names, c.Name)
	}
	for name, typ := range exp.Unsupported {
		if f := fields[name]; f.Type != typ || f.Unsupported == "" {
			t.Errorf("schema of %q: type %q unsupported %q, want type %q and a reason", name, f.Type, f.Unsupported, typ)
		}
	}
	got, err := d.Read(context.Background(), names)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range exp.Columns {
		checkColumn(t, got.Col(c.Name), c.Values)
	}

	// The result does not depend on the number of goroutines.
	for _, w := range []int{1, 3} {
		dw, _ := Open("testdata/xs_types.parquet", Options{Workers: w})
		again, err := dw.Read(context.Background(), names)
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, got, again)
	}

	// Streaming gives the same rows, batch after batch, in one schema.
	for _, batch := range []int{1, 7, 16, 1000} {
		var parts []*frame.Table
		err := d.Scan(context.Background(), names, batch, func(b *frame.Table) error {
			parts = append(parts, b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := (60 + batch - 1) / batch; len(parts) != want {
			t.Errorf("batch %d: %d batches, want %d", batch, len(parts), want)
		}
		sameValues(t, got, concat(t, parts))
	}
}

// concat appends tables with the same columns (string dictionaries merged
// by value).
func concat(t *testing.T, parts []*frame.Table) *frame.Table {
	t.Helper()
	var cols []*frame.Column
	for j, c := range parts[0].Columns() {
		var miss []bool
		switch c.Kind {
		case frame.Int:
			var v []int64
			for _, p := range parts {
				pc := p.Columns()[j]
				v = append(v, pc.Int64s()...)
				miss = appendMissing(miss, pc)
			}
			cols = append(cols, frame.NewInt(c.Name, v, miss))
		case frame.Float:
			var v []float64
			for _, p := range parts {
				pc := p.Columns()[j]
				v = append(v, pc.Floats...)
				miss = appendMissing(miss, pc)
			}
			cols = append(cols, frame.NewFloat(c.Name, v, miss))
		case frame.Bool:
			var v []bool
			for _, p := range parts {
				pc := p.Columns()[j]
				v = append(v, pc.Bools...)
				miss = appendMissing(miss, pc)
			}
			cols = append(cols, frame.NewBool(c.Name, v, miss))
		default:
			var v []string
			for _, p := range parts {
				pc := p.Columns()[j]
				if pc.Kind != frame.String {
					t.Fatalf("column %q changes kind between batches", c.Name)
				}
				for i := range pc.Len() {
					v = append(v, pc.Str(i))
				}
				miss = appendMissing(miss, pc)
			}
			cols = append(cols, frame.NewString(c.Name, v, miss))
		}
	}
	return mustTable(t, cols...)
}

func appendMissing(dst []bool, c *frame.Column) []bool {
	for i := range c.Len() {
		dst = append(dst, c.IsMissing(i))
	}
	return dst
}

// sameValues is sameTable without comparing dictionaries and codes.
func sameValues(t *testing.T, a, b *frame.Table) {
	t.Helper()
	if a.NumRows() != b.NumRows() || strings.Join(a.Names(), ",") != strings.Join(b.Names(), ",") {
		t.Fatalf("shape %d %v vs %d %v", a.NumRows(), a.Names(), b.NumRows(), b.Names())
	}
	for j, ca := range a.Columns() {
		cb := b.Columns()[j]
		for i := range a.NumRows() {
			if ca.IsMissing(i) != cb.IsMissing(i) || ca.Str(i) != cb.Str(i) || ca.Kind != cb.Kind {
				t.Fatalf("column %q row %d: %q/%v vs %q/%v", ca.Name, i, ca.Str(i), ca.IsMissing(i), cb.Str(i), cb.IsMissing(i))
			}
		}
	}
}
