package export_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	xsreader "github.com/xitongsys/parquet-go/reader"
	xssource "github.com/xitongsys/parquet-go/source"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/stages/export"
)

// resultNames are the columns of the customer results of exportBlock.
var resultNames = []string{"Customer ID", "segment", "segment_name", "distance", "run_id", "model_sha256", "Contract", "Monthly Charge", "Tenure"}

// TestCustomersParquet runs configs/churn.yaml with customers.parquet and
// reads the file back twice — with parquetio and with xitongsys/parquet-go
// (an independent implementation): every row equals assignments.csv (the
// id byte for byte, the segment), the distance is the model's (1e-12),
// run_id and model_sha256 name the run and its model.json, the attribute
// columns equal customers.csv, and the footer carries the run id and model
// sha256.
func TestCustomersParquet(t *testing.T) {
	if raceEnabled {
		t.Skip("a full run of the shipped job takes over a minute under the race detector")
	}
	cfg := churnConfig(t, exportBlock("[csv, parquet]", ""))
	now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	res, err := runAt(t, context.Background(), cfg, t.TempDir(), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := res.Dir
	path := filepath.Join(dir, "customers.parquet")
	want := readAssignments(t, dir)
	refSeg, refDist := referenceDistances(t, dir)
	modelSHA := fileSHA256(t, filepath.Join(dir, "model.json"))
	runID := "20260301T020000Z-churn"
	if res.ID != runID {
		t.Fatalf("run id %s", res.ID)
	}

	// parquetio.
	ds, err := parquetio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ds.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tab.Names(), "|"); got != strings.Join(resultNames, "|") {
		t.Fatalf("columns %s", got)
	}
	if tab.NumRows() != len(want) || len(want) != 7043 {
		t.Fatalf("%d rows, assignments.csv has %d", tab.NumRows(), len(want))
	}
	ids, seg, dist := tab.Col("Customer ID"), tab.Col("segment"), tab.Col("distance")
	if ids.Kind != frame.String || seg.Kind != frame.Int || dist.Kind != frame.Float {
		t.Fatalf("kinds %v %v %v", ids.Kind, seg.Kind, dist.Kind)
	}
	for i, a := range want {
		id := ids.Str(i)
		if id != a.id || strconv.FormatInt(seg.Int(i), 10) != a.segment {
			t.Fatalf("row %d: %q %d, assignments.csv %q %s", i+1, id, seg.Int(i), a.id, a.segment)
		}
		if int(seg.Int(i)) != refSeg[id] || math.Abs(dist.Floats[i]-refDist[id]) > distTol {
			t.Fatalf("row %d (%s): segment %d distance %v, model %d %v", i+1, id, seg.Int(i), dist.Floats[i], refSeg[id], refDist[id])
		}
		if tab.Col("run_id").Str(i) != runID || tab.Col("model_sha256").Str(i) != modelSHA {
			t.Fatalf("row %d: run_id %q model_sha256 %q", i+1, tab.Col("run_id").Str(i), tab.Col("model_sha256").Str(i))
		}
	}
	// The attribute columns and names as in customers.csv.
	customers := readCSV(t, filepath.Join(dir, "customers.csv"))
	for i, row := range customers {
		got := []string{ids.Str(i), seg.Str(i), tab.Col("segment_name").Str(i), tab.Col("Contract").Str(i), tab.Col("Monthly Charge").Str(i), tab.Col("Tenure").Str(i)}
		if strings.Join(got, "|") != strings.Join(row, "|") {
			t.Fatalf("row %d: %q, customers.csv %q", i+1, got, row)
		}
	}

	// xitongsys/parquet-go.
	xs := readXitongsys(t, path)
	if strings.Join(xs.names, "|") != strings.Join(resultNames, "|") {
		t.Fatalf("xitongsys columns %q", xs.names)
	}
	if xs.meta[export.MetaRunID] != runID || xs.meta[export.MetaModelSHA256] != modelSHA {
		t.Errorf("footer metadata %v", xs.meta)
	}
	for i, a := range want {
		id, _ := xs.cols[0][i].(string)
		sg, _ := xs.cols[1][i].(int64)
		d, _ := xs.cols[3][i].(float64)
		if id != a.id || strconv.FormatInt(sg, 10) != a.segment || math.Abs(d-refDist[id]) > distTol || d != dist.Floats[i] {
			t.Fatalf("xitongsys row %d: %q %d %v; want %q %s %v", i+1, id, sg, d, a.id, a.segment, refDist[id])
		}
		if xs.cols[4][i] != runID || xs.cols[5][i] != modelSHA {
			t.Fatalf("xitongsys row %d: %v %v", i+1, xs.cols[4][i], xs.cols[5][i])
		}
	}

	// The manifest's record of the file.
	sinks := sinkNotes(t, res.Dir, "export")
	if len(sinks) != 1 || sinks[0]["kind"] != "parquet" || sinks[0]["path"] != "customers.parquet" || sinks[0]["rows"] != float64(7043) ||
		sinks[0]["sha256"] != fileSHA256(t, path) || sinks[0]["run_id"] != runID || sinks[0]["model_sha256"] != modelSHA {
		t.Errorf("manifest sinks %v", sinks)
	}
	// No temporary file is left beside it.
	if m, _ := filepath.Glob(filepath.Join(dir, ".customers.parquet.tmp-*")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}

// TestParquetConfig: attribute columns named like a column the results
// add are refused when results are written (and only then); formats may
// be empty only with a database; a database needs both dsn and table.
func TestParquetConfig(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "hostile.csv")
	os.WriteFile(in, []byte(strings.Replace(hostile, "=cmd", "distance", 1)), 0o644)
	src := strings.Replace(config, `columns: ["=cmd", spend, plan]`, "columns: [spend, distance]", 1)
	for _, tc := range []struct{ set, want string }{
		{"stages.export.customers.formats=[parquet]", `customers.columns[1]: "distance" is a column the customer results (parquet, database) add`},
		{"stages.export.customers.formats=[]", "customers.formats: list at least one of csv, xlsx, parquet (or write to a database with database.table)"},
		{"stages.export.database.table=segments", `database.dsn: give the connection (e.g. dsn: ${SEGMENT_PG_DSN}) to write to table "segments"`},
		{"stages.export.database.mode=upsert", `database.mode: unknown mode "upsert" (want replace or append-run)`},
		{"stages.export.database.dsn=host=/tmp", "database.table: give the table to write the customer results to (the DSN is set)"},
	} {
		_, err := loadHostile(t, src, in, tc.set)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.set, err, tc.want)
		}
	}
	// csv alone keeps accepting a column called distance.
	if _, err := loadHostile(t, src, in); err != nil {
		t.Errorf("csv with a column distance: %v", err)
	}
}

