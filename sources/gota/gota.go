package gota

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/internal/convert"
)

// Format is the input.format value of this source.
const Format = "gota"

// Description is the manifest's input.description of a run on a DataFrame.
const Description = "in-memory gota DataFrame"

// Factory describes the gota source reading df. Each call gives a factory
// of its own DataFrame: register it for one run (sources.RegistryWith), not
// in a registry shared by runs on other data.
func Factory(df dataframe.DataFrame) pipeline.SourceFactory {
	return pipeline.SourceFactory{
		Format:    Format,
		Summary:   "a gota DataFrame held in memory by a Go program (the Go library github.com/churnlab/segment hands it over); csv_missing applies segment's CSV rule for blank cells",
		ReadsPath: false,
		Detect:    Detect,
		NewConfig: NewConfig,
		Open: func(ctx context.Context, in *pipeline.InputConfig) (pipeline.Source, error) {
			return Open(ctx, df, in)
		},
	}
}

// Detect claims an input block without a path: the Go library runs a job
// on a DataFrame, and a block written for it needs only the shared keys
// (input: {id: Customer ID}, or input: {}). A database source's keys (dsn,
// table, query) claim the block more surely.
func Detect(p pipeline.Probe) int {
	if p.Path == "" {
		return pipeline.DetectFallback
	}
	return pipeline.DetectNo
}

// source is an opened DataFrame.
type source struct {
	df      dataframe.DataFrame
	names   []string
	types   []series.Type
	kinds   []frame.Kind
	index   map[string]int
	cfg     Config
	inTypes map[string]string
	lineage *result.Input
	digest  *digests // of every column, computed by the first Read or Scan
}

// Check reports why df cannot be read, or nil: its Err, no columns, a
// column name that is empty or repeated, or a series type other than int,
// float, bool and string.
func Check(df dataframe.DataFrame) error {
	if df.Err != nil {
		return fmt.Errorf("the gota DataFrame holds an error: %w", df.Err)
	}
	names := df.Names()
	if len(names) == 0 {
		return errors.New("the gota DataFrame has no columns")
	}
	seen := make(map[string]bool, len(names))
	for j, n := range names {
		switch {
		case n == "":
			return fmt.Errorf("the gota DataFrame's column %d has no name", j+1)
		case seen[n]:
			return fmt.Errorf("the gota DataFrame has two columns named %q", n)
		}
		seen[n] = true
	}
	for j, t := range df.Types() {
		if _, err := frame.KindOf(t); err != nil {
			return fmt.Errorf("the gota DataFrame's column %q: %w", names[j], err)
		}
	}
	return nil
}

// Open opens df as the input in describes (in.Options is a *Config, or nil
// for the defaults). It fails when df cannot be read (see Check).
func Open(ctx context.Context, df dataframe.DataFrame, in *pipeline.InputConfig) (pipeline.Source, error) {
	if err := Check(df); err != nil {
		return nil, err
	}
	s := &source{df: df, names: df.Names(), types: df.Types(), inTypes: in.Types}
	if cfg, ok := in.Options.(*Config); ok && cfg != nil {
		s.cfg = *cfg
		s.cfg.NAValues = slices.Clone(cfg.NAValues)
	}
	s.index = make(map[string]int, len(s.names))
	s.kinds = make([]frame.Kind, len(s.names))
	for j, n := range s.names {
		s.index[n] = j
		s.kinds[j], _ = frame.KindOf(s.types[j]) // checked above
	}
	return s, nil
}

// Schema implements pipeline.Source: the names and kinds of the series,
// with input.types applied; no cell is read.
func (s *source) Schema(ctx context.Context) ([]pipeline.Field, error) {
	fields := make([]pipeline.Field, len(s.names))
	for j, n := range s.names {
		fields[j] = pipeline.Field{Name: n, Kind: s.kinds[j], Type: string(s.types[j])}
		if t, ok := s.inTypes[n]; ok {
			fields[j].Kind, _ = frame.ParseKind(t) // checked when the config was loaded
		}
	}
	return fields, nil
}

// columns resolves a column selection (all when empty) to indices.
func (s *source) columns(columns []string) ([]int, error) {
	if len(columns) == 0 {
		columns = s.names
	}
	idx := make([]int, len(columns))
	for i, c := range columns {
		j, ok := s.index[c]
		if !ok {
			return nil, &frame.UnknownColumnError{Name: c, Known: slices.Clone(s.names)}
		}
		idx[i] = j
	}
	return idx, nil
}

// Read implements pipeline.Source: only the columns asked for are
// converted.
func (s *source) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	idx, err := s.columns(columns)
	if err != nil {
		return nil, err
	}
	cols := make([]*frame.Column, len(idx))
	for i, j := range idx {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if cols[i], err = frame.FromDataFrameColumn(s.df, s.names[j]); err != nil {
			return nil, err
		}
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	if t, err = s.finish(t); err != nil {
		return nil, err
	}
	if err := s.record(ctx, idx); err != nil {
		return nil, err
	}
	return t, nil
}

// Scan implements pipeline.Source: each batch converts only its own cells
// of the columns asked for.
func (s *source) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	idx, err := s.columns(columns)
	if err != nil {
		return err
	}
	if batchRows <= 0 {
		return fmt.Errorf("gota source: batch of %d rows", batchRows)
	}
	n := s.df.Nrow()
	for lo := 0; lo < n; lo += batchRows {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+batchRows, n)
		cols := make([]*frame.Column, len(idx))
		for i, j := range idx {
			if cols[i], err = convertRange(s.df, j, s.names[j], s.kinds[j], lo, hi); err != nil {
				return err
			}
		}
		t, err := frame.New(cols...)
		if err != nil {
			return err
		}
		if t, err = s.finish(t); err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	return s.record(ctx, idx)
}

// finish applies csv_missing, then input.types (a blank cell of a column
// typed int is then missing, as in a CSV file).
func (s *source) finish(t *frame.Table) (*frame.Table, error) {
	if s.cfg.CSVMissing {
		t = t.MissingStrings(s.cfg.NAValues)
	}
	return convert.Types(t, s.inTypes)
}

// record sets the lineage of a read of the columns idx.
func (s *source) record(ctx context.Context, idx []int) error {
	if s.digest == nil {
		d, err := digest(ctx, s.df, s.kinds, s.naSet())
		if err != nil {
			return err
		}
		s.digest = d
	}
	in := &result.Input{
		Format:      Format,
		Description: Description,
		SHA256:      s.digest.ordered,
		SetSHA256:   s.digest.set,
		Rows:        s.df.Nrow(),
		Columns:     len(idx),
	}
	if s.cfg.CSVMissing {
		in.NAValues = slices.Clone(s.cfg.NAValues)
	}
	for _, j := range idx {
		in.SourceTypes = append(in.SourceTypes, result.ColumnType{Name: s.names[j], Type: string(s.types[j])})
	}
	s.lineage = in
	return nil
}

// naSet is what csv_missing reads as missing besides blank cells; nil
// without csv_missing.
func (s *source) naSet() *missingText {
	if !s.cfg.CSVMissing {
		return nil
	}
	return newMissingText(s.cfg.NAValues)
}

// Lineage implements pipeline.Source.
func (s *source) Lineage() *result.Input { return s.lineage }

// Close implements pipeline.Source; the DataFrame stays the caller's.
func (s *source) Close() error { return nil }
