package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/postgres"
)

func open(t *testing.T, id string, cfg *postgres.Config) (pipeline.Source, error) {
	t.Helper()
	in := &pipeline.InputConfig{ID: id, Options: cfg}
	src, err := postgres.Open(context.Background(), in)
	if err == nil {
		t.Cleanup(func() { src.Close() })
	}
	return src, err
}

func col(t *testing.T, tb *frame.Table, name string) string {
	t.Helper()
	c := tb.Col(name)
	var out []string
	for i := range c.Len() {
		out = append(out, c.Format(i))
	}
	return strings.Join(out, "|")
}

// TestOrder: rows come sorted by input.id by default, text in byte order
// whatever the column's collation (here ICU, where "a" < "B"); order_by
// overrides it; [] reads in the server's order, with a warning and an
// unordered lineage.
func TestOrder(t *testing.T) {
	dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.Exec(t, dsn,
		`CREATE TABLE c (id text COLLATE "und-x-icu", n int, j json)`,
		`INSERT INTO c VALUES ('b', 1, '{}'), ('B', 2, '[]'), ('a', 3, null), ('A', 4, '1')`)
	src, err := open(t, "id", &postgres.Config{DSN: postgres.DSN(dsn), Table: "c"})
	if err != nil {
		t.Fatal(err)
	}
	fields, err := src.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 3 || fields[1].Kind != frame.Int || fields[1].Type != "integer" || fields[2].Unsupported == "" {
		t.Errorf("schema %+v", fields)
	}
	tb, err := src.Read(context.Background(), []string{"id", "n"})
	if err != nil {
		t.Fatal(err)
	}
	lin := src.Lineage()
	if got := col(t, tb, "id"); got != "A|B|a|b" {
		t.Errorf("order by id: %s, want byte order A|B|a|b", got)
	}
	if lin.Ordered == nil || !*lin.Ordered || !strings.Contains(lin.Statement, `ORDER BY "id" COLLATE "C" NULLS LAST`) || len(lin.Warnings) != 0 || lin.Table != "c" || lin.ServerVersion == "" {
		t.Errorf("lineage %+v", lin)
	}

	src, _ = open(t, "id", &postgres.Config{DSN: postgres.DSN(dsn), Table: "c", OrderBy: []string{"n"}})
	src.Schema(context.Background())
	tb, err = src.Read(context.Background(), []string{"id"})
	if err != nil || col(t, tb, "id") != "b|B|a|A" {
		t.Errorf("order by n: %v %v", tb, err)
	}

	src, _ = open(t, "id", &postgres.Config{DSN: postgres.DSN(dsn), Table: "c", OrderBy: []string{}})
	src.Schema(context.Background())
	if _, err = src.Read(context.Background(), []string{"n"}); err != nil {
		t.Fatal(err)
	}
	if lin := src.Lineage(); *lin.Ordered || len(lin.Warnings) != 1 || !strings.Contains(lin.Warnings[0], "set input.order_by") {
		t.Errorf("unordered lineage %+v", lin)
	}
	if _, err := src.Read(context.Background(), []string{"j"}); err == nil || !strings.Contains(err.Error(), `column "j" has type json, which segment cannot read`) {
		t.Errorf("json column: %v", err)
	}
}

