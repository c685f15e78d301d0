package pgtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

// SQLType is the column type a frame kind is stored as: bigint, double
// precision, boolean or text.
func SQLType(k frame.Kind) string {
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

// CreateTableSQL is the CREATE TABLE statement for a table shaped like tbl
// (SQLType per column; names quoted exactly). name is used as written: pass
// a quoted, optionally schema-qualified name.
func CreateTableSQL(name string, tbl *frame.Table) string {
	cols := tbl.Columns()
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = QuoteIdent(c.Name) + " " + SQLType(c.Kind)
	}
	return "CREATE TABLE " + name + " (" + strings.Join(defs, ", ") + ")"
}

// LoadTable creates table (a bare name, quoted exactly: it may hold spaces,
// capitals or quotes; it lands in the DSN's search_path schema) shaped like
// tbl and copies tbl's rows into it; missing cells become NULL.
func LoadTable(t testing.TB, dsn, table string, tbl *frame.Table) {
	t.Helper()
	conn := Connect(t, dsn)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, CreateTableSQL(QuoteIdent(table), tbl)); err != nil {
		t.Fatalf("pgtest: create %s: %v", table, err)
	}
	copyRows(t, conn, pgx.Identifier{table}, tbl)
}

func copyRows(t testing.TB, conn *pgx.Conn, ident pgx.Identifier, tbl *frame.Table) {
	t.Helper()
	cols := tbl.Columns()
	if tbl.NumRows() == 0 {
		return
	}
	i := -1
	row := make([]any, len(cols))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		i++
		if i >= tbl.NumRows() {
			return nil, nil
		}
		for j, c := range cols {
			if c.IsMissing(i) {
				row[j] = nil
				continue
			}
			switch c.Kind {
			case frame.Int:
				row[j] = c.Int(i)
			case frame.Float:
				row[j] = c.Floats[i]
			case frame.Bool:
				row[j] = c.Bools[i]
			default:
				row[j] = c.Dict[c.Code(i)]
			}
		}
		return row, nil
	})
	n, err := conn.CopyFrom(context.Background(), ident, tbl.Names(), src)
	if err != nil {
		t.Fatalf("pgtest: copy into %s: %v", ident.Sanitize(), err)
	}
	if int(n) != tbl.NumRows() {
		t.Fatalf("pgtest: copied %d rows into %s, want %d", n, ident.Sanitize(), tbl.NumRows())
	}
}

// LoadCSV does what `psql -c "\copy table FROM file (FORMAT csv, HEADER)"`
// does, after creating the table: the column kinds are those
// csvio.ReadFile infers for the file (SQLType each), and the file's bytes go
// to the server unchanged through COPY … FROM STDIN (FORMAT csv, HEADER
// true), with empty cells, quoted or not, read as NULL. The file must be
// UTF-8; cells that csvio reads as missing because they hold only spaces are
// not handled (the server refuses them in number columns). It returns the
// table csvio read, for comparisons.
func LoadCSV(t testing.TB, dsn, table, path string) *frame.Table {
	t.Helper()
	ctx := context.Background()
	res, err := csvio.ReadFile(ctx, path, csvio.Options{})
	if err != nil {
		t.Fatalf("pgtest: read %s: %v", path, err)
	}
	conn := Connect(t, dsn)
	if _, err := conn.Exec(ctx, CreateTableSQL(QuoteIdent(table), res.Table)); err != nil {
		t.Fatalf("pgtest: create %s: %v", table, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := res.Table.Names()
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = QuoteIdent(n)
	}
	sql := fmt.Sprintf("COPY %s FROM STDIN (FORMAT csv, HEADER true, DELIMITER %s, FORCE_NULL (%s))",
		QuoteIdent(table), quoteLiteral(string(res.Delimiter)), strings.Join(quoted, ", "))
	tag, err := conn.PgConn().CopyFrom(ctx, f, sql)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
	if int(tag.RowsAffected()) != res.Rows {
		t.Fatalf("pgtest: COPY loaded %d rows from %s, csvio read %d", tag.RowsAffected(), path, res.Rows)
	}
	return res.Table
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
