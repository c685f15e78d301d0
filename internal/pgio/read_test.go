package pgio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
)

// TestReadTypes reads one column of every supported type, with a NULL in
// each, and checks the kinds and values.
func TestReadTypes(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn,
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
		`CREATE DOMAIN positive AS integer CHECK (VALUE > 0)`,
		`CREATE TABLE t (i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric(12,4), b boolean,
			s text, vc varchar(10), c char(5), nm name, u uuid, e mood, dm positive, d date, ts timestamp, tz timestamptz)`,
		`INSERT INTO t VALUES
			(-32768, 2147483647, -9223372036854775808, 0.1, 1e-300, 12345678.1234, true, 'héllo, "world"', 'v', 'ab', 'nm',
			 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy', 7, '2024-02-29', '2024-02-29 23:59:59.5', '2024-03-01 01:00:00+02'),
			(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			(1, 2, 3, 'NaN', '-Infinity', 'NaN', false, '', '', '', '', '00000000-0000-0000-0000-000000000000', 'sad', 1, 'infinity', '-infinity', '1970-01-01 00:00:00+00')`)
	res := mustRead(t, db, Source{Table: "t", OrderBy: []string{"i2"}})
	want := map[string]struct {
		kind frame.Kind
		typ  string
		vals []string
	}{
		"i2": {frame.Int, "smallint", []string{"-32768", "1", "<NULL>"}},
		"i4": {frame.Int, "integer", []string{"2147483647", "2", "<NULL>"}},
		"i8": {frame.Int, "bigint", []string{"-9223372036854775808", "3", "<NULL>"}},
		"f4": {frame.Float, "real", []string{"0.1", "<NULL>", "<NULL>"}},
		"f8": {frame.Float, "double precision", []string{"1e-300", "-Inf", "<NULL>"}},
		"n":  {frame.Float, "numeric", []string{"12345678.1234", "<NULL>", "<NULL>"}},
		"b":  {frame.Bool, "boolean", []string{"true", "false", "<NULL>"}},
		"s":  {frame.String, "text", []string{`héllo, "world"`, "", "<NULL>"}},
		"vc": {frame.String, "character varying", []string{"v", "", "<NULL>"}},
		"c":  {frame.String, "character", []string{"ab   ", "     ", "<NULL>"}},
		"nm": {frame.String, "name", []string{"nm", "", "<NULL>"}},
		"u":  {frame.String, "uuid", []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "00000000-0000-0000-0000-000000000000", "<NULL>"}},
		"e":  {frame.String, "mood", []string{"happy", "sad", "<NULL>"}},
		"dm": {frame.Int, "integer", []string{"7", "1", "<NULL>"}},
		"d":  {frame.String, "date", []string{"2024-02-29", "infinity", "<NULL>"}},
		"ts": {frame.String, "timestamp without time zone", []string{"2024-02-29 23:59:59.5", "-infinity", "<NULL>"}},
		"tz": {frame.String, "timestamp with time zone", []string{"2024-02-29 23:00:00+00", "1970-01-01 00:00:00+00", "<NULL>"}},
	}
	rows := cells(res.Table)
	for j, c := range res.Table.Columns() {
		w, ok := want[c.Name]
		if !ok {
			t.Fatalf("unexpected column %q", c.Name)
		}
		if c.Kind != w.kind || res.Lineage.Columns[j].Type != w.typ {
			t.Errorf("%s: kind %v type %q, want %v %q", c.Name, c.Kind, res.Lineage.Columns[j].Type, w.kind, w.typ)
		}
		for i := range rows {
			if rows[i][j] != w.vals[i] {
				t.Errorf("%s row %d: %q, want %q", c.Name, i, rows[i][j], w.vals[i])
			}
		}
	}
	if f := res.Table.Col("f8").Floats[1]; !math.IsInf(f, -1) {
		t.Errorf("-Infinity read as %v", f)
	}
}

