package clean

import (
	"context"

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
func (d *Derive) CheckColumns(s *pipeline.Schema, key string) {
	checkExpr(s, key+".expr", d.Expr)
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
	col, err := prog.Derive(ctx, t, d.Name)
	if err != nil {
		return nil, err
	}
	if d.Type != "" {
		k, _ := frame.ParseKind(d.Type)
		if col, err = castColumn(col, k); err != nil {
			return nil, err
		}
	}
	return t.With(col)
}
