package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
	csvsrc "github.com/churnlab/segment/sources/csv"
	pgsrc "github.com/churnlab/segment/sources/postgres"
)

// Reading the input to score. This file is all predict knows of the
// input's format: -i goes through the same sources as a run's input.block
// (a file whose format is detected as for input.path — CSV, compressed
// CSV, Parquet —, "-" for standard input, or a postgres:// URL).

// scoreInput is the opened input to score: it is opened once (standard
// input and pipes can be read only once), its header read, then the columns
// the model needs.
type scoreInput struct {
	path   string
	src    pipeline.Source
	header []string
	delim  rune // a plain CSV file's delimiter, once read (for line numbers); 0 otherwise
}

// openScoreInput opens -i and reads its column names.
func openScoreInput(ctx context.Context, path string, m *model.Model, id string) (*scoreInput, error) {
	reg := sources.Registry()
	in, err := predictInput(reg, path, m, id)
	if err != nil {
		return nil, err
	}
	src, err := reg.OpenSource(ctx, in)
	if err != nil {
		return nil, err
	}
	fields, err := src.Schema(ctx)
	if err != nil {
		src.Close()
		return nil, err
	}
	si := &scoreInput{path: path, src: src, header: make([]string, len(fields))}
	for i, f := range fields {
		si.header[i] = f.Name
	}
	return si, nil
}

// Close closes the source.
func (si *scoreInput) Close() error { return si.src.Close() }

// readColumns reads the named columns, every one as text: a CSV's cells
// byte for byte as in the file (ids keep their zeros), empty cells and the
// model's na_values missing; a typed source's values written as text
// (numbers in their shortest exact form). The replay brings each column
// to its type at fit time, whatever the source.
func (si *scoreInput) readColumns(ctx context.Context, cols []string) (*frame.Table, error) {
	t, err := si.src.Read(ctx, cols)
	if err != nil {
		return nil, err
	}
	if lin := si.src.Lineage(); lin != nil && lin.Format == csvsrc.Format && lin.Compression == "" && si.path != "-" {
		switch d := lin.Delimiter; d {
		case "tab":
			si.delim = '\t'
		case "":
		default:
			si.delim = rune(d[0])
		}
	}
	return asText(t)
}

// lines maps each of the input's n data rows to the line of the file it
// starts on, for messages; nil when that cannot be worked out (messages
// then say "row N").
func (si *scoreInput) lines(n int) []int {
	if si.delim == 0 {
		return nil
	}
	lines, err := model.RecordLines(si.path, byte(si.delim))
	if err != nil || len(lines) != n {
		return nil
	}
	return lines
}

// asText returns t with every column as text.
func asText(t *frame.Table) (*frame.Table, error) {
	cols := t.Columns()
	changed := false
	for i, c := range cols {
		if c.Kind == frame.String {
			continue
		}
		vals := make([]string, c.Len())
		var missing []bool
		for r := range vals {
			if c.IsMissing(r) {
				if missing == nil {
					missing = make([]bool, c.Len())
				}
				missing[r] = true
				continue
			}
			vals[r] = c.Format(r)
		}
		cols[i] = frame.NewString(c.Name, vals, missing)
		changed = true
	}
	if !changed {
		return t, nil
	}
	return frame.New(cols...)
}

// predictInput is the input block for predict's -i: a postgres:// or
// postgresql:// URL reads a table or query — the parameters table, query
// and order_by (comma-separated) are segment's, the rest is the DSN, e.g.
//
//	postgres://segment@db.internal/crm?sslmode=require&table=customers
//	postgres:///crm?host=/run/postgresql&query=select+*+from+customers+where+active
//
// and must not hold a password (the command line shows in ps and shell
// history: use PGPASSWORD or ~/.pgpass). Anything else is a path. A CSV is
// read with the model's delimiter, encoding and na_values, every column
// the model knows as text.
func predictInput(reg *pipeline.SourceRegistry, path string, m *model.Model, id string) (*pipeline.InputConfig, error) {
	in := &pipeline.InputConfig{Path: confyaml.Path(path), ID: id, AsText: true}
	isURL := strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
	if isURL {
		in.Path, in.Format = "", pgsrc.Format
	}
	if err := reg.PrepareInput(in); err != nil {
		return nil, err
	}
	switch o := in.Options.(type) {
	case *csvsrc.Config:
		o.Delimiter, o.Encoding, o.NAValues = m.Input.Delimiter, m.Input.Encoding, m.Input.NAValues
	case *pgsrc.Config:
		if !isURL {
			return nil, usagef("predict: -i: give a postgres:// URL to read a table or query")
		}
		u, err := url.Parse(path)
		if err != nil {
			return nil, usagef("predict: -i: not a valid URL: %v", err)
		}
		if len(pgio.DSNSecrets(path)) > 0 {
			return nil, usagef("predict: -i: the URL holds a password, which the command line would show (ps, shell history); give it in PGPASSWORD or ~/.pgpass instead")
		}
		q := u.Query()
		o.Table, o.Query = q.Get("table"), q.Get("query")
		if ob := q.Get("order_by"); ob != "" {
			o.OrderBy = strings.Split(ob, ",")
		}
		for _, k := range []string{"table", "query", "order_by"} {
			q.Del(k)
		}
		u.RawQuery = q.Encode()
		o.DSN = pgsrc.DSN(u.String())
	}
	if err := in.Validate(); err != nil {
		if isURL {
			return nil, usagef("predict: -i %s: %v (use the URL parameters table=, query= and order_by=)", pgio.RedactDSN(path), err)
		}
		return nil, fmt.Errorf("predict: -i %s: %w", path, err)
	}
	return in, nil
}
