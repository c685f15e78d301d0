package clean

import (
	"context"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Dropna removes rows with missing values. `- dropna:` alone checks every
// column; a list checks only those columns.
type Dropna struct {
	// Columns to check; empty means all.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// How: "any" drops a row missing any of the columns, "all" only rows
	// missing all of them. Default "any".
	How string `yaml:"how" json:"how,omitempty"`
}

// DecodeYAML accepts a list of columns as shorthand for {columns: [...]}.
func (x *Dropna) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	type plain Dropna // without this method, so Decode does not recurse
	decodeColumnsShorthand(d, n, key, &x.Columns, (*plain)(x))
}

// Validate implements Op.
func (x *Dropna) Validate(fe *confyaml.FieldErrors, key string) {
	if x.How != "any" && x.How != "all" {
		fe.Add(key+".how", "must be \"any\" or \"all\", not %q", x.How)
	}
}

// CheckColumns implements Op.
func (x *Dropna) CheckColumns(s *pipeline.Schema, key string) {
	requireList(s, key+".columns", x.Columns)
}

// Apply implements Op.
func (x *Dropna) Apply(ctx context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	keep, err := x.keep(ctx, t, nil)
	if err != nil {
		return nil, err
	}
	return t.Filter(keep), nil
}

// keep implements rowOp.
func (x *Dropna) keep(ctx context.Context, t *frame.Table, _ *replayCtx) ([]bool, error) {
	return x.keepRows(ctx, t, nil, nil)
}

// keepRows implements rowSelector: whether each of the rows (of t, in
// order; nil = all) has the values the step asks for.
func (x *Dropna) keepRows(_ context.Context, t *frame.Table, rows []int, _ *rowexpr.Program) ([]bool, error) {
	cols, err := columnsOrAll(t, x.Columns)
	if err != nil {
		return nil, err
	}
	var with []*frame.Column // only columns with missing cells can drop rows
	for _, c := range cols {
		if c.Missing != nil {
			with = append(with, c)
		}
	}
	n := t.NumRows()
	if rows != nil {
		n = len(rows)
	}
	keep := make([]bool, n)
	for p := range keep {
		i := p
		if rows != nil {
			i = rows[p]
		}
		missing := 0
		for _, c := range with {
			if c.Missing[i] {
				missing++
			}
		}
		if x.How == "all" {
			keep[p] = missing < len(cols) || len(cols) == 0
		} else {
			keep[p] = missing == 0
		}
	}
	return keep, nil
}

// Freeze implements Freezer: without columns, the step checked every
// column of the table it ran on; those are written out, so new rows are
// checked on the same columns.
func (x *Dropna) Freeze(in *frame.Table) (Op, error) {
	out := *x
	if len(out.Columns) == 0 {
		out.Columns = in.Names()
	}
	return &out, nil
}

// restrict implements replayer: a row step keeps itself and needs its
// columns.
func (x *Dropna) restrict(need map[string]bool, _ []string) (Op, []string) {
	for _, c := range x.Columns {
		need[c] = true
	}
	return x, x.Columns
}
