package pushdown

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/sqlgen"
)

// Layer is SQL a stage adds on top of a relation: Apply adds its layers to
// a query whose current columns are the relation's. Produces lists the
// column names it may create (reserved, so that internal names never
// collide with them).
type Layer struct {
	Name     string
	Apply    func(q *sqlgen.Query) error
	Produces []string
}

// Relation is a run's table while its rows stay in the database: the
// source's columns as the postgres source reads them and the layers the
// stages added. It is immutable: With returns a new Relation. It
// implements pipeline.DatabaseTable.
type Relation struct {
	s      *Session
	source []sourceColumn
	layers []Layer
	cols   []sqlgen.Column // the current columns
	rows   int64           // -1 while unknown
	// Missing counts, when known, each current column's NULLs.
	missing map[string]int64
}

// sourceColumn is a column of the source and the SQL that reads it as the
// postgres source would.
type sourceColumn struct {
	sqlgen.Column
	Type string // the PostgreSQL type, for messages
	read func(ref string) string
}

// newRelation is the source's readable columns (the others are left out,
// as the ingest stage leaves them out when no stage uses them).
func newRelation(s *Session, cols []pgio.Column, id string) (*Relation, error) {
	r := &Relation{s: s, rows: -1}
	d := s.d
	for _, c := range cols {
		if !c.Supported {
			continue
		}
		sc := sourceColumn{Column: sqlgen.Column{Name: c.Name, Kind: c.Kind}, Type: c.Type}
		// NaN is missing, as pgio reads it. CASE rather than NULLIF:
		// postgres_fdw (PostgreSQL 15) does not ship NULLIF.
		nullNaN := func(x string) string {
			return "CASE WHEN " + x + " = " + d.Float(nanValue()) + " THEN " + d.Null(frame.Float) + " ELSE " + x + " END"
		}
		switch {
		case c.Name == id && id != "":
			sc.Kind = frame.String
			sc.read = textOf(c.Type, d)
		case c.Type == "smallint" || c.Type == "integer" || c.Type == "bigint":
			sc.read = func(x string) string { return d.Cast(x, frame.Int) }
		case c.Type == "double precision":
			sc.read = nullNaN
		case c.Type == "numeric":
			sc.read = func(x string) string { return nullNaN(d.Cast(x, frame.Float)) }
		case c.Type == "real":
			// The float64 nearest to the decimal the server prints (pgio).
			sc.read = func(x string) string { return nullNaN(d.Cast(d.Cast(x, frame.String), frame.Float)) }
		case c.Type == "boolean":
			sc.read = func(x string) string { return x }
		default:
			sc.read = textOf(c.Type, d)
		}
		r.source = append(r.source, sc)
		r.cols = append(r.cols, sc.Column)
	}
	if len(r.cols) == 0 {
		return nil, fmt.Errorf("%s has no column segment can read", s.label)
	}
	return r, nil
}

// textOf reads a column of PostgreSQL type typ as the postgres source
// reads it into a text column.
func textOf(typ string, d *sqlgen.Dialect) func(string) string {
	switch typ {
	case "text", "character varying", "name":
		return func(x string) string { return d.Cast(x, frame.String) }
	case "character":
		// char(n) keeps its padding, as pgio reads it (a cast to text
		// would strip it).
		return func(x string) string { return "CONCAT(" + x + ")" }
	}
	return func(x string) string { return d.Cast(x, frame.String) }
}

// Session returns the relation's session.
func (r *Relation) Session() *Session { return r.s }

// Columns returns the current columns' names (pipeline.DatabaseTable).
func (r *Relation) Columns() []string {
	out := make([]string, len(r.cols))
	for i, c := range r.cols {
		out[i] = c.Name
	}
	return out
}

// SourceColumns are the source's columns (before any layer).
func (r *Relation) SourceColumns() []string {
	out := make([]string, len(r.source))
	for i, c := range r.source {
		out[i] = c.Name
	}
	return out
}

// Typed returns the current columns with their kinds.
func (r *Relation) Typed() []sqlgen.Column { return slices.Clone(r.cols) }

// Col returns the current column named name.
func (r *Relation) Col(name string) (sqlgen.Column, bool) {
	for _, c := range r.cols {
		if c.Name == name {
			return c, true
		}
	}
	return sqlgen.Column{}, false
}

// Rows returns the number of rows, when a count established it
// (pipeline.DatabaseTable).
func (r *Relation) Rows() (int, bool) { return int(r.rows), r.rows >= 0 }

// SetRows records a count of the relation's rows.
func (r *Relation) SetRows(n int64) { r.rows = n }

// Missing returns the count of NULLs of a column, when known.
func (r *Relation) Missing(name string) (int64, bool) {
	n, ok := r.missing[name]
	return n, ok
}

// With returns the relation with one more layer. The layer is built once
// over the whole source to check it and to learn the columns it leaves.
// keepRows says that it keeps every row (the row count stays known);
// missing counts of the columns it does not touch are for the caller to
// keep.
func (r *Relation) With(l Layer, keepRows bool) (*Relation, error) {
	out := &Relation{s: r.s, source: r.source, layers: slices.Concat(r.layers, []Layer{l}), rows: -1}
	q, err := out.Query(OnSource)
	if err != nil {
		return nil, err
	}
	out.cols = q.Columns()
	if keepRows {
		out.rows = r.rows
	}
	return out, nil
}

