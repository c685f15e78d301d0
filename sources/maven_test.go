package sources_test

// The Maven reproduction through every source: configs/maven_churn.yaml
// pointed at the Maven table as .csv.gz, as Parquet written by another
// writer (xitongsys/parquet-go) and as a PostgreSQL table loaded with
// `psql \copy` gives exactly the run the CSV file gives: the notebook's
// seed table (5,174 rows), the same correlation matrix, the same k = 4
// model (inertia 0.21620252197655662, sizes 3987/1124/49/14) and
// byte-identical assignments.

import (
	"bytes"
	"compress/gzip"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/parquettest"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

const mavenCSV = "../../shared/datasets/telecom_customer_churn.csv"

// The notebook's k = 4 model (stages/cluster/maven_test.go) and the
// tolerance of the correlation matrices against the CSV run's.
const (
	wantInertia = 0.21620252197655662
	corrTol     = 1e-12
)

func needMaven(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(mavenCSV)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("Maven churn table not found at %s (the shared datasets sit beside the repo)", mavenCSV)
	}
	return p
}

// runMaven runs configs/maven_churn.yaml with the overrides.
func runMaven(t *testing.T, sets ...string) *pipeline.RunResult {
	t.Helper()
	var ovs []confyaml.Override
	for _, s := range sets {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	cfg, err := pipeline.Load("../configs/maven_churn.yaml", stages.Registry(), pipeline.LoadOptions{Overrides: ovs})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameRun checks a run against the CSV run and the notebook's numbers.
func sameRun(t *testing.T, got, want *pipeline.RunResult) {
	t.Helper()
	var seed *pipeline.StageRecord
	for _, s := range got.Manifest.Stages {
		if s.Name == "seed_table" {
			seed = s
		}
	}
	if seed == nil || seed.RowsIn != 7043 || seed.RowsOut != 5174 {
		t.Errorf("seed table: %+v, want 7043 → 5174 rows", seed)
	}
	gc, wc := got.State.EDA.Correlation, want.State.EDA.Correlation
	if !slices.Equal(gc.Columns, wc.Columns) {
		t.Fatalf("correlation columns %v, want %v", gc.Columns, wc.Columns)
	}
	for i := range wc.R {
		for j := range wc.R[i] {
			if d := math.Abs(gc.R[i][j] - wc.R[i][j]); !(d <= corrTol) {
				t.Errorf("corr(%s, %s) = %.17g, CSV run %.17g", wc.Columns[i], wc.Columns[j], gc.R[i][j], wc.R[i][j])
			}
		}
	}
	c := got.State.Clusters
	if c.K != 4 || c.Inertia != want.State.Clusters.Inertia || math.Abs(c.Inertia/wantInertia-1) > 1e-12 {
		t.Errorf("k %d inertia %.17g, want 4 and %.17g", c.K, c.Inertia, wantInertia)
	}
	if !slices.Equal(c.Sizes, []int{3987, 1124, 49, 14}) {
		t.Errorf("sizes %v", c.Sizes)
	}
	for _, f := range []string{"assignments.csv", "correlation.csv", "elbow.csv", "profile.csv"} {
		a, err1 := os.ReadFile(filepath.Join(got.Dir, f))
		b, err2 := os.ReadFile(filepath.Join(want.Dir, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the CSV run's (%v %v)", f, err1, err2)
		}
	}
}

func TestMavenThroughEverySource(t *testing.T) {
	data := needMaven(t)
	base := runMaven(t, "input.path="+data)
	if m := base.Manifest.Input; m.Format != "csv" || m.Rows != 7043 {
		t.Fatalf("CSV run input %+v", m)
	}
	dir := t.TempDir()

	t.Run("csv.gz", func(t *testing.T) {
		gz := filepath.Join(dir, "maven.csv.gz")
		raw, err := os.ReadFile(data)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(raw)
		w.Close()
		if err := os.WriteFile(gz, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		res := runMaven(t, "input.path="+gz)
		if in := res.Manifest.Input; in.Format != "csv" || in.Compression != "gzip" || in.Bytes != int64(b.Len()) || in.Rows != 7043 {
			t.Errorf("input record %+v", in)
		}
		sameRun(t, res, base)
	})

	t.Run("parquet", func(t *testing.T) {
		csvRes, err := csvio.ReadFile(context.Background(), data, csvio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]string{}
		for _, f := range csvRes.Table.Schema() {
			types[f.Name] = f.Kind.String()
		}
		pq := filepath.Join(dir, "maven.parquet")
		parquettest.ConvertCSV(t, data, pq, types, 256<<10)
		res := runMaven(t, "input.path="+pq)
		if in := res.Manifest.Input; in.Format != "parquet" || in.Rows != 7043 || in.Columns != 38 || len(in.SourceTypes) != 38 || in.SHA256 == "" {
			t.Errorf("input record %+v", in)
		}
		sameRun(t, res, base)
	})

	t.Run("postgres", func(t *testing.T) {
		dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
		loadWithPsql(t, dsn, "maven churn", data)
		res := runMaven(t, "input.path=", "input.dsn="+dsn, "input.table=maven churn")
		in := res.Manifest.Input
		if in.Format != "postgres" || in.Rows != 7043 || in.Ordered == nil || !*in.Ordered || in.SetSHA256 == "" || in.ServerVersion == "" {
			t.Errorf("input record %+v", in)
		}
		if in.Statement != `COPY (SELECT "Customer ID", "Gender", "Age", "Married", "Number of Dependents", "City", "Zip Code", "Latitude", "Longitude", "Number of Referrals", "Tenure in Months", "Offer", "Phone Service", "Avg Monthly Long Distance Charges", "Multiple Lines", "Internet Service", "Internet Type", "Avg Monthly GB Download", "Online Security", "Online Backup", "Device Protection Plan", "Premium Tech Support", "Streaming TV", "Streaming Movies", "Streaming Music", "Unlimited Data", "Contract", "Paperless Billing", "Payment Method", "Monthly Charge", "Total Charges", "Total Refunds", "Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue", "Customer Status", "Churn Category", "Churn Reason" FROM "maven churn" ORDER BY "Customer ID" COLLATE "C" NULLS LAST) TO STDOUT (FORMAT binary)` {
			t.Errorf("statement %s", in.Statement)
		}
		sameRun(t, res, base)
		// The rows as read are the CSV file's rows, in the file's order: the
		// row digest of the table read from the CSV file is the same.
		if got, want := in.SHA256, rowsSHA256(t, data); got != want {
			t.Errorf("row digest %s, CSV table's %s", got, want)
		}
	})
}

// loadWithPsql creates table shaped like the CSV file (the column types
// csvio infers) and loads the file with psql's \copy, as a user would;
// without psql it uses pgtest.LoadCSV, which sends the same COPY.
func loadWithPsql(t *testing.T, dsn, table, path string) {
	t.Helper()
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Logf("psql not found (%v); loading with pgtest.LoadCSV", err)
		pgtest.LoadCSV(t, dsn, table, path)
		return
	}
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, dsn, pgtest.CreateTableSQL(pgtest.QuoteIdent(table), res.Table))
	copyCmd := `\copy ` + pgtest.QuoteIdent(table) + ` FROM '` + path + `' (FORMAT csv, HEADER)`
	out, err := exec.Command(psql, "-X", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", copyCmd).CombinedOutput()
	if err != nil {
		t.Fatalf("psql \\copy: %v\n%s", err, out)
	}
}

// rowsSHA256 is pgio's ordered row digest of the table csvio reads from a
// CSV file.
func rowsSHA256(t *testing.T, path string) string {
	t.Helper()
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ordered, _ := pgio.HashTable(res.Table)
	return ordered
}
