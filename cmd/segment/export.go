package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/stages/clean"
)

// exportFlags are export's settings.
type exportFlags struct {
	model, out      string
	format, dialect string
	table           string
	id              string
	idSet           bool
	rows, distances string
	checkDSN        string
}

const exportSynopsis = "-m MODEL.json --format sql --dialect postgres|duckdb|bigquery|clickhouse|ansi [--table T] [--id COL] [--rows all|training] [--distances nearest|all] [-o FILE] [--check-dsn DSN]"

func parseExportFlags(args []string, stderr io.Writer) (*exportFlags, error) {
	fs := newFlags("export", exportSynopsis, stderr)
	f := &exportFlags{}
	fs.StringVar(&f.model, "m", "", "model `file`: the model.json of a run")
	fs.StringVar(&f.format, "format", "sql", "what to write: `sql` (a SELECT that scores every row of the table)")
	fs.StringVar(&f.dialect, "dialect", "", "SQL `dialect`: "+strings.Join(sqlgen.Dialects(), ", "))
	fs.StringVar(&f.table, "table", sqlgen.DefaultTable, "`table` holding the raw rows, as the run's input (schema.table or project.dataset.table; a part in double quotes may hold dots)")
	fs.StringVar(&f.id, "id", "", "id `column` of the table, copied to the output (default: the model's, input.id); --id= leaves it out")
	fs.StringVar(&f.rows, "rows", clean.RowsAll, "`all` (score every row, as predict) or training (keep only the rows the model's filter and dropna steps kept, as predict --rows training)")
	fs.StringVar(&f.distances, "distances", "nearest", "`nearest` or all (also distance_<segment> to every centroid)")
	fs.StringVar(&f.out, "o", "", "output `file` for the SQL (default: standard output)")
	fs.StringVar(&f.checkDSN, "check-dsn", "", "PostgreSQL `DSN`: check that the table has the columns the query reads and that the server accepts the query (EXPLAIN; nothing is run); postgres dialect only")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	fs.Visit(func(fl *flag.Flag) { f.idSet = f.idSet || fl.Name == "id" })
	switch {
	case f.model == "":
		return nil, usagef("export: missing -m MODEL.json (the model.json of a run)")
	case f.format != "sql":
		return nil, usagef("export: --format %q: the only format is sql", f.format)
	case f.dialect == "":
		return nil, usagef("export: missing --dialect (one of %s)", strings.Join(sqlgen.Dialects(), ", "))
	case f.rows != clean.RowsAll && f.rows != clean.RowsTraining:
		return nil, usagef("export: --rows %q: want all or training", f.rows)
	case f.distances != "nearest" && f.distances != "all":
		return nil, usagef("export: --distances %q: want nearest or all", f.distances)
	case f.out != "" && sameFile(f.out, f.model):
		return nil, usagef("export: -o %s is the model (-m %s); it would be overwritten: write the SQL elsewhere", f.out, f.model)
	}
	if _, err := sqlgen.Lookup(f.dialect); err != nil {
		return nil, usagef("export: --dialect: %v", err)
	}
	if f.checkDSN != "" && sqlgen.MustLookup(f.dialect).Name() != "postgres" {
		return nil, usagef("export: --check-dsn checks against PostgreSQL; it needs --dialect postgres")
	}
	return f, nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseExportFlags(args, stderr)
	if err != nil {
		return err
	}
	m, err := model.Load(f.model)
	if err != nil {
		return err
	}
	name := filepath.Base(f.model)
	if m.SchemaVersion < model.SchemaVersion {
		for _, lack := range m.Lacks() {
			fmt.Fprintf(stderr, "note: %s has schema_version %d: %s\n", name, m.SchemaVersion, lack)
		}
	}
	if m.Transform != nil {
		// The checks predict makes of the frozen steps, with its messages.
		if _, err := clean.NewReplay(m.Transform, m.Features); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	opt := sqlgen.ExportOptions{Table: f.table, RowsTraining: f.rows == clean.RowsTraining, AllDistances: f.distances == "all"}
	switch {
	case f.idSet:
		opt.ID, opt.IDOut = f.id, f.id
	case m.Transform != nil && m.Input.IDColumn != "":
		opt.ID, opt.IDOut = m.Transform.IDColumn, m.Input.IDColumn
	default:
		opt.ID, opt.IDOut = m.Input.IDColumn, m.Input.IDColumn
	}
	if opt.ID != "" && slices.Contains(m.Features, opt.ID) && m.Transform == nil {
		return usagef("export: --id %q is one of the model's features", opt.ID)
	}
	d := sqlgen.MustLookup(f.dialect)
	ex, err := sqlgen.ExportModel(d, m, opt)
	if err != nil {
		if errors.Is(err, sqlgen.ErrNotExpressible) {
			return fmt.Errorf("%s cannot be exported as %s SQL: %w", name, d.Name(), err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if f.checkDSN != "" {
		if err := checkTable(ctx, f.checkDSN, f.table, ex); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "checked: table %s has the %d columns the query reads, and the server accepts the query\n", f.table, len(ex.Needs))
	}
	if f.out == "" {
		_, err := io.WriteString(stdout, ex.SQL)
		return err
	}
	if err := writeAtomic(f.out, func(w io.Writer) error { _, err := io.WriteString(w, ex.SQL); return err }); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote the %s SELECT for %s (k = %d) to %s\n", d.Name(), name, m.K, f.out)
	for _, s := range ex.NotApplied {
		fmt.Fprintf(stderr, "  %s is not applied: every row is scored, as predict does (--rows training applies filters and dropna)\n", s)
	}
	return nil
}

// checkTable describes the table on a live PostgreSQL server: every column
// the query reads must be there in a type that converts, then the server
// must accept the query (EXPLAIN plans it without running it).
func checkTable(ctx context.Context, dsn, table string, ex *sqlgen.Export) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	db, err := pgio.Connect(ctx, dsn, pgio.Options{})
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	cols, err := db.Schema(ctx, pgio.Source{Table: table})
	if err != nil {
		return err
	}
	have := map[string]pgio.Column{}
	var names []string
	for _, c := range cols {
		have[c.Name] = c
		names = append(names, c.Name)
	}
	var problems []string
	for _, n := range ex.Needs {
		c, ok := have[n.Name]
		if !ok {
			msg := fmt.Sprintf("%q (%s) is missing", n.Name, n.Kind)
			if s := frame.Suggest(n.Name, names); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			problems = append(problems, msg)
			continue
		}
		if n.Kind.Numeric() && !c.Kind.Numeric() {
			problems = append(problems, fmt.Sprintf("%q is %s; the model read it as %s (store numbers as numbers)", n.Name, c.Type, n.Kind))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("table %s lacks what the model needs:\n%s", table, strings.Join(problems, "\n"))
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	sql := strings.TrimSuffix(strings.TrimSpace(ex.SQL), ";")
	if _, err := conn.Exec(ctx, "EXPLAIN "+sql); err != nil {
		return db.Explain(err, "checking the exported query", sql)
	}
	return nil
}
