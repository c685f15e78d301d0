package export_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// envDSN is the variable the test configs read their DSN from (dsn:
// ${SEGMENT_TEST_SINK_DSN}), as a nightly job's config reads its own.
const envDSN = "SEGMENT_TEST_SINK_DSN"

// TestDatabaseMatchesAssignments runs configs/churn.yaml with the customer
// results written to PostgreSQL and reads the table back: one row per
// line of assignments.csv, the id text byte for byte, the segment, the
// distance bit for bit as in customers.parquet and within 1e-12 of the
// model's, run_id and model_sha256 naming the run. The manifest records
// the write with the DSN redacted.
func TestDatabaseMatchesAssignments(t *testing.T) {
	base := pgtest.DSN(t)
	if raceEnabled {
		t.Skip("a full run of the shipped job takes over a minute under the race detector; the small jobs below run")
	}
	sdsn, _ := pgtest.Schema(t, base)
	t.Setenv(envDSN, sdsn)
	cfg := churnConfig(t, exportBlock("[parquet]", "{dsn: '${"+envDSN+"}', table: segments}"))
	out := t.TempDir()
	var log strings.Builder
	night1 := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	res, err := runAt(t, context.Background(), cfg, out, night1, &log)
	if err != nil {
		t.Fatal(err)
	}
	conn := pgtest.Connect(t, sdsn)
	rows := readSegments(t, conn, "segments")
	want := readAssignments(t, res.Dir)
	if len(rows) != len(want) || len(want) != 7043 {
		t.Fatalf("the table has %d rows, assignments.csv %d", len(rows), len(want))
	}
	_, refDist := referenceDistances(t, res.Dir)
	pq := parquetDistances(t, filepath.Join(res.Dir, "customers.parquet"))
	modelSHA := fileSHA256(t, filepath.Join(res.Dir, "model.json"))
	for _, a := range want {
		r, ok := rows[a.id]
		if !ok {
			t.Fatalf("customer %q of assignments.csv is not in the table", a.id)
		}
		if strconv.FormatInt(r.segment, 10) != a.segment || r.runID != res.ID || r.modelSHA != modelSHA {
			t.Fatalf("customer %q: segment %d run %s model %s; want %s %s %s", a.id, r.segment, r.runID, r.modelSHA, a.segment, res.ID, modelSHA)
		}
		if r.distance != pq[a.id] || math.Abs(r.distance-refDist[a.id]) > distTol {
			t.Fatalf("customer %q: distance %v, parquet %v, model %v", a.id, r.distance, pq[a.id], refDist[a.id])
		}
	}
	sinks := sinkNotes(t, res.Dir, "export")
	db := sinks[1]
	if db["kind"] != "postgres" || db["dsn"] != pgio.RedactDSN(sdsn) || db["table"] != `"segments"` || db["mode"] != "replace" ||
		db["status"] != "committed" || db["rows"] != float64(7043) || db["rows_replaced"] != float64(0) || db["created"] != true ||
		db["run_id"] != res.ID || db["model_sha256"] != modelSHA || db["server_version"] == "" {
		t.Errorf("manifest record %v", db)
	}
	m, _ := pipeline.ReadManifest(res.Dir)
	if steps := m.Stages[len(m.Stages)-1].BeforePublish; len(steps) != 1 || steps[0].Status != "succeeded" ||
		steps[0].What != `write 7043 customers to PostgreSQL table "segments" (replace)` {
		t.Errorf("before_publish %+v", steps)
	}
	if !strings.Contains(log.String(), `[publish] export: write 7043 customers to PostgreSQL table "segments" (replace)`) {
		t.Errorf("no status line for the write:\n%s", log.String())
	}

}

// nightConfig is a small nightly job whose export writes the customer
// results to ${SEGMENT_TEST_SINK_DSN}, table segments.
const nightConfig = `version: 1
name: night
input: {path: {{input}}, id: id}
stages:
  - type: ingest
  - type: cluster
    config: {features: [spend, visits], k: 3}
  - type: export
    config:
      customers: {columns: ["=cmd", spend, plan], formats: [csv]}
      database: {dsn: "${SEGMENT_TEST_SINK_DSN}", table: segments, mode: append-run}
`

// nightJob writes the hostile table and nightConfig (with extra stages
// appended) and returns the config's path.
func nightJob(t *testing.T, extra string) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "hostile.csv")
	if err := os.WriteFile(in, []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	return stagetest.WriteConfig(t, nightConfig+extra, in)
}

