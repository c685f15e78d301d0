package pgio

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
)

// described is a source after its description: every column it returns,
// the columns that will be read, and the table it names.
type described struct {
	all   []Column // every column of the source, in order
	read  []Column // the columns read: Source.Columns, or all
	ref   TableRef // for a table source
	label string   // "table "s"."t"" or "the query", for messages
	est   int64    // estimated rows (pg_class.reltuples), -1 when unknown
}

// Schema returns the columns a source yields, with their kinds and
// PostgreSQL types, from the statement's description: no row is fetched.
// With Source.Columns set it returns those columns in that order and fails
// for a column that does not exist or has a type segment cannot read;
// without, it returns every column and marks unreadable types with
// Supported false (reading them fails).
func (db *DB) Schema(ctx context.Context, src Source) ([]Column, error) {
	if err := db.ensure(ctx); err != nil {
		return nil, err
	}
	d, err := db.describe(ctx, src)
	if err != nil {
		return nil, err
	}
	return d.read, nil
}

func (db *DB) describe(ctx context.Context, src Source) (*described, error) {
	if err := src.check(); err != nil {
		return nil, &Error{Op: "reading", Message: err.Error()}
	}
	d := &described{label: "the query", est: -1}
	var sql string
	var st *stmt
	if src.Table != "" {
		ref, err := ParseTableName(src.Table)
		if err != nil {
			return nil, &Error{Op: "reading", Message: err.Error()}
		}
		d.ref = ref
		d.label = "table " + ref.Quoted()
		if err := db.resolveTable(ctx, d); err != nil {
			return nil, err
		}
		sql = "SELECT * FROM " + ref.Quoted()
		st = &stmt{sql: sql}
	} else {
		sql = src.userQuery()
		st = &stmt{sql: sql, user: sql}
	}
	desc, err := db.conn.PgConn().Prepare(ctx, "", sql, nil)
	if err != nil {
		return nil, wrapErr(err, "reading "+d.label, st, db.secrets)
	}
	if len(desc.Fields) == 0 {
		return nil, &Error{Op: "reading " + d.label, Message: "the statement returns no columns", Advice: "give a SELECT or a table"}
	}
	d.all = make([]Column, len(desc.Fields))
	var unknown []uint32
	for i, f := range desc.Fields {
		c := Column{Name: f.Name, oid: f.DataTypeOID, Kind: frame.String}
		if b, ok := builtin[f.DataTypeOID]; ok {
			c.t, c.Type, c.Kind, c.Supported = b.t, b.name, b.t.kind(), true
		} else {
			unknown = append(unknown, f.DataTypeOID)
		}
		d.all[i] = c
	}
	if len(unknown) > 0 {
		if err := db.lookupTypes(ctx, d.all); err != nil {
			return nil, err
		}
	}
	if err := d.project(src); err != nil {
		return nil, err
	}
	return d, nil
}

// lookupTypes names the columns of non-built-in types from pg_type; enums
// are read as strings.
func (db *DB) lookupTypes(ctx context.Context, cols []Column) error {
	var oids []int64
	for _, c := range cols {
		if !c.Supported {
			oids = append(oids, int64(c.oid))
		}
	}
	const q = `SELECT t.oid::int8, format_type(t.oid, NULL), t.typtype::text FROM pg_catalog.pg_type t WHERE t.oid::int8 = ANY($1)`
	rows, err := db.conn.Query(ctx, q, oids)
	if err != nil {
		return wrapErr(err, "looking up column types", &stmt{sql: q}, db.secrets)
	}
	defer rows.Close()
	names := map[uint32]string{}
	enums := map[uint32]bool{}
	for rows.Next() {
		var oid int64
		var name, typtype string
		if err := rows.Scan(&oid, &name, &typtype); err != nil {
			return wrapErr(err, "looking up column types", &stmt{sql: q}, db.secrets)
		}
		names[uint32(oid)] = name
		enums[uint32(oid)] = typtype == "e"
	}
	if err := rows.Err(); err != nil {
		return wrapErr(err, "looking up column types", &stmt{sql: q}, db.secrets)
	}
	for i := range cols {
		c := &cols[i]
		if c.Supported {
			continue
		}
		c.Type = names[c.oid]
		if c.Type == "" {
			c.Type = fmt.Sprintf("type oid %d", c.oid)
		}
		if enums[c.oid] {
			c.t, c.Kind, c.Supported = tText, frame.String, true
		}
	}
	return nil
}

