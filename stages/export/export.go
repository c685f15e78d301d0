package export

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the export stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "export",
		Summary:   "customers.csv / .xlsx for the people who act on segments (id, segment, segment name, chosen columns; formulas neutralised), customers.parquet and a PostgreSQL table for other programs (plus distance, run id, model sha256; the table written all or nothing just before publishing)",
		Needs:     []pipeline.Slot{pipeline.SlotTable, pipeline.SlotClusters},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	if err := s.cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	cu := s.cfg.Customers
	cols := cu.Columns
	if len(cols) == 0 {
		cols = st.Clusters.Features
	}
	customers, err := customerTable(st.Table, st.Clusters, st.Profile, env.IDColumn, cols)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var results *frame.Table
	var modelSHA string
	if s.cfg.results() {
		if modelSHA, err = modelSHA256(env.Dir, st.Clusters); err != nil {
			return err
		}
		if results, err = resultTable(customers, st.Clusters, env.RunID, modelSHA); err != nil {
			return err
		}
	}
	sinks := []any{}
	for _, f := range cu.Formats {
		switch f {
		case "parquet":
			rec, err := writeParquet(ctx, env, cu.File, results, env.RunID, modelSHA)
			if err != nil {
				return err
			}
			sinks = append(sinks, rec)
		case "csv":
			if _, err := env.WriteFile(cu.File+".csv", "table", "Customers with their segment, for the people who act on segments", func(w io.Writer) error {
				return csvio.WriteCSV(w, neutraliseTable(customers))
			}); err != nil {
				return err
			}
		case "xlsx":
			segs := segmentSheet(st.Table, st.Clusters, st.Profile, cols)
			if _, err := env.WriteFile(cu.File+".xlsx", "table", "Customers and segment profiles (Excel workbook)", func(w io.Writer) error {
				return writeWorkbook(w, customers, segs)
			}); err != nil {
				return err
			}
		}
	}
	if s.cfg.Database.enabled() {
		rec := &databaseSink{RunID: env.RunID, ModelSHA256: modelSHA}
		if err := s.deferDatabase(ctx, env, results, rec); err != nil {
			return err
		}
		sinks = append(sinks, rec)
	}
	env.Note("customers", customers.NumRows())
	env.Note("columns", customers.Names())
	if len(sinks) > 0 {
		env.Note("sinks", sinks)
	}
	return nil
}

// customerTable is the id (or a 1-based row), segment, segment_name and
// the attribute columns of every row of t.
func customerTable(t *frame.Table, cl *result.Clusters, prof *result.Profile, id string, cols []string) (*frame.Table, error) {
	n := t.NumRows()
	if len(cl.Labels) != n {
		return nil, fmt.Errorf("the table has %d rows but the segments %d; the export must come right after the cluster (or profile) stage", n, len(cl.Labels))
	}
	var first *frame.Column
	if c := t.Col(id); id != "" && c != nil {
		first = c
	} else {
		rows := make([]int64, n)
		for i := range rows {
			rows[i] = int64(i + 1)
		}
		first = frame.NewInt("row", rows, nil)
	}
	seg := make([]int64, n)
	codes := make([]int32, n)
	for i, l := range cl.Labels {
		seg[i] = int64(cl.IDs[l])
		codes[i] = l
	}
	out := []*frame.Column{first, frame.NewInt("segment", seg, nil), frame.NewStringCodes("segment_name", codes, cl.SegmentLabels(prof))}
	for _, name := range cols {
		c := t.Col(name)
		if c == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		if slices.ContainsFunc(out, func(o *frame.Column) bool { return o.Name == name }) {
			continue // the id, or a column listed as a feature and again
		}
		out = append(out, c)
	}
	return frame.New(out...)
}
