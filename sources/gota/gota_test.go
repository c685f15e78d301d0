package gota_test

import (
	"context"
	"errors"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/gota"
)

const mavenPath = "../../../shared/datasets/telecom_customer_churn.csv"

// mavenGota reads the Maven table with gota's own ReadCSV, as a Go service
// would, and segment's reading of the same file; it skips the test when
// the file is absent.
func mavenGota(t *testing.T) (dataframe.DataFrame, *frame.Table) {
	t.Helper()
	f, err := os.Open(mavenPath)
	if err != nil {
		t.Skipf("Maven churn table not found at %s", mavenPath)
	}
	defer f.Close()
	df := dataframe.ReadCSV(f)
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	res, err := csvio.ReadFile(context.Background(), mavenPath, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return df, res.Table
}

// open opens df with the gota source's config and the shared types.
func open(t *testing.T, df dataframe.DataFrame, cfg *gota.Config, types map[string]string) pipeline.Source {
	t.Helper()
	src, err := gota.Open(context.Background(), df, &pipeline.InputConfig{Format: gota.Format, Options: cfg, Types: types})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// checkScan scans src in batches of n rows and checks each batch against
// the rows of want it should hold; it returns the number of batches.
func checkScan(t *testing.T, src pipeline.Source, columns []string, n int, want *frame.Table) int {
	t.Helper()
	batches, lo := 0, 0
	err := src.Scan(context.Background(), columns, n, func(b *frame.Table) error {
		rows := make([]int, 0, n)
		for i := lo; i < min(lo+n, want.NumRows()); i++ {
			rows = append(rows, i)
		}
		if err := frame.Equal(b, want.Take(rows)); err != nil {
			t.Errorf("batch %d of %d rows: %v", batches+1, n, err)
		}
		batches++
		lo += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lo < want.NumRows() {
		t.Errorf("the scan gave %d batches of %d rows for %d rows", batches, n, want.NumRows())
	}
	return batches
}

// TestMavenReadCSV: the Maven table read by gota's ReadCSV and handed over
// with csv_missing is, cell for cell, the table segment reads from the CSV
// file; its row digests are those pgio.HashTable gives that table (and so
// the PostgreSQL source's digests of the same rows); without csv_missing
// the blank cells are the string "" and the digest says the data differ.
func TestMavenReadCSV(t *testing.T) {
	df, want := mavenGota(t)
	src := open(t, df, &gota.Config{CSVMissing: true}, nil)
	got, err := src.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(got, want); err != nil {
		t.Fatalf("gota ReadCSV + csv_missing: %v", err)
	}
	lin := src.Lineage()
	wantSHA, wantSet := pgio.HashTable(want)
	if lin.SHA256 != wantSHA || lin.SetSHA256 != wantSet {
		t.Errorf("digests %s / %s, the CSV table's %s / %s", lin.SHA256, lin.SetSHA256, wantSHA, wantSet)
	}
	if lin.Format != "gota" || lin.Description != "in-memory gota DataFrame" || lin.Rows != 7043 || lin.Columns != 38 || len(lin.SourceTypes) != 38 || lin.Path != "" || lin.NAValues != nil {
		t.Errorf("lineage %+v", lin)
	}
	if st := lin.SourceTypes[0]; st.Name != "Customer ID" || st.Type != "string" {
		t.Errorf("source type %+v", st)
	}

	// Projection: only the columns asked for, in that order.
	cols := []string{"Total Revenue", "Customer ID", "Avg Monthly GB Download", "Internet Type"}
	part, err := src.Read(context.Background(), cols)
	if err != nil {
		t.Fatal(err)
	}
	wantPart, _ := want.Select(cols...)
	if err := frame.Equal(part, wantPart); err != nil {
		t.Error(err)
	}
	if l := src.Lineage(); l.Columns != 4 || l.SHA256 != wantSHA || len(l.SourceTypes) != 4 || l.SourceTypes[2].Type != "int" {
		t.Errorf("lineage of a projection %+v", l)
	}

	// Scan gives the same rows in batches.
	if n := checkScan(t, src, cols, 1000, wantPart); n != 8 {
		t.Errorf("%d batches of 1000 for 7043 rows", n)
	}

	// Without csv_missing the DataFrame's blank cells stay values.
	exact := open(t, df, nil, nil)
	raw, err := exact.Read(context.Background(), []string{"Internet Type"})
	if err != nil {
		t.Fatal(err)
	}
	c := raw.Col("Internet Type")
	if c.NumMissing() != 0 || c.Str(slices.IndexFunc(want.Col("Internet Type").Missing, func(m bool) bool { return m })) != "" {
		t.Errorf("without csv_missing: %d missing cells", c.NumMissing())
	}
	if exact.Lineage().SHA256 == wantSHA {
		t.Error("blank strings and missing cells give the same digest")
	}
}

// edge holds the cells at the limits of each kind, the text "NaN" among
// them (gota's own Set would make it NA).
func edge(t *testing.T) (*frame.Table, dataframe.DataFrame) {
	t.Helper()
	tb, err := frame.New(
		frame.NewString("s", []string{"NaN", "", "x", " \t", "N/A", " NaN ", "1.5"}, []bool{false, false, false, false, false, false, true}),
		frame.NewFloat("f", []float64{0.1234567891, 0.1234567892, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 5e-324, math.NaN()}, nil),
		frame.NewInt("i", []int64{math.MaxInt64, math.MinInt64, 0, -1, 7, 0, 3}, []bool{false, false, true, false, false, true, false}),
		frame.NewBool("b", []bool{true, false, false, true, false, true, false}, []bool{false, false, true, false, false, false, false}),
		frame.NewString("none", make([]string, 7), []bool{true, true, true, true, true, true, true}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb, tb.DataFrame()
}

// TestEdgeCells: every kind and missing cell comes through Read and Scan
// exactly (both ways with frame's conversion), the digests are pgio's,
// and csv_missing marks blank and listed strings only.
func TestEdgeCells(t *testing.T) {
	tb, df := edge(t)
	src := open(t, df, nil, nil)
	got, err := src.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(got, tb); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 7, 100} {
		batches := checkScan(t, src, nil, n, tb)
		if want := (7 + n - 1) / n; batches != want {
			t.Errorf("batches of %d: %d batches, want %d", n, batches, want)
		}
	}
	sha, set := pgio.HashTable(tb)
	if l := src.Lineage(); l.SHA256 != sha || l.SetSHA256 != set {
		t.Errorf("digests %s %s, pgio %s %s", l.SHA256, l.SetSHA256, sha, set)
	}

	csv := open(t, df, &gota.Config{CSVMissing: true, NAValues: []string{"N/A "}}, nil)
	got, err = csv.Read(context.Background(), []string{"s", "i"})
	if err != nil {
		t.Fatal(err)
	}
	s := got.Col("s")
	for i, want := range []bool{false, true, false, true, true, false, true} {
		if s.IsMissing(i) != want {
			t.Errorf("csv_missing: row %d %q missing %v, want %v", i+1, tb.Col("s").Str(i), s.IsMissing(i), want)
		}
	}
	if s.Str(0) != "NaN" || got.Col("i") == nil || got.Col("i").NumMissing() != 2 {
		t.Error("csv_missing changed more than blank and listed strings")
	}
	wantCSV := tb.MissingStrings([]string{"N/A "})
	sha, set = pgio.HashTable(wantCSV)
	if l := csv.Lineage(); l.SHA256 != sha || l.SetSHA256 != set || !slices.Equal(l.NAValues, []string{"N/A "}) {
		t.Errorf("csv_missing lineage %+v, want digests %s %s", l, sha, set)
	}
}

// TestSchemaAndTypes: the schema comes from the series' types without
// reading a cell; input.types changes the kind in the schema and in the
// rows, after csv_missing (a blank cell of a column typed int is missing).
func TestSchemaAndTypes(t *testing.T) {
	df := dataframe.New(
		series.New([]string{"001", "002", ""}, series.String, "id"),
		series.New([]string{"1", " ", "3"}, series.String, "n"),
		series.New([]int{1, 0, 1}, series.Int, "flag"),
		series.New([]float64{1.5, 2, 3}, series.Float, "x"),
	)
	types := map[string]string{"n": "int", "x": "string"}
	src := open(t, df, &gota.Config{CSVMissing: true}, types)
	fields, err := src.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []pipeline.Field{
		{Name: "id", Kind: frame.String, Type: "string"},
		{Name: "n", Kind: frame.Int, Type: "string"},
		{Name: "flag", Kind: frame.Int, Type: "int"},
		{Name: "x", Kind: frame.String, Type: "float"},
	}
	if !slices.Equal(fields, want) {
		t.Errorf("schema %+v, want %+v", fields, want)
	}
	if src.Lineage() != nil {
		t.Error("a lineage before any read")
	}
	got, err := src.Read(context.Background(), []string{"x", "n", "id"})
	if err != nil {
		t.Fatal(err)
	}
	n, x, id := got.Col("n"), got.Col("x"), got.Col("id")
	if n.Kind != frame.Int || n.Format(0) != "1" || !n.IsMissing(1) || n.Format(2) != "3" {
		t.Errorf("n typed int: %+v", n)
	}
	if x.Kind != frame.String || x.Str(0) != "1.5" || x.Str(1) != "2" {
		t.Errorf("x typed string: %+v", x)
	}
	if id.Str(0) != "001" || !id.IsMissing(2) {
		t.Errorf("id: %+v", id)
	}
	bad := open(t, df, nil, map[string]string{"id": "int"})
	if _, err := bad.Read(context.Background(), []string{"id"}); err == nil || !strings.Contains(err.Error(), `column "id" row 3: "" is not an int`) {
		t.Errorf("a blank cell typed int without csv_missing: %v", err)
	}
	if _, err := src.Read(context.Background(), []string{"nope"}); err == nil || !strings.Contains(err.Error(), `unknown column "nope"`) {
		t.Errorf("unknown column: %v", err)
	}
}

func TestOpenRefuses(t *testing.T) {
	dup := dataframe.New(series.New([]int{1}, series.Int, "a"), series.New([]int{2}, series.Int, "b"))
	if err := dup.SetNames("a", "a"); err != nil {
		t.Fatal(err)
	}
	blank := dataframe.New(series.New([]int{1}, series.Int, "a"))
	if err := blank.SetNames(""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		df   dataframe.DataFrame
		want string
	}{
		{"err", dataframe.DataFrame{Err: errors.New("load records: boom")}, "the gota DataFrame holds an error: load records: boom"},
		{"zero", dataframe.DataFrame{}, "the gota DataFrame has no columns"},
		{"duplicate", dup, `the gota DataFrame has two columns named "a"`},
		{"blank name", blank, "the gota DataFrame's column 1 has no name"},
	} {
		_, err := gota.Open(context.Background(), tc.df, &pipeline.InputConfig{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
		if err := gota.Check(tc.df); err == nil || err.Error() != tc.want {
			t.Errorf("Check %s: %v", tc.name, err)
		}
	}
}

// TestCancel: a cancelled context stops a read and a scan.
func TestCancel(t *testing.T) {
	_, df := edge(t)
	src := open(t, df, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := src.Read(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("read: %v", err)
	}
	if err := src.Scan(ctx, nil, 2, func(*frame.Table) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("scan: %v", err)
	}
	if src.Lineage() != nil {
		t.Error("a cancelled read left a lineage")
	}
}

func TestConfigAndDetect(t *testing.T) {
	if err := (&gota.Config{NAValues: []string{"N/A"}}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "na_values: applies with csv_missing: true") {
		t.Errorf("na_values without csv_missing: %v", err)
	}
	if err := gota.NewConfig().(*gota.Config).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	for _, tc := range []struct {
		p    pipeline.Probe
		want int
	}{
		{pipeline.Probe{Keys: []string{"id"}}, pipeline.DetectFallback},
		{pipeline.Probe{Keys: []string{"csv_missing"}}, pipeline.DetectFallback},
		{pipeline.Probe{}, pipeline.DetectFallback},
		{pipeline.Probe{Keys: []string{"dsn", "id"}}, pipeline.DetectFallback}, // postgres claims it with DetectContent
		{pipeline.Probe{Path: "x.csv", Keys: []string{"id", "path"}}, pipeline.DetectNo},
	} {
		if got := gota.Detect(tc.p); got != tc.want {
			t.Errorf("Detect(%+v) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

// TestKeysDocumented: like sources/contract_test.go for the listed
// sources, every key is a documented YAML key of docs/config.md.
func TestKeysDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "\n## Source `gota`")
	if start < 0 {
		t.Fatal("docs/config.md has no section \"## Source `gota`\"")
	}
	sec := doc[start+1:]
	if next := regexp.MustCompile(`(?m)^## `).FindAllStringIndex(sec, 2); len(next) == 2 {
		sec = sec[:next[1][0]]
	}
	for _, k := range confyaml.KnownKeys(gota.NewConfig()) {
		if !strings.Contains(sec, "\n| `"+k+"`") {
			t.Errorf("key %s is not documented in docs/config.md's section on the gota source", k)
		}
	}
	f := gota.Factory(dataframe.DataFrame{})
	if f.Format != "gota" || f.ReadsPath || f.Summary == "" {
		t.Errorf("factory %+v", f)
	}
}
