package csvio

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// readString writes content to a temporary file and reads it.
func readString(t testing.TB, content string, opt Options) (*Result, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return ReadFile(context.Background(), path, opt)
}

// diffTables describes the first difference between two tables, bit for bit
// (NaN equals NaN, -0 differs from +0), or returns "".
func diffTables(a, b *frame.Table) string {
	if a.NumRows() != b.NumRows() || a.NumCols() != b.NumCols() {
		return fmt.Sprintf("shape %d×%d vs %d×%d", a.NumRows(), a.NumCols(), b.NumRows(), b.NumCols())
	}
	ac, bc := a.Columns(), b.Columns()
	for j := range ac {
		x, y := ac[j], bc[j]
		if x.Name != y.Name || x.Kind != y.Kind {
			return fmt.Sprintf("column %d: %q %v vs %q %v", j, x.Name, x.Kind, y.Name, y.Kind)
		}
		if (x.Missing == nil) != (y.Missing == nil) {
			return fmt.Sprintf("%q: Missing nil %v vs %v", x.Name, x.Missing == nil, y.Missing == nil)
		}
		if len(x.Dict) != len(y.Dict) {
			return fmt.Sprintf("%q: dict of %d vs %d", x.Name, len(x.Dict), len(y.Dict))
		}
		for i := range x.Dict {
			if x.Dict[i] != y.Dict[i] {
				return fmt.Sprintf("%q: dict[%d] %q vs %q", x.Name, i, x.Dict[i], y.Dict[i])
			}
		}
		for i := range a.NumRows() {
			if x.IsMissing(i) != y.IsMissing(i) {
				return fmt.Sprintf("%q row %d: missing %v vs %v", x.Name, i, x.IsMissing(i), y.IsMissing(i))
			}
			same := true
			switch x.Kind {
			case frame.Float:
				same = math.Float64bits(x.Floats[i]) == math.Float64bits(y.Floats[i]) ||
					math.IsNaN(x.Floats[i]) && math.IsNaN(y.Floats[i])
			case frame.Int:
				same = x.Int(i) == y.Int(i)
			case frame.Bool:
				same = x.Bools[i] == y.Bools[i]
			default:
				same = x.Code(i) == y.Code(i)
			}
			if !same {
				return fmt.Sprintf("%q row %d: %q vs %q", x.Name, i, x.Format(i), y.Format(i))
			}
		}
	}
	return ""
}
