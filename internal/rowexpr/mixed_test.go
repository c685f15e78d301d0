package rowexpr

import (
	"context"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestDeriveMixedNumbers: max(x, i) is a float64 in some rows and an int in
// others (expr picks the larger operand as it is). It used to panic in a
// worker goroutine, which no recover could catch; found by the fuzz target
// in bench/fuzz. The column holds every row's value as its checked kind.
func TestDeriveMixedNumbers(t *testing.T) {
	tb, err := frame.New(
		frame.NewFloat("x", []float64{1.5, 0.5, 9}, nil),
		frame.NewInt("i", []int64{1, 2, 3}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile("max(x, i)", VarsOf(tb))
	if err != nil {
		t.Fatal(err)
	}
	col, err := p.Derive(context.Background(), tb, "m")
	if err != nil {
		t.Fatal(err)
	}
	if col.Kind != frame.Float || col.Floats[0] != 1.5 || col.Floats[1] != 2 || col.Floats[2] != 9 {
		t.Errorf("got %v %v", col.Kind, col.Floats)
	}
}

// TestQuotedNameBeforeDigits: a quoted name followed by digits is a syntax
// error, not another column's variable (`x`, column 1, followed by 1 once read as __c11, column k) nor a
// panic ("“00001", found by the fuzz target).
func TestQuotedNameBeforeDigits(t *testing.T) {
	cols := []*frame.Column{}
	for _, n := range []string{"a", "x", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		cols = append(cols, frame.NewFloat(n, []float64{1}, nil))
	}
	tb, err := frame.New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"`x`1 > 0", "``00001", "`nope`1"} {
		if p, err := Compile(src, VarsOf(tb)); err == nil {
			t.Errorf("%s compiled (reads %v)", src, p.Columns())
		}
	}
}
