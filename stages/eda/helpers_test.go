package eda_test

import (
	"encoding/csv"
	"encoding/json"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// tol is the accuracy required against pandas.
const tol = 1e-12

// dataset returns the absolute path of a shared public dataset, skipping
// the test when it is absent.
func dataset(t *testing.T, name string) string { return stagetest.Dataset(t, name) }

// runFile loads and runs a config file into a temporary output folder.
func runFile(t *testing.T, path string, sets ...string) *pipeline.RunResult {
	return stagetest.Run(t, path, sets...)
}

// runYAML writes src as a config file in a temporary folder and runs it.
func runYAML(t *testing.T, src string) *pipeline.RunResult {
	return stagetest.Run(t, stagetest.WriteConfig(t, src, ""))
}

func pngSize(t *testing.T, path string) (int, int) { return stagetest.PNGSize(t, path) }

// matrixCSV is a square matrix read from a pandas-style CSV.
type matrixCSV struct {
	cols, rows []string
	v          [][]float64
}

func readMatrix(t *testing.T, path string) matrixCSV {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 || recs[0][0] != "" {
		t.Fatalf("%s: header must start with an empty cell, got %q", path, recs[0])
	}
	m := matrixCSV{cols: recs[0][1:]}
	for _, rec := range recs[1:] {
		m.rows = append(m.rows, rec[0])
		row := make([]float64, len(rec)-1)
		for j, s := range rec[1:] {
			if s == "" {
				row[j] = math.NaN()
				continue
			}
			if row[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		m.v = append(m.v, row)
	}
	return m
}

// compareMatrix checks names exactly and values within tol (NaN equals
// NaN).
func compareMatrix(t *testing.T, what string, got, want matrixCSV, tol float64) {
	t.Helper()
	if !equalStrings(got.cols, want.cols) || !equalStrings(got.rows, want.rows) {
		t.Fatalf("%s: columns %q rows %q, want %q %q", what, got.cols, got.rows, want.cols, want.rows)
	}
	worst := 0.0
	for i := range want.v {
		for j := range want.v[i] {
			g, w := got.v[i][j], want.v[i][j]
			if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > tol {
				t.Errorf("%s[%s][%s] = %.17g, pandas %.17g", what, want.rows[i], want.cols[j], g, w)
			}
			if d := math.Abs(g - w); d > worst {
				worst = d
			}
		}
	}
	t.Logf("%s: %d×%d, largest difference from pandas %.3g", what, len(want.v), len(want.cols), worst)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func readManifest(t *testing.T, dir string) *pipeline.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m pipeline.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// summaryFixture is one column of testdata/summaries.json (pandas
// describe()).
type summaryFixture struct {
	Type     string   `json:"type"`
	Count    int      `json:"count"`
	Missing  int      `json:"missing"`
	Distinct int      `json:"distinct"`
	Mean     *float64 `json:"mean"`
	Std      *float64 `json:"std"`
	Min      *float64 `json:"min"`
	Q25      *float64 `json:"q25"`
	Q50      *float64 `json:"q50"`
	Q75      *float64 `json:"q75"`
	Max      *float64 `json:"max"`
	Top      *string  `json:"top"`
	Freq     *int     `json:"freq"`
}

func summaries(t *testing.T, name string) map[string]summaryFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/summaries.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]map[string]summaryFixture
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	return all[name]
}

// readSummaryCSV reads summary.csv into one map per column.
func readSummaryCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for j, h := range recs[0] {
			m[h] = rec[j]
		}
		out = append(out, m)
	}
	return out
}

// closeTo compares with a tolerance relative to the magnitude (absolute
// below 1).
func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}