// TestReadIdentifiers reads names with spaces, capitals, dots and quotes,
// schema-qualified and through the search_path, with projection.
func TestReadIdentifiers(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn,
		`CREATE SCHEMA "Odd Schema"`,
		`CREATE TABLE "Odd Schema"."My ""quoted"" Table.v2" ("Customer ID" text, "Tenure(Months)" int, "a""b" float8, "UPPER" bool)`,
		`INSERT INTO "Odd Schema"."My ""quoted"" Table.v2" VALUES ('x', 3, 1.5, true), ('y', 4, 2.5, false)`,
		`CREATE TABLE "Customers" (id int)`, `INSERT INTO "Customers" VALUES (1), (2), (3)`)
	defer pgtest.Exec(t, pgtest.DSN(t), `DROP SCHEMA "Odd Schema" CASCADE`)
	res := mustRead(t, db, Source{Table: `"Odd Schema"."My ""quoted"" Table.v2"`, Columns: []string{`a"b`, "Tenure(Months)", "Customer ID"}})
	if got := strings.Join(res.Table.Names(), "|"); got != `a"b|Tenure(Months)|Customer ID` {
		t.Errorf("names %s", got)
	}
	if got := fmt.Sprint(cells(res.Table)); got != "[[1.5 3 x] [2.5 4 y]]" {
		t.Errorf("cells %s", got)
	}
	if want := `COPY (SELECT "a""b", "Tenure(Months)", "Customer ID" FROM "Odd Schema"."My ""quoted"" Table.v2") TO STDOUT (FORMAT binary)`; res.Lineage.Query != want {
		t.Errorf("query\n%s\nwant\n%s", res.Lineage.Query, want)
	}
	// Unquoted parts are taken verbatim: Customers, not customers.
	if res := mustRead(t, db, Source{Table: "Customers"}); res.Table.NumRows() != 3 {
		t.Errorf("Customers: %d rows", res.Table.NumRows())
	}
	// A query's columns can be projected too.
	res = mustRead(t, db, Source{Query: `SELECT "UPPER", "a""b" * 2 AS "double a""b" FROM "Odd Schema"."My ""quoted"" Table.v2";`, Columns: []string{`double a"b`}})
	if got := fmt.Sprint(cells(res.Table)); got != "[[3] [5]]" {
		t.Errorf("query projection: %s", got)
	}
}

func TestParseTableName(t *testing.T) {
	for _, c := range []struct {
		in   string
		want TableRef
		err  string
	}{
		{"customers", TableRef{Name: "customers"}, ""},
		{" sales.customers ", TableRef{Schema: "sales", Name: "customers"}, ""},
		{"My Table", TableRef{Name: "My Table"}, ""},
		{`"Sales"."Customers 2024"`, TableRef{Schema: "Sales", Name: "Customers 2024"}, ""},
		{`"a.b"`, TableRef{Name: "a.b"}, ""},
		{`"a""b"`, TableRef{Name: `a"b`}, ""},
		{`s."t.x"`, TableRef{Schema: "s", Name: "t.x"}, ""},
		{"", TableRef{}, "empty table name"},
		{"a.b.c", TableRef{}, "3 dot-separated parts"},
		{"a.", TableRef{}, "empty part"},
		{`"open`, TableRef{}, "unclosed double quote"},
		{`a"b`, TableRef{}, "double quote inside an unquoted name"},
		{`"a"x`, TableRef{}, "unexpected"},
	} {
		got, err := ParseTableName(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %+v %v, want %+v", c.in, got, err, c.want)
		}
	}
	if got := (TableRef{Schema: `we"ird`, Name: "x y"}).Quoted(); got != `"we""ird"."x y"` {
		t.Errorf("Quoted: %s", got)
	}
}

