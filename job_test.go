package segment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/pipeline"
)

// people is a deterministic DataFrame of n customers with every kind of
// series and missing cells: id (string), age (int, NA every 17th row),
// tenure (int), spend (float, NA every 13th row), plan (string, "" every
// 11th row, the text "NaN" every 23rd), active (bool, NA every 19th).
// shift moves spend, so two calls with different shifts differ.
func people(n int, shift float64) dataframe.DataFrame {
	ids := make([]string, n)
	age := series.New(make([]int, n), series.Int, "age")
	tenure := make([]int, n)
	spend := make([]float64, n)
	plans := make([]string, n)
	active := series.New(make([]bool, n), series.Bool, "active")
	for i := range n {
		ids[i] = fmt.Sprintf("c%04d", i+1)
		g := i % 3 // three groups of customers
		tenure[i] = 3 + 30*g + (i*7)%11
		spend[i] = 20 + 45*float64(g) + float64((i*13)%17) + shift
		plans[i] = []string{"basic", "plus", "pro"}[(i+g)%3]
		switch {
		case i%11 == 5:
			plans[i] = ""
		case i%23 == 7:
			plans[i] = "NaN"
		}
		age.Elem(i).Set(25 + (i*31)%40)
		if i%17 == 3 {
			age.Elem(i).Set(nil)
		}
		active.Elem(i).Set(i%4 != 0)
		if i%19 == 2 {
			active.Elem(i).Set(nil)
		}
	}
	sp := series.New(spend, series.Float, "spend")
	for i := 12; i < n; i += 13 {
		sp.Elem(i).Set(math.NaN())
	}
	pl := series.New(make([]string, n), series.String, "plan")
	for i, p := range plans {
		pl.Elem(i).Set(frame.TextElement(p)) // "NaN" stays text
	}
	return dataframe.New(series.New(ids, series.String, "id"), age, series.New(tenure, series.Int, "tenure"), sp, pl, active)
}

// libYAML is a job written for the library, with every stage type; extra
// is added to the input block.
func libYAML(extra string) string {
	return `version: 1
name: people
input: {id: id` + extra + `}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - fillna: {spend: mean}
        - filter: 'tenure > 3'
  - type: eda
    config: {columns: [age, tenure, spend], formats: [svg]}
  - type: cluster
    config: {features: [tenure, spend], scale: standard, k: 3, n_init: 2, formats: [svg]}
  - type: profile
    config: {categorical: [plan], formats: [svg]}
  - type: export
    config: {customers: {columns: [plan], formats: [csv]}}
  - type: report
`
}

func mustLoad(t *testing.T, yaml string, sets ...string) *Job {
	t.Helper()
	job, err := LoadBytes("jobs/people.yaml", []byte(yaml), LoadOptions{Set: sets})
	if err != nil {
		t.Fatal(err)
	}
	return job
}

