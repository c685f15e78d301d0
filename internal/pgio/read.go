package pgio

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
)

// Lineage says what a read saw, for the run manifest: enough to prove that a
// rerun read the same data.
type Lineage struct {
	DSN           string   `json:"dsn"`            // the DSN with its password replaced by "xxxxx"
	Query         string   `json:"query"`          // the statement that was run (the COPY)
	ServerVersion string   `json:"server_version"` // server_version as the server reports it
	Rows          int64    `json:"rows"`
	Columns       []Column `json:"columns"` // the columns read, with their PostgreSQL types
	// SHA256 is the digest of the rows in the order they arrived (see the
	// package documentation); it is repeatable when Ordered is true.
	SHA256 string `json:"sha256"`
	// SetSHA256 is the digest of the rows as a multiset: it does not depend
	// on their order.
	SetSHA256 string `json:"set_sha256"`
	// Ordered reports that Source.OrderBy fixed the row order.
	Ordered bool `json:"ordered"`
}

// Result is a table read whole, with its lineage.
type Result struct {
	Table   *frame.Table
	Lineage Lineage
}

// DefaultBatchRows is the batch size of Scan when batchRows is not positive.
const DefaultBatchRows = 65536

// readMethod selects how rows travel: the binary COPY protocol (the
// default, faster; see bench/postgres) or an ordinary query with binary
// results.
type readMethod uint8

const (
	viaCopy readMethod = iota
	viaQuery
)

// Read reads the whole source into one table. The rows travel through the
// binary COPY protocol (COPY (SELECT …) TO STDOUT (FORMAT binary)) inside a
// read-only transaction, so a statement that would modify data is refused.
// On any error no table is returned.
func (db *DB) Read(ctx context.Context, src Source) (*Result, error) {
	return db.read(ctx, src, viaCopy)
}

func (db *DB) read(ctx context.Context, src Source, m readMethod) (*Result, error) {
	var t *frame.Table
	lin, err := db.scan(ctx, src, 0, m, func(b *frame.Table) error { t = b; return nil })
	if err != nil {
		return nil, err
	}
	if t == nil { // no rows
		cols := make([]*frame.Column, len(lin.Columns))
		for i, c := range lin.Columns {
			cols[i] = emptyColumn(c)
		}
		if t, err = frame.New(cols...); err != nil {
			return nil, &Error{Op: "reading", Message: err.Error()}
		}
	}
	return &Result{Table: t, Lineage: *lin}, nil
}

func emptyColumn(c Column) *frame.Column {
	col := &frame.Column{Name: c.Name, Kind: c.Kind}
	switch c.Kind {
	case frame.Int:
		col = frame.NewIntOwned(c.Name, []int64{}, nil)
	case frame.Float:
		col.Floats = []float64{}
	case frame.Bool:
		col.Bools = []bool{}
	default:
		col = frame.NewStringCodesOwned(c.Name, []int32{}, []string{}, nil)
	}
	return col
}

// Scan reads the source in batches of at most batchRows rows
// (DefaultBatchRows when batchRows ≤ 0), calling fn with each batch as its
// own table (string dictionaries are per batch); memory stays bounded by
// one batch plus the connection's buffers. fn is not called when there are
// no rows. An error from fn stops the read and is returned as is.
//
// When Scan returns an error, the batches already passed to fn are not a
// complete read and must be discarded; the lineage is returned only on
// success.
func (db *DB) Scan(ctx context.Context, src Source, batchRows int, fn func(*frame.Table) error) (*Lineage, error) {
	if batchRows <= 0 {
		batchRows = DefaultBatchRows
	}
	return db.scan(ctx, src, batchRows, viaCopy, fn)
}

// cleanupContext is for ending a transaction after a failure: not cancelled
// with ctx, but bounded, so a server that no longer answers cannot hang the
// caller.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
}

// fnError marks an error returned by the caller's fn, to pass it through.
type fnError struct{ err error }

func (e *fnError) Error() string { return e.err.Error() }
func (e *fnError) Unwrap() error { return e.err }

