package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runJob runs a config (absolute path) into a temporary output folder and
// returns the run folder.
func runJob(t *testing.T, cfg string, sets ...string) string {
	t.Helper()
	args := []string{"run", "-c", cfg, "--out", filepath.Join(t.TempDir(), "runs"), "--no-progress"}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	code, out, stderr := seg(t, args...)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	return strings.TrimSpace(out)
}

// firstTwo keeps the first two CSV columns of each line (id and segment;
// the ids of these tests hold no comma or quote).
func firstTwo(t *testing.T, path string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(read(t, path)), "\n")
	for i, l := range lines {
		f := strings.SplitN(l, ",", 3)
		lines[i] = f[0] + "," + f[1]
	}
	return lines
}

// checkReproduces scores the raw training file with the run's model: with
// --rows training the id and segment columns are assignments.csv line for
// line; with every row scored, each customer of assignments.csv has the
// same segment.
func checkReproduces(t *testing.T, runDir, raw string, wantRows int) {
	t.Helper()
	model := filepath.Join(runDir, "model.json")
	assigned := strings.Split(strings.TrimSpace(read(t, filepath.Join(runDir, "assignments.csv"))), "\n")
	out := filepath.Join(t.TempDir(), "scored.csv")
	code, _, stderr := seg(t, "predict", "-m", model, "-i", raw, "-o", out, "--rows", "training")
	if code != 0 {
		t.Fatalf("predict --rows training: exit %d\n%s", code, stderr)
	}
	scored := firstTwo(t, out)
	if len(scored) != len(assigned) {
		t.Fatalf("--rows training: %d lines, assignments.csv %d", len(scored), len(assigned))
	}
	for i := range scored {
		if scored[i] != assigned[i] {
			t.Fatalf("--rows training: line %d: predict %q, run %q", i+1, scored[i], assigned[i])
		}
	}
	code, _, stderr = seg(t, "predict", "-m", model, "-i", raw, "-o", out)
	if code != 0 {
		t.Fatalf("predict: exit %d\n%s", code, stderr)
	}
	all := firstTwo(t, out)
	if len(all)-1 != wantRows {
		t.Errorf("every row: %d scored, want %d", len(all)-1, wantRows)
	}
	bySeg := map[string]string{}
	for _, l := range all[1:] {
		id, s, _ := strings.Cut(l, ",")
		bySeg[id] = s
	}
	for _, l := range assigned[1:] {
		id, s, _ := strings.Cut(l, ",")
		if bySeg[id] != s {
			t.Fatalf("every row: %s is in segment %q, the run put it in %s", id, bySeg[id], s)
		}
	}
}

// TestPredictRawMaven: the notebook's config (filter, renames, a derived
// column, a cast to int, row-normalised features): predict on the raw Maven
// file reproduces the run's assignments.csv exactly, and the seed fit is
// unchanged.
func TestPredictRawMaven(t *testing.T) {
	needMaven(t)
	if raceEnabled {
		t.Skip("a full run of the Maven job: about 20 s under the race detector (TestPredictRawFrozenStatistics covers the same code)")
	}
	data, _ := filepath.Abs(mavenPath)
	cfg, _ := filepath.Abs("../../configs/maven_churn.yaml")
	runDir := runJob(t, cfg, "input.path="+data)
	m := read(t, filepath.Join(runDir, "model.json"))
	// 0.2162025219765567 is 0.21620252197655662 written in the shortest form.
	if !strings.Contains(m, `"inertia": 0.2162025219765567,`) || !strings.Contains(m, "\"sizes\": [\n    3987,\n    1124,\n    49,\n    14\n  ]") {
		t.Errorf("the seed fit changed:\n%s", m[:min(len(m), 2000)])
	}
	checkReproduces(t, runDir, data, 7043)
}