// TestDatabaseRerunSameRunID: writing a run id again replaces its rows
// instead of adding them — a rerun of the same run (same clock, another
// output folder, hence the same run id) leaves one copy — while other
// runs' rows stay (mode append-run). Ids keep their leading zeros and
// formula-like text is written as is (no spreadsheet apostrophe).
func TestDatabaseRerunSameRunID(t *testing.T) {
	sdsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	t.Setenv(envDSN, sdsn)
	cfg := nightJob(t, "")
	conn := pgtest.Connect(t, sdsn)
	night1 := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	first, err := runAt(t, context.Background(), cfg, t.TempDir(), night1, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := runAt(t, context.Background(), cfg, t.TempDir(), night1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Fatalf("run ids %s and %s", first.ID, again.ID)
	}
	if got := runCounts(t, conn, "segments"); got != first.ID+":8" {
		t.Errorf("after a rerun of the same run id: %s", got)
	}
	if db := sinkNotes(t, again.Dir, "export")[0]; db["rows_replaced"] != float64(8) || db["rows"] != float64(8) || db["created"] != false {
		t.Errorf("rerun's record %v", db)
	}
	second, err := runAt(t, context.Background(), cfg, t.TempDir(), night1.Add(24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := runCounts(t, conn, "segments"); got != first.ID+":8 "+second.ID+":8" {
		t.Errorf("after a second night: %s", got)
	}
	var cmd string
	if err := conn.QueryRow(context.Background(), `SELECT "=cmd" FROM segments WHERE id = '0001' AND run_id = $1`, first.ID).Scan(&cmd); err != nil {
		t.Fatal(err)
	}
	if cmd != `=HYPERLINK("http://evil.invalid";"x")` {
		t.Errorf("=cmd of 0001 is %q, want the input's text", cmd)
	}

	// Mode replace: one run's rows remain.
	third, err := runAt(t, context.Background(), cfg, t.TempDir(), night1.Add(48*time.Hour), nil, "stages.export.database.mode=replace")
	if err != nil {
		t.Fatal(err)
	}
	if got := runCounts(t, conn, "segments"); got != third.ID+":8" {
		t.Errorf("after mode replace: %s", got)
	}
	if db := sinkNotes(t, third.Dir, "export")[0]; db["rows_replaced"] != float64(16) || db["mode"] != "replace" || db["status"] != "committed" {
		t.Errorf("mode replace's record %v", db)
	}
}

// TestDatabaseFailuresPublishNothing: a refused login, a role without
// INSERT on the table, a missing table with create: false, and a stage
// failing after the export each fail the run with an error that says
// what to do; nothing is published, the previous night's table is intact,
// and no password appears in the error, the log or the failed manifest.
func TestDatabaseFailuresPublishNothing(t *testing.T) {
	base := pgtest.DSN(t)
	sdsn, schema := pgtest.Schema(t, base)
	pwDSN := pgtest.PasswordDSN(t)
	password := dsnPassword(t, pwDSN)
	t.Setenv(envDSN, sdsn)
	conn := pgtest.Connect(t, sdsn)
	out := t.TempDir()
	night1 := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	prev, err := runAt(t, context.Background(), nightJob(t, ""), out, night1, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := tableText(t, conn, "segments")

	roleDSN, role := pgtest.Role(t, base)
	pgtest.Exec(t, base, "GRANT USAGE ON SCHEMA "+pgtest.QuoteIdent(schema)+" TO "+pgtest.QuoteIdent(role),
		"GRANT SELECT ON "+pgtest.QuoteIdent(schema)+".segments TO "+pgtest.QuoteIdent(role))
	pgtest.Exec(t, sdsn, `CREATE TABLE writeonly (id text, segment bigint, segment_name text, distance float8, run_id text, model_sha256 text, "=cmd" text, spend float8, plan text)`,
		"GRANT INSERT, DELETE ON writeonly TO "+pgtest.QuoteIdent(role))
	wrongPW := strings.Replace(pwDSN, password, password+"x", 1) + " options='-c search_path=" + schema + "'"

	for i, tc := range []struct {
		name, dsn, extra string
		sets             []string
		want             []string
		stageStatus      string // the export stage's status in the failed manifest
		sinkStatus       string // the database record's status
	}{
		{name: "refused login", dsn: wrongPW,
			want:        []string{`stage "export" (export): database: postgres: login refused (`, "password=xxxxx", "password authentication failed", "SQLSTATE 28P01"},
			stageStatus: "failed"},
		{name: "no INSERT", dsn: pgtest.WithParam(roleDSN, "options", "-c search_path="+schema),
			want: []string{`stage "export" (export): before publishing (write 8 customers to PostgreSQL table "segments" (append-run)): database: postgres: writing "segments"`,
				"permission denied for table segments", "nothing was written", `needs INSERT and DELETE on "segments"`},
			stageStatus: "failed", sinkStatus: "failed"},
		{name: "no SELECT in append-run", dsn: pgtest.WithParam(roleDSN, "options", "-c search_path="+schema), sets: []string{"stages.export.database.table=writeonly"},
			want: []string{`postgres: writing "writeonly": deleting the rows being replaced: permission denied for table writeonly (SQLSTATE 42501); nothing was written`,
				`mode append-run also needs SELECT on "writeonly", since its DELETE reads run_id`},
			stageStatus: "failed", sinkStatus: "failed"},
		{name: "no table", dsn: sdsn, sets: []string{"stages.export.database.table=nightly", "stages.export.database.create=false"},
			want:        []string{`postgres: writing "nightly": relation "nightly" does not exist (SQLSTATE 42P01); create it first`},
			stageStatus: "failed", sinkStatus: "failed"},
		{name: "later stage fails", dsn: sdsn, extra: "  - type: clean\n    config: {steps: [{cast: {plan: int}}]}\n",
			want:        []string{`stage "clean" (clean): steps[0].cast: cast "plan" to int: row 1 value "basic" is not a number`},
			stageStatus: "succeeded", sinkStatus: "pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envDSN, tc.dsn)
			var log strings.Builder
			res, err := runAt(t, context.Background(), nightJob(t, tc.extra), out, night1.Add(time.Duration(i+1)*time.Hour), &log, tc.sets...)
			var rf *pipeline.RunFailedError
			if !errors.As(err, &rf) {
				t.Fatalf("err %v, want a failed run", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not say %q", err, w)
				}
			}
			if latest, _ := os.Readlink(filepath.Join(out, pipeline.LatestName)); latest != prev.ID {
				t.Errorf("latest -> %s, want the previous night %s", latest, prev.ID)
			}
			if _, err := os.Stat(filepath.Join(out, res.ID)); !os.IsNotExist(err) {
				t.Errorf("run %s was published", res.ID)
			}
			if got := tableText(t, conn, "segments"); got != before {
				t.Errorf("the previous night's table changed:\n%s\nwas\n%s", got, before)
			}
			manifest, _ := os.ReadFile(filepath.Join(res.Dir, "manifest.json"))
			errText, _ := os.ReadFile(filepath.Join(res.Dir, "error.txt"))
			for what, text := range map[string]string{"error": err.Error(), "log": log.String(), "manifest": string(manifest), "error.txt": string(errText)} {
				if strings.Contains(text, password) {
					t.Errorf("the password is in the %s", what)
				}
			}
			m, _ := pipeline.ReadManifest(res.Dir)
			var export *pipeline.StageRecord
			for _, r := range m.Stages {
				if r.Name == "export" {
					export = r
				}
			}
			if export == nil || export.Status != tc.stageStatus {
				t.Fatalf("export stage record %+v", export)
			}
			if tc.sinkStatus != "" {
				if db := sinkNotes(t, res.Dir, "export")[0]; db["status"] != tc.sinkStatus || db["dsn"] != pgio.RedactDSN(tc.dsn) {
					t.Errorf("database record %v", db)
				}
			}
		})
	}
}

// dsnPassword is the password value of a key=value DSN.
func dsnPassword(t *testing.T, dsn string) string {
	t.Helper()
	for _, f := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(f, "password="); ok && len(v) >= 8 {
			return strings.Trim(v, "'")
		}
	}
	t.Fatalf("%s holds no password", pgio.RedactDSN(dsn))
	return ""
}

// segmentRow is one row of the results table.
type segmentRow struct {
	segment         int64
	distance        float64
	runID, modelSHA string
}

// readSegments reads the churn results table by customer id, failing on
// a duplicate id.
func readSegments(t *testing.T, conn *pgx.Conn, table string) map[string]segmentRow {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT "Customer ID", segment, distance, run_id, model_sha256 FROM `+pgtest.QuoteIdent(table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]segmentRow{}
	for rows.Next() {
		var id string
		var r segmentRow
		if err := rows.Scan(&id, &r.segment, &r.distance, &r.runID, &r.modelSHA); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Fatalf("customer %q is in the table twice", id)
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// runCounts is "run_id:rows" per run in the table, sorted, space-separated.
func runCounts(t *testing.T, conn *pgx.Conn, table string) string {
	t.Helper()
	var s *string
	q := `SELECT string_agg(r || ':' || n, ' ' ORDER BY r) FROM (SELECT run_id AS r, count(*) AS n FROM ` + pgtest.QuoteIdent(table) + ` GROUP BY run_id) x`
	if err := conn.QueryRow(context.Background(), q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

// tableText is every row of the table as text, in a fixed order.
func tableText(t *testing.T, conn *pgx.Conn, table string) string {
	t.Helper()
	var s string
	q := fmt.Sprintf(`SELECT coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '') FROM %s x`, pgtest.QuoteIdent(table))
	if err := conn.QueryRow(context.Background(), q).Scan(&s); err != nil {
		t.Fatal(err)
	}
	if s == "" {
		t.Fatalf("table %s is empty", table)
	}
	return s
}

// parquetDistances reads the distances of customers.parquet by id.
func parquetDistances(t *testing.T, path string) map[string]float64 {
	t.Helper()
	ds, err := parquetio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ds.Read(context.Background(), []string{"Customer ID", "distance"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	ids, d := tab.Col("Customer ID"), tab.Col("distance")
	for i := range tab.NumRows() {
		out[ids.Str(i)] = d.Floats[i]
	}
	return out
}
