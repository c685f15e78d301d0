package clean

import (
	"context"
	"errors"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the clean stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "clean",
		Summary:   "filter, select, drop, rename, derive, cast, dropna, fillna, dedupe, clip and onehot steps, in order",
		Needs:     []pipeline.Slot{pipeline.SlotTable},
		Provides:  []pipeline.Slot{pipeline.SlotTable},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	t := st.Table
	progs, err := s.compile(t)
	if err != nil {
		return err
	}
	for i := range s.cfg.Steps {
		step := &s.cfg.Steps[i]
		key := fmt.Sprintf("steps[%d].%s", i, step.kind)
		if err := ctx.Err(); err != nil {
			return err
		}
		prog := progs[i]
		if step.kind == "filter" || step.kind == "derive" {
			// Recompile when the table's types differ from the ones
			// foreseen (an int column that lost its missing values), or
			// when the expression follows a onehot step.
			if prog == nil || !prog.Matches(t) {
				if prog, err = rowexpr.Compile(exprOf(step), rowexpr.VarsOf(t)); err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
			}
		}
		rows, cols := t.NumRows(), t.NumCols()
		next, err := apply(ctx, step, t, prog)
		if err != nil {
			return fmt.Errorf("%s: %w", key, describeRowError(err, t, env.Config.Input.ID))
		}
		t = next
		env.Log.Info("step done", "step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.kind,
			"rows", fmt.Sprintf("%d → %d", rows, t.NumRows()), "columns", fmt.Sprintf("%d → %d", cols, t.NumCols()))
	}
	if t.NumRows() == 0 {
		return fmt.Errorf("no rows left after the clean steps; check the filters")
	}
	st.Table = t
	return nil
}

func exprOf(st *Step) string {
	if st.kind == "filter" {
		return *st.Filter
	}
	return st.Derive.Expr
}

// compile type-checks every expression against the schema each step will
// see, before any row is processed: a type error in the last step fails
// the run in milliseconds, not after the first steps ran on a large file.
// Steps after a onehot (whose columns depend on the data) compile when
// reached.
func (s *stage) compile(t *frame.Table) ([]*rowexpr.Program, error) {
	vars := rowexpr.VarsOf(t)
	progs := make([]*rowexpr.Program, len(s.cfg.Steps))
	for i := range s.cfg.Steps {
		st := &s.cfg.Steps[i]
		key := fmt.Sprintf("steps[%d].%s", i, st.kind)
		switch st.kind {
		case "filter", "derive":
			p, err := rowexpr.Compile(exprOf(st), vars)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			progs[i] = p
			if st.kind == "derive" {
				k := p.ResultKind()
				if st.Derive.Type != "" {
					k, _ = frame.ParseKind(st.Derive.Type)
				}
				vars = setVar(vars, rowexpr.Var{Name: st.Derive.Name, Kind: k, HasMissing: true})
			}
		case "select":
			var out []rowexpr.Var
			for _, name := range st.Select {
				if v, ok := findVar(vars, name); ok {
					out = append(out, v)
				}
			}
			vars = out
		case "drop":
			for _, name := range st.Drop {
				vars = removeVar(vars, name)
			}
		case "rename":
			for i := range vars {
				if nn, ok := st.Rename[vars[i].Name]; ok {
					vars[i].Name = nn
				}
			}
		case "cast":
			for i := range vars {
				if k, ok := st.Cast[vars[i].Name]; ok {
					vars[i].Kind, _ = frame.ParseKind(k)
				}
			}
		case "fillna":
			for i := range vars {
				if _, ok := st.Fillna[vars[i].Name]; ok {
					vars[i].HasMissing = false
				}
			}
		case "onehot":
			return progs, nil // later expressions compile when reached
		}
	}
	return progs, nil
}

func findVar(vars []rowexpr.Var, name string) (rowexpr.Var, bool) {
	for _, v := range vars {
		if v.Name == name {
			return v, true
		}
	}
	return rowexpr.Var{}, false
}

func setVar(vars []rowexpr.Var, v rowexpr.Var) []rowexpr.Var {
	for i := range vars {
		if vars[i].Name == v.Name {
			vars[i] = v
			return vars
		}
	}
	return append(vars, v)
}

func removeVar(vars []rowexpr.Var, name string) []rowexpr.Var {
	out := vars[:0:0]
	for _, v := range vars {
		if v.Name != name {
			out = append(out, v)
		}
	}
	return out
}

// describeRowError names the row of a failing expression by its id.
func describeRowError(err error, t *frame.Table, id string) error {
	var re *rowexpr.RowError
	if !errors.As(err, &re) {
		return err
	}
	if c := t.Col(id); id != "" && c != nil {
		return fmt.Errorf("row %d (%s %s): %w", re.Row+1, id, c.Str(re.Row), re.Err)
	}
	return err
}