// TestPredictRawChurn: the shipped churn config (renames, fillna with
// constants, standard scaling, k chosen by the elbow).
func TestPredictRawChurn(t *testing.T) {
	if raceEnabled {
		t.Skip("a full run of the shipped job: about 70 s under the race detector (TestPredictRawFrozenStatistics covers the same code)")
	}
	cfg, _ := filepath.Abs("../../configs/churn.yaml")
	data, _ := filepath.Abs("../../data/churn_sample.csv")
	runDir := runJob(t, cfg)
	checkReproduces(t, runDir, data, 7043)
}

// frozenConfig uses the steps whose statistics must be frozen: fillna mean
// and median, clip quantiles, one-hot levels, and a derived column, after a
// filter.
const frozenConfig = `version: 1
name: frozen
input: {path: %s, id: Customer ID}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - filter: '` + "`Customer Status`" + ` != "Joined"'
        - rename: {Tenure in Months: Tenure, Avg Monthly GB Download: GB}
        - fillna: {GB: mean, Avg Monthly Long Distance Charges: median}
        - clip: {Monthly Charge: {lower_quantile: 0.05, upper_quantile: 0.95}}
        - derive: {name: Revenue per month, expr: '` + "`Total Revenue`" + ` / max(Tenure, 1)'}
        - onehot: {columns: [Contract, Internet Type]}
  - type: cluster
    config:
      features: [Tenure, GB, Avg Monthly Long Distance Charges, Monthly Charge, Revenue per month,
                 Contract_One Year, Contract_Two Year, Internet Type_Fiber Optic]
      k: 4
      n_init: 3
`

// writeFrozenJob writes frozenConfig over data into dir.
func writeFrozenJob(t *testing.T, dir, data string) string {
	t.Helper()
	return write(t, filepath.Join(dir, "frozen.yaml"), fmt.Sprintf(frozenConfig, data))
}

func TestPredictRawFrozenStatistics(t *testing.T) {
	data, _ := filepath.Abs("../../data/churn_sample.csv")
	runDir := runJob(t, writeFrozenJob(t, t.TempDir(), data))
	m := read(t, filepath.Join(runDir, "model.json"))
	for _, want := range []string{`"kind": "fillna"`, `"kind": "clip"`, `"levels": {`, `"kind": "derive"`} {
		if !strings.Contains(m, want) {
			t.Errorf("model.json lacks %s", want)
		}
	}
	if strings.Contains(m, `"lower_quantile"`) || strings.Contains(m, `"GB": "mean"`) {
		t.Error("model.json holds an unfrozen statistic")
	}
	checkReproduces(t, runDir, data, 7043)
}

// TestPredictTextIDs: zero-padded and 20-digit ids come out of run and
// predict exactly as in the input, so the two outputs join.
func TestPredictTextIDs(t *testing.T) {
	dir := t.TempDir()
	data := write(t, filepath.Join(dir, "ids.csv"), "id,spend,visits\n"+
		"0001,10,1\n0002,12,2\n00003,11,1\n12345678901234567890,50,5\n12345678901234567891,55,6\n 0006 ,52,5\n0007,95,9\n0008,90,10\n")
	cfg := write(t, filepath.Join(dir, "ids.yaml"), `version: 1
name: ids
input: {path: ids.csv, id: id}
stages:
  - type: ingest
  - type: cluster
    config: {features: [spend, visits], k: 3}
`)
	runDir := runJob(t, cfg)
	assigned := strings.Split(read(t, filepath.Join(runDir, "assignments.csv")), "\n")
	var ids []string
	for _, l := range assigned[1 : len(assigned)-1] {
		id, _, _ := strings.Cut(l, ",")
		ids = append(ids, id)
	}
	want := []string{"0001", "0002", "00003", "12345678901234567890", "12345678901234567891", " 0006 ", "0007", "0008"}
	if !slices.Equal(ids, want) {
		t.Errorf("assignments.csv ids %q, want %q", ids, want)
	}
	manifest := read(t, filepath.Join(runDir, "manifest.json"))
	if strings.Contains(manifest, "repeated values") {
		t.Error("distinct 20-digit ids were warned about as repeated")
	}
	checkReproduces(t, runDir, data, 8)
}

