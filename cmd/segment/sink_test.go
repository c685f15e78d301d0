package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/pipeline"
)

// sinkConfig is a nightly job on the synthetic churn table whose export
// writes the customer results, with every attribute column, to
// PostgreSQL: a large COPY.
const sinkConfig = `version: 1
name: nightly
input: {path: big.csv, id: Customer ID}
stages:
  - type: ingest
  - type: cluster
    config: {features: [Tenure in Months, Monthly Charge], k: 3, n_init: 1}
  - type: export
    config:
      customers:
        formats: [csv]
        columns: [Gender, Age, Married, Number of Dependents, City, Zip Code, Latitude, Longitude, Number of Referrals,
                  Tenure in Months, Offer, Phone Service, Avg Monthly Long Distance Charges, Multiple Lines, Internet Service,
                  Internet Type, Avg Monthly GB Download, Online Security, Online Backup, Device Protection Plan,
                  Premium Tech Support, Streaming TV, Streaming Movies, Streaming Music, Unlimited Data, Contract,
                  Paperless Billing, Payment Method, Monthly Charge, Total Charges, Total Refunds, Total Extra Data Charges,
                  Total Long Distance Charges, Total Revenue, Customer Status, Churn Category, Churn Reason]
      database: {dsn: "${SEGMENT_TEST_SINK_DSN}", table: segments}
`

// TestSIGTERMDuringDatabaseWrite runs the real binary twice on a large
// synthetic table: the first night writes the results table; the second
// is sent SIGTERM while its COPY into the staging table is running (seen
// in pg_stat_activity). The second run must exit 130, publish nothing,
// record the interrupted write in failed/<id>/manifest.json, leave the
// first night's table exactly as it was, and leave no session, staging
// table or lock behind.
func TestSIGTERMDuringDatabaseWrite(t *testing.T) {
	base := pgtest.DSN(t)
	if testing.Short() {
		t.Skip("builds the binary and writes a 60 MB file")
	}
	if raceEnabled {
		t.Skip("the binary under test is built without the race detector; the plain test run covers it")
	}
	// A database of its own, so that the COPY seen is this test's.
	dbDSN, dbName := pgtest.Database(t, base)
	dir := t.TempDir()
	bin := filepath.Join(dir, "segment")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "synth", "churn", "--rows", "200000", "--seed", "5", "-o", filepath.Join(dir, "big.csv")).CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte(sinkConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "runs")
	env := append(os.Environ(), "SEGMENT_TEST_SINK_DSN="+dbDSN)
	runBin := func() *exec.Cmd {
		cmd := exec.Command(bin, "run", "-c", cfg, "--out", out, "--no-progress")
		cmd.Env = env
		return cmd
	}
	if b, err := runBin().CombinedOutput(); err != nil {
		t.Fatalf("first night: %v\n%s", err, b)
	}
	prev, _ := os.Readlink(filepath.Join(out, pipeline.LatestName))
	conn := pgtest.Connect(t, dbDSN)
	before := tableDigest(t, conn)
	if !strings.HasPrefix(before, prev+" 200000 ") {
		t.Fatalf("after the first night the table holds %s", before)
	}

	cmd := runBin()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watch := pgtest.Connect(t, base)
	copying := false
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline) && !copying; {
		var n int
		err := watch.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = $1 AND state = 'active' AND query LIKE 'COPY pg_temp.segment_stage%'`, dbName).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		copying = n > 0
		if !copying {
			time.Sleep(time.Millisecond)
		}
	}
	if !copying {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("never saw the COPY running; stderr:\n%s", stderr.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want %d (the COPY of 200,000 rows finished before SIGTERM arrived?); stderr:\n%s", err, exitInterrupted, stderr.String())
	}
	if after, _ := os.Readlink(filepath.Join(out, pipeline.LatestName)); after != prev {
		t.Errorf("latest moved from %s to %s", prev, after)
	}
	if m, _ := filepath.Glob(filepath.Join(out, ".tmp-*")); len(m) > 0 {
		t.Errorf("temporary folder left behind: %v", m)
	}
	if runs, _ := filepath.Glob(filepath.Join(out, "[0-9]*-nightly*")); len(runs) != 1 {
		t.Errorf("published runs: %v", runs)
	}
	if got := tableDigest(t, conn); got != before {
		t.Errorf("the first night's table changed:\n%s\nwas\n%s", got, before)
	}
	failed, _ := filepath.Glob(filepath.Join(out, pipeline.FailedDir, "*", "manifest.json"))
	if len(failed) != 1 {
		t.Fatalf("failed manifests: %v", failed)
	}
	m, err := pipeline.ReadManifest(filepath.Dir(failed[0]))
	if err != nil {
		t.Fatal(err)
	}
	export := m.Stages[len(m.Stages)-1]
	if m.Status != "interrupted" || m.ExitCode != exitInterrupted || export.Status != "interrupted" ||
		len(export.BeforePublish) != 1 || export.BeforePublish[0].Status != "interrupted" {
		t.Errorf("failed manifest: status %s exit %d, export %+v %+v", m.Status, m.ExitCode, export, export.BeforePublish)
	}
	sinks, _ := export.Notes["sinks"].([]any)
	if len(sinks) != 1 || sinks[0].(map[string]any)["status"] != "interrupted" {
		t.Errorf("database record %v", sinks)
	}

	// Nothing is left behind: the session is gone (and with it the staging
	// table) and the next night's write can lock the table.
	var sessions int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err := watch.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'segment'`, dbName).Scan(&sessions); err != nil {
			t.Fatal(err)
		}
		if sessions == 0 {
			break
		}
	}
	if sessions != 0 {
		t.Errorf("%d sessions of the killed run are still open", sessions)
	}
	tx, err := conn.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	// (Autovacuum may hold the table after the first night's write; it
	// gives way to a waiting lock after deadlock_timeout, 1 s.)
	if _, err := tx.Exec(context.Background(), "SET LOCAL lock_timeout = '20s'"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), "LOCK TABLE segments IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		t.Errorf("the next night could not lock the table: %v", err)
	}
}

