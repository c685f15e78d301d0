package clean

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Select keeps only these columns, in this order.
type Select []string

// Validate implements Op.
func (c *Select) Validate(fe *confyaml.FieldErrors, key string) {
	checkColumnList(fe, key, *c)
}

// CheckColumns implements Op.
func (c *Select) CheckColumns(s *pipeline.Schema, key string) {
	var keep []string
	for j, col := range *c {
		if s.Require(fmt.Sprintf("%s[%d]", key, j), col) {
			keep = append(keep, col)
		}
	}
	s.Keep(keep)
}

// Vars implements varsOp.
func (c *Select) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	var out []rowexpr.Var
	for _, name := range *c {
		if v, ok := findVar(vars, name); ok {
			out = append(out, v)
		}
	}
	return out, true
}

// Apply implements Op.
func (c *Select) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	return t.Select(*c...)
}

// Freeze implements Freezer.
func (c *Select) Freeze(*frame.Table) (Op, error) { return c, nil }

// restrict implements replayer: only the needed columns are selected (the
// step is skipped when none is).
func (c *Select) restrict(need map[string]bool, _ []string) (Op, []string) {
	var keep Select
	for _, name := range *c {
		if need[name] {
			keep = append(keep, name)
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	return &keep, nil
}
