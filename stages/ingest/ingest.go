package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the ingest stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "ingest",
		Summary:   "read the input CSV (see `input:`) into a typed table: BOM, delimiter, encoding, missing values, type inference",
		Provides:  []pipeline.Slot{pipeline.SlotTable},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	in := &env.Config.Input
	opt := in.CSVOptions()
	var bar *pipeline.Bar
	opt.Progress = func(done, total int64) {
		if bar == nil {
			bar = env.Progress.Bar(total, "reading "+shortName(string(in.Path)), true)
		}
		bar.Set(done)
	}
	res, err := csvio.ReadFile(ctx, string(in.Path), opt)
	bar.Finish()
	if err != nil {
		return err
	}
	t := res.Table
	if s.cfg.MaxRows > 0 && t.NumRows() > s.cfg.MaxRows {
		rows := make([]int, s.cfg.MaxRows)
		for i := range rows {
			rows[i] = i
		}
		t = t.Take(rows)
		env.Warn("max_rows: kept the first %d of %d rows", s.cfg.MaxRows, res.Rows)
	}
	delim := string(res.Delimiter)
	if res.Delimiter == '\t' {
		delim = "tab"
	}
	enc := in.Encoding
	if enc == "" {
		enc = "utf-8"
	}
	st.Input = &result.Input{
		Path: string(in.Path), Bytes: res.Bytes, SHA256: res.SHA256, Rows: res.Rows, Columns: t.NumCols(),
		Delimiter: delim, Encoding: enc, BOM: res.BOM, Trimmed: res.Trimmed, IDColumn: in.ID,
	}
	if len(res.Trimmed) > 0 {
		env.Warn("trimmed spaces around header names: %s", strings.Join(res.Trimmed, ", "))
	}
	for _, w := range res.Warnings {
		env.Warn("%s", w)
	}
	if in.ID != "" {
		if err := checkID(env, t.Col(in.ID)); err != nil {
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
