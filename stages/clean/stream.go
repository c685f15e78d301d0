package clean

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// runStream is the stage in execution mode stream. Each step is frozen
// first — a step that needs statistics of the whole table (fillna mean,
// median or mode, clip quantiles, onehot levels, dedupe's groups) gets
// them in a pass over every row at its position (two for a median or a
// quantile: counts, then the values that hold them; dedupe: keys to
// temporary partitions grouped one at a time) — then appended to the
// streamed table, to run on each batch of every later pass. The frozen
// steps are recorded for model.json as in memory; a last counting pass
// gives each step's rows in and out (and derive's notes) when a step may
// drop rows or derives a column.
func (s *stage) runStream(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	if err := s.cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	str := st.Stream
	fields, err := str.Schema(ctx)
	if err != nil {
		return err
	}
	rowsBefore := str.Rows()
	know := map[string]bool{} // column → has missing values (absent: not known)
	if m := str.Missing(); m != nil {
		for name, n := range m {
			know[name] = n > 0
		}
	}
	fz := newFreezer(env.Name, st.Transform, emptyTable(fields), inputID(env))
	steps := make([]*streamStep, len(s.cfg.Steps))
	recs := make([]model.Step, len(s.cfg.Steps))
	for i := range s.cfg.Steps {
		step := &s.cfg.Steps[i]
		key := step.key(i)
		if err := ctx.Err(); err != nil {
			return err
		}
		ss, rec, err := prepareStream(ctx, env, str, fields, know, step, key)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		rec.Stage, rec.Key, rec.Kind = env.Name, key, step.Kind
		if f, ok := ss.op.(*Fillna); ok && env.IDColumn != "" {
			if _, fills := (*f)[env.IDColumn]; fills {
				str.ForgetIDDistinct()
			}
		}
		steps[i], recs[i] = ss, rec
		str.Append(env.Name, key, ss, !isRowStep(step.Kind))
		cols := len(fields)
		if fields, err = str.Schema(ctx); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		followMissing(know, step, ss, fields)
		env.Log.Info("step frozen", "step", fmt.Sprintf("%d/%d", i+1, len(s.cfg.Steps)), "kind", step.Kind, "columns_in", cols, "columns_out", len(fields))
	}
	if err := s.countStream(ctx, env, str, steps, recs, rowsBefore); err != nil {
		return err
	}
	if str.Rows() == 0 {
		return fmt.Errorf("no rows left after the clean steps; check the filters")
	}
	fz.tr.Steps = append(fz.tr.Steps, recs...)
	st.Transform = fz.tr
	return nil
}

func isRowStep(kind string) bool { return kind == "filter" || kind == "dropna" || kind == "dedupe" }

// prepareStream freezes one step against the streamed table (passes for
// its statistics) and returns its streamed form and model record (without
// rows).
func prepareStream(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, fields []frame.Field, know map[string]bool, step *Step, key string) (*streamStep, model.Step, error) {
	byName := map[string]frame.Field{}
	for _, f := range fields {
		byName[f.Name] = f
	}
	ss := &streamStep{kind: step.Kind, key: key, op: step.Op}
	var rec model.Step
	switch op := step.Op.(type) {
	case *Filter, *Derive:
		prog, err := compileStream(ctx, env, str, fields, know, step.Op.(exprOp).expression())
		if err != nil {
			return nil, rec, err
		}
		ss.prog, ss.reads, ss.pad = prog, prog.Columns(), map[string]bool{}
		for _, c := range ss.reads {
			f := byName[c]
			if f.Kind == frame.Int && know[c] {
				ss.pad[c] = true
			}
			rec.Reads = append(rec.Reads, model.Column{Name: c, Type: f.Kind.String(), Missing: know[c]})
		}
	case *Dropna:
		fz, _ := op.Freeze(emptyTable(fields))
		ss.op = fz
	case *Dedupe:
		fz, _ := op.Freeze(emptyTable(fields))
		ss.op = fz
		kept, err := dedupeKept(ctx, env, str, fz.(*Dedupe).Columns, op.Keep == "last")
		if err != nil {
			return nil, rec, err
		}
		ss.kept = kept
	case *Fillna:
		f, toFloat, skip, err := freezeFill(ctx, env, str, byName, *op)
		if err != nil {
			return nil, rec, err
		}
		ss.op, ss.toFloat, ss.skip = &f, toFloat, skip
	case *Clip:
		c, err := freezeClip(ctx, env, str, byName, *op)
		if err != nil {
			return nil, rec, err
		}
		ss.op = &c
	case *Onehot:
		o, err := freezeOnehot(ctx, env, str, byName, op)
		if err != nil {
			return nil, rec, err
		}
		ss.op = o
	case *Select, *Drop, *Rename, *Cast:
		for _, name := range opColumns(step.Op) {
			if _, ok := byName[name]; !ok {
				return nil, rec, &frame.UnknownColumnError{Name: name, Known: slices.Sorted(maps.Keys(byName))}
			}
		}
	default:
		return nil, rec, fmt.Errorf("the %s step has no streamed form", step.Kind)
	}
	b, err := json.Marshal(ss.op)
	if err != nil {
		rec.NotFrozen = fmt.Sprintf("the frozen step does not encode: %v", err)
	} else {
		rec.Params = b
	}
	return ss, rec, nil
}

