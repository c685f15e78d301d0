package pgio

import (
	"context"
	"errors"
	"fmt"
	"github.com/churnlab/segment/internal/dsn"
	"io"
	"net"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// Error is a failure talking to PostgreSQL, with what segment was doing.
// Its text never contains a password: the DSN is shown redacted and every
// message is scrubbed of the DSN's password values.
//
// Examples of Error():
//
//	postgres: cannot connect (host=/tmp/pg port=1 user=postgres dbname=segment): no server at /tmp/pg/.s.PGSQL.1 (no such file or directory); is the server running, and are host and port right?
//	postgres: login refused (host=/tmp/pg port=5433 user=ann dbname=segment password=xxxxx): password authentication failed for user "ann" (SQLSTATE 28P01); check the password in the DSN, PGPASSWORD or ~/.pgpass
//	postgres: reading the query: syntax error at or near "form" (SQLSTATE 42601)
//	  line 1: select a form t
//	                   ^
type Error struct {
	Op       string // what segment was doing: "cannot connect", "reading the query", …
	DSN      string // the DSN, redacted; set for connection failures
	Query    string // the statement text the position refers to, if any
	Position int    // 1-based character position in Query, 0 when none
	Code     string // SQLSTATE, "" when the error did not come from the server
	Message  string // the server's or driver's message, scrubbed
	Detail   string // the server's DETAIL, scrubbed
	Advice   string // what to do about it, "" when nothing specific
	Err      error  // the underlying error (for errors.Is/As); its text is not shown
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("postgres: ")
	b.WriteString(e.Op)
	if e.DSN != "" {
		b.WriteString(" (")
		b.WriteString(e.DSN)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Code != "" {
		b.WriteString(" (SQLSTATE ")
		b.WriteString(e.Code)
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Advice != "" {
		b.WriteString("; ")
		b.WriteString(e.Advice)
	}
	if e.Position > 0 && e.Query != "" {
		b.WriteString(caret(e.Query, e.Position))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// caret shows the line of query holding the 1-based character position pos,
// with a caret under that character. Long lines are cut to a window around
// the position.
func caret(query string, pos int) string {
	// Find the byte offset of character pos.
	off, n := 0, 1
	for off < len(query) && n < pos {
		_, w := utf8.DecodeRuneInString(query[off:])
		off += w
		n++
	}
	if off > len(query) {
		off = len(query)
	}
	lineStart := strings.LastIndexByte(query[:off], '\n') + 1
	lineEnd := strings.IndexByte(query[off:], '\n')
	if lineEnd < 0 {
		lineEnd = len(query)
	} else {
		lineEnd += off
	}
	lineNo := strings.Count(query[:lineStart], "\n") + 1
	line := strings.TrimRight(query[lineStart:lineEnd], "\r")
	col := utf8.RuneCountInString(query[lineStart:off])
	// Cut long lines to 60 characters either side of the caret.
	runes := []rune(line)
	const side = 60
	prefix, suffix := "", ""
	if col > side {
		runes = runes[col-side:]
		col = side
		prefix = "…"
	}
	if len(runes) > 2*side {
		runes = runes[:2*side]
		suffix = "…"
	}
	head := fmt.Sprintf("  line %d: %s", lineNo, prefix)
	pad := make([]rune, 0, utf8.RuneCountInString(head)+col)
	for range utf8.RuneCountInString(head) {
		pad = append(pad, ' ')
	}
	for _, r := range runes[:min(col, len(runes))] {
		if r == '\t' {
			pad = append(pad, '\t')
		} else {
			pad = append(pad, ' ')
		}
	}
	return "\n" + head + string(runes) + suffix + "\n" + string(pad) + "^"
}

// Advice for the server errors a user can act on, by SQLSTATE.
var adviceByCode = map[string]string{
	"28P01": "check the password in the DSN, PGPASSWORD or ~/.pgpass",
	"28000": "the server's pg_hba.conf does not let this role in from here; ask the database administrator",
	"3D000": "check dbname in the DSN",
	"42601": "fix the query text",
	"42P01": "check the table name (schema-qualify it if it is not on the search_path)",
	"42703": "check the column name",
	"42501": "ask the table's owner for the privilege (GRANT …)",
	"57014": "the query ran longer than statement_timeout; raise the timeout or make the query cheaper",
	"57P01": "the server ended the session (an administrator, a restart or a crash); run again",
	"57P02": "the server ended the session; run again",
	"57P03": "the server is starting up or shutting down; try again shortly",
	"53300": "the server has no free connection slots; try later or raise max_connections",
}

// wrapErr turns an error from pgx into an *Error for the given operation.
// query is the statement text the server's position refers to (positions are
// mapped back into userQuery when userQuery sits at rune offset userOff of
// query). secrets are scrubbed from every message.
func wrapErr(err error, op string, st *stmt, secrets []string) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	e := &Error{Op: op, Err: err}
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		e.Code = pgErr.Code
		e.Message = pgErr.Message
		e.Detail = pgErr.Detail
		e.Advice = adviceByCode[pgErr.Code]
		if pgErr.Code == "57014" && strings.Contains(pgErr.Message, "user request") {
			e.Advice = "the statement was cancelled (the run was interrupted or its deadline passed)"
		}
		if pgErr.Hint != "" {
			e.Advice = joinAdvice(pgErr.Hint, e.Advice)
		}
		if pgErr.Position > 0 && st != nil {
			e.Query, e.Position = st.userPosition(int(pgErr.Position))
		}
	case errors.Is(err, context.Canceled):
		e.Message = "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		e.Message = "cancelled: the deadline passed"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || isNetErr(err):
		e.Message = "the connection to the server was lost (" + innermost(err) + ")"
		e.Advice = "check that the server is up and run again"
	default:
		e.Message = innermost(err)
	}
	e.Message = dsn.Scrub(e.Message, secrets)
	e.Detail = dsn.Scrub(e.Detail, secrets)
	e.Advice = dsn.Scrub(e.Advice, secrets)
	e.Query = dsn.Scrub(e.Query, secrets)
	return e
}

func joinAdvice(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return strings.TrimSuffix(a, ".") + "; " + b
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// innermost returns the message of the innermost wrapped error, which for
// pgx errors is the most specific one ("connect: no such file or
// directory").
func innermost(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}