// reserved are the names every layer may use.
func (r *Relation) reserved() []string {
	var out []string
	for _, c := range r.source {
		out = append(out, c.Name)
	}
	for _, l := range r.layers {
		out = append(out, l.Produces...)
	}
	return out
}

// Query builds the relation over one part: on is OnSource (the whole
// source, layers fenced) or a partition's name (per-partition mode,
// unfenced so that PostgreSQL merges the layers and postgres_fdw ships the
// work to the shard). The query's current columns are the relation's;
// extra names are reserved too.
func (r *Relation) Query(on string, extra ...string) (*sqlgen.Query, error) {
	q, _, err := r.QueryCarrying(on, nil, extra...)
	return q, err
}

// QueryCarrying is Query with source columns carried through every layer
// (sqlgen's Query.Carry) under internal names, returned in order: what a
// statement grouped by the raw columns (the per-partition write-back)
// reads at its end. The carried columns are read as the source layer reads
// them.
func (r *Relation) QueryCarrying(on string, carry []string, extra ...string) (*sqlgen.Query, []string, error) {
	return r.query(on, extra, carry)
}

func (r *Relation) query(on string, extra, carry []string) (*sqlgen.Query, []string, error) {
	from := r.s.source
	if on != OnSource {
		from = on
	}
	q := sqlgen.NewQuery(r.s.d, from, append(r.reserved(), extra...))
	if on != OnSource {
		q.Flat()
	}
	outs := make([]sqlgen.Out, len(r.source))
	for i, c := range r.source {
		ref, err := r.s.d.Ident(c.Name)
		if err != nil {
			return nil, nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		outs[i] = sqlgen.Out{Column: c.Column, SQL: c.read(ref)}
	}
	if err := q.Layer("source", "the source's columns, read as the postgres source reads them", outs, nil, ""); err != nil {
		return nil, nil, err
	}
	carried := make([]string, len(carry))
	for i, c := range carry {
		if _, ok := q.Col(c); !ok {
			return nil, nil, fmt.Errorf("the source has no column %q", c)
		}
		carried[i] = q.Carry("raw_column", q.Ref(c))
	}
	for _, l := range r.layers {
		if err := l.Apply(q); err != nil {
			return nil, nil, err
		}
	}
	return q, carried, nil
}

// On lists where per-part statements run: each partition, or the whole
// source.
func (r *Relation) On() []string {
	if len(r.s.parts) == 0 {
		return []string{OnSource}
	}
	out := make([]string, len(r.s.parts))
	for i, p := range r.s.parts {
		out[i] = p.Table
	}
	return out
}

// PerPartition reports whether statements run once per partition.
func (r *Relation) PerPartition() bool { return len(r.s.parts) > 0 }

// EachPart builds a statement per part with build (given the relation's
// query over the part) and runs it, calling scan for each row it returns.
// It is for statements whose results combine across parts (sums, counts,
// co-moments; Partial).
func (r *Relation) EachPart(ctx context.Context, what string, build func(q *sqlgen.Query) (string, error), scan func(on string, rows pgx.Rows) error) error {
	for _, on := range r.On() {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, err := r.Query(on)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		sql, err := build(q)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := r.s.query(ctx, what, on, sql, false, func(rows pgx.Rows) error { return scan(on, rows) }); err != nil {
			return err
		}
	}
	return nil
}

// Whole builds a statement over the whole source and runs it: for what
// does not combine across parts (quantiles, distinct counts, modes). On a
// sharded source it runs on the coordinator, which fetches the columns it
// reads from the shards.
func (r *Relation) Whole(ctx context.Context, what string, build func(q *sqlgen.Query) (string, error), scan func(rows pgx.Rows) error) error {
	q, err := r.Query(OnSource)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	sql, err := build(q)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return r.s.query(ctx, what, OnSource, sql, false, scan)
}

// Count counts the relation's rows and the NULLs of the named columns
// (one statement per part), and returns the relation with them recorded.
func (r *Relation) Count(ctx context.Context, what string, cols []string) (*Relation, error) {
	list := []string{"count(*)"}
	for _, c := range cols {
		if _, ok := r.Col(c); !ok {
			return nil, fmt.Errorf("%s: no column %q here", what, c)
		}
	}
	var total int64
	miss := make([]int64, len(cols))
	err := r.EachPart(ctx, what, func(q *sqlgen.Query) (string, error) {
		l := slices.Clone(list)
		for _, c := range cols {
			l = append(l, "count(*) - count("+q.Ref(c)+")")
		}
		return q.Select(sqlgen.Select{List: l}), nil
	}, func(_ string, rows pgx.Rows) error {
		vals := make([]int64, len(cols)+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		total += vals[0]
		for i := range cols {
			miss[i] += vals[i+1]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := *r
	out.rows = total
	out.missing = map[string]int64{}
	for k, v := range r.missing {
		out.missing[k] = v
	}
	for i, c := range cols {
		out.missing[c] = miss[i]
	}
	return &out, nil
}

// quoteList quotes names for messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
