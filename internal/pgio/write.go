package pgio

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
)

// WriteOptions control Write.
type WriteOptions struct {
	// KeyColumn names the run-id column. The target's rows whose KeyColumn
	// value appears in the table written are replaced; rows of other runs
	// stay. The column must not have missing values. Empty replaces every
	// row of the target.
	KeyColumn string
	// NoCreate refuses to create a missing target instead of creating it.
	NoCreate bool
}

// WriteResult says what Write did.
type WriteResult struct {
	Target   string // the target's quoted name
	Created  bool   // the target did not exist and was created
	Deleted  int64  // rows of the target replaced
	Inserted int64  // rows written
}

// Test hooks (nil in production): called with the rows encoded so far
// during the COPY, and inside the transaction just before COMMIT.
var (
	testHookCopied       func(rows int)
	testHookBeforeCommit func()
)

// Write writes t into the target table (a name as ParseTableName reads it),
// all or nothing, idempotent per run:
//
//  1. BEGIN; the rows are copied (binary COPY) into a temporary staging
//     table (ON COMMIT DROP; bigint, double precision, boolean and text by
//     kind) while the target is untouched;
//  2. if the target does not exist it is created with those types (unless
//     NoCreate); an existing target must have every column of t (by exact
//     name), in any order and of any type the values CAST to; its other
//     columns get their defaults;
//  3. LOCK TABLE target IN SHARE ROW EXCLUSIVE MODE — this waits for and
//     blocks other writers (so two runs cannot interleave their deletes and
//     inserts) but never readers;
//  4. DELETE the target's rows whose KeyColumn value is among the staged
//     ones (every row when KeyColumn is empty), INSERT the staged rows;
//  5. COMMIT.
//
// Readers use MVCC snapshots: until COMMIT they see the previous rows, after
// it the new ones, never a mix, and they are never blocked. A failure or a
// cancelled ctx anywhere before COMMIT rolls everything back (a dropped
// connection makes the server roll back), leaving the target as it was. A
// rerun with the same run id replaces that run's rows instead of adding
// them again. Views and grants on the target keep working, since it is
// never renamed or recreated.
//
// The role needs TEMPORARY on the database, INSERT and DELETE on the target,
// and CREATE on its schema when the target must be created.
func (db *DB) Write(ctx context.Context, target string, t *frame.Table, opt WriteOptions) (*WriteResult, error) {
	ref, err := ParseTableName(target)
	if err != nil {
		return nil, &Error{Op: "writing", Message: err.Error()}
	}
	op := "writing " + ref.Quoted()
	if t == nil || t.NumCols() == 0 {
		return nil, &Error{Op: op, Message: "no columns to write"}
	}
	if opt.KeyColumn != "" {
		k := t.Col(opt.KeyColumn)
		if k == nil {
			return nil, &Error{Op: op, Message: "key column: " + (&frame.UnknownColumnError{Name: opt.KeyColumn, Known: t.Names()}).Error()}
		}
		if n := k.NumMissing(); n > 0 {
			return nil, &Error{Op: op, Message: fmt.Sprintf("key column %q has %d missing values; every row needs its run id", opt.KeyColumn, n)}
		}
	}
	if err := db.ensure(ctx); err != nil {
		return nil, err
	}
	conn := db.conn
	res := &WriteResult{Target: ref.Quoted()}

	existing, err := db.targetColumns(ctx, ref)
	if err != nil {
		return nil, err
	}
	if existing == nil && opt.NoCreate {
		return nil, &Error{Op: op, Code: "42P01", Message: fmt.Sprintf("relation %s does not exist", ref.Quoted()), Advice: "create it first, or let segment create it"}
	}
	cols := t.Columns()
	if existing != nil {
		for _, c := range cols {
			if _, ok := existing[c.Name]; !ok {
				return nil, &Error{Op: op, Message: fmt.Sprintf("the table has no column %q", c.Name),
					Advice: fmt.Sprintf("add it (ALTER TABLE %s ADD COLUMN %s %s) or write to a new table", ref.Quoted(), QuoteIdent(c.Name), sqlType(c.Kind))}
			}
		}
	}

	wt, err := db.beginWrite(ctx, op, ref)
	if err != nil {
		return nil, err
	}
	defer wt.rollback()
	exec := wt.exec

	// 1. Stage.
	const stage = "pg_temp.segment_stage"
	defs := make([]string, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = QuoteIdent(c.Name)
		defs[i] = names[i] + " " + sqlType(c.Kind)
	}
	if _, err := exec("creating the staging table", "CREATE TEMPORARY TABLE segment_stage ("+strings.Join(defs, ", ")+") ON COMMIT DROP"); err != nil {
		return nil, err
	}
	enc := newCopyEncoder(t)
	enc.onRows = testHookCopied
	copySQL := "COPY " + stage + " (" + strings.Join(names, ", ") + ") FROM STDIN (FORMAT binary)"
	tag, err := conn.PgConn().CopyFrom(ctx, enc, copySQL)
	if err != nil {
		return nil, db.writeError(err, op, "copying the rows into the staging table", copySQL, ref)
	}
	if tag.RowsAffected() != int64(t.NumRows()) {
		return nil, &Error{Op: op, Message: fmt.Sprintf("the staging table received %d rows, want %d", tag.RowsAffected(), t.NumRows())}
	}

	// 2. Create the target when missing.
	if existing == nil {
		if _, err := exec("creating the table", "CREATE TABLE "+ref.Quoted()+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return nil, err
		}
		res.Created = true
		existing = map[string]string{}
		for _, c := range cols {
			existing[c.Name] = sqlType(c.Kind)
		}
	}
	// Values CAST to the target's types where they differ from the stage's.
	sel := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = names[i]
		if typ := existing[c.Name]; typ != sqlType(c.Kind) {
			sel[i] = "CAST(" + names[i] + " AS " + typ + ")"
		}
	}

	// 3–4. Replace.
	if _, err := exec("locking the table against other writers", "LOCK TABLE "+ref.Quoted()+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return nil, err
	}
	del := "DELETE FROM " + ref.Quoted()
	if opt.KeyColumn != "" {
		k := t.Index(opt.KeyColumn)
		del += " WHERE " + names[k] + " IN (SELECT DISTINCT " + sel[k] + " FROM " + stage + ")"
	}
	if res.Deleted, err = exec("deleting the rows being replaced", del); err != nil {
		return nil, err
	}
	ins := "INSERT INTO " + ref.Quoted() + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(sel, ", ") + " FROM " + stage
	if res.Inserted, err = exec("inserting the rows", ins); err != nil {
		return nil, err
	}

	// 5. Publish.
	if err := wt.commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// sqlType is the staging (and new target) column type of a kind.
