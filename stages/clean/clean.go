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
	switch env.Mode() {
	case pipeline.ModeDatabase:
		return s.runDatabase(ctx, env, st)
	case pipeline.ModeStream:
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
	// Row steps (filter, dropna, dedupe) narrow a selection of t's rows;
	// the table is copied once, when a step that needs it comes or the
	// steps end, so a filter followed by a dedupe and a dropna copies the
	// kept rows once instead of three times.
	var sel []int // nil: every row of t
	materialize := func() {
		if sel != nil && len(sel) < t.NumRows() {
			t = t.Take(sel)
		}
		sel = nil
	}
	for i := range native {
		step := &s.cfg.Steps[i]
		key := step.key(i)
		if err := ctx.Err(); err != nil {
			return err
		}
		prog := progs[i]
		if rs, ok := step.Op.(rowSelector); ok && (sel == nil || !isExpr(step.Op)) {
			rowsIn := t.NumRows()
			if sel != nil {
				rowsIn = len(sel)
			}
			if e, ok := step.Op.(exprOp); ok && (prog == nil || !prog.Matches(t)) {
				if prog, err = rowexpr.Compile(e.expression(), rowexpr.VarsOf(t)); err != nil {
					return fmt.Errorf("%s: %w", key, err)
				}
			}
			keep, err := rs.keepRows(ctx, t, sel, prog)
			if err != nil {
				return fmt.Errorf("%s: %w", key, describeRowError(err, t, env.IDColumn))
			}
			next := make([]int, 0, rowsIn)
			for p, k := range keep {
				if !k {
					continue
				}
				if sel == nil {
					next = append(next, p)
				} else {
					next = append(next, sel[p])
				}
			}
			sel = next
			fz.add(key, step, t, rowsIn, len(sel), prog)
			env.Log.Info("step done", "step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.Kind,
				"rows_in", rowsIn, "rows_out", len(sel), "columns_in", t.NumCols(), "columns_out", t.NumCols())
			continue
		}
		materialize()
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
		fz.add(key, step, t, t.NumRows(), next.NumRows(), prog)
		t = next
		attrs := []any{"step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.Kind,
			"rows_in", rows, "rows_out", t.NumRows(), "columns_in", cols, "columns_out", t.NumCols()}
		if len(notes) > 0 {
			attrs = append(attrs, "note", strings.Join(notes, "; "))
			env.Warn("%s: %s (left missing)", key, strings.Join(notes, "; "))
		}
		env.Log.Info("step done", attrs...)
	}
	if t.NumRows() == 0 || sel != nil && len(sel) == 0 {
		return fmt.Errorf("no rows left after the clean steps; check the filters")
	}
	if sel != nil && len(sel) < t.NumRows() {
		// Nothing can fail from here: give up the input table (the
		// State's, unless a step replaced it) as its kept rows are
		// copied, so that it and the output are not in memory at once.
		st.Table = nil
		t = t.TakeOwned(sel)
		sel = nil
	}
	st.Table = t
	st.Transform = fz.tr
	return nil
}

// rowSelector is a row step (filter, dropna, dedupe) that can run on a
// selection of a table's rows without the table being copied: keepRows
// reports, for each of rows (indices of t, in order; nil = every row),
// whether the step keeps it. It gives errNeedsTable when it must run on a
// table of exactly the selected rows instead.
type rowSelector interface {
	Op
	keepRows(ctx context.Context, t *frame.Table, rows []int, prog *rowexpr.Program) ([]bool, error)
}

var (
	_ rowSelector = (*Filter)(nil)
	_ rowSelector = (*Dropna)(nil)
	_ rowSelector = (*Dedupe)(nil)
)

// errNeedsTable is a rowSelector's answer for a selection it cannot run on.
var errNeedsTable = errors.New("clean: the step needs the selected rows as a table")

// isExpr reports whether op is computed from a row expression.
func isExpr(op Op) bool { _, ok := op.(exprOp); return ok }

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
