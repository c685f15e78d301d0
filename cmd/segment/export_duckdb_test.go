package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// EnvDuckDB names a node_modules folder holding @duckdb/node-api (npm
// install @duckdb/node-api); with it, TestExportDuckDB runs the duckdb
// dialect's SELECT on DuckDB. It is optional: DuckDB is not a Debian
// package, and the golden files check the SQL text without it.
const EnvDuckDB = "SEGMENT_DUCKDB_NODE_PATH"

// runDuckDB runs the exported SELECT on DuckDB over data (loaded as table
// by DuckDB's CSV reader) and reads the rows by id.
func runDuckDB(t *testing.T, nodePath, table, data, sql string) map[string]score {
	t.Helper()
	qf := filepath.Join(t.TempDir(), "q.sql")
	write(t, qf, sql)
	script, _ := filepath.Abs("../../internal/sqlgen/testdata/duckdb_run.mjs")
	cmd := exec.Command("node", script, table, data, qf)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("duckdb: %v\n%s", err, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	got := map[string]score{}
	for _, r := range recs[1:] {
		got[r[0]] = score{segment: r[1], name: r[2], dist: num(r[3]), second: r[4], sdist: num(r[5]), margin: num(r[6]), outlier: r[7], reason: r[len(r)-1]}
	}
	return got
}

// TestExportDuckDB: the duckdb dialect's SELECT, run on DuckDB, gives
// every row predict's segment and distances (Maven, churn and frozen
// models).
func TestExportDuckDB(t *testing.T) {
	nodePath := os.Getenv(EnvDuckDB)
	if nodePath == "" {
		t.Skipf("%s is not set (a node_modules folder with @duckdb/node-api); the duckdb dialect is checked by its golden files only", EnvDuckDB)
	}
	if raceEnabled {
		t.Skip("full runs: slow under the race detector")
	}
	churn, _ := filepath.Abs("../../data/churn_sample.csv")
	cfg, _ := filepath.Abs("../../configs/churn.yaml")
	jobs := []struct{ name, runDir, data string }{
		{"churn", runJob(t, cfg), churn},
		{"frozen", runJob(t, writeFrozenJob(t, t.TempDir(), churn)), churn},
	}
	if _, err := os.Stat(mavenPath); err == nil {
		data, _ := filepath.Abs(mavenPath)
		mcfg, _ := filepath.Abs("../../configs/maven_churn.yaml")
		jobs = append(jobs, struct{ name, runDir, data string }{"maven", runJob(t, mcfg, "input.path="+data), data})
	}
	// The rows predict rejects (export_pg_test.go's reasons job): DuckDB reads
	// "NaN" in a DOUBLE column as NaN, so the table comes from predict's own
	// input.
	rdir := t.TempDir()
	write(t, filepath.Join(rdir, "train.csv"), reasonsTrain)
	newCSV := write(t, filepath.Join(rdir, "new.csv"), fmt.Sprintf(reasonsNew, "NaN"))
	for _, sc := range []string{"standard", "log1p-standard"} {
		cfg := write(t, filepath.Join(rdir, sc+".yaml"), fmt.Sprintf(reasonsJob, sc))
		code, out, stderr := seg(t, "run", "-c", cfg, "--out", filepath.Join(rdir, "runs-"+sc), "--no-progress")
		if code != 0 {
			t.Fatalf("run: exit %d\n%s", code, stderr)
		}
		jobs = append(jobs, struct{ name, runDir, data string }{"reasons " + sc, strings.TrimSpace(out), newCSV})
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			model := filepath.Join(j.runDir, "model.json")
			scored := filepath.Join(t.TempDir(), "scored.csv")
			if code, _, stderr := seg(t, "predict", "-m", model, "-i", j.data, "-o", scored, "--skip-invalid"); code != 0 {
				t.Fatalf("predict: exit %d\n%s", code, stderr)
			}
			code, sql, stderr := seg(t, "export", "-m", model, "--dialect", "duckdb", "--table", "input table")
			if code != 0 {
				t.Fatalf("export: exit %d\n%s", code, stderr)
			}
			got := runDuckDB(t, nodePath, "input table", j.data, sql)
			compareScores(t, got, readScored(t, scored))
			if !strings.HasPrefix(j.name, "reasons") {
				checkAssignments(t, j.runDir, got, false)
			}
		})
	}
}
