package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/parquettest"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
)

// TestSourcesListsEveryKey: `segment sources` shows every source with every
// key of its config, and the shared keys.
func TestSourcesListsEveryKey(t *testing.T) {
	code, out, stderr := cli(t, "sources")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	blocks := map[string][]string{}
	var cur string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case line != "" && !strings.HasPrefix(line, " "):
			cur = strings.Fields(line)[0]
		case strings.HasPrefix(line, "    ") && cur != "":
			blocks[cur] = append(blocks[cur], strings.Fields(line)[0])
		}
	}
	if want := confyaml.KnownKeys(&pipeline.InputConfig{}); !slices.Equal(blocks["input"], want) {
		t.Errorf("shared keys %v, want %v", blocks["input"], want)
	}
	reg := sources.Registry()
	for _, format := range reg.Formats() {
		f, _ := reg.Lookup(format)
		if want := confyaml.KnownKeys(f.NewConfig()); !slices.Equal(blocks[format], want) {
			t.Errorf("%s: `segment sources` lists the keys %v, want %v", format, blocks[format], want)
		}
	}
}

// badInputFixtures writes the files the bad-input cases read into dir.
func badInputFixtures(t *testing.T, dir string) {
	t.Helper()
	csvText := "id,spend,visits\n"
	for i := range 2000 {
		csvText += strings.Repeat("x", i%7) + "c" + string(rune('a'+i%26)) + ",1" + strings.Repeat("0", i%3) + "," + string(rune('0'+i%10)) + "\n"
	}
	write(t, filepath.Join(dir, "t.csv"), csvText)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(csvText))
	w.Close()
	os.WriteFile(filepath.Join(dir, "t.csv.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "truncated.csv.gz"), gz.Bytes()[:gz.Len()/2], 0o644)

	pq := filepath.Join(dir, "t.parquet")
	parquettest.ConvertCSV(t, filepath.Join(dir, "t.csv"), pq, map[string]string{"spend": "int", "visits": "int"}, 1<<20)
	b, err := os.ReadFile(pq)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "truncated.parquet"), b[:len(b)-40], 0o644)
	os.WriteFile(filepath.Join(dir, "parquet-named.csv"), b, 0o644)

	var xl bytes.Buffer
	zw := zip.NewWriter(&xl)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		f, _ := zw.Create(name)
		f.Write([]byte("<x/>"))
	}
	zw.Close()
	os.WriteFile(filepath.Join(dir, "sheet.csv"), xl.Bytes(), 0o644)
}

