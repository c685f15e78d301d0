package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// exportJob trains on trainData with the given clean steps and cluster
// block and returns the model's path.
func exportJob(t *testing.T, dir, steps, cluster string) string {
	t.Helper()
	write(t, filepath.Join(dir, "train.csv"), trainData)
	cfg := write(t, filepath.Join(dir, "job.yaml"), `version: 1
name: export-test
input: {path: train.csv, id: cid}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
`+steps+`
  - type: cluster
    config: `+cluster+"\n")
	code, out, stderr := seg(t, "run", "-c", cfg, "--out", filepath.Join(dir, "runs"), "--no-progress")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	return filepath.Join(strings.TrimSpace(out), "model.json")
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	model := exportJob(t, dir, `        - derive: {name: code_len, expr: "len(city) * 1.0"}
        - derive: {name: north, expr: 'city < "O" ? 1.0 : 0.0'}
        - dedupe: {columns: [cid]}`, "{features: [spend, visits, code_len], k: 2}")
	model2 := exportJob(t, t.TempDir(), `        - derive: {name: north, expr: 'city < "O" ? 1.0 : 0.0'}
        - dedupe: {columns: [cid]}`, "{features: [spend, north], k: 2}")
	corrupt := write(t, filepath.Join(dir, "corrupt.json"), `{"schema_version": 2, "features": ["a"], "centers_scaled": [[null]]}`)
	notJSON := write(t, filepath.Join(dir, "x.json"), "not json")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unsupported dialect", []string{"-m", model2, "--dialect", "oracle"}, 2,
			`export: --dialect: unsupported SQL dialect "oracle" (supported: postgres, duckdb, bigquery, clickhouse, ansi)`},
		{"no dialect", []string{"-m", model2}, 2, "export: missing --dialect (one of postgres, duckdb, bigquery, clickhouse, ansi)"},
		{"no model", []string{"--dialect", "postgres"}, 2, "export: missing -m MODEL.json"},
		{"format", []string{"-m", model2, "--dialect", "postgres", "--format", "pmml"}, 2, `export: --format "pmml": the only format is sql`},
		{"output is the model", []string{"-m", model2, "--dialect", "postgres", "-o", model2}, 2, "it would be overwritten"},
		{"check-dsn needs postgres", []string{"-m", model2, "--dialect", "duckdb", "--check-dsn", "host=/nowhere"}, 2, "--check-dsn checks against PostgreSQL"},
		{"corrupt model", []string{"-m", corrupt, "--dialect", "postgres"}, 1, "corrupt.json: centers_scaled: centroid 0, value 0 is null"},
		{"not a model", []string{"-m", notJSON, "--dialect", "postgres"}, 1, "x.json is not a segment model"},
		{"function without SQL", []string{"-m", model, "--dialect", "postgres"}, 1,
			`model.json cannot be exported as postgres SQL: clean: steps[0].derive: no exact SQL equivalent: the function len() (in "len(city) * 1.0")`},
		{"text order in ansi", []string{"-m", model2, "--dialect", "ansi"}, 1,
			`model.json cannot be exported as ansi SQL: clean: steps[0].derive: no exact SQL equivalent: ordering texts byte by byte (<) has no portable collation in ANSI SQL`},
		{"dedupe with --rows training", []string{"-m", model2, "--dialect", "postgres", "--rows", "training"}, 1,
			"clean: steps[1].dedupe: no exact SQL equivalent: a dedupe keeps the first of repeated rows in file order"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := seg(t, append([]string{"export"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.want)
			}
			if out != "" {
				t.Errorf("wrote SQL despite the error:\n%s", out)
			}
		})
	}
	// The same model scores on PostgreSQL: the text order is byte order
	// there, and the dedupe is not applied (every row is scored).
	code, sql, stderr := seg(t, "export", "-m", model2, "--dialect", "postgres")
	if code != 0 || !strings.Contains(sql, `COLLATE "C"`) || !strings.Contains(sql, "row steps not applied: clean: steps[1].dedupe") {
		t.Errorf("exit %d %s\n%s", code, stderr, sql)
	}
}

// TestExportOutputFile: -o writes the SQL atomically and says what it did.
func TestExportOutputFile(t *testing.T) {
	dir := t.TempDir()
	model := exportJob(t, dir, `        - filter: 'spend > 0'`, "{features: [spend, visits], k: 3}")
	out := filepath.Join(dir, "score.sql")
	code, stdout, stderr := seg(t, "export", "-m", model, "--dialect", "bigquery", "--table", "proj.ds.customers", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "wrote the bigquery SELECT for model.json (k = 3) to "+out) ||
		!strings.Contains(stderr, "clean: steps[0].filter is not applied: every row is scored") {
		t.Errorf("stderr %q", stderr)
	}
	sql := read(t, out)
	if !strings.Contains(sql, "FROM `proj`.`ds`.`customers`") || !strings.Contains(sql, "`segment_row_id` AS `cid`") {
		t.Errorf("SQL:\n%s", sql)
	}
}
