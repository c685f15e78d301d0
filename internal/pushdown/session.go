package pushdown

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/sqlgen"
)

// Backend is implemented by an input source whose rows can stay in their
// database: the postgres source.
type Backend interface {
	// Pushdown returns the source's open connection and what it reads (a
	// table or a query; its OrderBy and Columns are not used).
	Pushdown() (*pgio.DB, pgio.Source)
}

// Options configure Open.
type Options struct {
	// IDColumn is input.id ("" for none): it is read as text, as the
	// ingest stage makes it.
	IDColumn string
	// Columns keeps only these columns (input.columns); nil keeps all.
	Columns []string
	// PerPartition runs aggregates once per leaf partition when the source
	// is a table partitioned into foreign tables (execution.database.
	// per_partition).
	PerPartition bool
}

// Session is a database-mode run's connection to the source's server:
// the parts queries run on and the log of every statement.
type Session struct {
	db     *pgio.DB
	d      *sqlgen.Dialect
	src    pgio.Source
	source string // the whole source as a FROM item
	label  string // "table \"s\".\"t\"" or "the query"
	parts  []Part // the foreign table's leaf partitions in per-partition mode; nil otherwise

	log   []Entry
	stage string
	mark  int
}

// Part is where a share of the source's rows lives: a leaf partition of a
// partitioned table (a postgres_fdw foreign table on a shard, or a local
// table).
type Part struct {
	// Table is the partition's quoted name.
	Table string `json:"table"`
	// Server is the foreign server of a foreign table ("" for a local
	// table).
	Server string `json:"server,omitempty"`
}

// Entry is one statement a database-mode run sent, for the manifest.
type Entry struct {
	// Stage is the stage that sent it; What what it computes.
	Stage string `json:"stage"`
	What  string `json:"what"`
	// On is where it ran: "source" (the whole source), or a partition's
	// name (per-partition mode).
	On string `json:"on"`
	// SQL is the statement.
	SQL     string  `json:"sql"`
	Seconds float64 `json:"seconds"`
	// Rows are the rows the statement returned to segment (aggregates), or
	// wrote (a write-back: Written).
	Rows int64 `json:"rows"`
	// Sample marks rows of the table itself leaving the database (the
	// sample the fit needs, the plotted points).
	Sample bool `json:"sample,omitempty"`
	// Written marks a statement that wrote rows into a table.
	Written bool `json:"written,omitempty"`
}

// OnSource is Entry.On for a statement over the whole source.
const OnSource = "source"

// Open starts a database-mode session on b's connection: it sets the
// session's DateStyle, TimeZone and extra_float_digits (so dates and reals
// read as text are the postgres source's), describes the source and finds
// its partitions. It returns the session and the source as a Relation.
func Open(ctx context.Context, b Backend, opt Options) (*Session, *Relation, error) {
	db, src := b.Pushdown()
	s := &Session{db: db, d: sqlgen.MustLookup("postgres"), src: src}
	if strings.TrimSpace(src.Table) != "" {
		ref, err := pgio.ParseTableName(src.Table)
		if err != nil {
			return nil, nil, err
		}
		s.source, s.label = ref.Quoted(), "table "+ref.Quoted()
	} else {
		q := strings.TrimSpace(src.Query)
		for strings.HasSuffix(q, ";") {
			q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
		}
		s.source, s.label = "(\n"+q+"\n) AS segment_source", "the query"
	}
	if err := s.exec(ctx, "setting the session's date style, time zone and float output", "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET extra_float_digits = 1"); err != nil {
		return nil, nil, err
	}
	cols, err := db.Schema(ctx, pgio.Source{Table: src.Table, Query: src.Query, Columns: opt.Columns})
	if err != nil {
		return nil, nil, err
	}
	if src.Table != "" && opt.PerPartition {
		if s.parts, err = s.partitions(ctx); err != nil {
			return nil, nil, err
		}
	}
	if len(s.parts) > 0 {
		// The planner weighs an aggregate over a foreign partition shipped
		// to the shard against fetching the columns and aggregating on the
		// coordinator; with a long grouping expression (the nearest
		// centroid of a few clean steps' layers) it counts the expression's
		// operators so that the local plan wins by a hair, although both
		// evaluate it once per row. Free operators tip the balance to the
		// shard, which is why the statements run once per partition.
		if err := s.exec(ctx, "planning per-partition statements to run on the shards", "SET "+ShardPlanning); err != nil {
			return nil, nil, err
		}
	}
	rel, err := newRelation(s, cols, opt.IDColumn)
	if err != nil {
		return nil, nil, err
	}
	return s, rel, nil
}

// ShardPlanning is the planner setting a session with per-partition
// statements makes (SET on its connection): see Open. EXPLAIN a logged
// statement under it to see the plan it ran with.
const ShardPlanning = "cpu_operator_cost = 0"

// Label names the source in messages: table "s"."t", or the query.
func (s *Session) Label() string { return s.label }

// Parts returns the leaf partitions queries run on one by one (nil when
// they run on the whole source).
func (s *Session) Parts() []Part { return append([]Part(nil), s.parts...) }

// ServerVersion is the server's version.
func (s *Session) ServerVersion() string { return s.db.ServerVersion() }

// Begin starts the log of a stage: the entries logged from now on are
// the stage's (Log).
func (s *Session) Begin(stage string) {
	s.stage, s.mark = stage, len(s.log)
}

// Log returns the entries since Begin.
func (s *Session) Log() []Entry { return append([]Entry(nil), s.log[s.mark:]...) }

// All returns every entry of the session.
func (s *Session) All() []Entry { return append([]Entry(nil), s.log...) }

