package eda_test

// execution.mode: database: the eda stage's aggregates computed by
// PostgreSQL, compared with pandas 1.5.3 (the fixtures of datasets_test.go)
// and with the in-memory run, on a single server and on the sharded setup
// (a coordinator and two postgres_fdw shards, aggregates per partition).

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// dbTol is the tolerance of the database's statistics against pandas and
// the in-memory run, relative to max(1, |value|): PostgreSQL accumulates
// moments with Youngs–Cramer and the partitions' are combined pairwise, so
// the last few bits differ (about 1e-14 on these tables).
const dbTol = 1e-9

func dbClose(got, want float64) bool {
	if math.IsNaN(got) || math.IsNaN(want) {
		return math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= dbTol*math.Max(1, math.Abs(want))
}

// edaDBConfig is ingest → eda on a PostgreSQL table in database mode.
const edaDBConfig = `version: 1
name: maven-eda-db
input: {dsn: %q, table: %q, id: Customer ID}
execution: {mode: database}
stages:
  - type: ingest
  - type: eda
`

// runEDADB runs edaDBConfig on table at dsn.
func runEDADB(t *testing.T, dsn, table string) *pipeline.RunResult {
	t.Helper()
	return runYAML(t, fmt.Sprintf(edaDBConfig, dsn, table))
}

// checkEDAMatchesPandas compares a database-mode run with pandas' fixtures
// and with the in-memory EDA mem.
func checkEDAMatchesPandas(t *testing.T, res *pipeline.RunResult, mem *result.EDA) {
	t.Helper()
	dir := res.Dir
	compareMatrix(t, "maven pearson", readMatrix(t, filepath.Join(dir, "correlation.csv")), readMatrix(t, "testdata/maven_pearson.csv"), dbTol)
	compareMatrix(t, "maven n", readMatrix(t, filepath.Join(dir, "correlation_n.csv")), readMatrix(t, "testdata/maven_n.csv"), 0)
	rows := readSummaryCSV(t, filepath.Join(dir, "summary.csv"))
	want := summaries(t, "maven")
	for _, row := range rows {
		col := row["column"]
		w, ok := want[col]
		if !ok {
			continue // the id
		}
		for _, c := range []struct {
			key  string
			want int
		}{{"count", w.Count}, {"missing", w.Missing}, {"distinct", w.Distinct}} {
			if row[c.key] != strconv.Itoa(c.want) {
				t.Errorf("%s %s = %s, pandas %d", col, c.key, row[c.key], c.want)
			}
		}
		if w.Type == "string" {
			if w.Top != nil && (row["top"] != *w.Top || row["freq"] != strconv.Itoa(*w.Freq)) {
				t.Errorf("%s: top %q freq %s, pandas %q %d", col, row["top"], row["freq"], *w.Top, *w.Freq)
			}
			continue
		}
		for _, c := range []struct {
			key  string
			want *float64
		}{{"mean", w.Mean}, {"std", w.Std}, {"min", w.Min}, {"25%", w.Q25}, {"50%", w.Q50}, {"75%", w.Q75}, {"max", w.Max}} {
			if c.want == nil {
				if row[c.key] != "" {
					t.Errorf("%s %s = %s, pandas NaN", col, c.key, row[c.key])
				}
				continue
			}
			g, err := strconv.ParseFloat(row[c.key], 64)
			if err != nil || !dbClose(g, *c.want) {
				t.Errorf("%s %s = %s, pandas %.17g", col, c.key, row[c.key], *c.want)
			}
		}
	}
	// Field by field against the in-memory run.
	got := res.State.EDA
	if got.Rows != mem.Rows || got.Columns != mem.Columns || len(got.Summary) != len(mem.Summary) {
		t.Fatalf("database EDA %d rows × %d columns (%d summaries), memory %d × %d (%d)", got.Rows, got.Columns, len(got.Summary), mem.Rows, mem.Columns, len(mem.Summary))
	}
	worst := 0.0
	for i, g := range got.Summary {
		m := mem.Summary[i]
		if g.Column != m.Column || g.Type != m.Type || g.Role != m.Role || g.Count != m.Count || g.Missing != m.Missing || g.Distinct != m.Distinct || g.Top != m.Top || g.Freq != m.Freq {
			t.Errorf("summary %s: database %+v, memory %+v", m.Column, g, m)
		}
		for _, p := range [][2]float64{{g.Mean, m.Mean}, {g.Std, m.Std}, {g.Min, m.Min}, {g.Q25, m.Q25}, {g.Q50, m.Q50}, {g.Q75, m.Q75}, {g.Max, m.Max}} {
			if !dbClose(p[0], p[1]) {
				t.Errorf("summary %s: database %v, memory %v", m.Column, p[0], p[1])
			}
			if d := math.Abs(p[0]-p[1]) / math.Max(1, math.Abs(p[1])); d > worst {
				worst = d
			}
		}
	}
	gc, mc := got.Correlation, mem.Correlation
	if strings.Join(gc.Columns, ",") != strings.Join(mc.Columns, ",") || len(gc.Excluded) != len(mc.Excluded) {
		t.Fatalf("correlation columns %v (excluded %v), memory %v (%v)", gc.Columns, gc.Excluded, mc.Columns, mc.Excluded)
	}
	for i := range mc.R {
		for j := range mc.R[i] {
			if !dbClose(gc.R[i][j], mc.R[i][j]) || gc.N[i][j] != mc.N[i][j] {
				t.Errorf("corr(%s, %s) = %v (n %d), memory %v (n %d)", mc.Columns[i], mc.Columns[j], gc.R[i][j], gc.N[i][j], mc.R[i][j], mc.N[i][j])
			}
			if d := math.Abs(gc.R[i][j] - mc.R[i][j]); d > worst {
				worst = d
			}
		}
	}
	if len(got.Insights) != len(mem.Insights) || len(got.Alerts) != len(mem.Alerts) {
		t.Errorf("%d insights and %d alerts, memory %d and %d", len(got.Insights), len(got.Alerts), len(mem.Insights), len(mem.Alerts))
	}
	t.Logf("largest difference from the in-memory run: %.3g (relative to max(1, |x|))", worst)
	// Only aggregates left the database.
	rec := stageDatabase(t, res, "eda")
	if rec.RowsPulled != 0 || rec.Statements < 3 || rec.RowsReturned == 0 {
		t.Errorf("eda's database record: %d statements, %d rows returned, %d pulled", rec.Statements, rec.RowsReturned, rec.RowsPulled)
	}
}

// stageDatabase is the database record a stage noted in the manifest.
func stageDatabase(t *testing.T, res *pipeline.RunResult, stage string) *pushdown.Record {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(res.Dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Stages []struct {
			Name  string `json:"name"`
			Notes struct {
				Database json.RawMessage `json:"database"`
			} `json:"notes"`
		} `json:"stages"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, s := range m.Stages {
		if s.Name == stage {
			var rec pushdown.Record
			if err := json.Unmarshal(s.Notes.Database, &rec); err != nil {
				t.Fatalf("%s's notes.database: %v", stage, err)
			}
			return &rec
		}
	}
	t.Fatalf("no stage %s in the manifest", stage)
	return nil
}

// TestDatabaseMatchesPandas: the whole Maven table (7,043 rows, 38
// columns) described by PostgreSQL in database mode equals pandas'
// describe() and corr() and the in-memory run within dbTol, with only
// aggregates leaving the database.
func TestDatabaseMatchesPandas(t *testing.T) {
	data := dataset(t, "telecom_customer_churn.csv")
	sdsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.LoadCSV(t, sdsn, "maven", data)
	mem := runYAML(t, fmt.Sprintf(`version: 1
name: maven-eda
input: {path: %q, id: Customer ID}
stages:
  - type: ingest
  - type: eda
`, data))
	res := runEDADB(t, sdsn, "maven")
	checkEDAMatchesPandas(t, res, mem.State.EDA)
}

// TestDatabaseShardedEDA: the same on the sharded setup. The table is
// hash-partitioned on the id over two shards; every combinable aggregate
// runs once per partition and EXPLAIN (VERBOSE) shows it shipped whole to
// the shard (Remote SQL holding the aggregate), while the quartiles,
// distinct counts and top values run on the coordinator.
func TestDatabaseShardedEDA(t *testing.T) {
	data := dataset(t, "telecom_customer_churn.csv")
	tbl, err := csvio.ReadFile(context.Background(), data, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	coord, _ := pgtest.Sharded(t, "maven", tbl.Table, "Customer ID")
	mem := runYAML(t, fmt.Sprintf(`version: 1
name: maven-eda
input: {path: %q, id: Customer ID}
stages:
  - type: ingest
  - type: eda
`, data))
	res := runEDADB(t, coord, "maven")
	checkEDAMatchesPandas(t, res, mem.State.EDA)
	rec := stageDatabase(t, res, "eda")
	pushed := 0
	for _, q := range rec.Queries {
		if q.On == pushdown.OnSource {
			continue
		}
		plan := pgtest.Explain(t, coord, q.SQL)
		if !strings.Contains(plan, "Relations: Aggregate on") || !strings.Contains(plan, "Remote SQL: SELECT") || !strings.Contains(plan, "regr_sxx(") {
			t.Errorf("%s on %s is not shipped whole to the shard:\n%s", q.What, q.On, plan)
		}
		if strings.Contains(plan, "HashAggregate") || strings.Contains(plan, "GroupAggregate") || strings.Contains(plan, "\n   ->  Aggregate") {
			t.Errorf("%s on %s aggregates on the coordinator:\n%s", q.What, q.On, plan)
		}
		pushed++
	}
	if pushed < 4 { // two statements (statistics, correlation) × two partitions
		t.Errorf("%d per-partition statements, want at least 4", pushed)
	}
}
