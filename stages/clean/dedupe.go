package clean

import (
	"context"
	"encoding/binary"
	"math"

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
func (x *Dedupe) keep(_ context.Context, t *frame.Table, _ *replayCtx) ([]bool, error) {
	cols, err := columnsOrAll(t, x.Columns)
	if err != nil {
		return nil, err
	}
	n := t.NumRows()
	seen := make(map[string]int, n)
	keep := make([]bool, n)
	key := make([]byte, 0, 9*len(cols))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if x.Keep == "last" {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
	}
	for _, i := range order {
		key = rowKey(key[:0], cols, i)
		if _, dup := seen[string(key)]; !dup {
			seen[string(key)] = i
			keep[i] = true
		}
	}
	return keep, nil
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

// rowKey appends row i's values in cols to key as exact bytes: a missing
// marker, or the value's bits (-0 as 0; strings by dictionary code).
func rowKey(key []byte, cols []*frame.Column, i int) []byte {
	for _, c := range cols {
		if c.IsMissing(i) {
			key = append(key, 0)
			continue
		}
		key = append(key, 1)
		switch c.Kind {
		case frame.Float:
			f := c.Floats[i]
			if f == 0 {
				f = 0 // -0 equals 0
			}
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(f))
		case frame.Int:
			key = binary.LittleEndian.AppendUint64(key, uint64(c.Int(i)))
		case frame.Bool:
			if c.Bools[i] {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
		default:
			key = binary.LittleEndian.AppendUint32(key, uint32(c.Codes[i]))
		}
	}
	return key
}
