package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/churnlab/segment/internal/frame"
)

// fakeTB records Skip and Fatal, ending the goroutine like testing does.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Skip(args ...any)  { f.skipped, f.msg = true, fmt.Sprint(args...); runtime.Goexit() }
func (f *fakeTB) Fatal(args ...any) { f.failed, f.msg = true, fmt.Sprint(args...); runtime.Goexit() }

func runFake(f *fakeTB, fn func(testing.TB)) {
	var wg sync.WaitGroup
	wg.Go(func() { fn(f) })
	wg.Wait()
}

// TestMissingServerSkipsOrFails checks that a missing DSN skips with one
// line on a laptop and fails under CI.
func TestMissingServerSkipsOrFails(t *testing.T) {
	t.Setenv(EnvDSN, "")
	for _, c := range []struct {
		ci         string
		skip, fail bool
	}{{"", true, false}, {"false", true, false}, {"true", false, true}, {"1", false, true}} {
		t.Setenv("CI", c.ci)
		f := &fakeTB{}
		runFake(f, func(tb testing.TB) { DSN(tb) })
		if f.skipped != c.skip || f.failed != c.fail {
			t.Errorf("CI=%q: skipped %v failed %v", c.ci, f.skipped, f.failed)
		}
		if strings.Contains(f.msg, "\n") || !strings.Contains(f.msg, "SEGMENT_PG_DSN is not set") || !strings.Contains(f.msg, ".ci/pg start") {
			t.Errorf("CI=%q: message %q", c.ci, f.msg)
		}
	}
}

func TestUniqueName(t *testing.T) {
	a, b := uniqueName(t, "t"), uniqueName(t, "t")
	if a == b || len(a) > 63 || !regexp.MustCompile(`^t_testuniquename_[0-9a-f]{8}$`).MatchString(a) {
		t.Errorf("names %q %q", a, b)
	}
	t.Run(strings.Repeat("Long Sub Test Name/", 6), func(t *testing.T) {
		if n := uniqueName(t, "db"); len(n) > 63 || !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(n) {
			t.Errorf("name %q", n)
		}
	})
}

func TestWithParam(t *testing.T) {
	for _, c := range []struct{ dsn, key, value, want string }{
		{"host=/tmp port=5433", "options", "-c search_path=x", "host=/tmp port=5433 options='-c search_path=x'"},
		{"host=/tmp", "password", `it's`, `host=/tmp password='it\'s'`},
		{"postgres://u:p@h/db", "dbname", "other", "postgres://u:p@h/other"},
		{"postgres://u:p@h/db", "user", "v", "postgres://v:p@h/db"},
		{"postgres://u@h/db?sslmode=disable", "options", "-c a=b", "postgres://u@h/db?options=-c+a%3Db&sslmode=disable"},
	} {
		if got := WithParam(c.dsn, c.key, c.value); got != c.want {
			t.Errorf("WithParam(%q, %q, %q) = %q, want %q", c.dsn, c.key, c.value, got, c.want)
		}
	}
}

