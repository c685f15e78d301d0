package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// distTol is how far a written distance may be from the reference
// distance (internal/model's Assign on the cleaned table, the path of
// `segment predict`).
const distTol = 1e-12

// churnConfig is configs/churn.yaml (on data/churn_sample.csv, output.
// keep_tables on, so that the cleaned table is kept for the references)
// with the export stage block appended at the end of its stages.
func churnConfig(t *testing.T, export string) string {
	t.Helper()
	b, err := os.ReadFile("../../configs/churn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, r := range [][2]string{
		{"path: ../data/churn_sample.csv", "path: " + stagetest.Sample(t)},
		{"  retention: {keep_last: 30}", "  retention: {keep_last: 30}\n  keep_tables: true"},
	} {
		if !strings.Contains(src, r[0]) {
			t.Fatalf("configs/churn.yaml no longer has %q", r[0])
		}
		src = strings.Replace(src, r[0], r[1], 1)
	}
	return stagetest.WriteConfig(t, strings.TrimRight(src, "\n")+"\n"+export, "")
}

// exportBlock is an export stage of the customer results.
func exportBlock(formats, database string) string {
	s := "  - type: export\n    config:\n      customers: {formats: " + formats + ", columns: [Contract, Monthly Charge, Tenure]}\n"
	if database != "" {
		s += "      database: " + database + "\n"
	}
	return s
}

// runAt runs the config into out with the clock stopped at now (so two
// runs into different folders get the same run id), logging into log.
func runAt(t *testing.T, ctx context.Context, cfgPath, out string, now time.Time, log io.Writer, sets ...string) (*pipeline.RunResult, error) {
	t.Helper()
	cfg, err := stagetest.Load(t, cfgPath, sets...)
	if err != nil {
		t.Fatal(err)
	}
	if log == nil {
		log = io.Discard
	}
	return pipeline.Run(ctx, cfg, pipeline.RunOptions{
		OutDir: out,
		Now:    func() time.Time { return now },
		Log:    slog.New(slog.NewTextHandler(log, nil)),
		Status: log,
	})
}

// assignment is one row of assignments.csv.
type assignment struct {
	id, segment string
}

// readAssignments reads assignments.csv of a run folder: ids as written,
// in file order.
func readAssignments(t *testing.T, dir string) []assignment {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "Customer ID,segment" {
		t.Fatalf("assignments.csv header %q", got)
	}
	out := make([]assignment, len(recs)-1)
	for i, r := range recs[1:] {
		out[i] = assignment{r[0], r[1]}
	}
	return out
}

// referenceDistances scores the kept cleaned table (clean.table.csv) with
// the run's model.json through internal/model — the path `segment
// predict` takes — and returns each customer's segment ID and distance by
// id.
func referenceDistances(t *testing.T, dir string) (seg map[string]int, dist map[string]float64) {
	t.Helper()
	m, err := model.Load(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := csvio.ReadFile(context.Background(), filepath.Join(dir, "clean.table.csv"), csvio.Options{Types: map[string]frame.Kind{"Customer ID": frame.String}})
	if err != nil {
		t.Fatal(err)
	}
	tab := res.Table
	n, d := tab.NumRows(), len(m.Features)
	X := make([]float64, n*d)
	for j, f := range m.Features {
		c := tab.Col(f)
		if c == nil {
			t.Fatalf("clean.table.csv has no feature %q", f)
		}
		for i := range n {
			v, ok := c.Value(i)
			if !ok {
				t.Fatalf("feature %q row %d is missing", f, i+1)
			}
			X[i*d+j] = v
		}
	}
	a, err := m.Assign(X, n)
	if err != nil {
		t.Fatal(err)
	}
	ids := tab.Col("Customer ID")
	seg, dist = map[string]int{}, map[string]float64{}
	for i := range n {
		id := ids.Str(i)
		seg[id] = m.IDs[a.Labels[i]]
		dist[id] = a.Distance[i]
	}
	return seg, dist
}

// fileSHA256 is the hex SHA-256 of a file.
func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sinkNotes returns the export stage's notes.sinks from the manifest.json
// in dir (a published or failed run), as decoded JSON.
func sinkNotes(t *testing.T, dir, stage string) []map[string]any {
	t.Helper()
	m, err := pipeline.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range m.Stages {
		if rec.Name != stage {
			continue
		}
		raw, _ := rec.Notes["sinks"].([]any)
		var out []map[string]any
		for _, r := range raw {
			out = append(out, r.(map[string]any))
		}
		return out
	}
	t.Fatalf("no stage %q in the manifest", stage)
	return nil
}

// readCSV reads a CSV file's data rows (the header checked against
// customers.csv's).
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], "|"); got != "Customer ID|segment|segment_name|Contract|Monthly Charge|Tenure" {
		t.Fatalf("%s: header %q", path, got)
	}
	return recs[1:]
}

// loadHostile loads the test config src on the input in with --set sets.
func loadHostile(t *testing.T, src, in string, sets ...string) (*pipeline.Config, error) {
	t.Helper()
	return stagetest.Load(t, stagetest.WriteConfig(t, src, in), sets...)
}
