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