func queryInt(t *testing.T, dsn, sql string) int64 {
	t.Helper()
	var n int64
	if err := Connect(t, dsn).QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func queryText(t *testing.T, dsn, sql string) string {
	t.Helper()
	var s string
	if err := Connect(t, dsn).QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// TestIsolation creates a schema, a database and a role, and checks they
// are what the DSNs connect to and that cleanup drops them.
func TestIsolation(t *testing.T) {
	base := DSN(t)
	var schema, db, role string
	t.Run("create", func(t *testing.T) {
		var sdsn, ddsn, rdsn string
		sdsn, schema = Schema(t, base)
		ddsn, db = Database(t, base)
		rdsn, role = Role(t, base)
		if got := queryText(t, sdsn, "SELECT current_schema()"); got != schema {
			t.Errorf("schema DSN: current_schema %q, want %q", got, schema)
		}
		if got := queryText(t, ddsn, "SELECT current_database()"); got != db || !strings.HasPrefix(db, "db_") {
			t.Errorf("database DSN: current_database %q, want %q", got, db)
		}
		if got := queryText(t, rdsn, "SELECT current_user"); got != role {
			t.Errorf("role DSN: current_user %q, want %q", got, role)
		}
		if queryText(t, rdsn, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user") != "false" {
			t.Error("the role is a superuser")
		}
	})
	left := queryInt(t, base, fmt.Sprintf(`SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = '%s') + (SELECT count(*) FROM pg_database WHERE datname = '%s') + (SELECT count(*) FROM pg_roles WHERE rolname = '%s')`, schema, db, role))
	if left != 0 {
		t.Errorf("%d of schema, database and role are left after cleanup", left)
	}
}

// TestPasswordRole checks the scram-sha-256 role: its DSN logs in, a wrong
// password is refused with 28P01, and other roles still log in without one.
func TestPasswordRole(t *testing.T) {
	good := PasswordDSN(t)
	if got := queryText(t, good, "SELECT current_user"); got != "segment_pw" {
		t.Errorf("current_user %q", got)
	}
	_, err := pgx.Connect(context.Background(), WithParam(good, "password", "wrong"))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28P01" {
		t.Errorf("wrong password: %v", err)
	}
	if got := queryText(t, DSN(t), "SELECT current_user"); got != "postgres" {
		t.Errorf("superuser DSN logs in as %q", got)
	}
}

func table(t *testing.T) *frame.Table {
	t.Helper()
	n := 1000
	ids := make([]int64, n)
	xs := make([]float64, n)
	ss := make([]string, n)
	bs := make([]bool, n)
	miss := make([]bool, n)
	for i := range n {
		ids[i] = int64(i + 1)
		xs[i] = float64(i) / 4
		ss[i] = fmt.Sprintf("seg %d", i%4)
		bs[i] = i%3 == 0
		miss[i] = i%10 == 0
	}
	tb, err := frame.New(frame.NewInt("Customer ID", ids, nil), frame.NewFloat("Total Revenue", xs, miss),
		frame.NewString("Segment", ss, miss), frame.NewBool("Churned?", bs, miss))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestLoadTable(t *testing.T) {
	dsn, _ := Schema(t, DSN(t))
	LoadTable(t, dsn, "My Table", table(t))
	got := queryText(t, dsn, `SELECT count(*) || '/' || count("Total Revenue") || '/' || sum("Customer ID") || '/' || sum("Total Revenue") || '/' || count(*) FILTER (WHERE "Churned?") || '/' || min("Segment") FROM "My Table"`)
	// 1000 rows, 100 missing (i % 10 == 0); ids sum to 500500; revenue sums i/4 over the
	// others, (499500 - 49500) / 4; 300 of them have i % 3 == 0.
	if got != "1000/900/500500/112500/300/seg 0" {
		t.Errorf("loaded %s", got)
	}
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(path, []byte("id,name,score,flag\n1,\"a, b\",1.5,true\n2,,2,false\n3,\"\",,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dsn, _ := Schema(t, DSN(t))
	tb := LoadCSV(t, dsn, "from csv", path)
	if tb.NumRows() != 3 || tb.Col("score").Kind != frame.Float || tb.Col("flag").Kind != frame.Bool {
		t.Fatalf("csvio read %v", tb.Schema())
	}
	types := queryText(t, dsn, `SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '"from csv"'::regclass AND attnum > 0`)
	if types != "bigint,text,double precision,boolean" {
		t.Errorf("types %s", types)
	}
	got := queryText(t, dsn, `SELECT string_agg(coalesce(name, '<NULL>') || ':' || coalesce(score::text, '<NULL>') || ':' || coalesce(flag::text, '<NULL>'), ' ' ORDER BY id) FROM "from csv"`)
	if got != "a, b:1.5:true <NULL>:2:false <NULL>:<NULL>:<NULL>" {
		t.Errorf("rows %s", got)
	}
}

// TestSharded builds the sharded table and checks that the rows are spread
// over both shards, that the coordinator sees them all, and that an
// aggregate grouped by the partition key runs on the shards: EXPLAIN
// VERBOSE shows one Foreign Scan per shard whose Remote SQL holds the
// GROUP BY.
func TestSharded(t *testing.T) {
	tb := table(t)
	coord, schema := Sharded(t, "customers", tb, "Customer ID")
	_, shards := ShardedDSNs(t)
	total := queryInt(t, coord, `SELECT count(*) FROM customers`)
	var onShards int64
	for i, dsn := range shards {
		n := queryInt(t, dsn, fmt.Sprintf(`SELECT count(*) FROM %s.customers_p%d`, QuoteIdent(schema), i+1))
		if n == 0 || n == 1000 {
			t.Errorf("shard %d holds %d rows", i+1, n)
		}
		onShards += n
	}
	if total != 1000 || onShards != 1000 {
		t.Errorf("coordinator sees %d rows, shards hold %d", total, onShards)
	}
	if got := queryText(t, coord, `SELECT sum("Customer ID")::text FROM customers`); got != "500500" {
		t.Errorf("sum through the coordinator %s", got)
	}
	conn := Connect(t, coord)
	rows, err := conn.Query(context.Background(), `EXPLAIN (VERBOSE, COSTS OFF) SELECT "Customer ID", count(*), avg("Total Revenue") FROM customers GROUP BY "Customer ID"`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	text := strings.Join(plan, "\n")
	t.Logf("plan:\n%s", text)
	if c := strings.Count(text, "Foreign Scan"); c != 2 {
		t.Errorf("want 2 Foreign Scans, got %d:\n%s", c, text)
	}
	remote := regexp.MustCompile(`Remote SQL: SELECT "Customer ID", count\(\*\), avg\("Total Revenue"\) FROM .*customers_p[12] GROUP BY 1`)
	if m := remote.FindAllString(text, -1); len(m) != 2 {
		t.Errorf("the aggregate is not pushed to both shards:\n%s", text)
	}
	if strings.Contains(text, "HashAggregate") || strings.Contains(text, "GroupAggregate") {
		t.Errorf("the coordinator aggregates itself:\n%s", text)
	}
}