// TestDeriveOverwritingIDRefused: the id column cannot be replaced by a
// derive, nor cast to a number, nor typed as one in input.types.
func TestDeriveOverwritingIDRefused(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "x.csv"), "id,a\n0001,1\n0002,2\n")
	for _, tc := range []struct{ steps, input, want string }{
		{"- derive: {name: id, expr: a * 2}", "", `steps[0].derive.name: "id" is the id column (input.id); ids are kept as they are in the input, so a derive cannot overwrite it`},
		{"- rename: {id: cid}\n        - derive: {name: cid, expr: a * 2}", "", `steps[1].derive.name: "cid" is the id column (input.id)`},
		{"- cast: {id: int}", "", `steps[0].cast.id: "id" is the id column (input.id); ids are kept as text, as they are in the input, so it cannot be cast to int`},
		{"- cast: {a: float}", ", types: {id: int}", `input.types.id: "id" is the id column (input.id), which is always read as text`},
	} {
		cfg := write(t, filepath.Join(dir, "x.yaml"), `version: 1
name: x
input: {path: x.csv, id: id`+tc.input+`}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        `+tc.steps+"\n")
		code, _, stderr := seg(t, "validate", "-c", cfg)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d\n%s\nwant %q", tc.steps, code, stderr, tc.want)
		}
	}
}

// TestPredictBadRawInput: a raw file without a column a step needs, a
// category never seen in training, and values that break a step or an
// expression: each a clear error or a counted, reported reject.
func TestPredictBadRawInput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "train.csv"), "cid,amount,b,plan,status\n"+
		"A1,10,2,basic,ok\nA2,12,3,basic,ok\nA3,11,2,basic,ok\nB1,50,5,premium,ok\nB2,55,6,premium,ok\nB3,52,5,premium,gone\n")
	cfg := write(t, filepath.Join(dir, "job.yaml"), `version: 1
name: bad
input: {path: train.csv, id: cid}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - filter: status == "ok"
        - rename: {amount: spend}
        - derive: {name: per_visit, expr: spend % b}
        - onehot: {columns: [plan]}
  - type: cluster
    config: {features: [spend, per_visit, plan_premium], k: 2}
`)
	runDir := runJob(t, cfg)
	model := filepath.Join(runDir, "model.json")
	out := filepath.Join(dir, "scored.csv")

	// A column a step needs is missing: named, with the step.
	noA := write(t, filepath.Join(dir, "noa.csv"), "cid,b,plan\nN1,2,basic\n")
	code, _, stderr := seg(t, "predict", "-m", model, "-i", noA, "-o", out)
	if want := noA + ` lacks a column the model needs: "amount" (read by clean: steps[1].rename) (the model replays its clean steps on raw rows like the run's input)`; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("missing column: exit %d\n%s\nwant %s", code, stderr, want)
	}
	// Without the filter's column the filter is not evaluated, and said so.
	in := write(t, filepath.Join(dir, "new.csv"), "cid,amount,b,plan\n"+
		"N1,10,2,basic\n"+ // fine
		"N2,52,0,premium\n"+ // spend % b divides by zero
		"N3,51,5,gold\n"+ // a plan never seen in training
		"N4,x,5,basic\n") // not a number
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out)
	want := fmt.Sprintf(`note: clean: steps[0].filter is not evaluated: the input has no column "status"
segment: %[1]s: 2 rows cannot be scored:
  %[1]s line 3 (cid N2), clean: steps[2].derive: column "per_visit": the expression failed: runtime error: integer divide by zero (1:7) ("spend = 52, b = 0")
  %[1]s line 5 (cid N4), column "amount": not a number ("x")
  fix them, or pass --skip-invalid to score the other rows and list these in %[2]s
`, in, filepath.Join(dir, "scored.rejects.csv"))
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, stderr, want)
	}
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--skip-invalid")
	if code != 0 || !strings.Contains(stderr, `clean: steps[3].onehot: 1 row whose "plan" was never seen in training ("gold" 1): encoded as zeros`) ||
		!strings.Contains(stderr, "scored 2 of 4 rows") || !strings.Contains(stderr, "2 rows rejected") {
		t.Errorf("--skip-invalid: exit %d\n%s", code, stderr)
	}
	if got := read(t, filepath.Join(dir, "scored.rejects.csv")); !strings.HasPrefix(got, "line,cid,reason\n3,N2,\"clean: steps[2].derive: column \"\"per_visit\"\": the expression failed: runtime error: integer divide by zero") ||
		!strings.Contains(got, "\n5,N4,\"column \"\"amount\"\": not a number (\"\"x\"\")\"\n") {
		t.Errorf("rejects:\n%s", got)
	}
	// --unseen reject: the unseen category is a reject with its reason.
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--skip-invalid", "--unseen", "reject")
	if rej := read(t, filepath.Join(dir, "scored.rejects.csv")); code != 0 || !strings.Contains(rej, "\n4,N3,\"clean: steps[3].onehot: column \"\"plan\"\": a level never seen in training (\"\"gold\"\")\"\n") {
		t.Errorf("--unseen reject: exit %d %s\n%s", code, stderr, rej)
	}
	// With --rows training a row the filter drops is not scored, so its
	// bad cell does not count.
	withStatus := write(t, filepath.Join(dir, "status.csv"), "cid,amount,b,plan,status\nN1,10,2,basic,ok\nN2,x,0,basic,gone\n")
	code, _, stderr = seg(t, "predict", "-m", model, "-i", withStatus, "-o", out, "--rows", "training")
	if code != 0 || !strings.Contains(stderr, "scored 1 of 2 rows") || !strings.Contains(stderr, "clean: steps[0].filter dropped 1 row, as in training") {
		t.Errorf("--rows training: exit %d\n%s", code, stderr)
	}
	code, _, stderr = seg(t, "predict", "-m", model, "-i", withStatus, "-o", out)
	if code != 1 || !strings.Contains(stderr, `line 3 (cid N2), column "amount": not a number ("x")`) {
		t.Errorf("every row: exit %d\n%s", code, stderr)
	}
	// With --rows training the filter's column is required.
	code, _, stderr = seg(t, "predict", "-m", model, "-i", in, "-o", out, "--rows", "training")
	if code != 1 || !strings.Contains(stderr, `lacks a column the model needs: "status" (read by clean: steps[0].filter)`) {
		t.Errorf("--rows training without status: exit %d\n%s", code, stderr)
	}
}

