package clean

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Drop removes these columns.
type Drop []string

// Validate implements Op.
func (c *Drop) Validate(fe *confyaml.FieldErrors, key string) {
	checkColumnList(fe, key, *c)
}

// CheckColumns implements Op.
func (c *Drop) CheckColumns(s *pipeline.Schema, key string) {
	for j, col := range *c {
		if s.Require(fmt.Sprintf("%s[%d]", key, j), col) {
			s.Remove(col)
		}
	}
}

// Vars implements varsOp.
func (c *Drop) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	for _, name := range *c {
		vars = removeVar(vars, name)
	}
	return vars, true
}

// Apply implements Op.
func (c *Drop) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	return t.Drop(*c...)
}

// Freeze implements Freezer.
func (c *Drop) Freeze(*frame.Table) (Op, error) { return c, nil }

// restrict implements replayer: a drop needs nothing; it stays so that a
// column it removed cannot collide with a later step's new column.
func (c *Drop) restrict(map[string]bool, []string) (Op, []string) { return c, nil }

// replay implements replayOp: the replayed table holds only the columns the
// features need, so only those of the list that are there are dropped.
func (c *Drop) replay(_ context.Context, t *frame.Table, _ *replayCtx) (*frame.Table, error) {
	var present []string
	for _, name := range *c {
		if t.Has(name) {
			present = append(present, name)
		}
	}
	return t.Drop(present...)
}