// project picks the columns to read and checks the order keys.
func (d *described) project(src Source) error {
	names := make([]string, len(d.all))
	count := map[string]int{}
	pos := map[string]int{}
	for i, c := range d.all {
		names[i] = c.Name
		count[c.Name]++
		pos[c.Name] = i
	}
	find := func(name, what string) (Column, error) {
		if count[name] == 0 {
			return Column{}, &Error{Op: "reading " + d.label, Message: what + ": " + (&frame.UnknownColumnError{Name: name, Known: names}).Error()}
		}
		if count[name] > 1 {
			return Column{}, &Error{Op: "reading " + d.label, Message: fmt.Sprintf("%s: %d columns are named %q", what, count[name], name), Advice: "give them different names with AS in the query"}
		}
		return d.all[pos[name]], nil
	}
	for _, k := range src.OrderBy {
		if _, err := find(k, "order_by"); err != nil {
			return err
		}
	}
	if len(src.Columns) == 0 {
		for n, k := range count {
			if k > 1 {
				return &Error{Op: "reading " + d.label, Message: fmt.Sprintf("%d columns are named %q", k, n), Advice: "give them different names with AS in the query, or list the columns to read"}
			}
		}
		d.read = d.all
		return nil
	}
	d.read = make([]Column, len(src.Columns))
	for i, name := range src.Columns {
		c, err := find(name, "columns")
		if err != nil {
			return err
		}
		if !c.Supported {
			return unsupportedError(d.label, c)
		}
		d.read[i] = c
	}
	return nil
}

func unsupportedError(label string, c Column) error {
	return &Error{Op: "reading " + label, Message: fmt.Sprintf("column %q has type %s, which segment cannot read", c.Name, c.Type), Advice: unsupportedAdvice}
}

// resolveTable checks that the table exists, suggesting a close name when
// it does not, and estimates its rows.
func (db *DB) resolveTable(ctx context.Context, d *described) error {
	const q = `SELECT c.relkind::text, c.reltuples::int8 FROM pg_catalog.pg_class c WHERE c.oid = to_regclass($1)`
	var relkind string
	var est int64
	err := db.conn.QueryRow(ctx, q, d.ref.Quoted()).Scan(&relkind, &est)
	if err == nil {
		switch relkind {
		case "r", "v", "m", "p", "f":
			d.est = est
			return nil
		}
		return &Error{Op: "reading " + d.label, Message: fmt.Sprintf("%s is not a table or view (relkind %s)", d.ref.Quoted(), relkind)}
	}
	if !isNoRows(err) {
		return wrapErr(err, "reading "+d.label, &stmt{sql: q}, db.secrets)
	}
	// Missing: suggest a close name among what the role can see.
	e := &Error{Op: "reading " + d.label, Code: "42P01", Message: fmt.Sprintf("relation %s does not exist", d.ref.Quoted())}
	var cands []string
	var cq string
	var arg any
	if d.ref.Schema != "" {
		var ok bool
		if err := db.conn.QueryRow(ctx, `SELECT true FROM pg_catalog.pg_namespace WHERE nspname = $1`, d.ref.Schema).Scan(&ok); err != nil {
			if !isNoRows(err) {
				return wrapErr(err, "reading "+d.label, nil, db.secrets)
			}
			e.Code = "3F000"
			e.Message = fmt.Sprintf("schema %s does not exist", QuoteIdent(d.ref.Schema))
			cq = `SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'`
			cands = db.names(ctx, cq, nil)
			if s := frame.Suggest(d.ref.Schema, cands); s != "" {
				e.Advice = fmt.Sprintf("did you mean schema %q? (names are case-sensitive, exactly as written)", s)
			}
			return e
		}
		cq = `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r','v','m','p','f')`
		arg = d.ref.Schema
	} else {
		cq = `SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind IN ('r','v','m','p','f') AND pg_catalog.pg_table_is_visible(c.oid)`
	}
	cands = db.names(ctx, cq, arg)
	if s := frame.Suggest(d.ref.Name, cands); s != "" {
		e.Advice = fmt.Sprintf("did you mean %q? (names are case-sensitive, exactly as written)", s)
	} else {
		e.Advice = adviceByCode["42P01"]
	}
	return e
}

// names runs a one-column text query; failures give no names (they only
// feed suggestions).
func (db *DB) names(ctx context.Context, q string, arg any) []string {
	var args []any
	if arg != nil {
		args = append(args, arg)
	}
	rows, err := db.conn.Query(ctx, q, args...)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if rows.Scan(&s) == nil {
			out = append(out, s)
		}
	}
	return out
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
