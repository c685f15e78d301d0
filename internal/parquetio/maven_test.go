package parquetio

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquettest"
)

const mavenCSV = "../../../shared/datasets/telecom_customer_churn.csv"

// convertWithOtherWriter converts a CSV file to Parquet with another writer
// (xitongsys/parquet-go; see internal/parquettest).
func convertWithOtherWriter(t *testing.T, csvPath, out string, types map[string]string, rowGroupBytes int64) {
	parquettest.ConvertCSV(t, csvPath, out, types, rowGroupBytes)
}

// TestMavenAsParquet is the basis of "the Maven table as Parquet reproduces
// the analysis exactly": the table converted to Parquet by another writer
// reads back identical to what csvio reads from the CSV — the same names,
// kinds, values (floats bit for bit), missing masks and string dictionaries.
func TestMavenAsParquet(t *testing.T) {
	if _, err := os.Stat(mavenCSV); err != nil {
		t.Skipf("Maven dataset not available: %v", err)
	}
	res, err := csvio.ReadFile(context.Background(), mavenCSV, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := res.Table
	types := map[string]string{}
	var intsWithMissing []string
	for _, f := range want.Schema() {
		types[f.Name] = f.Kind.String()
		if f.Kind == frame.Int && f.Missing > 0 {
			intsWithMissing = append(intsWithMissing, f.Name)
		}
	}
	path := filepath.Join(t.TempDir(), "maven.parquet")
	convertWithOtherWriter(t, mavenCSV, path, types, 256<<10)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.files[0].rgRows) < 3 {
		t.Errorf("only %d row groups; the test wants several", len(d.files[0].rgRows))
	}
	got, err := d.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.NumRows() != 7043 || got.NumCols() != 38 {
		t.Fatalf("%d×%d", got.NumRows(), got.NumCols())
	}
	sameTable(t, want, got)

	// A projection of the columns a config uses reads the same values.
	cols := []string{"Customer ID", "Customer Status", "Number of Referrals", "Tenure in Months", "Total Revenue", "Avg Monthly GB Download"}
	sub, err := d.Read(context.Background(), cols)
	if err != nil {
		t.Fatal(err)
	}
	wantSub, _ := want.Select(cols...)
	sameTable(t, wantSub, sub)

	// pandas would give an int column with empty cells float64 and write it
	// as DOUBLE; such a file reads those columns as floats with the same
	// values and everything else unchanged.
	if len(intsWithMissing) == 0 {
		t.Fatal("expected int columns with missing values in the Maven table")
	}
	for _, n := range intsWithMissing {
		types[n] = "float"
	}
	pdPath := filepath.Join(t.TempDir(), "maven_pandas_dtypes.parquet")
	convertWithOtherWriter(t, mavenCSV, pdPath, types, 1<<20)
	pd := readAll(t, pdPath)
	for _, n := range intsWithMissing {
		c := want.Col(n)
		x, _ := c.Float64s()
		fc := frame.NewFloat(n, x, c.Missing)
		if want, err = want.With(fc); err != nil {
			t.Fatal(err)
		}
	}
	sameTable(t, want, pd)
	t.Logf("int columns with missing values (float64 in pandas): %q", intsWithMissing)
}