func sqlType(k frame.Kind) string {
	switch k {
	case frame.Int:
		return "bigint"
	case frame.Float:
		return "double precision"
	case frame.Bool:
		return "boolean"
	}
	return "text"
}

// targetColumns returns the target's columns and their types
// (format_type), or nil when it does not exist.
func (db *DB) targetColumns(ctx context.Context, ref TableRef) (map[string]string, error) {
	const q = `SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), c.relkind::text
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
		WHERE c.oid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`
	rows, err := db.conn.Query(ctx, q, ref.Quoted())
	if err != nil {
		return nil, wrapErr(err, "writing "+ref.Quoted()+": looking up the table", &stmt{sql: q}, db.secrets)
	}
	defer rows.Close()
	var out map[string]string
	for rows.Next() {
		var name, typ, kind string
		if err := rows.Scan(&name, &typ, &kind); err != nil {
			return nil, wrapErr(err, "writing "+ref.Quoted()+": looking up the table", &stmt{sql: q}, db.secrets)
		}
		if kind != "r" && kind != "p" {
			return nil, &Error{Op: "writing " + ref.Quoted(), Message: fmt.Sprintf("%s is not a table (relkind %s)", ref.Quoted(), kind)}
		}
		if out == nil {
			out = map[string]string{}
		}
		out[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr(err, "writing "+ref.Quoted()+": looking up the table", &stmt{sql: q}, db.secrets)
	}
	if out == nil && ref.Schema != "" {
		// A missing schema is worth saying before a CREATE TABLE fails.
		var ok bool
		err := db.conn.QueryRow(ctx, `SELECT true FROM pg_catalog.pg_namespace WHERE nspname = $1`, ref.Schema).Scan(&ok)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, &Error{Op: "writing " + ref.Quoted(), Code: "3F000", Message: fmt.Sprintf("schema %s does not exist", QuoteIdent(ref.Schema)), Advice: "create it first (CREATE SCHEMA …)"}
		}
	}
	return out, nil
}

// writeError explains a failed write step, naming the privilege a 42501
// needs.
func (db *DB) writeError(err error, op, step, sql string, ref TableRef) error {
	e := wrapErr(err, op+": "+step, &stmt{sql: sql}, db.secrets)
	var pe *Error
	if !errors.As(e, &pe) {
		return e
	}
	pe.Query, pe.Position = "", 0 // the statements are segment's, not the user's
	role := QuoteIdent(db.cfg.User)
	if pe.Code == "42501" {
		switch {
		case strings.HasPrefix(step, "creating the staging"):
			pe.Advice = fmt.Sprintf("the role %s needs TEMPORARY on the database (GRANT TEMPORARY ON DATABASE … TO %s)", role, role)
		case strings.HasPrefix(step, "creating the table"):
			schema := ref.Schema
			if schema == "" {
				schema = "the schema on its search_path"
			} else {
				schema = "schema " + QuoteIdent(schema)
			}
			pe.Advice = fmt.Sprintf("the role %s needs CREATE on %s to create %s (GRANT CREATE ON SCHEMA … TO %s), or create the table beforehand", role, schema, ref.Quoted(), role)
		default:
			pe.Advice = fmt.Sprintf("the role %s needs INSERT and DELETE on %s (GRANT INSERT, DELETE ON %s TO %s)", role, ref.Quoted(), ref.Quoted(), role)
		}
	}
	pe.Advice = joinAdvice("nothing was written", pe.Advice)
	return pe
}
