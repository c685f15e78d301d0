package clean

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	if env.Mode() == pipeline.ModeStream {
		return s.runStream(ctx, env, st)
	}
	t := st.Table
	progs, err := compile(s.cfg.Steps, t)
	if err != nil {
		return err
	}
	fz := newFreezer(env.Name, st.Transform, t, inputID(env))
	native := s.cfg.Steps
	if s.cfg.Engine == EngineGota {
		if t, err = s.runGota(ctx, env, t, progs, fz); err != nil {
			return err
		}
		native = nil // the gota engine ran every step
	}
	for i := range native {
		step := &s.cfg.Steps[i]
		key := step.key(i)
		if err := ctx.Err(); err != nil {
			return err
		}
		prog := progs[i]
		if e, ok := step.Op.(exprOp); ok {
			// Recompile when the table's types differ from the ones
			// foreseen (an int column that lost its missing values), or
			// when the expression follows a onehot step.
			if prog == nil || !prog.Matches(t) {
				if prog, err = rowexpr.Compile(e.expression(), rowexpr.VarsOf(t)); err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
			}
		}
		rows, cols := t.NumRows(), t.NumCols()
		var next *frame.Table
		var notes []string
		if n, ok := step.Op.(notedOp); ok {
			next, notes, err = n.ApplyNoted(ctx, t, prog)
		} else {
			next, err = step.Op.Apply(ctx, t, prog)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, describeRowError(err, t, env.IDColumn))
		}
		fz.add(key, step, t, next, prog)
		t = next
		attrs := []any{"step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.Kind,
			"rows_in", rows, "rows_out", t.NumRows(), "columns_in", cols, "columns_out", t.NumCols()}
		if len(notes) > 0 {
			attrs = append(attrs, "note", strings.Join(notes, "; "))
			env.Warn("%s: %s (left missing)", key, strings.Join(notes, "; "))
		}
		env.Log.Info("step done", attrs...)
	}
	if t.NumRows() == 0 {
		return fmt.Errorf("no rows left after the clean steps; check the filters")
	}
	st.Table = t
	st.Transform = fz.tr
	return nil
}

// inputID is input.id, the raw id column's name.
func inputID(env *pipeline.Env) string {
	if env.Config == nil {
		return ""
	}
	return env.Config.Input.ID
}

// compile type-checks every expression against the columns each step will
// see, before any row is processed: a type error in the last step fails the
// run in milliseconds, not after the first steps ran on a large file. Steps
// after a onehot (whose columns depend on the data) compile when reached.
func compile(steps []Step, t *frame.Table) ([]*rowexpr.Program, error) {
	vars := rowexpr.VarsOf(t)
	progs := make([]*rowexpr.Program, len(steps))
	for i := range steps {
		st := &steps[i]
		if e, ok := st.Op.(exprOp); ok {
			p, err := rowexpr.Compile(e.expression(), vars)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", st.key(i), err)
			}
			progs[i] = p
		}
		if v, ok := st.Op.(varsOp); ok {
			var known bool
			if vars, known = v.Vars(vars, progs[i]); !known {
				break
			}
		}
	}
	return progs, nil
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