// Pulled sums the rows of the sample entries of es: the rows of the table
// that left the database.
func Pulled(es []Entry) int64 {
	var n int64
	for _, e := range es {
		if e.Sample {
			n += e.Rows
		}
	}
	return n
}

// partitions lists the leaf partitions of a partitioned source table when
// at least one is a foreign table; nil otherwise.
func (s *Session) partitions(ctx context.Context) ([]Part, error) {
	const q = `WITH RECURSIVE tree(oid) AS (
  SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent = to_regclass($1)
  UNION ALL
  SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree t ON i.inhparent = t.oid
)
SELECT n.nspname::text, c.relname::text, c.relkind::text, coalesce(fs.srvname::text, '')
FROM tree
JOIN pg_catalog.pg_class c ON c.oid = tree.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid
LEFT JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
WHERE c.relkind IN ('r', 'f')
ORDER BY n.nspname, c.relname`
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, q, s.source)
	if err != nil {
		return nil, s.db.Explain(err, "listing the partitions of "+s.label, q)
	}
	var parts []Part
	foreign := false
	for rows.Next() {
		var schema, name, kind, server string
		if err := rows.Scan(&schema, &name, &kind, &server); err != nil {
			rows.Close()
			return nil, s.db.Explain(err, "listing the partitions of "+s.label, q)
		}
		parts = append(parts, Part{Table: pgio.QuoteIdent(schema) + "." + pgio.QuoteIdent(name), Server: server})
		foreign = foreign || kind == "f"
	}
	if err := rows.Err(); err != nil {
		return nil, s.db.Explain(err, "listing the partitions of "+s.label, q)
	}
	if !foreign {
		return nil, nil
	}
	return parts, nil
}

// exec runs statements that return nothing, unlogged (session settings).
func (s *Session) exec(ctx context.Context, what, sql string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return s.db.Explain(err, what, sql)
	}
	return nil
}

// query runs sql (on: OnSource or a partition) and calls scan for each row,
// logging the statement. An error names what.
func (s *Session) query(ctx context.Context, what, on, sql string, sample bool, scan func(pgx.Rows) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	t0 := time.Now()
	e := Entry{Stage: s.stage, What: what, On: on, SQL: sql, Sample: sample}
	err = func() error {
		rows, err := conn.Query(ctx, sql)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e.Rows++
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}()
	e.Seconds = seconds(time.Since(t0))
	s.log = append(s.log, e)
	if err != nil {
		return s.explain(err, what, on, sql)
	}
	return nil
}

// explain turns a failure of a statement segment wrote into an error
// naming what it computed and where; the statement itself is in the
// manifest's log, so the error does not quote it.
func (s *Session) explain(err error, what, on, sql string) error {
	var se *scanError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, se.err)
	}
	op := what
	if on != OnSource {
		op += " on partition " + on
	}
	e := s.db.Explain(err, op, sql)
	var pe *pgio.Error
	if errors.As(e, &pe) {
		pe.Query, pe.Position = "", 0
	}
	return e
}

// scanError marks an error of segment's own while reading a result.
type scanError struct{ err error }

func (e *scanError) Error() string { return e.err.Error() }

func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}

// Write runs a stage's write-back of per-row results: WriteSelect of the
// selects (one per part, run on on[i]) into target, in one transaction.
// The log gets one entry per select; the rows inserted are recorded on the
// first (the server reports them in total).
func (s *Session) Write(ctx context.Context, stage, what, target string, cols []pgio.SelectColumn, selects, on []string, opt pgio.SelectWriteOptions) (*pgio.WriteResult, error) {
	t0 := time.Now()
	if opt.Op == "" {
		opt.Op = what
	}
	res, err := s.db.WriteSelect(ctx, target, cols, selects, opt)
	sec := seconds(time.Since(t0))
	for i, sel := range selects {
		e := Entry{Stage: stage, What: what, On: on[i], SQL: sel, Written: true}
		if i == 0 {
			e.Seconds = sec
			if res != nil {
				e.Rows = res.Inserted
			}
		}
		s.log = append(s.log, e)
	}
	return res, err
}

// DSN is the connection's DSN, redacted.
func (s *Session) DSN() string { return s.db.DSN() }

// Record is what a stage notes in the manifest about its statements
// (under notes.database): every statement, the rows that came back as
// aggregates and the rows of the table that left the database (samples).
type Record struct {
	Statements   int     `json:"statements"`
	RowsReturned int64   `json:"rows_returned"`
	RowsPulled   int64   `json:"rows_pulled"`
	RowsWritten  int64   `json:"rows_written,omitempty"`
	Seconds      float64 `json:"seconds"`
	Queries      []Entry `json:"queries"`
}

// RecordOf summarises entries for the manifest.
func RecordOf(es []Entry) *Record {
	r := &Record{Queries: append([]Entry{}, es...)}
	for _, e := range es {
		r.Statements++
		r.Seconds += e.Seconds
		switch {
		case e.Written:
			r.RowsWritten += e.Rows
		case e.Sample:
			r.RowsPulled += e.Rows
		default:
			r.RowsReturned += e.Rows
		}
	}
	r.Seconds = float64(int64(r.Seconds*1000+0.5)) / 1000
	return r
}

// Add appends entries to r (statements that ran after the record was
// made, such as a write deferred to just before the run is published).
func (r *Record) Add(es ...Entry) {
	*r = *RecordOf(append(slices.Clone(r.Queries), es...))
}

// Last returns the last n entries of the session (the statements a call
// just logged).
func (s *Session) Last(n int) []Entry {
	n = min(n, len(s.log))
	return append([]Entry(nil), s.log[len(s.log)-n:]...)
}
