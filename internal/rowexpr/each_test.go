package rowexpr

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestDeriveEach: rows whose evaluation fails are missing and listed in row
// order; the other rows get the value Derive gives them; the list does not
// depend on GOMAXPROCS or on chunk boundaries.
func TestDeriveEach(t *testing.T) {
	n := 3*chunkRows + 5
	a, b := make([]int64, n), make([]int64, n)
	var zeros []int
	for i := range n {
		a[i], b[i] = int64(i+1), int64(i%7)
		if b[i] == 0 && (i < 20 || i > n-20 || i%chunkRows == 0) {
			zeros = append(zeros, i)
		}
		if b[i] == 0 && !(i < 20 || i > n-20 || i%chunkRows == 0) {
			b[i] = 1
		}
	}
	tb, err := frame.New(frame.NewInt("a", a, nil), frame.NewInt("b", b, nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile("a % b", VarsOf(tb))
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		col, fails, err := p.DeriveEach(context.Background(), tb, "r")
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		if len(fails) != len(zeros) {
			t.Fatalf("GOMAXPROCS %d: %d failures, want %d", procs, len(fails), len(zeros))
		}
		for k, f := range fails {
			if f.Row != zeros[k] || !strings.Contains(f.Err.Error(), "integer divide by zero") {
				t.Errorf("failure %d: row %d %v, want row %d", k, f.Row, f.Err, zeros[k])
			}
			if !col.IsMissing(f.Row) {
				t.Errorf("row %d failed but is not missing", f.Row)
			}
		}
		for i := range n {
			if b[i] != 0 && (col.IsMissing(i) || col.Int(i) != a[i]%b[i]) {
				t.Fatalf("row %d: %d (missing %v), want %d", i, col.Int(i), col.IsMissing(i), a[i]%b[i])
			}
		}
	}
	// Derive stops at the first failing row.
	if _, err := p.Derive(context.Background(), tb, "r"); err == nil || !strings.Contains(err.Error(), "row 1:") {
		t.Errorf("Derive: %v", err)
	}
}

func TestFilterEach(t *testing.T) {
	tb, err := frame.New(frame.NewInt("a", []int64{4, 5, 6}, nil), frame.NewInt("b", []int64{2, 0, 3}, nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile("a % b == 0", VarsOf(tb))
	if err != nil {
		t.Fatal(err)
	}
	keep, fails, err := p.FilterEach(context.Background(), tb)
	if err != nil {
		t.Fatal(err)
	}
	if keep[0] != true || keep[1] != false || keep[2] != true || len(fails) != 1 || fails[0].Row != 1 {
		t.Errorf("keep %v fails %v", keep, fails)
	}
	if _, err := p.Filter(context.Background(), tb); err == nil {
		t.Error("Filter did not stop at the failing row")
	}
}