// tableDigest is "run_id rows md5" for each run in the results table: an
// MD5 over every row's text in id order.
func tableDigest(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	var s string
	err := conn.QueryRow(context.Background(), `SELECT coalesce(string_agg(r, '; ' ORDER BY r), '') FROM (
		SELECT run_id || ' ' || count(*) || ' ' || md5(string_agg(x::text, E'\n' ORDER BY x."Customer ID")) AS r
		FROM segments x GROUP BY run_id) y`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRefusedLoginExitCode: a config whose database login is refused
// fails with exit code 1, says so without the password, and publishes
// nothing.
func TestRefusedLoginExitCode(t *testing.T) {
	pw := pgtest.PasswordDSN(t)
	i := strings.Index(pw, "password=")
	if i < 0 {
		t.Fatal("SEGMENT_PG_PASSWORD_DSN has no password")
	}
	secret := strings.Fields(pw[i+len("password="):])[0]
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("id,a,b\n1,1,2\n2,2,1\n3,9,9\n4,8,9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte(`version: 1
name: login
input: {path: d.csv, id: id}
stages:
  - type: ingest
  - type: cluster
    config: {features: [a, b], k: 2}
  - type: export
    config:
      database: {table: segments}
`), 0o644)
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"run", "-c", cfg, "--no-progress",
		"--set", "stages.export.database.dsn=" + strings.Replace(pw, secret, secret+"nope", 1)}, &stdout, &stderr)
	if code != exitRunError {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitRunError, stderr.String())
	}
	if !strings.Contains(stderr.String(), "postgres: login refused") || !strings.Contains(stderr.String(), "password=xxxxx") ||
		strings.Contains(stderr.String(), secret) || stdout.String() != "" {
		t.Errorf("stdout %q, stderr:\n%s", stdout.String(), stderr.String())
	}
	failed, _ := filepath.Glob(filepath.Join(dir, "runs", pipeline.FailedDir, "*", "manifest.json"))
	if len(failed) != 1 {
		t.Fatalf("failed manifests: %v", failed)
	}
	b, _ := os.ReadFile(failed[0])
	if strings.Contains(string(b), secret) || !strings.Contains(string(b), "password=xxxxx") {
		t.Errorf("the failed manifest shows the password or no redacted DSN:\n%s", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "runs", pipeline.LatestName)); !os.IsNotExist(err) {
		t.Errorf("something was published: %v", err)
	}
}
