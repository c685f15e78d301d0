package clean

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// The gota engine (engine: gota) runs every step with gota v0.12.0
// DataFrame operations, one gota_<kind>.go file per kind. The table is
// converted to a gota DataFrame once before the first step and back once
// after the last (internal/frame, exact both ways), and the result equals
// the native engine's cell for cell (gota_test.go, engine_test.go).
//
// Row expressions are still compiled once by internal/rowexpr; they are
// evaluated on the columns they read (converted from the DataFrame) to give
// the boolean mask or the new column, and gota applies it (Subset, Mutate).
//
// Where gota's semantics differ from the documented ones, the engine
// corrects around them; nowhere does it let gota silently produce another
// table:
//
//   - missing values in comparisons: gota's Filter compares one column with
//     one value converted to the column's type (n > 3.5 on ints tests n > 3)
//     and cannot combine columns; the mask comes from rowexpr, with its
//     documented rule (a comparison reading a missing value is false).
//   - the string "NaN": gota's Set reads it as NA, and re-typing, Map and
//     Rapply turn a string NA into the text "NaN". The conversion writes the
//     text with frame.TextElement, and the engine never re-types a string
//     series through gota (cast, fillna, derive build typed values).
//   - floats print with 6 decimals (Records, String, float → string): no
//     value passes through gota's text; onehot level names, casts to string
//     and numbers filled into string columns use frame.FormatFloat.
//   - Mean is NaN and Median sorts NAs in when a value is missing (and
//     averages the middle pair as (a+b)·0.5, an ulp from the linear
//     quantile 0.5 fillna's median is), Quantile is gonum's Empirical rather
//     than pandas' linear one: fillna's mean is
//     gota's Mean over the non-missing rows (Subset), its median and clip's
//     quantiles come from internal/stats over the non-missing values.
//   - conversions: string → int/float does not trim and turns bad text into
//     NA silently; int → bool is only 0/1: those casts use the documented
//     rules and fail on bad text; gota converts only where it agrees
//     (float/bool → int after the missing and range checks, int/bool → float).
//   - whole-frame copies (Rename, Mutate, Copy, Capply, Col): every step
//     makes at most one — rename renames all columns with one Copy and
//     SetNames (Rename per column would copy once per column, and cannot
//     swap names), cast/fillna/clip change all their columns in one Capply,
//     columns are read with DataFrame.Elem, not the copying Col.
//   - names: gota's constructors silently rename repeated names (x → x_0,
//     x_1); rename and onehot check for repeats first, as the native table
//     does.
//   - no zero-column frames: a drop of every column is refused.
//   - no drop_duplicates, and GroupBy keys rows by text (floats at 6
//     decimals) and fails on NA: dedupe keys rows by exact typed values read
//     from gota's elements and keeps them with Subset.
//   - blank strings are values in gota; in a table they are values too
//     (csvio reads blank cells as missing before the table exists), so no
//     step sees a difference.

// Every kind runs on the gota engine (TestGotaCoversEveryKind checks the
// list in step.go).
var (
	_ gotaOp = (*Filter)(nil)
	_ gotaOp = (*Select)(nil)
	_ gotaOp = (*Drop)(nil)
	_ gotaOp = (*Rename)(nil)
	_ gotaOp = (*Derive)(nil)
	_ gotaOp = (*Cast)(nil)
	_ gotaOp = (*Dropna)(nil)
	_ gotaOp = (*Fillna)(nil)
	_ gotaOp = (*Dedupe)(nil)
	_ gotaOp = (*Clip)(nil)
	_ gotaOp = (*Onehot)(nil)
)

// gotaOp is an Op that runs on the gota engine.
type gotaOp interface {
	Op
	// applyGota runs the step on df and returns the new DataFrame; df is
	// not modified. ex holds the step's expression (nil for a kind without
	// one).
	applyGota(ctx context.Context, df dataframe.DataFrame, ex *gotaExpr) (dataframe.DataFrame, error)
}

// gotaExpr is a compiled row expression and the columns it reads,
// converted from the DataFrame.
type gotaExpr struct {
	prog *rowexpr.Program
	cols *frame.Table // the columns prog reads, as many rows as the DataFrame
}

