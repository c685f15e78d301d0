package ingest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// job writes data as in.csv and a config reading it with the input block
// given (path excluded) and the ingest stage's config, and returns the
// config's path and the data file's path.
func job(t *testing.T, data []byte, input, ingest string) (cfgPath, csvPath string) {
	t.Helper()
	dir := t.TempDir()
	csvPath = filepath.Join(dir, "in.csv")
	if err := os.WriteFile(csvPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	src := "version: 1\nname: ingest-test\ninput: {path: in.csv" + input + "}\nstages:\n  - type: ingest\n"
	if ingest != "" {
		src += "    config: " + ingest + "\n"
	}
	cfgPath = filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(cfgPath, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath, csvPath
}

func warnings(m *pipeline.Manifest) []string {
	var out []string
	for _, w := range m.Warnings {
		out = append(out, w.Stage+": "+w.Message)
	}
	return out
}

// TestReadsTypedTable: a semicolon file with a BOM and spaces around the
// header names (recorded as they were) becomes a typed table (ints, floats with a missing value,
// strings with the NA marker missing); the State's and the manifest's input
// record describe the file as read.
func TestReadsTypedTable(t *testing.T) {
	data := []byte("\ufeffid ; Age;Score;Plan\nA1;31;1.5;basic\nA2;45;;pro\nA3;28;2.25;N/A\n")
	cfg, csvPath := job(t, data, `, id: id, na_values: ["N/A"]`, "")
	res := stagetest.Run(t, cfg)

	tb := res.State.Table
	if got := strings.Join(tb.Names(), "|"); got != "id|Age|Score|Plan" {
		t.Fatalf("columns %s", got)
	}
	for _, c := range []struct {
		name    string
		kind    frame.Kind
		cells   string
		missing int
	}{
		{"id", frame.String, "A1|A2|A3", 0},
		{"Age", frame.Int, "31|45|28", 0},
		{"Score", frame.Float, "1.5||2.25", 1},
		{"Plan", frame.String, "basic|pro|", 1},
	} {
		col := tb.Col(c.name)
		var cells []string
		for i := range col.Len() {
			cells = append(cells, col.Format(i))
		}
		if col.Kind != c.kind || strings.Join(cells, "|") != c.cells || col.NumMissing() != c.missing {
			t.Errorf("%s: %s %q with %d missing, want %s %q with %d", c.name, col.Kind, cells, col.NumMissing(), c.kind, c.cells, c.missing)
		}
	}

	sum := sha256.Sum256(data)
	want := &result.Input{
		Format: "csv", Path: csvPath, Bytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Rows: 3, Columns: 4,
		Delimiter: ";", Encoding: "utf-8", NAValues: []string{"N/A"}, BOM: true, Trimmed: []string{"id ", " Age"}, IDColumn: "id",
		Warnings: []string{"trimmed spaces around header names: id ,  Age"},
	}
	if !reflect.DeepEqual(res.State.Input, want) {
		t.Errorf("State.Input\n%+v\nwant\n%+v", res.State.Input, want)
	}
	want.Warnings = nil // not in manifest.json: they are the run's warnings
	// manifest.json holds the same record.
	b, err := os.ReadFile(filepath.Join(res.Dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Input *result.Input `json:"input"`
	}
	if err := json.Unmarshal(b, &m); err != nil || !reflect.DeepEqual(m.Input, want) {
		t.Errorf("manifest.json input %+v (%v), want %+v", m.Input, err, want)
	}
	if w := warnings(res.Manifest); len(w) != 1 || w[0] != "ingest: trimmed spaces around header names: id ,  Age" {
		t.Errorf("warnings %q", w)
	}
	if rec := res.Manifest.Stages[0]; rec.RowsOut != 3 || rec.ColsOut != 4 || rec.Status != "succeeded" {
		t.Errorf("stage record %+v", rec)
	}
}

// TestMaxRows keeps the first max_rows rows and says so; the input record
// still counts every row of the file.
func TestMaxRows(t *testing.T) {
	data := []byte("x,y\n1,a\n2,b\n3,c\n4,d\n5,e\n")
	for _, tc := range []struct {
		maxRows string
		rows    int
		cells   string
		warn    []string
	}{
		{"{max_rows: 2}", 2, "1|2", []string{"ingest: max_rows: kept the first 2 of 5 rows"}},
		{"{max_rows: 5}", 5, "1|2|3|4|5", nil},
		{"{max_rows: 9}", 5, "1|2|3|4|5", nil},
		{"", 5, "1|2|3|4|5", nil},
	} {
		t.Run(tc.maxRows, func(t *testing.T) {
			cfg, _ := job(t, data, "", tc.maxRows)
			res := stagetest.Run(t, cfg)
			x := res.State.Table.Col("x")
			var cells []string
			for i := range x.Len() {
				cells = append(cells, x.Format(i))
			}
			if strings.Join(cells, "|") != tc.cells || res.State.Input.Rows != 5 {
				t.Errorf("rows %q, input rows %d; want %q of 5", cells, res.State.Input.Rows, tc.cells)
			}
			if w := warnings(res.Manifest); !reflect.DeepEqual(w, tc.warn) {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
		})
	}
	cfg, _ := job(t, data, "", "{max_rows: -1}")
	_, err := stagetest.Load(t, cfg)
	var ce confyaml.ConfigErrors
	if !errors.As(err, &ce) || len(ce) != 1 || !strings.HasSuffix(ce[0].Error(), `stage "ingest" (ingest): max_rows: must be 0 (all rows) or more`) {
		t.Errorf("max_rows -1: %v", err)
	}
}

// TestIDChecks: ids that cannot identify customers (missing or repeated)
// are warned about, with counts, and the run goes on; an id column that is
// not in the file is a config error before any row is read.
func TestIDChecks(t *testing.T) {
	data := []byte("cid,v\nA,1\n,2\nB,3\nA,4\nB,5\n")
	cfg, _ := job(t, data, ", id: cid", "")
	res := stagetest.Run(t, cfg)
	want := []string{
		`ingest: id column "cid" has 1 missing values`,
		`ingest: id column "cid" has 2 repeated values; segment assignments will repeat those ids`,
	}
	if w := warnings(res.Manifest); !reflect.DeepEqual(w, want) {
		t.Errorf("warnings\n%q\nwant\n%q", w, want)
	}
	if res.State.Input.IDColumn != "cid" || res.State.Table.NumRows() != 5 {
		t.Errorf("input %+v, %d rows", res.State.Input, res.State.Table.NumRows())
	}

	clean, _ := job(t, []byte("cid,v\nA,1\nB,2\n"), ", id: cid", "")
	if w := warnings(stagetest.Run(t, clean).Manifest); len(w) != 0 {
		t.Errorf("distinct ids: warnings %q", w)
	}

	bad, _ := job(t, data, ", id: customer", "")
	_, err := stagetest.Load(t, bad)
	if err == nil || !strings.Contains(err.Error(), `input.id: unknown column "customer"`) {
		t.Errorf("unknown id column: %v", err)
	}
}

// TestLatin1 reads a cp1252 file as text, recording the encoding.
func TestLatin1(t *testing.T) {
	cfg, _ := job(t, []byte("name,n\nJos\xe9,1\nZo\xeb,2\n"), ", encoding: latin1, delimiter: ','", "")
	res := stagetest.Run(t, cfg)
	if got := res.State.Table.Col("name").Format(0) + "|" + res.State.Table.Col("name").Format(1); got != "José|Zoë" {
		t.Errorf("names %q", got)
	}
	if in := res.State.Input; in.Encoding != "latin1" || in.Delimiter != "," || in.BOM {
		t.Errorf("input %+v", in)
	}
}
