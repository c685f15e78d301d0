package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/pipeline"
)

const mavenPath = "../../../shared/datasets/telecom_customer_churn.csv"

func needMaven(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(mavenPath); err != nil {
		t.Skipf("Maven churn table not found at %s (the shared datasets sit beside the repo)", mavenPath)
	}
}

// cli runs the command in-process from the repository root.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir("../.."); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run"}, 2, "missing -c FILE"},
		{[]string{"run", "-c", "configs/churn.yaml", "--set", "noequals"}, 2, "want KEY=VALUE"},
		{[]string{"run", "-c", "configs/nope.yaml"}, 2, "configs/nope.yaml: cannot read config: no such file or directory"},
		{[]string{"run", "-c", "configs/churn.yaml", "--log-format", "xml"}, 2, `--log-format "xml": want text or json`},
		{[]string{"synth", "bananas", "-o", "x"}, 2, `unknown dataset "bananas"`},
		{[]string{"validate", "-c", "configs/churn.yaml", "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, _, stderr := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tc.args, code, stderr, tc.code, tc.msg)
		}
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
			t.Errorf("%v: stack trace printed", tc.args)
		}
	}
}

func TestValidateShippedConfigs(t *testing.T) {
	code, out, stderr := cli(t, "validate", "-c", "configs/churn.yaml")
	if code != 0 || !strings.Contains(out, "configs/churn.yaml: ok") {
		t.Errorf("churn.yaml: exit %d %s %s", code, out, stderr)
	}
	needMaven(t)
	code, _, stderr = cli(t, "validate", "-c", "configs/maven_churn.yaml", "--set", "input.path=../shared/datasets/telecom_customer_churn.csv")
	if code != 0 {
		t.Errorf("maven_churn.yaml: exit %d %s", code, stderr)
	}
	// Without the real file the error says where it comes from; a missing
	// input is a data error (exit 1), not a config error.
	code, _, stderr = cli(t, "validate", "-c", "configs/maven_churn.yaml", "--set", "input.path=data/nope.csv")
	if code != 1 || !strings.Contains(stderr, "Maven Analytics Data Playground") {
		t.Errorf("missing Maven file: exit %d %s", code, stderr)
	}
}

// TestMavenSeedTable: the notebook's seed table, to 1e-6 of the values the
// notebook printed (pandas describe()).
func TestMavenSeedTable(t *testing.T) {
	needMaven(t)
	out := t.TempDir()
	code, stdout, stderr := cli(t, "run", "-c", "configs/maven_churn.yaml",
		"--set", "input.path=../shared/datasets/telecom_customer_churn.csv",
		"--set", "output.keep_tables=true", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	runDir := strings.TrimSpace(stdout)
	res, err := csvio.ReadFile(context.Background(), filepath.Join(runDir, "seed_table.table.csv"), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table
	if got := strings.Join(tb.Names(), ","); got != "Customer_ID,Gender,Age,Married,Dependents,City,Zip_Code,Referrals,Tenure(Months),Tenure(Years),Contract_Type,Total_Revenue" {
		t.Errorf("columns %s", got)
	}
	if tb.NumRows() != 5174 {
		t.Errorf("%d rows, want 5174", tb.NumRows())
	}
	const tol = 1e-6
	for _, tc := range []struct {
		col       string
		mean, std float64
	}{
		{"Age", 45.344414, 16.276025},
		{"Dependents", 0.595284, math.NaN()},
		{"Zip_Code", 93504.246811, math.NaN()},
		{"Referrals", 2.468690, math.NaN()},
		{"Tenure(Months)", 37.591225, math.NaN()},
		{"Tenure(Years)", 2.700812, math.NaN()},
		{"Total_Revenue", 3418.374927, 2910.764954},
	} {
		x, err := tb.Col(tc.col).Float64s()
		if err != nil {
			t.Fatal(err)
		}
		d := stats.Describe(x)
		if math.Abs(d.Mean-tc.mean) > tol {
			t.Errorf("mean %s = %.6f, want %.6f", tc.col, d.Mean, tc.mean)
		}
		if !math.IsNaN(tc.std) && math.Abs(d.Std-tc.std) > tol {
			t.Errorf("std %s = %.6f, want %.6f", tc.col, d.Std, tc.std)
		}
	}
	m, err := pipeline.ReadManifest(runDir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Input.Rows != 7043 || m.Input.SHA256 != "9309f4308b9111da3604c1b13c337de40fd2de16c9dd75904f3b0d2bf5b5beed" {
		t.Errorf("manifest input %+v", m.Input)
	}
	var eff map[string]any
	if err := json.Unmarshal(m.Config, &eff); err != nil || !strings.HasSuffix(eff["input"].(map[string]any)["path"].(string), "shared/datasets/telecom_customer_churn.csv") {
		t.Errorf("effective config does not carry the --set path: %v", err)
	}
}

// TestJSONLogsErrors: with --log-format json every stderr line is a JSON
// object, a config error included, and the exit code is in the last one.
func TestJSONLogsErrors(t *testing.T) {
	code, _, stderr := cli(t, "run", "-c", "stages/testdata/filter_unknown_column.bad.yaml", "--log-format", "json")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	var last map[string]any
	for _, l := range lines {
		if err := json.Unmarshal([]byte(l), &last); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
	}
	if last["exit_code"] != float64(2) || !strings.Contains(last["error"].(string), `unknown column "Custmer Status"`) {
		t.Errorf("last line %v", last)
	}
}