// runGota runs every step on a gota DataFrame made from t and returns the
// resulting table.
func (s *stage) runGota(ctx context.Context, env *pipeline.Env, t *frame.Table, progs []*rowexpr.Program, fz *freezer) (*frame.Table, error) {
	env.Note("engine", EngineGota)
	df := t.DataFrame()
	if df.Err != nil {
		return nil, fmt.Errorf("engine gota: %w", df.Err)
	}
	for i := range s.cfg.Steps {
		step := &s.cfg.Steps[i]
		key := step.key(i)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		op, ok := step.Op.(gotaOp)
		if !ok { // refused by Validate
			return nil, fmt.Errorf("%s: engine: gota has no %s step", key, step.Kind)
		}
		var ex *gotaExpr
		if e, ok := step.Op.(exprOp); ok {
			var err error
			if ex, err = gotaExpression(e.expression(), progs[i], df); err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
		}
		rows, cols := df.Dims()
		next, err := op.applyGota(ctx, df, ex)
		if err == nil && next.Err != nil {
			err = fmt.Errorf("gota: %w", next.Err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, describeRowError(err, idTable(df, env.IDColumn), env.IDColumn))
		}
		// The frozen transform (model.json, predict) is computed from the
		// typed tables before and after the step, as with the native
		// engine, so a model fitted through gota replays the same way.
		out, err := frame.FromDataFrame(next)
		if err != nil {
			return nil, fmt.Errorf("%s: engine gota: %w", key, err)
		}
		var prog *rowexpr.Program
		if ex != nil {
			prog = ex.prog
		}
		fz.add(key, step, t, t.NumRows(), out.NumRows(), prog)
		df, t = next, out
		env.Log.Info("step done", "step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.Kind, "engine", EngineGota,
			"rows", fmt.Sprintf("%d → %d", rows, df.Nrow()), "columns", fmt.Sprintf("%d → %d", cols, df.Ncol()))
	}
	return t, nil
}

// gotaExpression returns the step's program, compiled again when the
// DataFrame's types differ from the ones foreseen (or after a onehot), and
// the columns it reads.
func gotaExpression(src string, prog *rowexpr.Program, df dataframe.DataFrame) (*gotaExpr, error) {
	if prog != nil {
		if cols, err := columnsTable(df, prog.Columns()); err == nil && prog.Matches(cols) {
			return &gotaExpr{prog: prog, cols: cols}, nil
		}
	}
	prog, err := rowexpr.Compile(src, varsOfDataFrame(df))
	if err != nil {
		return nil, err
	}
	cols, err := columnsTable(df, prog.Columns())
	if err != nil {
		return nil, err
	}
	return &gotaExpr{prog: prog, cols: cols}, nil
}

// columnsTable converts the named columns of df to a table with df's
// number of rows (also when names is empty).
func columnsTable(df dataframe.DataFrame, names []string) (*frame.Table, error) {
	cols := make([]*frame.Column, len(names))
	for i, name := range names {
		c, err := frame.FromDataFrameColumn(df, name)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		t = t.Take(make([]int, df.Nrow())) // a table without columns keeps the row count Take gives it
	}
	return t, nil
}

// varsOfDataFrame describes df's columns for rowexpr, as rowexpr.VarsOf
// does a table's.
func varsOfDataFrame(df dataframe.DataFrame) []rowexpr.Var {
	names, types := df.Names(), df.Types()
	vars := make([]rowexpr.Var, len(names))
	for j, name := range names {
		k, _ := frame.KindOf(types[j]) // the engine builds only the four types
		miss := false
		for i := range df.Nrow() {
			if df.Elem(i, j).IsNA() {
				miss = true
				break
			}
		}
		vars[j] = rowexpr.Var{Name: name, Kind: k, HasMissing: miss}
	}
	return vars
}

// idTable is the id column of df as a table, for naming a failing row
// (a table without columns when there is none).
func idTable(df dataframe.DataFrame, id string) *frame.Table {
	none, _ := frame.New()
	if id == "" {
		return none
	}
	c, err := frame.FromDataFrameColumn(df, id)
	if err != nil {
		return none
	}
	t, _ := frame.New(c)
	return t
}

// requireColumns reports the first name df lacks, as the native table
// does.
func requireColumns(df dataframe.DataFrame, names []string) error {
	have := df.Names()
	for _, n := range names {
		if !hasName(have, n) {
			return &frame.UnknownColumnError{Name: n, Known: have}
		}
	}
	return nil
}

func hasName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// keepRows applies a row mask with gota's Subset (the row selection its
// Filter ends with); all rows kept gives df itself, as the native table's
// Filter does.
func keepRows(df dataframe.DataFrame, keep []bool) dataframe.DataFrame {
	for _, k := range keep {
		if !k {
			return df.Subset(keep)
		}
	}
	return df
}

// mapColumns replaces each named column s of df by fn(s), all in one
// Capply (one copy of the frame). When fn fails for some columns, the error
// of the first in name order is returned, as the native engine, which
// changes the columns one by one in name order, would report it.
func mapColumns(df dataframe.DataFrame, names []string, fn func(series.Series) (series.Series, error)) (dataframe.DataFrame, error) {
	sorted := slices.Sorted(slices.Values(names))
	errs := make(map[string]error)
	out := df.Capply(func(s series.Series) series.Series {
		if !slices.Contains(names, s.Name) {
			return s
		}
		ns, err := fn(s)
		if err != nil {
			errs[s.Name] = err
			return s
		}
		return ns
	})
	for _, name := range sorted {
		if err := requireColumns(df, []string{name}); err != nil {
			return df, err
		}
		if err := errs[name]; err != nil {
			return df, err
		}
	}
	return out, nil
}