// scan is Read and Scan: batch 0 means one batch holding every row.
func (db *DB) scan(ctx context.Context, src Source, batch int, m readMethod, fn func(*frame.Table) error) (*Lineage, error) {
	if err := db.ensure(ctx); err != nil {
		return nil, err
	}
	conn := db.conn
	// synchronize_seqscans off: a scan of a large table then starts at its
	// first block instead of where another scan is, so an unchanged table
	// arrives in the same order every time (see Lineage).
	if _, err := conn.Exec(ctx, "BEGIN READ ONLY; SET LOCAL synchronize_seqscans = off"); err != nil {
		return nil, wrapErr(err, "starting a read-only transaction", nil, db.secrets)
	}
	defer func() {
		if !conn.IsClosed() {
			c, cancel := cleanupContext(ctx)
			defer cancel()
			_, _ = conn.Exec(c, "ROLLBACK")
		}
	}()
	d, err := db.describe(ctx, src)
	if err != nil {
		return nil, err
	}
	for _, c := range d.read {
		if !c.Supported {
			return nil, unsupportedError(d.label, c)
		}
	}
	names := make([]string, len(d.read))
	for i, c := range d.read {
		names[i] = c.Name
	}
	collateC := map[string]bool{}
	for _, c := range d.all {
		switch c.oid {
		case oidText, oidVarchar, oidBPChar, oidName:
			collateC[c.Name] = true
		}
	}
	sel := selectStmt(src, d.ref, names, collateC)
	hint := batch
	if batch == 0 {
		hint = 1024
		if d.est > 0 && src.Table != "" {
			hint = int(min(d.est+d.est/32+16, 1<<26))
		}
	}
	b := newBuilder(d.read, hint)
	flush := func() error {
		t, err := b.table()
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return &fnError{err}
		}
		return nil
	}

	var run stmt
	switch m {
	case viaQuery:
		run = sel
		err = db.queryRows(ctx, sel.sql, b, batch, flush)
	default:
		run = copyStmt(sel)
		p := newCopyParser(b, len(d.read))
		if batch > 0 {
			p.batch, p.flush = batch, flush
		}
		_, err = conn.PgConn().CopyTo(ctx, p, run.sql)
		if err == nil && !p.done {
			err = errors.New("the COPY output ended before its trailer")
		}
	}
	if err != nil {
		var fe *fnError
		if errors.As(err, &fe) {
			return nil, fe.err
		}
		e := wrapErr(err, "reading "+d.label, &run, db.secrets)
		if pe, ok := e.(*Error); ok {
			if pe.Code == "42501" && src.Table != "" {
				role := QuoteIdent(db.cfg.User)
				pe.Advice = fmt.Sprintf("the role %s needs SELECT on %s (GRANT SELECT ON %s TO %s)", role, d.ref.Quoted(), d.ref.Quoted(), role)
			}
			if b.total > 0 {
				pe.Message += fmt.Sprintf(" (after %d rows)", b.total)
				pe.Advice = joinAdvice("no rows were kept", pe.Advice)
			}
		}
		return nil, e
	}
	if b.rows > 0 {
		if err := flush(); err != nil {
			var fe *fnError
			if errors.As(err, &fe) {
				return nil, fe.err
			}
			return nil, &Error{Op: "reading " + d.label, Message: err.Error()}
		}
	}
	ordered, set := b.hash.finish()
	return &Lineage{
		DSN: db.dsn, Query: run.sql, ServerVersion: db.version, Rows: b.total,
		Columns: d.read, SHA256: ordered, SetSHA256: set, Ordered: len(src.OrderBy) > 0,
	}, nil
}

// queryRows reads the rows of sql through an ordinary query with every
// result column in binary format (the alternative to COPY; see
// bench/postgres for why COPY is the default).
func (db *DB) queryRows(ctx context.Context, sql string, b *builder, batch int, flush func() error) error {
	rows, err := db.conn.Query(ctx, sql, pgx.QueryResultFormats{pgx.BinaryFormatCode})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		vals := rows.RawValues()
		for j, v := range vals {
			if err := b.value(j, v, v == nil); err != nil {
				return err
			}
		}
		b.endRow()
		if batch > 0 && b.rows >= batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}