func mustRun(t *testing.T, job *Job, df dataframe.DataFrame, opt RunOptions) *Result {
	t.Helper()
	if opt.OutDir == "" {
		opt.OutDir = t.TempDir()
	}
	res, err := job.Run(context.Background(), df, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameOutput reports whether two runs wrote the same file, but for the run
// ids (the report names its run).
func sameOutput(t *testing.T, a, b *Result, name string) bool {
	t.Helper()
	fa := bytes.ReplaceAll(readFile(t, filepath.Join(a.Dir, name)), []byte(a.ID), []byte("RUN"))
	fb := bytes.ReplaceAll(readFile(t, filepath.Join(b.Dir, name)), []byte(b.ID), []byte("RUN"))
	return bytes.Equal(fa, fb)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip: the DataFrame's cells come back in Result.Table exactly —
// kinds, NA cells, the text "NaN", floats to the bit — through a run whose
// clean stage keeps every row and column.
func TestRoundTrip(t *testing.T) {
	df := people(60, 0)
	job := mustLoad(t, `version: 1
name: people
input: {id: id}
stages:
  - type: ingest
  - type: clean
    config: {steps: [{select: [id, age, tenure, spend, plan, active]}]}
  - type: cluster
    config: {features: [tenure], k: 2, n_init: 1, formats: [svg]}
`)
	res := mustRun(t, job, df, RunOptions{})
	want, err := frame.FromDataFrame(df)
	if err != nil {
		t.Fatal(err)
	}
	got, err := frame.FromDataFrame(res.Table)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(got, want); err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(res.state.Table, want); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Table.Types()) != "[string int int float string bool]" {
		t.Errorf("types %v", res.Table.Types())
	}
	for j := range df.Ncol() {
		for i := range df.Nrow() {
			a, b := df.Elem(i, j), res.Table.Elem(i, j)
			if a.IsNA() != b.IsNA() || !a.IsNA() && a.String() != b.String() {
				t.Fatalf("column %s row %d: %q (NA %v), DataFrame %q (NA %v)", df.Names()[j], i+1, b, b.IsNA(), a, a.IsNA())
			}
		}
	}
	if e := res.Table.Elem(7, 4); e.IsNA() || e.String() != "NaN" {
		t.Errorf(`the text "NaN" came back as %q (NA %v)`, e, e.IsNA())
	}
}

// TestAssignments: one row per customer of the cleaned table; segments,
// names and distances are the cluster and profile stages' (assignments.csv,
// customers.csv); without an id column the rows are numbered.
func TestAssignments(t *testing.T) {
	res := mustRun(t, mustLoad(t, libYAML("")), people(90, 0), RunOptions{})
	a, err := frame.FromDataFrame(res.Assignments)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Names()) != "[id segment segment_name distance]" || a.NumRows() != res.Table.Nrow() {
		t.Fatalf("assignments %v, %d rows, table %d", a.Names(), a.NumRows(), res.Table.Nrow())
	}
	var csv strings.Builder
	csv.WriteString("id,segment\n")
	for i := range a.NumRows() {
		fmt.Fprintf(&csv, "%s,%s\n", a.Col("id").Str(i), a.Col("segment").Format(i))
	}
	if got := string(readFile(t, filepath.Join(res.Dir, "assignments.csv"))); got != csv.String() {
		t.Errorf("assignments.csv differs from Result.Assignments:\n%s", got)
	}
	customers, err := csvio.ReadFile(context.Background(), filepath.Join(res.Dir, "customers.csv"), csvio.Options{TextColumns: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	wantNames, _ := customers.Table.Select("id", "segment", "segment_name")
	gotNames, _ := a.Select("id", "segment", "segment_name")
	if err := frame.Equal(gotNames, wantNames); err != nil {
		t.Errorf("against customers.csv: %v", err)
	}
	// The distance is to the centroid in the scaled space: recomputed from
	// the State's scaled features and centroids.
	cl := res.state.Clusters
	for i := range a.NumRows() {
		l := cl.Labels[i]
		dx, dy := cl.Scaled[2*i]-cl.CentersScaled[l][0], cl.Scaled[2*i+1]-cl.CentersScaled[l][1]
		if d := a.Col("distance").Floats[i]; math.Abs(d-math.Hypot(dx, dy)) > 1e-12 {
			t.Fatalf("row %d: distance %v, want %v", i+1, d, math.Hypot(dx, dy))
		}
	}

	// No id column: numbered rows. An id column named segment: segment_id.
	noID := strings.Replace(libYAML(""), "input: {id: id}", "input: {}", 1)
	noID = strings.Replace(noID, "columns: [plan], ", "", 1)
	res = mustRun(t, mustLoad(t, noID), people(90, 0), RunOptions{})
	if fmt.Sprint(res.Assignments.Names(), res.Assignments.Types()) != "[row segment segment_name distance] [int int string float]" {
		t.Errorf("without id: %v %v", res.Assignments.Names(), res.Assignments.Types())
	} else if v, _ := res.Assignments.Elem(4, 0).Int(); v != 5 {
		t.Errorf("row 5 numbered %d", v)
	}
	renamed := people(90, 0).Rename("segment", "id")
	// (Without the export stage, which refuses an id column named segment.)
	segID := strings.ReplaceAll(libYAML(""), "{id: id}", "{id: segment}")
	segID = strings.Replace(segID, "  - type: export\n    config: {customers: {columns: [plan], formats: [csv]}}\n", "", 1)
	res = mustRun(t, mustLoad(t, segID), renamed, RunOptions{})
	if fmt.Sprint(res.Assignments.Names()) != "[segment segment_id segment_name distance]" {
		t.Errorf("id named segment: %v", res.Assignments.Names())
	}
}

// TestNoClusterStage: Assignments.Err says there are no segments.
func TestNoClusterStage(t *testing.T) {
	res := mustRun(t, mustLoad(t, "version: 1\nname: people\ninput: {id: id}\nstages:\n  - type: ingest\n"), people(20, 0), RunOptions{})
	if !errors.Is(res.Assignments.Err, ErrNoSegments) || res.Table.Nrow() != 20 {
		t.Errorf("assignments err %v, table %d rows", res.Assignments.Err, res.Table.Nrow())
	}
}

// TestCommandConfig: a config written for the command — a CSV path with
// na_values and a missing_hint — runs on the DataFrame: its shared keys
// apply, the rest is left aside, and the manifest shows the block as run.
func TestCommandConfig(t *testing.T) {
	yaml := strings.Replace(libYAML(""), "input: {id: id}", `input:
  path: ../data/not_there.csv
  id: id
  na_values: ["N/A"]
  missing_hint: not used
  types: {age: float}
  columns: [id, age, tenure, spend, plan]`, 1)
	res := mustRun(t, mustLoad(t, yaml), people(90, 0), RunOptions{})
	if fmt.Sprint(res.Table.Names(), res.Table.Types()) != "[id age tenure spend plan] [string float int float string]" {
		t.Errorf("table %v %v", res.Table.Names(), res.Table.Types())
	}
	var eff struct {
		Input json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(res.Manifest.Config, &eff); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, eff.Input); err != nil {
		t.Fatal(err)
	}
	if got := compact.String(); got != `{"format":"gota","id":"id","types":{"age":"float"},"columns":["id","age","tenure","spend","plan"]}` {
		t.Errorf("effective input block %s", got)
	}
	if in := res.Manifest.Input; in.Columns != 5 || in.Rows != 90 || len(in.SourceTypes) != 5 || in.SourceTypes[1].Type != "int" {
		t.Errorf("input record %+v", in)
	}

	// A database block too.
	pg := strings.Replace(libYAML(""), "input: {id: id}", "input: {dsn: 'postgres://u:secret@db/crm', table: customers, id: id}", 1)
	res = mustRun(t, mustLoad(t, pg), people(90, 0), RunOptions{})
	if strings.Contains(string(res.Manifest.Config), "secret") || strings.Contains(string(res.Manifest.Config), "dsn") || res.Manifest.Input.Format != "gota" {
		t.Errorf("database block: %s", res.Manifest.Config)
	}
}

// TestCSVMissing: blank strings are values unless csv_missing (from the
// config's gota block or RunOptions) reads them as missing; NAValues adds
// texts; the digests follow what was read.
func TestCSVMissing(t *testing.T) {
	df := people(90, 0)
	blanks := 0
	for i := range df.Nrow() {
		if s := df.Elem(i, 4); !s.IsNA() && s.String() == "" {
			blanks++
		}
	}
	plain := mustRun(t, mustLoad(t, libYAML("")), df, RunOptions{})
	missing := func(r *Result) int {
		n := 0
		for _, na := range r.Table.Col("plan").IsNaN() {
			if na {
				n++
			}
		}
		return n
	}
	if blanks == 0 || missing(plain) != 0 {
		t.Fatalf("%d blank plans; without csv_missing %d missing", blanks, missing(plain))
	}
	opt := mustRun(t, mustLoad(t, libYAML("")), df, RunOptions{CSVMissing: true, NAValues: []string{"basic"}})
	block := mustRun(t, mustLoad(t, libYAML(", format: gota, csv_missing: true, na_values: [basic]")), df, RunOptions{})
	for _, r := range []*Result{opt, block} {
		kept := 0
		for i := range r.Table.Nrow() {
			if e := r.Table.Col("plan").Elem(i); !e.IsNA() && (e.String() == "" || e.String() == "basic") {
				kept++
			}
		}
		if missing(r) == 0 || kept != 0 || r.Manifest.Input.SHA256 == plain.Manifest.Input.SHA256 {
			t.Errorf("csv_missing: %d missing, %d blank or basic kept, digest %s", missing(r), kept, r.Manifest.Input.SHA256)
		}
		if fmt.Sprint(r.Manifest.Input.NAValues) != "[basic]" {
			t.Errorf("na_values recorded %v", r.Manifest.Input.NAValues)
		}
	}
	if opt.Manifest.Input.SHA256 != block.Manifest.Input.SHA256 {
		t.Error("RunOptions and the config's block read different data")
	}
	if !sameOutput(t, opt, block, "assignments.csv") {
		t.Error("RunOptions and the config's block give different assignments")
	}
}

// TestRerunSameData: a rerun on the same data has the same digests and
// byte-identical outputs; one changed cell changes the digests.
func TestRerunSameData(t *testing.T) {
	job := mustLoad(t, libYAML(""))
	a := mustRun(t, job, people(90, 0), RunOptions{})
	b := mustRun(t, job, people(90, 0), RunOptions{})
	c := mustRun(t, job, people(90, 0.5), RunOptions{})
	if a.Manifest.Input.SHA256 != b.Manifest.Input.SHA256 || a.Manifest.Input.SetSHA256 != b.Manifest.Input.SetSHA256 {
		t.Error("the same data, different digests")
	}
	if a.Manifest.Input.SHA256 == c.Manifest.Input.SHA256 || a.Manifest.Input.SetSHA256 == c.Manifest.Input.SetSHA256 {
		t.Error("different data, the same digests")
	}
	for _, f := range []string{"assignments.csv", "model.json", "profile.csv", "summary.csv", "customers.csv", "report.md"} {
		if !sameOutput(t, a, b, f) {
			t.Errorf("%s differs between two runs on the same data", f)
		}
	}
	// The report names the input; the effective config shows the block as
	// run (format gota, detected from the block without a path).
	if report := string(readFile(t, filepath.Join(a.Dir, "report.md"))); !strings.Contains(report, "| Input | in-memory gota DataFrame |") {
		t.Error("report.md does not name the input")
	}
	if !strings.Contains(string(a.Manifest.Config), `"input": {
    "format": "gota",
    "id": "id"
  },`) {
		t.Errorf("effective config %s", a.Manifest.Config)
	}
}

// TestVerdict: a published run whose stages ask for a non-zero exit
// returns its Result with a *VerdictError.
func TestVerdict(t *testing.T) {
	job := mustLoad(t, libYAML(""), "stages.cluster.stability={bootstraps: 3}", "stages.cluster.stability_fail={ari_below: 1, jaccard_below: 1}")
	res, err := job.Run(context.Background(), people(60, 0), RunOptions{OutDir: t.TempDir()})
	var ve *VerdictError
	if !errors.As(err, &ve) || ExitCode(err) != 6 || res == nil {
		t.Fatalf("%v (exit %d)", err, ExitCode(err))
	}
	if res.Manifest.Status != "succeeded" || res.Manifest.ExitCode != 6 || res.Table.Err != nil || res.Assignments.Err != nil || res.Assignments.Nrow() != res.Table.Nrow() {
		t.Errorf("status %s exit %d, table %v, assignments %v", res.Manifest.Status, res.Manifest.ExitCode, res.Table.Err, res.Assignments.Err)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "assignments.csv")); err != nil {
		t.Error(err)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		load func() (*Job, error)
		want string
	}{
		{"missing file", func() (*Job, error) { return Load("jobs/nope.yaml", LoadOptions{}) },
			"jobs/nope.yaml: cannot read config: no such file or directory"},
		{"bad --set", func() (*Job, error) {
			return LoadBytes("j.yaml", []byte(libYAML("")), LoadOptions{Set: []string{"seed"}})
		},
			`--set "seed": want KEY=VALUE, e.g. --set input.path=data/other.csv`},
		{"unknown key", func() (*Job, error) {
			return LoadBytes("j.yaml", []byte(strings.Replace(libYAML(""), "k: 3", "k: 3, seeds: 2", 1)), LoadOptions{})
		}, `j.yaml:14:64: stage "cluster" (cluster): seeds: unknown key "seeds" (did you mean "seed"?)`},
		{"gota key", func() (*Job, error) { return LoadBytes("j.yaml", []byte(libYAML(", na_values: [x]")), LoadOptions{}) },
			`j.yaml:3:28: input.na_values: applies with csv_missing: true (segment's CSV rule: blank cells and these values are missing); set csv_missing: true or remove na_values`},
		{"unset variable", func() (*Job, error) {
			return LoadBytes("j.yaml", []byte(strings.Replace(libYAML(""), "name: people", "name: ${JOB_NAME}", 1)), LoadOptions{LookupEnv: func(string) (string, bool) { return "", false }})
		}, "j.yaml:2:7: name: environment variable JOB_NAME is not set (use ${JOB_NAME:-default} to give a default)"},
	} {
		job, err := tc.load()
		var ce ConfigErrors
		if job != nil || !errors.As(err, &ce) || err.Error() != tc.want || ExitCode(err) != 2 {
			t.Errorf("%s: %v (exit %d), want %s", tc.name, err, ExitCode(err), tc.want)
		}
	}
}

// TestEnvSeenOnce: ${VAR} is looked up by Load; every run sees that value.
func TestEnvSeenOnce(t *testing.T) {
	calls := 0
	job, err := LoadBytes("j.yaml", []byte(strings.Replace(libYAML(""), "name: people", "name: ${JOB_NAME}", 1)), LoadOptions{
		LookupEnv: func(name string) (string, bool) { calls++; return fmt.Sprintf("job%d", calls), true },
	})
	if err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, job, people(30, 0), RunOptions{})
	if job.Name() != "job1" || !strings.HasSuffix(res.ID, "-job1") || calls != 1 {
		t.Errorf("name %s, run %s, %d lookups", job.Name(), res.ID, calls)
	}
}

func TestRunErrors(t *testing.T) {
	job := mustLoad(t, libYAML(""))
	out := t.TempDir()
	ctx := context.Background()

	// A DataFrame that cannot be read: a data error, nothing written.
	for _, df := range []dataframe.DataFrame{{Err: errors.New("boom")}, {}} {
		res, err := job.Run(ctx, df, RunOptions{OutDir: out})
		var ie *InputError
		if res != nil || !errors.As(err, &ie) || ExitCode(err) != 1 || !strings.HasPrefix(err.Error(), "input: the gota DataFrame") {
			t.Errorf("unreadable DataFrame: %v", err)
		}
	}
	// A column the config names that the DataFrame lacks: a config error
	// at the config's line.
	_, err := job.Run(ctx, people(30, 0).Rename("months", "tenure"), RunOptions{OutDir: out})
	var ce ConfigErrors
	if !errors.As(err, &ce) || ExitCode(err) != 2 || err.Error() != `jobs/people.yaml:10:19: stage "clean" (clean): steps[1].filter: unknown column "tenure"
jobs/people.yaml:12:29: stage "eda" (eda): columns[1]: unknown column "tenure"
jobs/people.yaml:14:25: stage "cluster" (cluster): features[0]: unknown column "tenure"` {
		t.Errorf("unknown column: %v", err)
	}
	// NAValues without CSVMissing.
	_, err = job.Run(ctx, people(30, 0), RunOptions{OutDir: out, NAValues: []string{"x"}})
	if !errors.As(err, &ce) || ExitCode(err) != 2 || !strings.HasPrefix(err.Error(), "RunOptions: input.na_values: applies with csv_missing: true") {
		t.Errorf("NAValues without CSVMissing: %v", err)
	}
	// A stage failing on the data: a run error, recorded in failed/.
	bad := mustLoad(t, strings.Replace(libYAML(""), "fillna: {spend: mean}", "cast: {plan: int}", 1))
	res, err := bad.Run(ctx, people(30, 0), RunOptions{OutDir: out})
	var rf *RunFailedError
	if !errors.As(err, &rf) || ExitCode(err) != 1 || res == nil || filepath.Base(filepath.Dir(res.Dir)) != "failed" || res.Manifest.Status != "failed" || res.Table.Err != nil && res.Table.Ncol() != 0 {
		t.Errorf("stage failure: %v, result %+v", err, res)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 || entries[0].Name() != "failed" {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the output folder holds %v", names)
	}
}

// TestCancel: a cancelled context stops the run, publishes nothing and
// reports itself.
func TestCancel(t *testing.T) {
	job := mustLoad(t, libYAML(""))
	out := t.TempDir()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := job.Run(ctx, people(30, 0), RunOptions{OutDir: out})
	if res != nil || !errors.Is(err, context.Canceled) || ExitCode(err) != 130 {
		t.Errorf("cancelled before: %v", err)
	}

	// Cancelled once the first stage is done.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	status := writerFunc(func(p []byte) (int, error) {
		if bytes.HasPrefix(p, []byte("[1/")) {
			cancel()
		}
		return len(p), nil
	})
	res, err = job.Run(ctx, people(30, 0), RunOptions{OutDir: out, Status: status})
	var rf *RunFailedError
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrInterrupted) || !errors.As(err, &rf) || ExitCode(err) != 130 {
		t.Fatalf("cancelled during: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "run cancelled (context canceled); nothing was published\n(manifest and error saved in ") {
		t.Errorf("message %q", err)
	}
	if res == nil || res.Manifest.Status != "interrupted" || res.Manifest.ExitCode != 130 || res.Manifest.Stages[0].Status != "succeeded" {
		t.Fatalf("result %+v", res)
	}
	if _, err := os.Stat(filepath.Join(out, "latest")); !os.IsNotExist(err) {
		t.Errorf("a cancelled run moved latest: %v", err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestConcurrentRuns: one Job, several goroutines, different DataFrames
// and output folders at once (run with -race): each run equals the same
// run made alone.
func TestConcurrentRuns(t *testing.T) {
	job := mustLoad(t, libYAML(""))
	frames := []dataframe.DataFrame{people(60, 0), people(60, 7.5)}
	alone := make([]*Result, len(frames))
	for i, df := range frames {
		alone[i] = mustRun(t, job, df, RunOptions{})
	}
	const n = 4
	results := make([]*Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[g], errs[g] = job.Run(context.Background(), frames[g%2], RunOptions{OutDir: t.TempDir(), Log: nil, Status: io.Discard})
		}()
	}
	wg.Wait()
	for g := range n {
		if errs[g] != nil {
			t.Fatalf("run %d: %v", g, errs[g])
		}
		want := alone[g%2]
		if results[g].Manifest.Input.SHA256 != want.Manifest.Input.SHA256 {
			t.Errorf("run %d read other data", g)
		}
		for _, f := range []string{"assignments.csv", "model.json", "profile.csv", "report.md"} {
			if !sameOutput(t, results[g], want, f) {
				t.Errorf("run %d: %s differs from the same run made alone", g, f)
			}
		}
		a, _ := frame.FromDataFrame(results[g].Assignments)
		b, _ := frame.FromDataFrame(want.Assignments)
		if err := frame.Equal(a, b); err != nil {
			t.Errorf("run %d assignments: %v", g, err)
		}
	}
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{ConfigErrors{{Msg: "x"}}, 2},
		{fmt.Errorf("wrapped: %w", &ConfigError{Msg: "x"}), 2},
		{&InputError{Err: errors.New("x")}, 1},
		{&RunFailedError{Err: errors.New("bad cell")}, 1},
		{&RunFailedError{Err: fmt.Errorf("%w: stopped", ErrInterrupted)}, 130},
		{context.Canceled, 130},
		{context.DeadlineExceeded, 1},
		{&LockedError{}, 4},
		{&VerdictError{Verdicts: []pipeline.Verdict{{Kind: pipeline.VerdictDrift}, {Kind: pipeline.VerdictStability}}}, 3},
		{&VerdictError{Verdicts: []pipeline.Verdict{{Kind: pipeline.VerdictStability}}}, 6},
		{&VerdictError{Verdicts: []pipeline.Verdict{{Kind: pipeline.VerdictLatest}}}, 5},
		{&VerdictError{Verdicts: []pipeline.Verdict{{Kind: "other"}}}, 1},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