// TestScanBatches reads 10,007 rows in batches of 1,000 and checks that the
// batches are bounded, add up to the whole-table read and hash the same.
func TestScanBatches(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE t AS SELECT g AS id, g * 0.5 AS x, 'c' || (g % 7) AS s, CASE WHEN g % 5 = 0 THEN NULL ELSE g % 2 = 0 END AS b FROM generate_series(1, 10007) g`)
	ctx := context.Background()
	src := Source{Table: "t", OrderBy: []string{"id"}}
	whole := mustRead(t, db, src)
	var sizes []int
	var parts []*frame.Table
	lin, err := db.Scan(ctx, src, 1000, func(b *frame.Table) error {
		sizes = append(sizes, b.NumRows())
		parts = append(parts, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 11 || sizes[0] != 1000 || sizes[10] != 7 {
		t.Errorf("batch sizes %v, want 10 × 1000 and 7", sizes)
	}
	if lin.SHA256 != whole.Lineage.SHA256 || lin.SetSHA256 != whole.Lineage.SetSHA256 || lin.Rows != 10007 {
		t.Errorf("scan lineage %+v differs from read %+v", lin, whole.Lineage)
	}
	// The batches, concatenated, are the whole table.
	row := 0
	want := cells(whole.Table)
	for _, p := range parts {
		for _, r := range cells(p) {
			if fmt.Sprint(r) != fmt.Sprint(want[row]) {
				t.Fatalf("row %d: %v, want %v", row, r, want[row])
			}
			row++
		}
	}
	// An error from fn stops the read and comes back as is; the DB reconnects.
	stop := errors.New("enough")
	calls := 0
	_, err = db.Scan(ctx, src, 1000, func(*frame.Table) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("fn error: %v after %d calls", err, calls)
	}
	if res := mustRead(t, db, Source{Query: "SELECT 1 AS one"}); res.Table.NumRows() != 1 {
		t.Error("DB unusable after a stopped scan")
	}
}

// TestQueryPathMatchesCopy reads the same rows through COPY and through an
// ordinary query with binary results.
func TestQueryPathMatchesCopy(t *testing.T) {
	db, _ := testDB(t)
	src := Source{Query: `SELECT g AS id, (g * 1.25)::numeric(10,2) AS n, g::real / 3 AS r, md5(g::text) AS s, (DATE '2000-01-01' + g) AS d,
		CASE WHEN g % 3 = 0 THEN NULL ELSE g % 2 = 1 END AS b FROM generate_series(-500, 2500) g`, OrderBy: []string{"id"}}
	a := mustRead(t, db, src)
	b, err := db.read(context.Background(), src, viaQuery)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "copy vs query", a.Table, b.Table)
	if a.Lineage.SHA256 != b.Lineage.SHA256 {
		t.Error("digests differ")
	}
}

// TestSchemaFetchesNoRows describes a query whose execution would fail:
// Schema must succeed (no row is computed), Read must fail.
func TestSchemaFetchesNoRows(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	src := Source{Query: "SELECT 1 / 0 AS boom, 'x'::varchar AS s, now() AS at, '{}'::jsonb AS j"}
	cols, err := db.Schema(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cols[0].Name, cols[0].Kind, cols[0].Type, cols[1].Kind, cols[2].Type, cols[3].Type, cols[3].Supported)
	if got != "boomintintegerstringtimestamp with time zonejsonbfalse" {
		t.Errorf("schema %s", got)
	}
	if _, err := db.Read(ctx, src); err == nil || !strings.Contains(err.Error(), `column "j" has type jsonb, which segment cannot read`) {
		t.Errorf("read with a jsonb column: %v", err)
	}
	src.Columns = []string{"boom", "s"}
	if _, err := db.Schema(ctx, src); err != nil {
		t.Errorf("projected schema: %v", err)
	}
	_, err = db.Read(ctx, src)
	var pe *Error
	if !errors.As(err, &pe) || pe.Code != "22012" {
		t.Errorf("read of 1/0: %v", err)
	}
	src.Columns = []string{"boom", "j"}
	if _, err := db.Schema(ctx, src); err == nil || !strings.Contains(err.Error(), "jsonb") {
		t.Errorf("projected jsonb: %v", err)
	}
	src.Columns = []string{"bom"}
	if _, err := db.Schema(ctx, src); err == nil || !strings.Contains(err.Error(), `unknown column "bom" (did you mean "boom"?)`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := db.Schema(ctx, Source{Query: "SELECT 1 AS a, 2 AS a"}); err == nil || !strings.Contains(err.Error(), `2 columns are named "a"`) {
		t.Errorf("duplicate names: %v", err)
	}
	if _, err := db.Schema(ctx, Source{Query: "SELECT 1 AS a", OrderBy: []string{"b"}}); err == nil || !strings.Contains(err.Error(), `order_by: unknown column "b"`) {
		t.Errorf("unknown order key: %v", err)
	}
}

func TestReadEmptyAndReadOnly(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE t (id int, s text)`)
	res := mustRead(t, db, Source{Table: "t"})
	if res.Table.NumRows() != 0 || strings.Join(res.Table.Names(), ",") != "id,s" || res.Table.Col("s").Kind != frame.String || res.Lineage.Rows != 0 {
		t.Errorf("empty read: %v rows, names %v", res.Table.NumRows(), res.Table.Names())
	}
	pgtest.Exec(t, dsn, `INSERT INTO t VALUES (1, 'a')`)
	_, err := db.Read(context.Background(), Source{Query: "DELETE FROM t RETURNING id, s"})
	var pe *Error
	if !errors.As(err, &pe) || pe.Code != "25006" {
		t.Errorf("DELETE through a source: %v", err)
	}
	if res := mustRead(t, db, Source{Table: "t"}); res.Table.NumRows() != 1 {
		t.Error("the DELETE removed rows")
	}
}