// xsResult is a Parquet file as xitongsys/parquet-go reads it.
type xsResult struct {
	names []string
	cols  [][]any // per column, one value per row (nil for null)
	meta  map[string]string
}

// xsFile adapts an *os.File to xitongsys' source.ParquetFile (read only).
type xsFile struct{ *os.File }

func (f xsFile) Open(name string) (xssource.ParquetFile, error) {
	if name == "" {
		name = f.Name()
	}
	g, err := os.Open(name)
	return xsFile{g}, err
}

func (f xsFile) Create(string) (xssource.ParquetFile, error) {
	return nil, errors.New("read only")
}

func readXitongsys(t *testing.T, path string) xsResult {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := xsreader.NewParquetColumnReader(xsFile{f}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.ReadStop()
	out := xsResult{meta: map[string]string{}}
	for _, kv := range pr.Footer.KeyValueMetadata {
		if kv.Value != nil {
			out.meta[kv.Key] = *kv.Value
		}
	}
	n := pr.GetNumRows()
	for i := 1; i < len(pr.SchemaHandler.Infos); i++ {
		out.names = append(out.names, pr.SchemaHandler.GetExName(i)) // the name as written
	}
	for j := range out.names {
		vals, _, _, err := pr.ReadColumnByIndex(int64(j), n)
		if err != nil {
			t.Fatalf("xitongsys: column %d: %v", j, err)
		}
		if int64(len(vals)) != n {
			t.Fatalf("xitongsys: column %d: %d values for %d rows", j, len(vals), n)
		}
		out.cols = append(out.cols, vals)
	}
	return out
}