// TestBadInput: inputs of the wrong format, damaged files and database
// failures each end with a clear error and the documented exit code (2
// when a config key fixes it, 1 for damaged data or a failed connection),
// and publish nothing; no password is ever shown.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	badInputFixtures(t, dir)
	xsTypes, _ := filepath.Abs("../../internal/parquetio/testdata/xs_types.parquet")
	pgDSN, pwDSN := os.Getenv(pgtest.EnvDSN), os.Getenv(pgtest.EnvPasswordDSN)
	const slowQuery = "SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 5000000) g"

	type tc struct {
		name  string
		input string // the input block, one flow mapping
		extra string // more stages after ingest
		code  int
		msgs  []string
		pg    bool // needs the test server
		kill  bool // end the reading session once the COPY runs
	}
	cases := []tc{
		{name: "gzip given as parquet", input: `{path: t.csv.gz, format: parquet}`, code: 1,
			msgs: []string{`input.format: ` + dir + `/t.csv.gz: is gzip-compressed data, not a Parquet file; a compressed CSV file is read by input.format: csv`}},
		{name: "parquet given as csv", input: `{path: t.parquet, format: csv}`, code: 1,
			msgs: []string{`input.format: ` + dir + `/t.parquet: is a Parquet file, not CSV text; set input.format: parquet`}},
		{name: "parquet named .csv is detected", input: `{path: parquet-named.csv}`, code: 0},
		{name: "xlsx named .csv", input: `{path: sheet.csv}`, code: 1,
			msgs: []string{`input.path: ` + dir + `/sheet.csv: is an Excel workbook (xlsx), not CSV text; save the sheet as CSV (UTF-8) first`}},
		{name: "truncated gzip", input: `{path: truncated.csv.gz}`, code: 1,
			msgs: []string{`stage "ingest" (ingest): ` + dir + `/truncated.csv.gz: is truncated`}},
		{name: "truncated parquet", input: `{path: truncated.parquet}`, code: 1,
			msgs: []string{dir + `/truncated.parquet: is truncated or not a Parquet file`}},
		{name: "unsupported parquet column, used", input: `{path: ` + xsTypes + `}`, extra: `  - type: clean
    config: {steps: [{select: [id, tags]}]}
`, code: 2,
			msgs: []string{`steps[0].select[1]: column "tags" cannot be read: its type group LIST is not supported (nested columns`}},
		{name: "unsupported parquet column, unused", input: `{path: ` + xsTypes + `}`, code: 0,
			msgs: []string{`warning [ingest]: left out column "tags": its type group LIST cannot be read`}},
		{name: "wrong DSN: no server", input: `{dsn: "host=` + dir + ` port=1 dbname=x", table: t}`, code: 1,
			msgs: []string{`postgres: cannot connect (host=` + dir + ` port=1 dbname=x): no server socket at ` + dir + `/.s.PGSQL.1`}},
		{name: "wrong DSN: does not parse", input: `{dsn: "host=h port=notaport", table: t}`, code: 2,
			msgs: []string{`input.dsn: postgres: cannot connect (host=h port=notaport): the DSN is not valid`}},
		{name: "refused login", input: `{dsn: "` + pwDSN + `x", table: t}`, code: 2, pg: true,
			msgs: []string{`input.dsn: postgres: login refused (`, `password=xxxxx`, `password authentication failed for user "segment_pw" (SQLSTATE 28P01)`}},
		{name: "query syntax error", input: `{dsn: "` + pgDSN + `", query: "select g, g * 2 as h\nfrom generate_series(1, 3) g\nwher g > 1"}`, code: 2, pg: true,
			msgs: []string{`input.query: postgres: reading the query: syntax error at or near "wher" (SQLSTATE 42601); fix the query text`, "line 3: wher g > 1\n", "    ^"}},
		{name: "missing table", input: `{dsn: "` + pgDSN + `", table: custmers}`, code: 2, pg: true,
			msgs: []string{`input.table: postgres: reading table "custmers": relation "custmers" does not exist (SQLSTATE 42P01)`}},
		{name: "unknown order_by", input: `{dsn: "` + pgDSN + `", query: "select 1 as a", order_by: [b]}`, code: 2, pg: true,
			msgs: []string{`input.order_by[0]: unknown column "b"`}},
		{name: "no readable column", input: `{dsn: "` + pgDSN + `", query: "select pg_sleep(0) as x"}`, code: 2, pg: true,
			msgs: []string{`input: none of the input's columns can be read: column "x": its type void is not supported`}},
		{name: "statement timeout", input: `{dsn: "` + pgDSN + `", query: "select 1 as x from pg_sleep(5)", statement_timeout: 200ms}`, code: 1, pg: true,
			msgs: []string{`stage "ingest" (ingest): postgres: reading the query: canceling statement due to statement timeout (SQLSTATE 57014)`, "raise the timeout"}},
		{name: "connection dropped mid-read", input: `{dsn: "` + pgDSN + `", query: "` + slowQuery + `", id: id}`, code: 1, pg: true, kill: true,
			msgs: []string{`stage "ingest" (ingest): postgres: reading the query: `, "run again", "manifest and error saved in"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.pg && (pgDSN == "" || pwDSN == "") {
				pgtest.DSN(t) // skips, or fails under CI
				pgtest.PasswordDSN(t)
			}
			cfg := write(t, filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".yaml"), "version: 1\nname: bad\ninput: "+c.input+"\nstages:\n  - type: ingest\n"+c.extra)
			out := filepath.Join(t.TempDir(), "runs")
			var wg sync.WaitGroup
			if c.kill {
				wg.Go(func() { terminateCopy(t, pgDSN, slowQuery) })
			}
			code, stdout, stderr := seg(t, "run", "-c", cfg, "--out", out, "--no-progress")
			wg.Wait()
			if code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, stderr)
			}
			for _, m := range c.msgs {
				if !strings.Contains(stderr, m) {
					t.Errorf("stderr lacks %q:\n%s", m, stderr)
				}
			}
			if pw := pgPassword(pwDSN); pw != "" && strings.Contains(stderr, pw) {
				t.Errorf("the password is shown:\n%s", stderr)
			}
			published, _ := filepath.Glob(filepath.Join(out, "2*"))
			if c.code != 0 && (len(published) > 0 || stdout != "") {
				t.Errorf("published %v (stdout %q)", published, stdout)
			}
			if c.code == 0 && len(published) != 1 {
				t.Errorf("published %v", published)
			}
		})
	}
}

// pgPassword is the password of a key=value DSN ("" when none).
func pgPassword(dsn string) string {
	for _, f := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(f, "password="); ok {
			return strings.Trim(v, "'")
		}
	}
	return ""
}

