package ingest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the ingest stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "ingest",
		Summary:   "read the input (see `input:`; CSV, compressed CSV, stdin, Parquet, PostgreSQL — `segment sources`) into a typed table",
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
	in := env.Input()
	if in == nil || in.Source == nil {
		return errors.New("no input was opened (the ingest stage runs inside pipeline.Run)")
	}
	cfg := &env.Config.Input
	finishBar := sourceProgress(env, in.Source, "reading "+shortName(cfg.Describe()))
	t, err := in.Source.Read(ctx, in.Columns)
	finishBar()
	if err != nil {
		return err
	}
	lin := in.Source.Lineage()
	if lin == nil {
		lin = &result.Input{}
	}
	rec := *lin
	rec.Columns, rec.IDColumn = t.NumCols(), cfg.ID
	if s.cfg.MaxRows > 0 && t.NumRows() > s.cfg.MaxRows {
		rows := make([]int, s.cfg.MaxRows)
		for i := range rows {
			rows[i] = i
		}
		t = t.Take(rows)
		env.Warn("max_rows: kept the first %d of %d rows", s.cfg.MaxRows, rec.Rows)
	}
	st.Input = &rec
	for _, f := range in.LeftOut {
		env.Warn("left out column %q: its type %s cannot be read (%s); no stage uses it", f.Name, f.Type, f.Unsupported)
	}
	for _, w := range rec.Warnings {
		env.Warn("%s", w)
	}
	for _, name := range slices.Sorted(maps.Keys(rec.NearNumeric)) {
		if t.Has(name) {
			env.Warn("%s", rec.NearNumeric[name])
		}
	}
	if cfg.ID != "" {
		if t, err = idAsText(t, cfg.ID); err != nil {
			return err
		}
		if err := checkID(env, t.Col(cfg.ID)); err != nil {
			return err
		}
	}
	st.Table = t
	return nil
}

func shortName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// idAsText makes the id column text. The CSV source reads it as text byte
// for byte already; a Parquet or PostgreSQL integer id becomes its decimal
// text, so assignments and predict write ids the same way whatever the
// source.
func idAsText(t *frame.Table, id string) (*frame.Table, error) {
	c := t.Col(id)
	if c == nil || c.Kind == frame.String {
		return t, nil
	}
	vals := make([]string, c.Len())
	for i := range vals {
		if !c.IsMissing(i) {
			vals[i] = c.Format(i)
		}
	}
	var missing []bool
	if c.NumMissing() > 0 {
		missing = make([]bool, c.Len())
		for i := range missing {
			missing[i] = c.IsMissing(i)
		}
	}
	return t.With(frame.NewString(id, vals, missing))
}

// checkID warns about ids that cannot identify customers in assignments.
func checkID(env *pipeline.Env, c *frame.Column) error {
	if c == nil {
		return fmt.Errorf("input.id: column not found")
	}
	if m := c.NumMissing(); m > 0 {
		env.Warn("id column %q has %d missing values", env.Config.Input.ID, m)
	}
	if d, n := c.Distinct(), c.Len()-c.NumMissing(); d < n {
		env.Warn("id column %q has %d repeated values; segment assignments will repeat those ids", env.Config.Input.ID, n-d)
	}
	return nil
}
