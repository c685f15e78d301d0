package clean

import (
	"context"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Filter keeps the rows where the expression is true.
type Filter string

func (f *Filter) expression() string { return string(*f) }

// Validate implements Op.
func (f *Filter) Validate(fe *confyaml.FieldErrors, key string) {
	if strings.TrimSpace(string(*f)) == "" {
		fe.Add(key, "the filter expression is empty")
	}
}

// CheckColumns implements Op.
func (f *Filter) CheckColumns(s *pipeline.Schema, key string) { checkExpr(s, key, string(*f)) }

// Apply implements Op.
func (f *Filter) Apply(ctx context.Context, t *frame.Table, prog *rowexpr.Program) (*frame.Table, error) {
	keep, err := prog.Filter(ctx, t)
	if err != nil {
		return nil, err
	}
	return t.Filter(keep), nil
}
