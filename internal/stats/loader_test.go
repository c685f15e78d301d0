package stats

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// datasetDir holds the read-only public datasets (see SOURCES.md there).
const datasetDir = "../../../shared/datasets"

// table is a CSV file held as strings.
type table struct {
	header []string
	rows   [][]string
}

// loadCSV reads a dataset, skipping the test when the file is absent.
func loadCSV(t testing.TB, name string) *table {
	t.Helper()
	f, err := os.Open(filepath.Join(datasetDir, name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("dataset %s not present under %s", name, datasetDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &table{header: recs[0], rows: recs[1:]}
}

func (tb *table) col(t testing.TB, name string) int {
	t.Helper()
	for i, h := range tb.header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q", name)
	return -1
}

// strings returns a column's cells.
func (tb *table) strings(t testing.TB, name string) []string {
	j := tb.col(t, name)
	out := make([]string, len(tb.rows))
	for i, r := range tb.rows {
		out[i] = r[j]
	}
	return out
}

// floats parses a column: a blank or whitespace-only cell is NaN.
func (tb *table) floats(t testing.TB, name string) []float64 {
	t.Helper()
	out := make([]float64, len(tb.rows))
	for i, s := range tb.strings(t, name) {
		if strings.TrimSpace(s) == "" {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("column %q row %d: %v", name, i, err)
		}
		out[i] = v
	}
	return out
}

// filter keeps the rows for which keep is true.
func (tb *table) filter(keep func(row []string) bool) *table {
	out := &table{header: tb.header}
	for _, r := range tb.rows {
		if keep(r) {
			out.rows = append(out.rows, r)
		}
	}
	return out
}

// jsonFloat decodes a JSON number, or null as NaN.
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonFloat(v)
	return nil
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// sameFloat reports whether got equals want within tol, treating NaN as
// equal to NaN. With rel, tol is relative to |want| (absolute below 1).
func sameFloat(got, want, tol float64, rel bool) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	if rel {
		return d <= tol*math.Max(1, math.Abs(want))
	}
	return d <= tol
}
