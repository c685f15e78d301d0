package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/internal/convert"
)

// Format is the input.format value of this source.
const Format = "postgres"

// Factory describes the PostgreSQL source.
func Factory() pipeline.SourceFactory {
	return pipeline.SourceFactory{
		Format:    Format,
		Summary:   "a PostgreSQL table or query (binary COPY, read-only transaction), sorted by order_by (default: the id) for a repeatable row order",
		Detect:    Detect,
		NewConfig: NewConfig,
		Open:      Open,
		Pushdown:  true,
	}
}

// Detect claims an input block that gives dsn, table or query.
func Detect(p pipeline.Probe) int {
	for _, k := range []string{"dsn", "table", "query"} {
		if slices.Contains(p.Keys, k) {
			return pipeline.DetectContent
		}
	}
	return pipeline.DetectNo
}

// source is an open connection and what to read.
type source struct {
	db      *pgio.DB
	cfg     *Config
	src     pgio.Source // table or query, and the order
	idOrder bool        // the order is input.id's (by default)
	types   map[string]string
	cols    []pgio.Column
	lineage *result.Input
}

// Open connects to the server.
func Open(ctx context.Context, in *pipeline.InputConfig) (pipeline.Source, error) {
	cfg, ok := in.Options.(*Config)
	if !ok {
		return nil, errors.New("postgres: the input block was not decoded for this source")
	}
	timeout, err := cfg.timeout()
	if err != nil {
		return nil, pipeline.KeyError("statement_timeout", err)
	}
	db, err := pgio.Connect(ctx, string(cfg.DSN), pgio.Options{StatementTimeout: timeout})
	if err != nil {
		return nil, classify(err, "dsn")
	}
	s := &source{db: db, cfg: cfg, types: in.Types, src: pgio.Source{Table: strings.TrimSpace(cfg.Table), Query: cfg.Query}}
	switch {
	case cfg.OrderBy != nil:
		s.src.OrderBy = slices.Clone(cfg.OrderBy)
	case in.ID != "":
		s.src.OrderBy, s.idOrder = []string{in.ID}, true
	}
	return s, nil
}

// classify turns a pgio error that the config can fix into an
// *InputKeyError at key: a DSN that does not parse, a refused login, a
// database that does not exist (at dsn); a statement the server rejects —
// syntax, an unknown table or column, a missing privilege — (at table or
// query). Anything else (a server that cannot be reached, a dropped
// connection, a timeout) is a run error.
func classify(err error, key string) error {
	var pe *pgio.Error
	if !errors.As(err, &pe) {
		return err
	}
	switch {
	case strings.HasPrefix(pe.Code, "28"), pe.Code == "3D000": // invalid authorization, no such database
		return pipeline.KeyError("dsn", err)
	case strings.HasPrefix(pe.Code, "42"), pe.Code == "3F000": // syntax error or access rule violation, no such schema
		return pipeline.KeyError(key, err)
	case pe.Code == "" && pe.Err == nil:
		// Found by segment before or without the server: a DSN that does
		// not parse, a statement with duplicate column names.
		return pipeline.KeyError(key, err)
	}
	return err
}

// statementKey is the key of what is read: table or query.
func (s *source) statementKey() string {
	if s.src.Table != "" {
		return "table"
	}
	return "query"
}

// Schema describes the table or query (no row is fetched) and checks
// order_by against it.
func (s *source) Schema(ctx context.Context) ([]pipeline.Field, error) {
	cols, err := s.db.Schema(ctx, pgio.Source{Table: s.src.Table, Query: s.src.Query})
	if err != nil {
		return nil, classify(err, s.statementKey())
	}
	s.cols = cols
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	for i, k := range s.src.OrderBy {
		if slices.Contains(names, k) {
			continue
		}
		if s.idOrder {
			s.src.OrderBy = nil // input.id names no column: the column check says so
			break
		}
		return nil, pipeline.KeyError(fmt.Sprintf("order_by[%d]", i), &frame.UnknownColumnError{Name: k, Known: names})
	}
	out := make([]pipeline.Field, len(cols))
	for i, c := range cols {
		out[i] = pipeline.Field{Name: c.Name, Kind: c.Kind, Type: c.Type}
		if !c.Supported {
			out[i].Unsupported = "segment reads numbers, booleans, text, dates and timestamps; cast it in a query (e.g. col::text)"
		} else if t, ok := s.types[c.Name]; ok {
			out[i].Kind, _ = frame.ParseKind(t)
		}
	}
	return out, nil
}

func (s *source) source(columns []string) pgio.Source {
	src := s.src
	src.Columns = columns
	return src
}

// Read runs the COPY and builds the table.
func (s *source) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	res, err := s.db.Read(ctx, s.source(columns))
	if err != nil {
		return nil, classify(err, s.statementKey())
	}
	t, err := convert.Types(res.Table, s.types)
	if err != nil {
		return nil, err
	}
	s.lineage = s.record(&res.Lineage, t.NumCols())
	return t, nil
}

// Scan runs the COPY and hands out batches.
func (s *source) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	lin, err := s.db.Scan(ctx, s.source(columns), batchRows, func(b *frame.Table) error {
		b, err := convert.Types(b, s.types)
		if err != nil {
			return err
		}
		return fn(b)
	})
	if err != nil {
		return classify(err, s.statementKey())
	}
	s.lineage = s.record(lin, len(lin.Columns))
	return nil
}

// record is the manifest's input record.
func (s *source) record(l *pgio.Lineage, ncols int) *result.Input {
	ordered := l.Ordered
	in := &result.Input{
		Format: Format, DSN: l.DSN, Table: s.src.Table, Query: strings.TrimSpace(s.src.Query), Statement: l.Query,
		ServerVersion: l.ServerVersion, Rows: int(l.Rows), Columns: ncols, SHA256: l.SHA256, SetSHA256: l.SetSHA256, Ordered: &ordered,
	}
	for _, c := range l.Columns {
		in.SourceTypes = append(in.SourceTypes, result.ColumnType{Name: c.Name, Type: c.Type})
	}
	if !ordered {
		in.Warnings = append(in.Warnings, "the rows were read in the order the server returned them, which can change between runs (after VACUUM, updates, parallel plans) and with it the k-means seeding; set input.order_by (or input.id) for a repeatable run — the manifest's input.set_sha256 identifies the rows whatever their order")
	}
	return in
}

// Pushdown implements internal/pushdown.Backend (execution.mode:
// database): the open connection, with the source's statement_timeout,
// and the table or query.
func (s *source) Pushdown() (*pgio.DB, pgio.Source) {
	return s.db, pgio.Source{Table: s.src.Table, Query: s.src.Query}
}

// Lineage implements pipeline.Source.
func (s *source) Lineage() *result.Input { return s.lineage }

// Close implements pipeline.Source.
func (s *source) Close() error {
	if s.db == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.db.Close(ctx)
	s.db = nil
	return err
}
