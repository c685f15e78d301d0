package ingest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/spill"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// runStream is the stage in execution mode stream: it reads the input
// once (a source that may start over, pipeline.ResetScanner, is given a
// reset that drops the spill file and the counts), in batches of execution.batch_rows rows, into a spill file (a
// temporary file of compact binary columns that later passes read back)
// and leaves the streamed table in State.Stream instead of a table in
// memory. The id column becomes text and is checked (missing and repeated
// ids, counted exactly) on the way; max_rows keeps the first rows.
func (s *stage) runStream(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	in := env.Input()
	if in == nil || in.Source == nil {
		return errors.New("no input was opened (the ingest stage runs inside pipeline.Run)")
	}
	exec := env.Execution()
	cfg := &env.Config.Input
	finishBar := sourceProgress(env, in.Source, "reading "+shortName(cfg.Describe()))
	start := time.Now()
	var (
		file      *spill.File
		rows      int
		idMissing int64
		ids       = &streamstat.Distinct{Dir: exec.TempDir}
		missing   = map[string]int64{}
	)
	defer func() { ids.Close() }()
	each := func(b *frame.Table) error {
		rows += b.NumRows()
		if s.cfg.MaxRows > 0 {
			keep := s.cfg.MaxRows - (rows - b.NumRows())
			if keep <= 0 {
				return nil // read on, for the input's record
			}
			if keep < b.NumRows() {
				b = b.Take(firstRows(keep))
			}
		}
		if cfg.ID != "" {
			var err error
			if b, err = idAsText(b, cfg.ID); err != nil {
				return err
			}
			if c := b.Col(cfg.ID); c != nil {
				idMissing += int64(c.NumMissing())
				addTexts(ids, c)
			}
		}
		if file == nil {
			var err error
			if file, err = spill.Create(exec.TempDir, b.Schema()); err != nil {
				return err
			}
		}
		for _, c := range b.Columns() {
			missing[c.Name] += int64(c.NumMissing())
		}
		return file.Append(b)
	}
	var err error
	if rs, ok := in.Source.(pipeline.ResetScanner); ok {
		// The source reads the input once, or starts over: then everything
		// the batches so far went into starts over too.
		err = rs.ScanReset(ctx, in.Columns, exec.BatchRows, func() error {
			env.Log.Info("input read starts over: a column's kind changed after batches went out")
			err := errors.Join(file.Close(), ids.Close())
			file, rows, idMissing = nil, 0, 0
			ids = &streamstat.Distinct{Dir: exec.TempDir}
			clear(missing)
			return err
		}, each)
	} else {
		err = in.Source.Scan(ctx, in.Columns, exec.BatchRows, each)
	}
	finishBar()
	if err == nil && file == nil {
		err = errors.New("the input has no rows")
	}
	if err == nil {
		err = file.Finish()
	}
	if err != nil {
		file.Close()
		return err
	}
	lin := in.Source.Lineage()
	if lin == nil {
		lin = &result.Input{}
	}
	rec := *lin
	names := file.Names()
	rec.Columns, rec.IDColumn = len(names), cfg.ID
	if rec.Rows == 0 {
		rec.Rows = rows
	}
	st.Input = &rec
	stream := pipeline.NewStream(file, exec, pipeline.DeriveSeed(env.Config.Seed, "execution sample"))
	stream.SetMissing(missing)
	st.Stream = stream
	exec.Passes = append(exec.Passes, pipeline.PassRecord{Stage: env.Name, Name: "read the input into the spill file",
		Rows: file.Rows(), Bytes: rec.Bytes, Seconds: time.Since(start).Round(time.Millisecond).Seconds()})
	env.Log.Info("input spilled", "rows", file.Rows(), "spill_bytes", file.Bytes(), "input_bytes", rec.Bytes)
	if s.cfg.MaxRows > 0 && rows > s.cfg.MaxRows {
		env.Warn("max_rows: kept the first %d of %d rows", s.cfg.MaxRows, rows)
	}
	for _, f := range in.LeftOut {
		env.Warn("left out column %q: its type %s cannot be read (%s); no stage uses it", f.Name, f.Type, f.Unsupported)
	}
	for _, w := range rec.Warnings {
		env.Warn("%s", w)
	}
	for _, name := range slices.Sorted(maps.Keys(rec.NearNumeric)) {
		if slices.Contains(names, name) {
			env.Warn("%s", rec.NearNumeric[name])
		}
	}
	if cfg.ID != "" {
		if !slices.Contains(names, cfg.ID) {
			return errors.New("input.id: column not found")
		}
		if idMissing > 0 {
			env.Warn("id column %q has %d missing values", cfg.ID, idMissing)
		}
		d, err := ids.Count()
		if err != nil {
			return err
		}
		stream.SetIDDistinct(d)
		if n := file.Rows() - idMissing; d < n {
			env.Warn("id column %q has %d repeated values; segment assignments will repeat those ids", cfg.ID, n-d)
		}
	}
	return nil
}

func firstRows(n int) []int {
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// addTexts adds the distinct texts of a string column's batch to d: its
// dictionary entries that some row uses.
func addTexts(d *streamstat.Distinct, c *frame.Column) {
	if c.Kind != frame.String {
		return
	}
	used := make([]bool, len(c.Dict))
	for i := range c.Len() {
		if !c.IsMissing(i) {
			used[c.Code(i)] = true
		}
	}
	for code, u := range used {
		if u {
			d.AddString(c.Dict[code])
		}
	}
}
