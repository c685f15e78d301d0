package pgio

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Source says what to read: a table or a query, the columns to keep and an
// optional row order. Exactly one of Table and Query is set.
type Source struct {
	// Table is a table, view or materialized view name, optionally
	// schema-qualified (see ParseTableName): customers, sales.customers,
	// "Sales"."Customers 2024".
	Table string
	// Query is a statement that returns rows, typically a SELECT, without
	// parameters. A trailing semicolon is ignored.
	Query string
	// Columns keeps only these columns, in this order (projection: the
	// others are never sent by the server). Empty keeps every column in the
	// source's order.
	Columns []string
	// OrderBy sorts the rows by these columns (ascending, NULLs last), so
	// that the row order, and with it Lineage.SHA256, is repeatable. Text
	// columns (text, varchar, char, name) sort in byte order (COLLATE
	// "C"), so the order does not depend on the server's collation and
	// equals that of a file sorted by `LC_ALL=C sort`. Empty reads the
	// rows in the order the server returns them (see Lineage).
	OrderBy []string
}

// TableRef is a parsed table name.
type TableRef struct {
	Schema string // "" = the first schema on the search_path that has the table
	Name   string
}

// ParseTableName parses a table name as written in a config: one name, or a
// schema and a name separated by a dot. A part is either written as is —
// taken verbatim, case and spaces included (customers, My Table) — or in
// double quotes, where "" stands for one quote ("a""b", "sales.eu"); quoting
// is only needed for names holding a dot or a double quote. Unlike SQL,
// unquoted parts are not folded to lower case: the name is exactly what is
// written. Surrounding spaces of a part are ignored.
func ParseTableName(s string) (TableRef, error) {
	var parts []string
	rest := strings.TrimSpace(s)
	if rest == "" {
		return TableRef{}, fmt.Errorf("empty table name")
	}
	for {
		rest = strings.TrimLeft(rest, " \t")
		var part string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			closed := false
			for i < len(rest) {
				if rest[i] == '"' {
					if i+1 < len(rest) && rest[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					closed = true
					i++
					break
				}
				b.WriteByte(rest[i])
				i++
			}
			if !closed {
				return TableRef{}, fmt.Errorf("table name %q: unclosed double quote", s)
			}
			part = b.String()
			rest = strings.TrimLeft(rest[i:], " \t")
			if rest != "" && rest[0] != '.' {
				return TableRef{}, fmt.Errorf("table name %q: unexpected %q after a quoted name", s, rest)
			}
		} else {
			end := strings.IndexByte(rest, '.')
			if end < 0 {
				end = len(rest)
			}
			part = strings.TrimSpace(rest[:end])
			if strings.Contains(part, `"`) {
				return TableRef{}, fmt.Errorf("table name %q: a double quote inside an unquoted name; quote the whole part (\"a\"\"b\")", s)
			}
			rest = rest[end:]
		}
		if part == "" {
			return TableRef{}, fmt.Errorf("table name %q: empty part", s)
		}
		if strings.IndexByte(part, 0) >= 0 || !utf8.ValidString(part) {
			return TableRef{}, fmt.Errorf("table name %q: NUL byte or invalid UTF-8", s)
		}
		parts = append(parts, part)
		if rest == "" {
			break
		}
		rest = rest[1:] // the dot
	}
	switch len(parts) {
	case 1:
		return TableRef{Name: parts[0]}, nil
	case 2:
		return TableRef{Schema: parts[0], Name: parts[1]}, nil
	}
	return TableRef{}, fmt.Errorf("table name %q has %d dot-separated parts; want table or schema.table (quote a part holding a dot: \"a.b\")", s, len(parts))
}

// Quoted returns the name as SQL: each part in double quotes.
func (r TableRef) Quoted() string {
	if r.Schema == "" {
		return QuoteIdent(r.Name)
	}
	return QuoteIdent(r.Schema) + "." + QuoteIdent(r.Name)
}

// String is the same as Quoted.
func (r TableRef) String() string { return r.Quoted() }

// QuoteIdent quotes an SQL identifier: "name" with inner quotes doubled. It
// is safe for any name without NUL bytes (which PostgreSQL does not allow in
// names; they are dropped).
func QuoteIdent(name string) string {
	name = strings.ReplaceAll(name, "\x00", "")
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// quoteLiteral quotes an SQL string literal (standard_conforming_strings on,
// the default since PostgreSQL 9.1).
func quoteLiteral(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// check validates a Source's shape, before any server round trip.
func (s Source) check() error {
	q := strings.TrimSpace(s.Query)
	switch {
	case s.Table == "" && q == "":
		return fmt.Errorf("neither a table nor a query is given")
	case s.Table != "" && q != "":
		return fmt.Errorf("both a table and a query are given; use one")
	}
	seen := map[string]bool{}
	for _, c := range s.Columns {
		if seen[c] {
			return fmt.Errorf("column %q is listed twice", c)
		}
		seen[c] = true
	}
	return nil
}

// userQuery returns the query text as it is sent: without surrounding space
// and trailing semicolons.
func (s Source) userQuery() string {
	q := strings.TrimSpace(s.Query)
	for strings.HasSuffix(q, ";") {
		q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
	}
	return q
}

// stmt is a statement segment sends, with where the user's query text sits
// inside it so that server positions can be mapped back.
type stmt struct {
	sql     string
	user    string // the user's query text, "" for a table source
	userOff int    // rune offset of user inside sql
}

// userPosition maps a 1-based character position in s.sql to the text the
// user wrote: a position inside the user's query is shown against it,
// anything else against the whole statement.
func (s *stmt) userPosition(pos int) (string, int) {
	if s.user != "" {
		if p := pos - s.userOff; p >= 1 && p <= utf8.RuneCountInString(s.user)+1 {
			return s.user, p
		}
	}
	return s.sql, pos
}

// selectStmt builds the SELECT for the source: the table's columns listed
// explicitly (so a column added meanwhile is not read), or the user's query
// wrapped when columns are projected or an order is asked for.
//
// collateC names the order keys that are compared in byte order (COLLATE
// "C"): the text-typed ones.
func selectStmt(src Source, ref TableRef, cols []string, collateC map[string]bool) stmt {
	list := make([]string, len(cols))
	for i, c := range cols {
		list[i] = QuoteIdent(c)
	}
	order := ""
	if len(src.OrderBy) > 0 {
		keys := make([]string, len(src.OrderBy))
		for i, c := range src.OrderBy {
			keys[i] = QuoteIdent(c)
			if collateC[c] {
				keys[i] += ` COLLATE "C"`
			}
			keys[i] += " NULLS LAST"
		}
		order = " ORDER BY " + strings.Join(keys, ", ")
	}
	if src.Table != "" {
		return stmt{sql: "SELECT " + strings.Join(list, ", ") + " FROM " + ref.Quoted() + order}
	}
	q := src.userQuery()
	if len(src.Columns) == 0 && order == "" {
		return stmt{sql: q, user: q}
	}
	prefix := "SELECT " + strings.Join(list, ", ") + " FROM (\n"
	return stmt{sql: prefix + q + "\n) AS segment_source" + order, user: q, userOff: utf8.RuneCountInString(prefix)}
}

// copyStmt wraps a SELECT into the binary COPY segment runs.
func copyStmt(sel stmt) stmt {
	const prefix = "COPY ("
	return stmt{sql: prefix + sel.sql + ") TO STDOUT (FORMAT binary)", user: sel.user, userOff: sel.userOff + len(prefix)}
}
