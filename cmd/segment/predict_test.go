package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seg runs the command in-process without changing directory (paths must
// be absolute).
func seg(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// trainData is three groups of customers in (spend, visits).
const trainData = `cid,spend,visits,city
A01,10,1,Paris
A02,12,2,Lyon
A03,11,1,Paris
B01,50,5,Nice
B02,55,6,Paris
B03,52,5,Lyon
C01,95,9,Nice
C02,90,10,Paris
C03,99,11,Lyon
C04,93,9,Nice
`

// train runs a job on trainData and returns the run folder.
func train(t *testing.T, dir, cluster string) string {
	t.Helper()
	write(t, filepath.Join(dir, "train.csv"), trainData)
	cfg := write(t, filepath.Join(dir, "job.yaml"), `version: 1
name: predict-test
input: {path: train.csv, id: cid}
stages:
  - type: ingest
  - type: cluster
    config: `+cluster+"\n")
	code, out, stderr := seg(t, "run", "-c", cfg, "--out", filepath.Join(dir, "runs"), "--no-progress")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	return strings.TrimSpace(out)
}

// TestPredictTrainingRows: scoring the training rows reproduces the run's
// assignments exactly.
func TestPredictTrainingRows(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3, names: {1: Big spenders}}")
	out := filepath.Join(dir, "scored.csv")
	code, _, stderr := seg(t, "predict", "-m", filepath.Join(runDir, "model.json"), "-i", filepath.Join(dir, "train.csv"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "scored 10 of 10 rows") {
		t.Errorf("stderr %q", stderr)
	}
	// Segments by size, ties by centroid: C (4 rows) = 1, A (low spend) = 2, B = 3.
	scored := strings.Split(strings.TrimSpace(read(t, out)), "\n")
	assigned := strings.Split(strings.TrimSpace(read(t, filepath.Join(runDir, "assignments.csv"))), "\n")
	if assigned[1] != "A01,2" || assigned[4] != "B01,3" || assigned[7] != "C01,1" {
		t.Errorf("assignments.csv:\n%s", strings.Join(assigned, "\n"))
	}
	if scored[0] != "cid,segment,segment_name,distance,second_segment,second_distance,margin,outlier" || len(scored) != len(assigned) {
		t.Fatalf("scored.csv:\n%s", strings.Join(scored, "\n"))
	}
	for i := 1; i < len(scored); i++ {
		f := strings.Split(scored[i], ",")
		if got := f[0] + "," + f[1]; got != assigned[i] {
			t.Errorf("row %d: predict %q, run %q", i, got, assigned[i])
		}
		if want := map[string]string{"1": "Big spenders", "2": "Segment 2", "3": "Segment 3"}[f[1]]; f[2] != want {
			t.Errorf("row %d: name %q, want %q", i, f[2], want)
		}
	}
}

// newData has blank lines, a CRLF line, a quoted field over two lines and
// unscorable cells: line 4 (missing spend), line 7 (visits "ten"), line 9
// (both).
const newData = "cid,city,spend,visits\n" + // 1
	"N01,Paris,11,1\n" + // 2
	"\n" + // 3
	"N02,Lyon,,2\r\n" + // 4
	"N03,\"Saint-\n" + // 5
	"Etienne\",97,10\n" + // 6
	"N04,Nice,51,ten\n" + // 7
	"N05,Paris,54,5\n" + // 8
	"N06,Lyon,,\n" // 9

func TestPredictInvalidCells(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	in := write(t, filepath.Join(dir, "new.csv"), newData)
	out := filepath.Join(dir, "scored.csv")
	model := filepath.Join(runDir, "model.json")

	code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", out)
	want := fmt.Sprintf(`segment: %[1]s: 3 rows cannot be scored:
  %[1]s line 4 (cid N02), column "spend": missing value
  %[1]s line 7 (cid N04), column "visits": not a number ("ten")
  %[1]s line 9 (cid N06), column "spend": missing value
  %[1]s line 9 (cid N06), column "visits": missing value
  fix them, or pass --skip-invalid to score the other rows and list these in %[2]s
`, in, filepath.Join(dir, "scored.rejects.csv"))
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output was written despite the error")
	}

	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--skip-invalid")
	if code != 0 {
		t.Fatalf("--skip-invalid: exit %d %s", code, stderr)
	}
	if !strings.Contains(stderr, "scored 3 of 6 rows") || !strings.Contains(stderr, "3 rows rejected: "+filepath.Join(dir, "scored.rejects.csv")) {
		t.Errorf("stderr %q", stderr)
	}
	wantRejects := `line,cid,reason
4,N02,"column ""spend"": missing value"
7,N04,"column ""visits"": not a number (""ten"")"
9,N06,"column ""spend"": missing value; column ""visits"": missing value"
`
	if got := read(t, filepath.Join(dir, "scored.rejects.csv")); got != wantRejects {
		t.Errorf("rejects\n%s\nwant\n%s", got, wantRejects)
	}
	scored := read(t, out)
	if !strings.HasPrefix(scored, "cid,segment,segment_name,distance,second_segment,second_distance,margin,outlier\nN01,2,") || !strings.Contains(scored, "\nN03,1,") || !strings.Contains(scored, "\nN05,3,") || strings.Count(scored, "\n") != 4 {
		t.Errorf("scored.csv\n%s", scored)
	}
}

func TestPredictIDs(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	model := filepath.Join(runDir, "model.json")
	in := write(t, filepath.Join(dir, "new.csv"), "customer,spend,visits\n007,11,1\n008,98,10\n")
	out := filepath.Join(dir, "scored.csv")

	code, _, stderr := seg(t, "predict", "-m", model, "-i", in, "-o", out)
	if code != 1 || !strings.Contains(stderr, `has no id column "cid" (the model's); name it with --id COL, or pass --id= to number the rows instead`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// ids are copied verbatim: "007" stays "007"
	if code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--id", "customer"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := read(t, out); !strings.HasPrefix(got, "customer,segment,segment_name,distance,second_segment,second_distance,margin,outlier\n007,2,") || !strings.Contains(got, "\n008,1,") {
		t.Errorf("scored.csv\n%s", got)
	}
	if code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--id="); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := read(t, out); !strings.HasPrefix(got, "row,segment,segment_name,distance,second_segment,second_distance,margin,outlier\n1,2,") || !strings.Contains(got, "\n2,1,") {
		t.Errorf("scored.csv\n%s", got)
	}
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--id", "cust")
	if code != 2 || !strings.Contains(stderr, `predict: --id: `+in+`: unknown column "cust"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--id", "spend")
	if code != 2 || !strings.Contains(stderr, `--id "spend" is one of the model's features`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestPredictErrors(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	model := filepath.Join(runDir, "model.json")
	in := filepath.Join(dir, "train.csv")
	out := filepath.Join(dir, "scored.csv")
	v3 := write(t, filepath.Join(dir, "model-v3.json"), strings.Replace(read(t, model), `"schema_version": 2`, `"schema_version": 3`, 1))
	noVisits := write(t, filepath.Join(dir, "novisits.csv"), "cid,spend,visit\nA,1,2\n")
	noFeatures := write(t, filepath.Join(dir, "nofeatures.csv"), "cid,x\nA,1\n")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"predict", "-i", in, "-o", out}, 2, "predict: missing -m MODEL.json"},
		{[]string{"predict", "-m", model, "-o", out}, 2, "predict: missing -i INPUT.csv"},
		{[]string{"predict", "-m", model, "-i", in}, 2, "predict: missing -o SCORED.csv"},
		{[]string{"predict", "-m", model, "-i", in, "-o", out, "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"predict", "-m", v3, "-i", in, "-o", out}, 1, "model-v3.json has schema_version 3; this segment reads 1 and 2"},
		{[]string{"predict", "-m", filepath.Join(dir, "nope.json"), "-i", in, "-o", out}, 1, "cannot read model " + filepath.Join(dir, "nope.json") + ": no such file or directory"},
		{[]string{"predict", "-m", model, "-i", noVisits, "-o", out}, 1, noVisits + ` lacks a column the model needs: "visits" (a feature; did you mean "visit"?)` + "\n"},
		{[]string{"predict", "-m", model, "-i", noFeatures, "-o", out}, 1, noFeatures + ` lacks 2 columns the model needs: "spend" (a feature), "visits" (a feature)` + "\n"},
		{[]string{"predict", "-m", model, "-i", in, "-o", out, "--distances", "some"}, 2, `--distances "some": want nearest or all`},
		{[]string{"predict", "-m", model, "-i", in, "-o", out, "--rows", "kept"}, 2, `--rows "kept": want all or training`},
		{[]string{"predict", "-m", model, "-i", in, "-o", out, "--unseen", "drop"}, 2, `--unseen "drop": want zeros or reject`},
		{[]string{"predict", "-m", model, "-i", filepath.Join(dir, "nope.csv"), "-o", out}, 1, "no such file or directory"},
	} {
		code, _, stderr := seg(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with %q", tc.args[1:], code, stderr, tc.code, tc.msg)
		}
	}
}