// TestPredictEditedModel: a model edited by hand to wrong dimensions, a NaN
// or null centroid is refused with a message; nothing is
// scored against it.
func TestPredictEditedModel(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	good := read(t, filepath.Join(runDir, "model.json"))
	in := filepath.Join(dir, "train.csv")
	out := filepath.Join(dir, "scored.csv")
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"dimensions", `"centers_scaled": [
    [`, `"centers_scaled": [
    [
      0.5,`, "model.json: the scaler has 2 features but the model 3 centers_scaled columns (centroid 0)"},
		{"NaN", `"centers_scaled": [
    [
      `, `"centers_scaled": [
    [
      NaN, `, "JSON has no NaN or Infinity"},
		{"null", `"centers_scaled": [
    [
      `, `"centers_scaled": [
    [
      null, `, "model.json: centers_scaled: centroid 0, value 0 is null"},
	} {
		src := strings.Replace(good, tc.old, tc.new, 1)
		if src == good {
			t.Fatalf("%s: edit not applied", tc.name)
		}
		m := write(t, filepath.Join(dir, "model.json"), src)
		code, _, stderr := seg(t, "predict", "-m", m, "-i", in, "-o", out)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d\n%s\nwant %q", tc.name, code, stderr, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: an output was written", tc.name)
		}
	}
}

