package frame

import (
	"math"
	"strings"
	"testing"
)

func sample(t *testing.T) *Table {
	t.Helper()
	tb, err := New(
		NewString("id", []string{"a", "b", "c"}, nil),
		NewFloat("x", []float64{1.5, math.NaN(), -2}, nil),
		NewInt("n", []int64{1, 0, 3}, []bool{false, true, false}),
		NewBool("f", []bool{true, false, true}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestTableOps(t *testing.T) {
	tb := sample(t)
	if tb.NumRows() != 3 || tb.NumCols() != 4 || tb.Col("x").NumMissing() != 1 || tb.Col("n").NumMissing() != 1 {
		t.Fatalf("shape or missing counts wrong")
	}
	s, err := tb.Select("n", "id")
	if err != nil || strings.Join(s.Names(), ",") != "n,id" {
		t.Errorf("select: %v %v", s.Names(), err)
	}
	if _, err := tb.Select("idd"); err == nil || err.Error() != `unknown column "idd" (did you mean "id"?)` {
		t.Errorf("select unknown: %v", err)
	}
	r, err := tb.Rename(map[string]string{"x": "y"})
	if err != nil || r.Col("y") == nil || r.Col("x") != nil || tb.Col("x") == nil {
		t.Errorf("rename changed the input or failed: %v", err)
	}
	if _, err := tb.Rename(map[string]string{"x": "n"}); err == nil {
		t.Error("rename onto an existing name must fail")
	}
	f := tb.Filter([]bool{false, true, true})
	if f.NumRows() != 2 || f.Col("id").Str(0) != "b" || !f.Col("x").IsMissing(0) || f.Col("n").Missing != nil && f.Col("n").IsMissing(1) {
		t.Errorf("filter wrong")
	}
	d, _ := tb.Drop("f")
	if d.Has("f") || !tb.Has("f") {
		t.Error("drop")
	}
	if _, err := New(NewFloat("a", []float64{1}, nil), NewFloat("b", []float64{1, 2}, nil)); err == nil {
		t.Error("unequal lengths accepted")
	}
	if _, err := New(NewFloat("a", nil, nil), NewFloat("a", nil, nil)); err == nil {
		t.Error("duplicate names accepted")
	}
}

func TestColumnValues(t *testing.T) {
	tb := sample(t)
	x, err := tb.Col("n").Float64s()
	if err != nil || x[0] != 1 || !math.IsNaN(x[1]) || x[2] != 3 {
		t.Errorf("Float64s of int with missing: %v %v", x, err)
	}
	if _, err := tb.Col("id").Float64s(); err == nil {
		t.Error("Float64s of a string column must fail")
	}
	for _, tc := range []struct {
		f    float64
		want string
	}{{0.1, "0.1"}, {3418.374926555856, "3418.374926555856"}, {1e21, "1e+21"}, {-0.0000001, "-1e-07"}, {100, "100"}} {
		if got := FormatFloat(tc.f); got != tc.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	if d := tb.Col("x").Distinct(); d != 2 {
		t.Errorf("distinct %d", d)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"Customer Status", "Customer ID", "Total Revenue", "Age"}
	for _, tc := range []struct{ in, want string }{
		{"Custmer Status", "Customer Status"},
		{"customer id", "Customer ID"},
		{"Total_Revenue", "Total Revenue"},
		{"Zebra", ""},
	} {
		if got := Suggest(tc.in, names); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNoColumnsKeepRows: a table made from another's columns keeps its
// rows when no column is left (a streamed pass that reads no column sees
// batches of rows without columns, and a rename or drop step must not
// empty them).
func TestNoColumnsKeepRows(t *testing.T) {
	full, err := New(NewInt("a", []int64{1, 2, 3}, nil))
	if err != nil {
		t.Fatal(err)
	}
	empty, err := full.Select()
	if err != nil {
		t.Fatal(err)
	}
	renamed, err := empty.Rename(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := full.Drop("a")
	if err != nil {
		t.Fatal(err)
	}
	for name, tb := range map[string]*Table{"select": empty, "rename": renamed, "drop": dropped} {
		if tb.NumCols() != 0 || tb.NumRows() != 3 {
			t.Errorf("%s: %d rows × %d columns, want 3 × 0", name, tb.NumRows(), tb.NumCols())
		}
	}
}
