package pgio

import (
	"context"
	"errors"
	"github.com/churnlab/segment/internal/dsn"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
)

// wantError checks that err is an *Error with the given SQLSTATE (or none)
// whose text contains every fragment.
func wantError(t *testing.T, what string, err error, code string, fragments ...string) *Error {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%s: want *Error, got %T %v", what, err, err)
	}
	if pe.Code != code {
		t.Errorf("%s: SQLSTATE %q, want %q (%v)", what, pe.Code, code, err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%s: error\n%s\nlacks %q", what, err, f)
		}
	}
	return pe
}

func TestErrorWrongHostPortSocket(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	_, err := Connect(ctx, pgtest.WithParam(dsn, "port", "1"), Options{})
	wantError(t, "wrong port", err, "", "postgres: cannot connect (", "port=1", "no server socket at ", ".s.PGSQL.1", "is the server running")
	_, err = Connect(ctx, pgtest.WithParam(dsn, "host", "/nonexistent"), Options{})
	wantError(t, "wrong socket folder", err, "", "no server socket at /nonexistent/.s.PGSQL.")
	_, err = Connect(ctx, pgtest.WithParam(pgtest.WithParam(dsn, "host", "127.0.0.1"), "port", "1"), Options{})
	wantError(t, "TCP port closed", err, "", "connection refused at 127.0.0.1:1")
}

// TestErrorRefusedLogin logs in as the password role with a wrong password,
// in key=value and URL form, and checks that neither the wrong nor the
// right password appears in the error.
func TestErrorRefusedLogin(t *testing.T) {
	good := pgtest.PasswordDSN(t)
	right := passwordOf(t, good)
	ctx := context.Background()
	db := open(t, good, Options{}) // the right password works
	if db.ServerVersion() == "" {
		t.Error("no server version")
	}
	const wrong = "Wr0ngPassw0rd"
	kv, err := dsn.SplitKV(good)
	if err != nil {
		t.Fatal(err)
	}
	var host, port, user, dbname string
	for _, p := range kv {
		switch p.Key {
		case "host":
			host = p.Value
		case "port":
			port = p.Value
		case "user":
			user = p.Value
		case "dbname":
			dbname = p.Value
		}
	}
	urlDSN := "postgres://" + user + ":" + wrong + "@/" + dbname + "?host=" + url.QueryEscape(host) + "&port=" + port
	for _, dsn := range []string{pgtest.WithParam(good, "password", wrong), urlDSN} {
		_, err := Connect(ctx, dsn, Options{})
		pe := wantError(t, "wrong password", err, "28P01", "postgres: login refused (", `password authentication failed for user "segment_pw"`, "xxxxx", "check the password")
		for _, s := range []string{err.Error(), pe.DSN, pe.Message, pe.Detail, pe.Advice} {
			if strings.Contains(s, wrong) || strings.Contains(s, right) {
				t.Errorf("error shows a password: %s", s)
			}
		}
	}
	// An empty password is refused too.
	_, err = Connect(ctx, pgtest.WithParam(good, "password", ""), Options{})
	wantError(t, "no password", err, "28P01", "postgres: login refused (")
}

func TestErrorMissingDatabase(t *testing.T) {
	_, err := Connect(context.Background(), pgtest.WithParam(pgtest.DSN(t), "dbname", "no_such_db"), Options{})
	wantError(t, "missing database", err, "3D000", "postgres: no such database (", `database "no_such_db" does not exist`, "check dbname")
}

func TestErrorSyntax(t *testing.T) {
	db, _ := testDB(t)
	q := "SELECT id,\n       name\nFROM customers\nWHER id > 3"
	_, err := db.Read(context.Background(), Source{Query: q, Columns: []string{"id"}})
	pe := wantError(t, "syntax error", err, "42601", `postgres: reading the query: syntax error at or near "id"`)
	want := "\n  line 4: WHER id > 3\n               ^"
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("caret:\n%s\nwant the end\n%s", err, want)
	}
	if pe.Query != q || pe.Position != 44 {
		t.Errorf("query/position %q %d", pe.Query, pe.Position)
	}
	// A runtime error inside a projected (wrapped) query points into the user's text.
	_, err = db.Read(context.Background(), Source{Query: "SELECT 'abc'::int AS x", Columns: []string{"x"}})
	wantError(t, "cast error", err, "22P02", `invalid input syntax for type integer: "abc"`, "line 1: SELECT 'abc'::int AS x\n                 ^")
}

