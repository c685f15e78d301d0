package frame

import (
	"fmt"
	"math"
)

// Equal reports whether two tables hold the same cells: the same column
// names in the same order, the same kinds, the same missing cells and the
// same values — floats by their bits (so -0 differs from 0), strings by
// their text (dictionaries may differ). It returns nil when they do, and
// otherwise an error naming the first difference.
func Equal(a, b *Table) error {
	an, bn := a.Names(), b.Names()
	if len(an) != len(bn) {
		return fmt.Errorf("%d columns %q, want %d columns %q", len(an), an, len(bn), bn)
	}
	for j := range an {
		if an[j] != bn[j] {
			return fmt.Errorf("column %d is %q, want %q", j+1, an[j], bn[j])
		}
	}
	if a.NumRows() != b.NumRows() {
		return fmt.Errorf("%d rows, want %d", a.NumRows(), b.NumRows())
	}
	for j, ca := range a.cols {
		if err := equalColumns(ca, b.cols[j]); err != nil {
			return err
		}
	}
	return nil
}

func equalColumns(a, b *Column) error {
	if a.Kind != b.Kind {
		return fmt.Errorf("column %q is %s, want %s", a.Name, a.Kind, b.Kind)
	}
	for i := range a.Len() {
		ma, mb := a.IsMissing(i), b.IsMissing(i)
		same := ma == mb
		if same && !ma {
			switch a.Kind {
			case Float:
				same = math.Float64bits(a.Floats[i]) == math.Float64bits(b.Floats[i])
			case Int:
				same = a.Int(i) == b.Int(i)
			case Bool:
				same = a.Bools[i] == b.Bools[i]
			default:
				same = a.Dict[a.Code(i)] == b.Dict[b.Code(i)]
			}
		}
		if !same {
			return fmt.Errorf("column %q row %d: %s, want %s", a.Name, i+1, a.describe(i), b.describe(i))
		}
	}
	return nil
}

// describe renders a cell for a message: missing, or the value quoted.
func (c *Column) describe(i int) string {
	if c.IsMissing(i) {
		return "missing"
	}
	if c.Kind == Float {
		return fmt.Sprintf("%v", c.Floats[i]) // shows -0 apart from 0
	}
	return fmt.Sprintf("%q", c.Format(i))
}
