package clean

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Derive adds (or replaces) a column computed by a row expression.
type Derive struct {
	// Name of the new column. Required.
	Name string `yaml:"name,required" json:"name,omitempty"`
	// Expr is the row expression. Required.
	Expr string `yaml:"expr,required" json:"expr,omitempty"`
	// Type optionally casts the result: int, float, string or bool.
	Type string `yaml:"type" json:"type,omitempty"`
}

func (d *Derive) expression() string { return d.Expr }

// Validate implements Op.
func (d *Derive) Validate(fe *confyaml.FieldErrors, key string) {
	if d.Type != "" {
		if _, err := frame.ParseKind(d.Type); err != nil {
			fe.Add(key+".type", "%v", err)
		}
	}
}

// CheckColumns implements Op.
// A derive may not overwrite the id column: ids are written as they are in
// the input, so run and predict outputs join.
func (d *Derive) CheckColumns(s *pipeline.Schema, key string) {
	checkExpr(s, key+".expr", d.Expr)
	if id := s.ID(); id != "" && d.Name == id {
		s.Errorf(key+".name", "%q is the id column (input.id); ids are kept as they are in the input, so a derive cannot overwrite it (derive a column of another name)", d.Name)
	}
	s.Add(d.Name)
}

// Vars implements varsOp: the new column has the expression's type, or Type.
func (d *Derive) Vars(vars []rowexpr.Var, prog *rowexpr.Program) ([]rowexpr.Var, bool) {
	k := prog.ResultKind()
	if d.Type != "" {
		k, _ = frame.ParseKind(d.Type)
	}
	return setVar(vars, rowexpr.Var{Name: d.Name, Kind: k, HasMissing: true}), true
}

// Apply implements Op.
func (d *Derive) Apply(ctx context.Context, t *frame.Table, prog *rowexpr.Program) (*frame.Table, error) {
	out, _, err := d.ApplyNoted(ctx, t, prog)
	return out, err
}

// ApplyNoted implements notedOp: the note counts the rows left without a
// value, by cause — "12 rows: division by zero gave no value", "3 rows: a
// column it reads was missing".
func (d *Derive) ApplyNoted(ctx context.Context, t *frame.Table, prog *rowexpr.Program) (*frame.Table, []string, error) {
	col, st, err := prog.DeriveWithStats(ctx, t, d.Name)
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	if st.Undefined > 0 {
		notes = append(notes, fmt.Sprintf("%s: %s gave no value", rowCount(st.Undefined), prog.UndefinedCause()))
	}
	if st.InputMissing > 0 {
		notes = append(notes, fmt.Sprintf("%s: a column it reads was missing", rowCount(st.InputMissing)))
	}
	out, err := d.finish(t, col)
	return out, notes, err
}

// rowCount is "1 row" or "12 rows".
func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// finish casts the derived column to Type and adds it to t.
func (d *Derive) finish(t *frame.Table, col *frame.Column) (*frame.Table, error) {
	var err error
	if d.Type != "" {
		k, _ := frame.ParseKind(d.Type)
		if col, err = castColumn(col, k); err != nil {
			return nil, err
		}
	}
	return t.With(col)
}

// Freeze implements Freezer: the expression is kept as written (model.json
// also records the columns it read and their types, see freezer.add).
func (d *Derive) Freeze(*frame.Table) (Op, error) { return d, nil }

// restrict implements replayer: the step runs when its column is needed,
// and then needs the columns its expression reads instead.
func (d *Derive) restrict(need map[string]bool, reads []string) (Op, []string) {
	if !need[d.Name] {
		return nil, nil
	}
	delete(need, d.Name)
	for _, c := range reads {
		need[c] = true
	}
	return d, reads
}

// replay implements replayOp: a row where the expression (or the cast to
// type) fails is recorded, and its value is missing.
func (d *Derive) replay(ctx context.Context, t *frame.Table, x *replayCtx) (*frame.Table, error) {
	in, err := x.prepareExpr(t)
	if err != nil {
		return nil, err
	}
	prog, err := in.compile(d.Expr)
	if err != nil {
		return nil, err
	}
	col, fails, err := prog.DeriveEach(ctx, in.t, d.Name)
	if err != nil {
		return nil, err
	}
	for _, f := range fails {
		x.problem(in.row(f.Row), d.Name, in.values(f.Row, x.reads), "the expression failed: "+f.Err.Error())
	}
	if d.Type != "" {
		k, _ := frame.ParseKind(d.Type)
		if col, err = castColumnEach(col, k, func(j int, value, reason string) {
			x.problem(in.row(j), d.Name, value, reason)
		}); err != nil {
			return nil, err
		}
	}
	return t.With(in.expand(col))
}