// terminateCopy ends segment's session once its COPY of query is running
// (only that session: tests of other packages may be copying on the same
// server at the same time).
func terminateCopy(t *testing.T, dsn, query string) {
	admin := pgtest.Connect(t, dsn)
	ctx := context.Background()
	for range 500 {
		var n int
		err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = 'segment' AND query LIKE 'COPY%' AND strpos(query, $1) > 0 AND state = 'active' AND pid <> pg_backend_pid()`, query).Scan(&n)
		if err != nil {
			t.Errorf("terminate: %v", err)
			return
		}
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the COPY never showed in pg_stat_activity")
}

// TestNearNumericMessages: a numeric column that is text because of one
// stray "N/A" is explained — which row and value, and what to do — by
// ingest (a warning), by eda when it leaves the column out of the
// correlation or is asked to correlate it, and by cluster when it is a
// feature, after a rename too.
func TestNearNumericMessages(t *testing.T) {
	dir := t.TempDir()
	data := "cid,spend,visits,age\n"
	for i := range 40 {
		spend := string(rune('1'+i%9)) + "0"
		if i == 6 {
			spend = "N/A"
		}
		data += "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "," + spend + "," + string(rune('1'+i%5)) + ",3" + string(rune('0'+i%10)) + "\n"
	}
	write(t, filepath.Join(dir, "d.csv"), data)
	const why = `column "spend" is text because 1 of its 40 values is not a number: row 7: "N/A"; treat it as missing with input.na_values: ["N/A"], or fix it in the file`
	job := func(stages string) string {
		return write(t, filepath.Join(dir, "job.yaml"), "version: 1\nname: nn\ninput: {path: d.csv, id: cid}\nstages:\n  - type: ingest\n  - type: clean\n    config: {steps: [{rename: {spend: Spend}}]}\n"+stages)
	}
	code, _, stderr := seg(t, "run", "-c", job("  - type: eda\n"), "--out", filepath.Join(dir, "runs"), "--no-progress")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, w := range []string{"warning [ingest]: " + why, "warning [eda]: left out of the correlation: " + why} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	code, _, stderr = seg(t, "run", "-c", job("  - type: cluster\n    config: {features: [Spend, visits], k: 2}\n"), "--out", filepath.Join(dir, "runs"), "--no-progress")
	if want := `feature "Spend" is a text column, not numeric: ` + why; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
	code, _, stderr = seg(t, "run", "-c", job("  - type: eda\n    config: {columns: [Spend, visits]}\n"), "--out", filepath.Join(dir, "runs"), "--no-progress")
	if want := `columns: column "Spend" holds text, and correlation needs numbers: ` + why; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
}

// TestPredictFromSources: predict's -i reads through the sources: the
// training rows as a gzip'd CSV, as Parquet and as a PostgreSQL table (a
// postgres:// URL) score exactly as from the CSV file; a URL holding a
// password is refused without showing it.
func TestPredictFromSources(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	model := filepath.Join(runDir, "model.json")
	predict := func(in string) (int, string, string) {
		out := filepath.Join(t.TempDir(), "scored.csv")
		code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", out)
		if code != 0 {
			return code, "", stderr
		}
		return code, read(t, out), stderr
	}
	_, want, _ := predict(filepath.Join(dir, "train.csv"))
	if strings.Count(want, "\n") != 11 {
		t.Fatalf("scored.csv from the CSV file:\n%s", want)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(trainData))
	zw.Close()
	write(t, filepath.Join(dir, "train.csv.gz"), gz.String())
	pq := filepath.Join(dir, "train.parquet")
	parquettest.ConvertCSV(t, filepath.Join(dir, "train.csv"), pq, map[string]string{"spend": "int", "visits": "int"}, 1<<20)
	for _, in := range []string{filepath.Join(dir, "train.csv.gz"), pq} {
		if code, got, stderr := predict(in); code != 0 || got != want {
			t.Errorf("%s: exit %d\n%s\n%s", in, code, got, stderr)
		}
	}

	code, _, stderr := seg(t, "predict", "-m", model, "-i", "postgres://ann:s3cret@localhost/crm?table=t", "-o", filepath.Join(dir, "x.csv"))
	if code != 2 || !strings.Contains(stderr, "the URL holds a password") || strings.Contains(stderr, "s3cret") {
		t.Errorf("password in the URL: exit %d %s", code, stderr)
	}
	dsn, schema := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.LoadCSV(t, dsn, "customers", filepath.Join(dir, "train.csv"))
	var host, port string
	for _, f := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(f, "host="); ok {
			host = v
		}
		if v, ok := strings.CutPrefix(f, "port="); ok {
			port = v
		}
	}
	url := "postgres://postgres@/segment?host=" + host + "&port=" + port + "&table=" + schema + ".customers"
	if code, got, stderr := predict(url); code != 0 || got != want {
		t.Errorf("%s: exit %d\n%s\n%s", url, code, got, stderr)
	}
}