// TestTypesAndQuery: a query source, input.types converting columns.
func TestTypesAndQuery(t *testing.T) {
	dsn := pgtest.DSN(t)
	in := &pipeline.InputConfig{ID: "id", Types: map[string]string{"id": "string", "x": "int"},
		Options: &postgres.Config{DSN: postgres.DSN(dsn), Query: "select g as id, g * 2.0 as x from generate_series(1, 3) g;"}}
	src, err := postgres.Open(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Schema(context.Background()); err != nil {
		t.Fatal(err)
	}
	tb, err := src.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tb.Col("id").Kind != frame.String || tb.Col("x").Kind != frame.Int || col(t, tb, "x") != "2|4|6" {
		t.Errorf("kinds %v %v, x %s", tb.Col("id").Kind, tb.Col("x").Kind, col(t, tb, "x"))
	}
	if lin := src.Lineage(); lin.Query != "select g as id, g * 2.0 as x from generate_series(1, 3) g;" || lin.Rows != 3 || lin.SourceTypes[1].Type != "numeric" {
		t.Errorf("lineage %+v", lin)
	}
}

// TestErrorKeys: what the config can fix is an *InputKeyError at the key
// that fixes it; a server that cannot be reached is not.
func TestErrorKeys(t *testing.T) {
	dsn, pw := pgtest.DSN(t), pgtest.PasswordDSN(t)
	for _, tc := range []struct {
		name string
		cfg  *postgres.Config
		key  string
		msg  string
	}{
		{"refused login", &postgres.Config{DSN: postgres.DSN(pw + "x"), Table: "t"}, "dsn", "login refused"},
		{"no database", &postgres.Config{DSN: postgres.DSN(dsn + " dbname=nope"), Table: "t"}, "dsn", `database "nope" does not exist`},
		{"bad dsn", &postgres.Config{DSN: "host=h port=x", Table: "t"}, "dsn", "the DSN is not valid"},
		{"no server", &postgres.Config{DSN: "host=/nonexistent port=1", Table: "t"}, "", "cannot connect"},
		{"syntax", &postgres.Config{DSN: postgres.DSN(dsn), Query: "selec 1"}, "query", `syntax error at or near "selec"`},
		{"no table", &postgres.Config{DSN: postgres.DSN(dsn), Table: "nope"}, "table", `relation "nope" does not exist`},
		{"no column in the query", &postgres.Config{DSN: postgres.DSN(dsn), Query: "select nope from generate_series(1,2)"}, "query", `column "nope" does not exist`},
		{"unknown order_by", &postgres.Config{DSN: postgres.DSN(dsn), Query: "select 1 as a", OrderBy: []string{"b"}}, "order_by[0]", `unknown column "b"`},
	} {
		src, err := open(t, "", tc.cfg)
		if err == nil {
			_, err = src.Schema(context.Background())
		}
		var ke *pipeline.InputKeyError
		isKey := errors.As(err, &ke)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || isKey != (tc.key != "") || isKey && ke.Key != tc.key {
			t.Errorf("%s: %v (key error %v), want key %q and %q", tc.name, err, isKey, tc.key, tc.msg)
		}
		if strings.Contains(err.Error(), strings.TrimPrefix(pw[strings.Index(pw, "password="):], "password=")) {
			t.Errorf("%s: the password is shown: %v", tc.name, err)
		}
	}
}

// TestConfig: validation, secrets, the redacted JSON form, Describe.
func TestConfig(t *testing.T) {
	c := &postgres.Config{DSN: "postgres://ann:s3cret@db/crm?sslmode=disable", Table: "sales.customers", StatementTimeout: "90s"}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
	b, _ := json.Marshal(c)
	if strings.Contains(string(b), "s3cret") || !strings.Contains(string(b), `"dsn":"postgres://ann:xxxxx@db/crm?sslmode=disable"`) {
		t.Errorf("json %s", b)
	}
	if s := c.Secrets(); len(s) == 0 || s[0] != "s3cret" {
		t.Errorf("secrets %q", s)
	}
	if d := c.Describe(); d != `postgres table "sales.customers" (postgres://ann:xxxxx@db/crm?sslmode=disable)` {
		t.Errorf("describe %q", d)
	}
	for _, tc := range []struct {
		cfg  postgres.Config
		want string
	}{
		{postgres.Config{DSN: "x"}, "table: give the table to read"},
		{postgres.Config{DSN: "x", Table: "t", Query: "select 1"}, "query: give table or query, not both"},
		{postgres.Config{DSN: " ", Table: "t"}, "dsn: is empty"},
		{postgres.Config{DSN: "x", Table: `"a`}, "table: table name"},
		{postgres.Config{DSN: "x", Table: "t", OrderBy: []string{"a", "a"}}, `order_by[1]: column "a" is listed twice`},
		{postgres.Config{DSN: "x", Table: "t", StatementTimeout: "ten minutes"}, `statement_timeout: "ten minutes" is not a duration`},
	} {
		if err := tc.cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
}
