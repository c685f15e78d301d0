package clean

import (
	"context"
	"fmt"

	"github.com/go-gota/gota/dataframe"
)

// The column steps on the gota engine: select, drop, rename.

// applyGota implements gotaOp with gota's Select.
func (c *Select) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	if err := requireColumns(df, *c); err != nil {
		return df, err
	}
	return df.Select([]string(*c)), nil
}

// applyGota implements gotaOp with gota's Drop. A gota DataFrame cannot
// have zero columns, so dropping every column is refused.
func (c *Drop) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	if err := requireColumns(df, *c); err != nil {
		return df, err
	}
	left := 0
	for _, n := range df.Names() {
		if !hasName(*c, n) {
			left++
		}
	}
	if left == 0 {
		return df, fmt.Errorf("this drop removes every column, and a gota DataFrame cannot have none (gota's Drop fails); keep a column or use engine: native")
	}
	return df.Drop([]string(*c)), nil
}

// applyGota implements gotaOp: all columns are renamed at once with one
// Copy and SetNames. gota's Rename copies the whole frame for each column
// renamed, does not check for repeated names (the next copy silently
// renames them x_0, x_1), and one rename at a time cannot swap two names.
func (r *Rename) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	names := df.Names()
	for old := range *r {
		if !hasName(names, old) {
			return df, requireColumns(df, []string{old})
		}
	}
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		if nn, ok := (*r)[n]; ok {
			names[i] = nn
		}
	}
	for _, n := range names {
		if seen[n] {
			return df, fmt.Errorf("duplicate column name %q", n)
		}
		seen[n] = true
	}
	out := df.Copy()
	if err := out.SetNames(names...); err != nil {
		return df, err
	}
	return out, nil
}