// TestPredictVersion1Model: a model.json written before schema 2
// (internal/model/testdata/v1) still scores the cleaned table it was made
// for, exactly as its run did, with a note on what it lacks; on the raw file
// it names the feature the input lacks.
func TestPredictVersion1Model(t *testing.T) {
	fx, _ := filepath.Abs("../../internal/model/testdata/v1")
	out := filepath.Join(t.TempDir(), "scored.csv")
	code, _, stderr := seg(t, "predict", "-m", filepath.Join(fx, "model.json"), "-i", filepath.Join(fx, "clean.table.csv"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "note: model.json has schema_version 1: it records no preparation steps") ||
		!strings.Contains(stderr, "note: model.json has schema_version 1: it stores no outlier thresholds, so the outlier column is left empty") {
		t.Errorf("notes:\n%s", stderr)
	}
	got := firstTwo(t, out)
	if want := strings.Split(strings.TrimSpace(read(t, filepath.Join(fx, "assignments.csv"))), "\n"); !slices.Equal(got, want) {
		t.Errorf("scored %q\nassignments %q", got, want)
	}
	if lines := strings.Split(read(t, out), "\n"); !strings.HasSuffix(lines[1], ",") {
		t.Errorf("the outlier column is not empty: %s", lines[1])
	}
	code, _, stderr = seg(t, "predict", "-m", filepath.Join(fx, "model.json"), "-i", filepath.Join(fx, "train.csv"), "-o", out)
	if code != 1 || !strings.Contains(stderr, `train.csv has no feature column the model needs: unknown column "Visits" (did you mean "visits"?)`) {
		t.Errorf("raw file with a version-1 model: exit %d\n%s", code, stderr)
	}
}

// TestPredictScores: second segment, margin, every distance with
// --distances all, outliers; with k = 1 there is no second segment.
func TestPredictScores(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], k: 3}")
	in := write(t, filepath.Join(dir, "new.csv"), "cid,spend,visits\nN1,11,1\nN2,500,1\n")
	out := filepath.Join(dir, "scored.csv")
	code, _, stderr := seg(t, "predict", "-m", filepath.Join(runDir, "model.json"), "-i", in, "-o", out, "--distances", "all")
	if code != 0 || !strings.Contains(stderr, "1 outlier: farther from their segment's centroid than 99% of its training customers") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(read(t, out)), "\n")
	if lines[0] != "cid,segment,segment_name,distance,second_segment,second_distance,margin,outlier,distance_1,distance_2,distance_3" {
		t.Fatalf("header %s", lines[0])
	}
	for _, l := range lines[1:] {
		var id, name, outlier string
		var seg, second int
		var dist, sd, margin float64
		var d [3]float64
		f := strings.Split(l, ",")
		id, name, outlier = f[0], f[2], f[7]
		fmt.Sscan(f[1], &seg)
		fmt.Sscan(f[3], &dist)
		fmt.Sscan(f[4], &second)
		fmt.Sscan(f[5], &sd)
		fmt.Sscan(f[6], &margin)
		for k := range d {
			fmt.Sscan(f[8+k], &d[k])
		}
		const tol = 1e-12
		if d[seg-1] != dist || d[second-1] != sd || abs(margin-(sd-dist)) > tol || name != fmt.Sprintf("Segment %d", seg) {
			t.Errorf("%s: %s", id, l)
		}
		for k := range d {
			if d[k] < dist || k+1 != seg && d[k] < sd {
				t.Errorf("%s: segment %d is nearer (%v) than the nearest or second (%v, %v)", id, k+1, d[k], dist, sd)
			}
		}
		if want := map[string]string{"N1": "false", "N2": "true"}[id]; outlier != want {
			t.Errorf("%s: outlier %s, want %s", id, outlier, want)
		}
	}
	// k = 1: no second segment, margin blank.
	runDir = train(t, t.TempDir(), "{features: [spend, visits], k: 1}")
	code, _, stderr = seg(t, "predict", "-m", filepath.Join(runDir, "model.json"), "-i", in, "-o", out)
	if lines := strings.Split(read(t, out), "\n"); code != 0 || !strings.HasPrefix(lines[1], "N1,1,Segment 1,") || !strings.HasSuffix(lines[1], ",,,,false") {
		t.Errorf("k = 1: exit %d %s\n%s", code, stderr, read(t, out))
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
