package clean

import (
	"context"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Dedupe removes repeated rows, comparing exact values (missing equals
// missing, as in pandas drop_duplicates).
type Dedupe struct {
	// Columns that identify a row; empty means the whole row.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// Keep "first" or "last" of each group of duplicates. Default "first".
	Keep string `yaml:"keep" json:"keep,omitempty"`
}

// DecodeYAML accepts a list of columns as shorthand for {columns: [...]}.
func (x *Dedupe) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	type plain Dedupe // without this method, so Decode does not recurse
	decodeColumnsShorthand(d, n, key, &x.Columns, (*plain)(x))
}

// decodeColumnsShorthand decodes a list as the block's columns (the
// shorthand "- dropna: [A, B]") and anything else as the block itself.
func decodeColumnsShorthand(d *confyaml.Decoder, n ast.Node, key string, cols *[]string, block any) {
	if _, isList := n.(*ast.SequenceNode); isList {
		d.Decode(n, cols, confyaml.JoinKey(key, "columns"))
		return
	}
	d.Decode(n, block, key)
}

// Validate implements Op.
func (x *Dedupe) Validate(fe *confyaml.FieldErrors, key string) {
	if x.Keep != "first" && x.Keep != "last" {
		fe.Add(key+".keep", "must be \"first\" or \"last\", not %q", x.Keep)
	}
}

// CheckColumns implements Op.
func (x *Dedupe) CheckColumns(s *pipeline.Schema, key string) {
	requireList(s, key+".columns", x.Columns)
}

// Apply implements Op: it keeps the first (or last) row of each group of
// rows with equal values in the key columns. Values are compared exactly by
// their typed bits, never through formatted text.
func (x *Dedupe) Apply(ctx context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	keep, err := x.keep(ctx, t, nil)
	if err != nil {
		return nil, err
	}
	return t.Filter(keep), nil
}

// keep implements rowOp.
func (x *Dedupe) keep(ctx context.Context, t *frame.Table, _ *replayCtx) ([]bool, error) {
	return x.keepRows(ctx, t, nil, nil)
}

// keepRows implements rowSelector: the rows (of t, in order; nil = all)
// that are the first (last) of their group of equal key values.
func (x *Dedupe) keepRows(ctx context.Context, t *frame.Table, rows []int, _ *rowexpr.Program) ([]bool, error) {
	cols, err := columnsOrAll(t, x.Columns)
	if err != nil {
		return nil, err
	}
	return keepDistinct(ctx, cols, rows, t.NumRows(), x.Keep == "last")
}

// Freeze implements Freezer: without columns, the step compared whole rows
// of the table it ran on; those columns are written out, so new rows are
// compared on the same columns.
func (x *Dedupe) Freeze(in *frame.Table) (Op, error) {
	out := *x
	if len(out.Columns) == 0 {
		out.Columns = in.Names()
	}
	return &out, nil
}

// restrict implements replayer: a row step keeps itself and needs its
// columns.
func (x *Dedupe) restrict(need map[string]bool, _ []string) (Op, []string) {
	for _, c := range x.Columns {
		need[c] = true
	}
	return x, x.Columns
}