func TestErrorMissingTable(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE customers (id int)`)
	ctx := context.Background()
	_, err := db.Read(ctx, Source{Table: "custmers"})
	wantError(t, "typo", err, "42P01", `postgres: reading table "custmers": relation "custmers" does not exist`, `did you mean "customers"?`)
	_, err = db.Read(ctx, Source{Table: "nothing_like_it"})
	wantError(t, "missing", err, "42P01", `relation "nothing_like_it" does not exist`, "schema-qualify it")
	_, err = db.Read(ctx, Source{Table: "no_schema.customers"})
	wantError(t, "missing schema", err, "3F000", `schema "no_schema" does not exist`)
	_, err = db.Read(ctx, Source{Query: "SELECT * FROM custmers"})
	wantError(t, "missing in a query", err, "42P01", `relation "custmers" does not exist`, "line 1: SELECT * FROM custmers\n                        ^")
}

func TestErrorPermissionDenied(t *testing.T) {
	base := pgtest.DSN(t)
	sdsn, schema := pgtest.Schema(t, base)
	pgtest.Exec(t, sdsn, `CREATE TABLE secret (id int)`)
	rdsn, role := pgtest.Role(t, base)
	pgtest.Exec(t, base, "GRANT USAGE ON SCHEMA "+schema+" TO "+role)
	db := open(t, pgtest.WithParam(rdsn, "options", "-c search_path="+schema), Options{})
	_, err := db.Read(context.Background(), Source{Table: "secret"})
	wantError(t, "no SELECT", err, "42501", `postgres: reading table "secret": permission denied for table secret`,
		`the role "`+role+`" needs SELECT on "secret" (GRANT SELECT ON "secret" TO "`+role+`")`)
}

func TestErrorStatementTimeout(t *testing.T) {
	dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	db := open(t, dsn, Options{StatementTimeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := db.Read(context.Background(), Source{Query: "SELECT g FROM generate_series(1, 3) g, pg_sleep(5)"})
	wantError(t, "timeout", err, "57014", "canceling statement due to statement timeout", "statement_timeout")
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("the timeout took %v", d)
	}
	// The connection stays usable.
	if res := mustRead(t, db, Source{Query: "SELECT 1 AS one"}); res.Table.NumRows() != 1 {
		t.Error("no row after the timeout")
	}
}

// slowQuery streams a few million rows, slowly enough that a read is still
// running when the test ends its session.
const slowQuery = "SELECT g, md5(g::text) AS h FROM (SELECT generate_series(1, 5000000) AS g) s"

// TestErrorConnectionDropped ends the reading session with
// pg_terminate_backend while rows arrive, in Scan (after the first batch)
// and in Read (once the COPY runs), and checks for a clear error, no table,
// and a DB that reconnects.
func TestErrorConnectionDropped(t *testing.T) {
	dsn := pgtest.DSN(t)
	db := open(t, dsn, Options{})
	admin := pgtest.Connect(t, dsn)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pid := conn.PgConn().PID()
	kill := func() {
		var ok bool
		if err := admin.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil || !ok {
			t.Errorf("pg_terminate_backend: %v %v", ok, err)
		}
	}
	batches := 0
	_, err = db.Scan(ctx, Source{Query: slowQuery}, 1000, func(*frame.Table) error {
		if batches++; batches == 1 {
			kill()
		}
		return nil
	})
	// The server sends "terminating connection due to administrator command"
	// (57P01) and closes the socket; depending on timing the client reads
	// that message or only sees the socket close. Both must be a clear error
	// that keeps no rows.
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("scan: want *Error, got %T %v", err, err)
	}
	if pe.Code != "57P01" && !strings.Contains(pe.Message, "connection to the server was lost") {
		t.Errorf("scan: %v", err)
	}
	for _, f := range []string{"postgres: reading the query: ", "rows)", "no rows were kept"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("scan: error\n%s\nlacks %q", err, f)
		}
	}

	// Read: end the session once pg_stat_activity shows the COPY running.
	conn, err = db.Conn(ctx) // reconnects
	if err != nil {
		t.Fatal(err)
	}
	pid = conn.PgConn().PID()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 200 {
			var running bool
			if err := admin.QueryRow(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'COPY%' AND state = 'active'", pid).Scan(&running); err != nil {
				t.Errorf("pg_stat_activity: %v", err)
				return
			}
			if running {
				time.Sleep(100 * time.Millisecond)
				kill()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Error("the COPY never showed in pg_stat_activity")
	})
	res, err := db.Read(ctx, Source{Query: slowQuery})
	wg.Wait()
	if res != nil {
		t.Error("a partial table was returned")
	}
	if !errors.As(err, &pe) || (pe.Code != "57P01" && !strings.Contains(pe.Message, "connection to the server was lost")) {
		t.Errorf("read: %v", err)
	}
	if res := mustRead(t, db, Source{Query: "SELECT 1 AS one"}); res.Table.NumRows() != 1 {
		t.Error("no reconnect")
	}
}

func TestErrorContextCancelled(t *testing.T) {
	db := open(t, pgtest.DSN(t), Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := db.Read(ctx, Source{Query: slowQuery})
	if res != nil || err == nil {
		t.Fatalf("cancelled read: %v, %v", res, err)
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("want *Error, got %v", err)
	}
	if strings.Contains(err.Error(), "statement_timeout") || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("cancelled read: %v", err)
	}
	if res := mustRead(t, db, Source{Query: "SELECT 1 AS one"}); res.Table.NumRows() != 1 {
		t.Error("DB unusable after a cancelled read")
	}
}

func TestCaret(t *testing.T) {
	for _, c := range []struct {
		q    string
		pos  int
		want string
	}{
		{"SELECT x", 8, "\n  line 1: SELECT x\n                 ^"},
		{"a\nbé c", 5, "\n  line 2: bé c\n            ^"},
		{"\tSELECT y", 2, "\n  line 1: \tSELECT y\n          \t^"},
		{strings.Repeat("a", 100) + "X" + strings.Repeat("b", 100), 101,
			"\n  line 1: …" + strings.Repeat("a", 60) + "X" + strings.Repeat("b", 59) + "…\n" + strings.Repeat(" ", 11+60) + "^"},
	} {
		if got := caret(c.q, c.pos); got != c.want {
			t.Errorf("caret(%q, %d)\n got %q\nwant %q", c.q, c.pos, got, c.want)
		}
	}
}
