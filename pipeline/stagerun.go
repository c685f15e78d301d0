package pipeline

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/churnlab/segment/internal/frame"
)

// runStages runs the configured stages in order, recording each in the
// manifest (every stage starts as "skipped"), and stops at the first
// failure or when ctx is cancelled.
func (r *run) runStages(ctx context.Context) error {
	width := 0
	for _, spec := range r.cfg.Stages {
		width = max(width, len(spec.Name))
	}
	r.listStages()
	for i, spec := range r.cfg.Stages {
		rec := r.manifest.Stages[i]
		if err := ctx.Err(); err != nil {
			rec.Status = "interrupted"
			return err
		}
		if err := r.runStage(ctx, i, spec, rec, width); err != nil {
			return err
		}
	}
	return nil
}

// runStage builds and runs stage i, keeps its table when output.keep_tables
// asks, and reports it on the status line and in the log.
func (r *run) runStage(ctx context.Context, i int, spec *StageSpec, rec *StageRecord, width int) error {
	stage, err := spec.Factory.New(spec.Config)
	if err != nil {
		rec.Status = "failed"
		rec.Error = err.Error()
		return fmt.Errorf("stage %q (%s): %w", spec.Name, spec.Type, err)
	}
	if res := r.resolved[i]; !res.isZero() {
		rec.Resolved = &res
	}
	st := r.state
	stageLog := r.log.With("stage", spec.Name)
	env := &Env{
		Name: spec.Name, Type: spec.Type, Dir: r.dir.tmp, Log: stageLog,
		Seed:         DeriveSeed(r.cfg.Seed, spec.Name),
		RunID:        r.dir.id,
		IDColumn:     r.resolved[i].IDColumn,
		WeightColumn: r.resolved[i].WeightColumn,
		input:        r.input,
		exec:         r.exec,
		origins:      r.resolved[i].origins,
		Config:       r.cfg,
		Progress:     r.opt.Progress.forStage(spec.Name, stageLog),
		Previous:     r.prev,
		PreviousErr:  r.prevErr,
		spec:         spec,
		state:        st,
		record:       rec,
		manifest:     r.manifest,
		verdicts:     &r.verdicts,
		prePublish:   &r.prePublish,
	}
	// The stage's input table is not held here while it runs (unless
	// keep_tables must tell whether it changed): a stage that replaces the
	// table can let the old one go as it builds the new one.
	hadIn := st.Table != nil
	var before *frame.Table
	if hadIn {
		rec.RowsIn, rec.ColsIn = st.Table.NumRows(), st.Table.NumCols()
		if r.cfg.Output.KeepTables {
			before = st.Table
		}
	}
	hadDB := dbShape(st.Database, &rec.RowsIn, &rec.ColsIn)
	streamIn := st.Stream != nil
	if streamIn {
		rec.RowsIn, rec.ColsIn = st.Stream.shape(ctx)
	}
	t0 := time.Now()
	err = runOne(ctx, stage, env, st)
	rec.Seconds = roundSeconds(time.Since(t0))
	if st.Table != nil {
		rec.RowsOut, rec.ColsOut = st.Table.NumRows(), st.Table.NumCols()
	}
	hasDB := dbShape(st.Database, &rec.RowsOut, &rec.ColsOut)
	streamOut := st.Stream != nil && err == nil
	if streamOut {
		rec.RowsOut, rec.ColsOut = st.Stream.shape(ctx)
	}
	if err != nil {
		rec.Status = "failed"
		if ctx.Err() != nil {
			rec.Status = "interrupted"
			return ctx.Err()
		}
		rec.Error = err.Error()
		return fmt.Errorf("stage %q (%s): %w", spec.Name, spec.Type, err)
	}
	rec.Status = "succeeded"
	if r.cfg.Output.KeepTables && st.Table != nil && st.Table != before {
		if err := r.keepTable(env, spec.Name); err != nil {
			return fmt.Errorf("stage %q: keep_tables: %w", spec.Name, err)
		}
	}
	n := len(r.cfg.Stages)
	line := fmt.Sprintf("[%d/%d] %-*s  %s  %.2fs", i+1, n, width, spec.Name, rowsText(rec, hadIn || hadDB || streamIn, st.Table != nil || hasDB || streamOut), rec.Seconds)
	if r.opt.Status != nil {
		fmt.Fprintln(r.opt.Status, line)
	}
	stageLog.Info("stage done", "step", fmt.Sprintf("%d/%d", i+1, n), "type", spec.Type,
		"rows_in", rec.RowsIn, "rows_out", rec.RowsOut, "seconds", rec.Seconds, "artifacts", len(rec.Artifacts))
	return nil
}

// keepTable writes the table a stage left as <stage name>.table.csv (named
// by stage even when its name is its type), with the table writer of the
// source registry.
func (r *run) keepTable(env *Env, name string) error {
	table := r.state.Table
	reg := r.cfg.Input.reg
	if reg == nil || reg.writeTable == nil {
		return ErrNoTableWriter
	}
	file := name + ".table" + reg.tableExt
	path, err := inside(r.dir.tmp, file)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { return reg.writeTable(w, table) }, false); err != nil {
		return err
	}
	env.addArtifact("table", file, "Table after stage "+name)
	return nil
}

// rowsText is the rows part of a stage's status line: "7043 → 5174 rows,
// 38 → 12 columns" when the stage changed the table, else "7043 rows".
func rowsText(rec *StageRecord, hadIn, hasOut bool) string {
	if rec.RowsIn < 0 || rec.RowsOut < 0 { // a streamed table whose rows are not counted yet
		in, out := fmt.Sprint(rec.RowsIn), fmt.Sprint(rec.RowsOut)
		if rec.RowsIn < 0 {
			in = "?"
		}
		if rec.RowsOut < 0 {
			out = "?"
		}
		if !hadIn {
			return out + " rows"
		}
		return in + " → " + out + " rows"
	}
	switch {
	case hadIn && hasOut && (rec.RowsIn != rec.RowsOut || rec.ColsIn != rec.ColsOut):
		s := fmt.Sprintf("%d → %d rows", rec.RowsIn, rec.RowsOut)
		if rec.ColsIn != rec.ColsOut {
			s += fmt.Sprintf(", %d → %d columns", rec.ColsIn, rec.ColsOut)
		}
		return s
	case hasOut:
		return fmt.Sprintf("%d rows", rec.RowsOut)
	}
	return ""
}

// dbShape records the rows (when counted) and columns of a table that stays
// in the database, and reports whether there is one.
func dbShape(t DatabaseTable, rows, cols *int) bool {
	if t == nil {
		return false
	}
	if n, ok := t.Rows(); ok {
		*rows = n
	}
	*cols = len(t.Columns())
	return true
}

// runOne runs a stage, turning a panic (a bug, never a user mistake) into an
// error that carries the stack.
func runOne(ctx context.Context, s Stage, env *Env, st *State) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &BugError{Msg: fmt.Sprint(r), Stack: string(debug.Stack())}
		}
	}()
	return s.Run(ctx, env, st)
}
