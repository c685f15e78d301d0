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

// keepRows implements rowSelector for the whole table only (rows nil): an
// expression's values can depend on whether its int columns have missing
// cells, which is a property of the table it runs on, so a filter after
// another row step runs on the table that step leaves.
func (f *Filter) keepRows(ctx context.Context, t *frame.Table, rows []int, prog *rowexpr.Program) ([]bool, error) {
	if rows != nil {
		return nil, errNeedsTable
	}
	return prog.Filter(ctx, t)
}

// Freeze implements Freezer: a filter has no statistics.
func (f *Filter) Freeze(*frame.Table) (Op, error) { return f, nil }

// restrict implements replayer: a row step keeps itself and needs the
// columns its expression reads.
func (f *Filter) restrict(need map[string]bool, reads []string) (Op, []string) {
	for _, c := range reads {
		need[c] = true
	}
	return f, reads
}

// keep implements rowOp: a row where the expression fails is recorded and
// dropped.
func (f *Filter) keep(ctx context.Context, t *frame.Table, x *replayCtx) ([]bool, error) {
	in, err := x.prepareExpr(t)
	if err != nil {
		return nil, err
	}
	prog, err := in.compile(string(*f))
	if err != nil {
		return nil, err
	}
	keep, fails, err := prog.FilterEach(ctx, in.t)
	if err != nil {
		return nil, err
	}
	for _, fl := range fails {
		x.problem(in.row(fl.Row), "", in.values(fl.Row, x.reads), "the filter failed: "+fl.Err.Error())
	}
	return in.expandBool(keep), nil
}
