package clean

import (
	"fmt"
	"maps"
	"slices"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// What several kinds of step share: checking column lists, following typed
// columns through the steps, and finding columns in a table.

// checkColumnList reports an empty list and columns listed twice.
func checkColumnList(fe *confyaml.FieldErrors, key string, cols []string) {
	if len(cols) == 0 {
		fe.Add(key, "list at least one column")
	}
	checkDupes(fe, key, cols)
}

// checkDupes reports a column listed twice under key[i].
func checkDupes(fe *confyaml.FieldErrors, key string, cols []string) {
	seen := map[string]bool{}
	for i, c := range cols {
		if seen[c] {
			fe.Add(fmt.Sprintf("%s[%d]", key, i), "column %q is listed twice", c)
		}
		seen[c] = true
	}
}

// checkExpr requires the columns an expression reads.
func checkExpr(s *pipeline.Schema, key, src string) {
	_, unknown, err := rowexpr.Referenced(src, s.Names())
	if err != nil {
		s.Errorf(key, "%v", err)
		return
	}
	for _, u := range unknown {
		s.Require(key, u)
	}
}

// requireKeys requires the columns a per-column step names, in sorted
// order.
func requireKeys[V any](s *pipeline.Schema, key string, m map[string]V) {
	for _, col := range slices.Sorted(maps.Keys(m)) {
		s.Require(confyaml.MapKey(key, col), col)
	}
}

// requireList requires the columns of a list under key[j].
func requireList(s *pipeline.Schema, key string, cols []string) {
	for j, col := range cols {
		s.Require(fmt.Sprintf("%s[%d]", key, j), col)
	}
}

// columnsOrAll returns the named columns, or every column when names is
// empty.
func columnsOrAll(t *frame.Table, names []string) ([]*frame.Column, error) {
	if len(names) == 0 {
		return t.Columns(), nil
	}
	cols := make([]*frame.Column, len(names))
	for i, name := range names {
		if cols[i] = t.Col(name); cols[i] == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
	}
	return cols, nil
}

// column returns the named column of t, or an error naming the known ones.
func column(t *frame.Table, name string) (*frame.Column, error) {
	if c := t.Col(name); c != nil {
		return c, nil
	}
	return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
}

func findVar(vars []rowexpr.Var, name string) (rowexpr.Var, bool) {
	for _, v := range vars {
		if v.Name == name {
			return v, true
		}
	}
	return rowexpr.Var{}, false
}

func setVar(vars []rowexpr.Var, v rowexpr.Var) []rowexpr.Var {
	for i := range vars {
		if vars[i].Name == v.Name {
			vars[i] = v
			return vars
		}
	}
	return append(vars, v)
}

func removeVar(vars []rowexpr.Var, name string) []rowexpr.Var {
	out := vars[:0:0]
	for _, v := range vars {
		if v.Name != name {
			out = append(out, v)
		}
	}
	return out
}

// restrictMap narrows a per-column step (fillna, cast, clip) to the needed
// columns: the step is skipped when none is, and needs the same columns
// before it.
func restrictMap[V any](m map[string]V, need map[string]bool, build func(map[string]V) Op) (Op, []string) {
	out := map[string]V{}
	var uses []string
	for name, v := range m {
		if need[name] {
			out[name] = v
			uses = append(uses, name)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return build(out), uses
}