// opColumns are the columns a select, drop, rename or cast names.
func opColumns(op Op) []string {
	switch o := op.(type) {
	case *Select:
		return *o
	case *Drop:
		return *o
	case *Rename:
		return slices.Sorted(maps.Keys(*o))
	case *Cast:
		return slices.Sorted(maps.Keys(*o))
	}
	return nil
}

// compileStream compiles an expression against the streamed table's
// columns, with the missing values of every int column it reads known
// (counted in a pass when an earlier step may have changed them).
func compileStream(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, fields []frame.Field, know map[string]bool, src string) (*rowexpr.Program, error) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	cols, _, err := rowexpr.Referenced(src, names)
	if err != nil {
		return nil, err
	}
	var unknown []string
	for _, c := range cols {
		for _, f := range fields {
			if f.Name == c && f.Kind == frame.Int {
				if _, ok := know[c]; !ok {
					unknown = append(unknown, c)
				}
			}
		}
	}
	if len(unknown) > 0 {
		m, err := countMissing(ctx, env, str, unknown)
		if err != nil {
			return nil, err
		}
		for c, n := range m {
			know[c] = n > 0
		}
	}
	vars := make([]rowexpr.Var, len(fields))
	for i, f := range fields {
		vars[i] = rowexpr.Var{Name: f.Name, Kind: f.Kind, HasMissing: know[f.Name]}
	}
	return rowexpr.Compile(src, vars)
}

// followMissing updates what is known of the columns' missing values
// after a step.
func followMissing(know map[string]bool, step *Step, ss *streamStep, fields []frame.Field) {
	switch op := ss.op.(type) {
	case *Filter, *Dropna, *Dedupe:
		for c, has := range know {
			if has {
				delete(know, c) // the rows dropped may have held them all
			}
		}
	case *Derive:
		delete(know, op.Name)
	case *Fillna:
		for c := range *op {
			if !ss.skip[c] {
				know[c] = false
			}
		}
	case *Rename:
		old := maps.Clone(know)
		for from, to := range *op {
			delete(know, from)
			if v, ok := old[from]; ok {
				know[to] = v
			}
		}
	case *Onehot:
		for _, c := range op.Columns {
			delete(know, c)
		}
		for _, f := range fields {
			if _, ok := know[f.Name]; !ok && f.Kind == frame.Int && strings.Contains(f.Name, op.PrefixSep) {
				know[f.Name] = false
			}
		}
	case *Cast:
		for c := range *op {
			if k, _ := frame.ParseKind((*op)[c]); k == frame.Int {
				delete(know, c)
			}
		}
	}
	present := map[string]bool{}
	for _, f := range fields {
		present[f.Name] = true
	}
	for c := range know {
		if !present[c] {
			delete(know, c)
		}
	}
	_ = step
}

// countStream counts each step's rows in and out (and derive's rows left
// without a value) in one pass, when a step of this stage may drop rows or
// derives a column; otherwise every step keeps the rows known before it.
func (s *stage) countStream(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, steps []*streamStep, recs []model.Step, before int64) error {
	needed := before < 0
	var derived []string
	for _, ss := range steps {
		needed = needed || isRowStep(ss.kind)
		if d, ok := ss.op.(*Derive); ok {
			needed = true
			derived = append(derived, d.Name)
		}
	}
	if !needed {
		for i := range recs {
			recs[i].RowsIn, recs[i].RowsOut = int(before), int(before)
		}
		return nil
	}
	counts := make([]*stepCount, len(steps))
	for i, ss := range steps {
		counts[i] = &stepCount{}
		ss.count.Store(counts[i])
	}
	defer func() {
		for _, ss := range steps {
			ss.count.Store(nil)
		}
	}()
	if derived == nil {
		derived = []string{}
	}
	if err := str.Run(ctx, env, pipeline.Pass{Name: "count rows", Columns: derived}); err != nil {
		return err
	}
	for i, ss := range steps {
		c := counts[i]
		recs[i].RowsIn, recs[i].RowsOut = int(c.in.Load()), int(c.out.Load())
		var notes []string
		if n := c.undefined.Load(); n > 0 {
			notes = append(notes, fmt.Sprintf("%s: %s gave no value", rowCount(int(n)), ss.prog.UndefinedCause()))
		}
		if n := c.inputMissing.Load(); n > 0 {
			notes = append(notes, fmt.Sprintf("%s: a column it reads was missing", rowCount(int(n))))
		}
		attrs := []any{"step", fmt.Sprintf("%d/%d", i+1, len(steps)), "kind", ss.kind, "rows_in", recs[i].RowsIn, "rows_out", recs[i].RowsOut}
		if len(notes) > 0 {
			attrs = append(attrs, "note", strings.Join(notes, "; "))
			env.Warn("%s: %s (left missing)", ss.key, strings.Join(notes, "; "))
		}
		env.Log.Info("step done", attrs...)
	}
	return nil
}