// TestLineage checks the manifest record: redacted DSN, the statement run,
// the server version, the row count, and the two digests.
func TestLineage(t *testing.T) {
	base := pgtest.DSN(t)
	sdsn, schema := pgtest.Schema(t, base)
	pgtest.Exec(t, sdsn, `CREATE TABLE t AS SELECT g AS id, g % 3 AS k FROM generate_series(1, 100) g`,
		`GRANT USAGE ON SCHEMA `+schema+` TO segment_pw`, `GRANT SELECT ON t TO segment_pw`)
	pw := pgtest.PasswordDSN(t)
	db := open(t, pgtest.WithParam(pw, "options", "-c search_path="+schema), Options{})
	up := mustRead(t, db, Source{Table: "t", OrderBy: []string{"id"}})
	lin := up.Lineage
	secret := passwordOf(t, pw)
	if strings.Contains(lin.DSN, secret) || !strings.Contains(lin.DSN, "password=xxxxx") {
		t.Errorf("lineage DSN %q", lin.DSN)
	}
	if lin.Query != `COPY (SELECT "id", "k" FROM "t" ORDER BY "id" NULLS LAST) TO STDOUT (FORMAT binary)` || lin.Rows != 100 || !lin.Ordered {
		t.Errorf("lineage %+v", lin)
	}
	var version string
	if err := pgtest.Connect(t, base).QueryRow(context.Background(), "SHOW server_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if lin.ServerVersion != version || version == "" {
		t.Errorf("server version %q, want %q", lin.ServerVersion, version)
	}
	if o, s := HashTable(up.Table); o != lin.SHA256 || s != lin.SetSHA256 {
		t.Error("HashTable differs from the lineage digests")
	}
	down := mustRead(t, db, Source{Table: "t", OrderBy: []string{"k", "id"}}).Lineage
	if down.SHA256 == lin.SHA256 || down.SetSHA256 != lin.SetSHA256 {
		t.Errorf("another order: ordered digests must differ (%v) and set digests agree (%v)", down.SHA256 != lin.SHA256, down.SetSHA256 == lin.SetSHA256)
	}
	// One changed value changes both.
	pgtest.Exec(t, sdsn, `UPDATE t SET k = 7 WHERE id = 50`)
	changed := mustRead(t, db, Source{Table: "t", OrderBy: []string{"id"}}).Lineage
	if changed.SHA256 == lin.SHA256 || changed.SetSHA256 == lin.SetSHA256 {
		t.Error("a changed value left a digest unchanged")
	}
}

// TestMavenTableMatchesCSV loads Maven's churn table as psql \copy would
// and checks that reading it back gives exactly the table csvio reads from
// the file (names, kinds, every cell) and the same canonical digests. The
// rows are compared in Customer ID order: even a freshly copied table need
// not keep the file's order (COPY here put a short row of line 641 into the
// space left on page 20, before the row of line 561).
func TestMavenTableMatchesCSV(t *testing.T) {
	const path = "../../../shared/datasets/telecom_customer_churn.csv"
	db, dsn := testDB(t)
	csvTable := byID(t, pgtest.LoadCSV(t, dsn, "maven churn", path))
	res := mustRead(t, db, Source{Table: "maven churn", OrderBy: []string{"Customer ID"}})
	sameTable(t, "maven", csvTable, res.Table)
	if res.Table.NumRows() != 7043 || res.Table.NumCols() != 38 {
		t.Errorf("shape %dx%d", res.Table.NumRows(), res.Table.NumCols())
	}
	if o, s := HashTable(csvTable); o != res.Lineage.SHA256 || s != res.Lineage.SetSHA256 {
		t.Error("digests of the CSV table differ from the PostgreSQL read's")
	}
	// In the server's order the ordered digest may differ; the set digest may not.
	if unordered := mustRead(t, db, Source{Table: "maven churn"}); unordered.Lineage.SetSHA256 != res.Lineage.SetSHA256 {
		t.Error("set digest depends on the row order")
	}
	// The columns a config uses, projected.
	cols := []string{"Customer ID", "Customer Status", "Number of Referrals", "Tenure in Months", "Total Revenue"}
	proj := mustRead(t, db, Source{Table: "maven churn", Columns: cols, OrderBy: []string{"Customer ID"}})
	want, err := csvio.ReadFile(context.Background(), path, csvio.Options{Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "maven projected", byID(t, want.Table), proj.Table)
}

// byID returns the table sorted by Customer ID (byte order, as the test
// server's C collation).
func byID(t *testing.T, tb *frame.Table) *frame.Table {
	t.Helper()
	id := tb.Col("Customer ID")
	rows := make([]int, tb.NumRows())
	for i := range rows {
		rows[i] = i
	}
	sort.SliceStable(rows, func(a, b int) bool { return id.Str(rows[a]) < id.Str(rows[b]) })
	return tb.Take(rows)
}

func TestLineageJSON(t *testing.T) {
	lin := Lineage{DSN: "host=h password=xxxxx", Query: "COPY …", ServerVersion: "15.18", Rows: 2,
		Columns: []Column{{Name: "id", Kind: frame.Int, Type: "integer"}}, SHA256: "ab", SetSHA256: "cd", Ordered: true}
	b, err := json.Marshal(lin)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"dsn":"host=h password=xxxxx","query":"COPY …","server_version":"15.18","rows":2,"columns":[{"name":"id","kind":"int","type":"integer"}],"sha256":"ab","set_sha256":"cd","ordered":true}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
}
