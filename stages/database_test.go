package stages

// execution.mode: database end to end: configs/maven_churn.yaml with its
// input switched to a PostgreSQL table, on one server and on the sharded
// setup (a coordinator whose table is hash-partitioned on the id into two
// postgres_fdw foreign tables on two shards), against the in-memory run;
// EXPLAIN (VERBOSE) of the statements that run per partition; a smaller
// sample with Lloyd passes in SQL; and the bad inputs (a step without SQL
// form, a file input, a missing feature, a statement timeout, a revoked
// privilege on the output table).

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/pipeline"
)

const (
	mavenCSV = "../../shared/datasets/telecom_customer_churn.csv"
	// mavenInertia and mavenSizes are the notebook's k = 4 model
	// (stages/cluster/maven_test.go).
	mavenInertia = 0.21620252197655662
	// dbTol is the tolerance, relative to max(1, |x|), between what the
	// database computes (sums and moments in its own order, combined across
	// partitions) and the in-memory run: the last few bits differ (1e-14
	// on these tables).
	dbTol = 1e-9
	// inertiaTol is the tolerance, relative, between the fit's inertia and
	// scikit-learn's mavenInertia: the in-memory fit sums in another order
	// than scikit-learn (it gives 0.21620252197655671, 4e-16 off); the
	// database-mode fit equals the in-memory one to the bit (sameModel).
	inertiaTol = 1e-12
)

var mavenSizes = []int{3987, 1124, 49, 14}

func needMaven(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(mavenCSV)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("Maven churn table not found at %s", mavenCSV)
	}
	return p
}

// load loads and checks configs/maven_churn.yaml with overrides.
func load(t *testing.T, sets ...string) (*pipeline.Config, error) {
	t.Helper()
	var ovs []confyaml.Override
	for _, s := range sets {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	cfg, err := pipeline.Load("../configs/maven_churn.yaml", Registry(), pipeline.LoadOptions{Overrides: ovs})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// runMaven runs configs/maven_churn.yaml with overrides into out (a new
// folder when "").
func runMaven(t *testing.T, out string, sets ...string) (*pipeline.RunResult, error) {
	t.Helper()
	cfg, err := load(t, sets...)
	if err != nil {
		return nil, err
	}
	if out == "" {
		out = t.TempDir()
	}
	return pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: out})
}

func mustRun(t *testing.T, sets ...string) *pipeline.RunResult {
	t.Helper()
	res, err := runMaven(t, "", sets...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// dbSets switches the config's input to table at dsn, in database mode,
// the assignments going to table out.
func dbSets(dsn, table, out string, more ...string) []string {
	return append([]string{"input.path=", "input.dsn=" + dsn, "input.table=" + table, "execution.mode=database",
		"stages.cluster.database.table=" + out}, more...)
}

// stageNotes is a stage's notes.database in the manifest.
func stageNotes(t *testing.T, res *pipeline.RunResult, stage string) map[string]json.RawMessage {
	t.Helper()
	for _, s := range res.Manifest.Stages {
		if s.Name != stage {
			continue
		}
		b, err := json.Marshal(s.Notes["database"])
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]json.RawMessage
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s: notes.database %s: %v", stage, b, err)
		}
		return out
	}
	t.Fatalf("no stage %s", stage)
	return nil
}

// record is a stage's statement record: the clean, eda and profile stages
// note it as notes.database, ingest and cluster as notes.database.record.
func record(t *testing.T, res *pipeline.RunResult, stage string) *pushdown.Record {
	t.Helper()
	notes := stageNotes(t, res, stage)
	raw, ok := notes["record"]
	if !ok {
		b, _ := json.Marshal(notes)
		raw = b
	}
	var rec pushdown.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	return &rec
}

// assignments reads the assignments table (id → segment).
func assignments(t *testing.T, dsn, table string) map[string]int64 {
	t.Helper()
	conn := pgtest.Connect(t, dsn)
	rows, err := conn.Query(context.Background(), `SELECT "Customer_ID", segment FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var seg int64
		if err := rows.Scan(&id, &seg); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Fatalf("%s: id %s twice", table, id)
		}
		out[id] = seg
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// csvAssignments reads a memory run's assignments.csv.
func csvAssignments(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "assignments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range recs[1:] {
		var v int64
		for _, c := range r[1] {
			v = v*10 + int64(c-'0')
		}
		out[r[0]] = v
	}
	return out
}

func readModel(t *testing.T, dir string) *model.Model {
	t.Helper()
	m, err := model.Load(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func close(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= dbTol*math.Max(1, math.Abs(b))
}

// sameModel compares two models' segments, centroids, inertia and
// outlier thresholds (exactly when exact, else within dbTol).
func sameModel(t *testing.T, what string, got, want *model.Model, exact bool) {
	t.Helper()
	if got.K != want.K || !slices.Equal(got.Sizes, want.Sizes) || !slices.Equal(got.IDs, want.IDs) {
		t.Fatalf("%s: k %d sizes %v ids %v, want %d %v %v", what, got.K, got.Sizes, got.IDs, want.K, want.Sizes, want.IDs)
	}
	eq := func(a, b float64) bool { return a == b || !exact && close(a, b) }
	if !eq(got.Inertia, want.Inertia) {
		t.Errorf("%s: inertia %.17g, want %.17g", what, got.Inertia, want.Inertia)
	}
	for s := range want.K {
		for j := range want.CentersScaled[s] {
			if !eq(got.CentersScaled[s][j], want.CentersScaled[s][j]) || !eq(got.CentersOriginal[s][j], want.CentersOriginal[s][j]) {
				t.Errorf("%s: segment %d feature %d: centres %v %v, want %v %v", what, s, j, got.CentersScaled[s][j], got.CentersOriginal[s][j], want.CentersScaled[s][j], want.CentersOriginal[s][j])
			}
		}
		if !eq(got.OutlierDistance[s], want.OutlierDistance[s]) {
			t.Errorf("%s: segment %d outlier distance %v, want %v", what, s, got.OutlierDistance[s], want.OutlierDistance[s])
		}
	}
}

// checkMavenDB checks a database-mode Maven run against the in-memory run
// mem: the notebook's numbers, the seed table, the correlation, the model,
// every customer's segment in the assignments table, the profile; and that
// only aggregates and the sample left the database.
func checkMavenDB(t *testing.T, res, mem *pipeline.RunResult, dsn, out string) {
	t.Helper()
	var seed *pipeline.StageRecord
	for _, s := range res.Manifest.Stages {
		if s.Name == "seed_table" {
			seed = s
		}
	}
	if seed == nil || seed.RowsIn != 7043 || seed.RowsOut != 5174 || seed.ColsOut != 12 {
		t.Errorf("seed table: %+v, want 7043 → 5174 rows, 12 columns", seed)
	}
	if in := res.Manifest.Input; in.Format != "postgres" || in.Rows != 7043 {
		t.Errorf("input record %+v", in)
	}
	// The correlation equals pandas' (stages/eda's fixture of the seed
	// table) and the in-memory run's.
	gc, mc := res.State.EDA.Correlation, mem.State.EDA.Correlation
	if !slices.Equal(gc.Columns, mc.Columns) {
		t.Fatalf("correlation columns %v, want %v", gc.Columns, mc.Columns)
	}
	pandas := readPearson(t, "eda/testdata/seed_pearson.csv")
	for i := range mc.R {
		for j := range mc.R[i] {
			if !close(gc.R[i][j], mc.R[i][j]) || gc.N[i][j] != 5174 {
				t.Errorf("corr(%s, %s) = %.17g (n %d), memory %.17g", mc.Columns[i], mc.Columns[j], gc.R[i][j], gc.N[i][j], mc.R[i][j])
			}
			if p := pandas[mc.Columns[i]][mc.Columns[j]]; !close(gc.R[i][j], p) {
				t.Errorf("corr(%s, %s) = %.17g, pandas %.17g", mc.Columns[i], mc.Columns[j], gc.R[i][j], p)
			}
		}
	}
	// The notebook's k = 4 model: the sample is the whole table, so the
	// fit is the in-memory fit, to the bit.
	c := res.State.Clusters
	if c.K != 4 || math.Abs(c.Inertia/mavenInertia-1) > inertiaTol || c.Inertia != mem.State.Clusters.Inertia || !slices.Equal(c.Sizes, mavenSizes) {
		t.Errorf("k %d inertia %.17g sizes %v, want 4, %.17g (memory %.17g), %v", c.K, c.Inertia, c.Sizes, mavenInertia, mem.State.Clusters.Inertia, mavenSizes)
	}
	sameModel(t, "model.json", readModel(t, res.Dir), readModel(t, mem.Dir), true)
	notes := stageNotes(t, res, "cluster")
	var inertiaSQL float64
	var sizesSQL []int
	json.Unmarshal(notes["inertia_sql"], &inertiaSQL)
	json.Unmarshal(notes["sizes_sql"], &sizesSQL)
	if !close(inertiaSQL, mavenInertia) || !slices.Equal(sizesSQL, mavenSizes) {
		t.Errorf("the whole table's SQL inertia %.17g and sizes %v, want %.17g and %v", inertiaSQL, sizesSQL, mavenInertia, mavenSizes)
	}
	t.Logf("inertia: fit %.17g, SQL over the whole table %.17g (relative difference %.2g)", c.Inertia, inertiaSQL, math.Abs(inertiaSQL-mavenInertia)/mavenInertia)
	// Every customer's segment, as in the in-memory run's assignments.csv.
	got, want := assignments(t, dsn, out), csvAssignments(t, mem.Dir)
	if len(got) != len(want) {
		t.Errorf("%d assignments, memory %d", len(got), len(want))
	}
	diff := 0
	for id, s := range want {
		if got[id] != s {
			if diff++; diff <= 5 {
				t.Errorf("customer %s: segment %d, memory %d", id, got[id], s)
			}
		}
	}
	// The profile.
	gp, mp := res.State.Profile, mem.State.Profile
	if gp.Rows != mp.Rows || len(gp.Segments) != len(mp.Segments) || len(gp.Categorical) != len(mp.Categorical) || len(gp.Hypotheses) != len(mp.Hypotheses) {
		t.Fatalf("profile: %d rows %d segments, memory %d %d", gp.Rows, len(gp.Segments), mp.Rows, len(mp.Segments))
	}
	for s := range mp.Segments {
		g, m := gp.Segments[s], mp.Segments[s]
		if g.Size != m.Size || g.Label != m.Label || g.Description != m.Description {
			t.Errorf("segment %d: %d %q %q, memory %d %q %q", s, g.Size, g.Label, g.Description, m.Size, m.Label, m.Description)
		}
		for j := range m.Stats {
			a, b := g.Stats[j], m.Stats[j]
			for _, p := range [][2]float64{{a.Mean, b.Mean}, {a.Std, b.Std}, {a.Median, b.Median}, {a.Q25, b.Q25}, {a.Q75, b.Q75}, {a.Min, b.Min}, {a.Max, b.Max}, {a.Z, b.Z}} {
				if !close(p[0], p[1]) || a.Count != b.Count {
					t.Errorf("segment %d, %s: %v (n %d), memory %v (n %d)", s, b.Column, p[0], a.Count, p[1], b.Count)
				}
			}
		}
	}
	for i, m := range mp.Categorical {
		g := gp.Categorical[i]
		if !slices.Equal(g.Levels, m.Levels) || !slices.EqualFunc(g.Counts, m.Counts, slices.Equal) {
			t.Errorf("categorical %s: %v %v, memory %v %v", m.Column, g.Levels, g.Counts, m.Levels, m.Counts)
		}
	}
	for i, m := range mp.Hypotheses {
		g := gp.Hypotheses[i]
		if !close(g.R, m.R) || g.N != m.N || g.Verdict != m.Verdict {
			t.Errorf("hypothesis %s: r %v n %d %s, memory %v %d %s", m.Name, g.R, g.N, g.Verdict, m.R, m.N, m.Verdict)
		}
		for s := range m.Segments {
			if a, b := g.Segments[s], m.Segments[s]; !close(a.R, b.R) || !close(a.MeanX, b.MeanX) || a.N != b.N {
				t.Errorf("hypothesis %s, segment %d: %+v, memory %+v", m.Name, s, a, b)
			}
		}
	}
	// Only aggregates and the samples left the database: the cluster
	// stage's sample (every row here) and the profile's plotted rows.
	for _, stage := range []string{"seed_table", "revenue_int", "eda"} {
		if r := record(t, res, stage); r.RowsPulled != 0 {
			t.Errorf("%s pulled %d rows", stage, r.RowsPulled)
		}
	}
	if r := record(t, res, "cluster"); r.RowsPulled != 5174 {
		t.Errorf("cluster pulled %d rows, want the 5,174 of its sample", r.RowsPulled)
	}
	if r := record(t, res, "profile"); r.RowsPulled != 5174 || r.RowsReturned == 0 {
		t.Errorf("profile pulled %d rows (the plotted rows: all 5,174 under max_points), returned %d", r.RowsPulled, r.RowsReturned)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "assignments.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("assignments.csv is written in database mode (%v)", err)
	}
}

// readPearson reads a pandas correlation CSV into a map.
func readPearson(t *testing.T, path string) map[string]map[string]float64 {
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
	out := map[string]map[string]float64{}
	for _, r := range recs[1:] {
		out[r[0]] = map[string]float64{}
		for j, v := range r[1:] {
			var x float64
			if err := json.Unmarshal([]byte(v), &x); err != nil {
				t.Fatalf("%s: %q: %v", path, v, err)
			}
			out[r[0]][recs[0][j+1]] = x
		}
	}
	return out
}

// TestDatabaseMaven: the Maven seed analysis in database mode on one
// PostgreSQL server gives the in-memory run: 5,174 rows, pandas'
// correlation, k = 4 with inertia 0.21620252197655662 and sizes
// 3987/1124/49/14, every customer's segment (in the assignments table), the
// profile within dbTol.
func TestDatabaseMaven(t *testing.T) {
	data := needMaven(t)
	sdsn, schema := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.LoadCSV(t, sdsn, "maven", data)
	mem := mustRun(t, "input.path="+data)
	res := mustRun(t, dbSets(sdsn, "maven", "scores")...)
	checkMavenDB(t, res, mem, sdsn, `"`+schema+`"."scores"`)
	// The write is recorded, committed, with the model's sha256.
	var wr struct {
		Status      string `json:"status"`
		Table       string `json:"table"`
		ModelSHA256 string `json:"model_sha256"`
		Rows        int64  `json:"rows"`
	}
	json.Unmarshal(stageNotes(t, res, "cluster")["assignments"], &wr)
	if wr.Rows != 5174 || wr.Status != "committed" || len(wr.ModelSHA256) != 64 || wr.Table == "" {
		t.Errorf("assignments record %+v", wr)
	}
}

// TestDatabaseShardedMaven: the same on the sharded setup. The model and
// every assignment equal the single server's and the in-memory run's; the
// aggregates (eda, the Lloyd pass, the profile) and the scoring that writes
// the assignments run once per partition, and EXPLAIN (VERBOSE) shows each
// shipped whole to its shard: a Foreign Scan whose Remote SQL holds the
// aggregate or the scoring (GROUP BY, sqrt, the nearest-centroid CASE),
// with no aggregation left on the coordinator.
func TestDatabaseShardedMaven(t *testing.T) {
	data := needMaven(t)
	tbl, err := csvio.ReadFile(context.Background(), data, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	coord, schema := pgtest.Sharded(t, "maven", tbl.Table, "Customer ID")
	mem := mustRun(t, "input.path="+data)
	res := mustRun(t, dbSets(coord, "maven", "scores")...)
	checkMavenDB(t, res, mem, coord, `"`+schema+`"."scores"`)
	if parts := string(stageNotes(t, res, "cluster")["partitions"]); parts != "2" {
		t.Fatalf("the cluster stage ran on %s partitions, want 2", parts)
	}
	// EXPLAIN under the planner setting the run's session made.
	checkShipped(t, res, pgtest.WithParam(coord, "options", "-c search_path="+schema+" -c "+strings.ReplaceAll(pushdown.ShardPlanning, " ", "")))
}

// checkShipped runs EXPLAIN (VERBOSE) of every per-partition statement of
// a run on the coordinator and checks that it is shipped whole.
func checkShipped(t *testing.T, res *pipeline.RunResult, coord string) {
	t.Helper()
	kinds := map[string]int{}
	for _, stage := range []string{"eda", "cluster", "profile"} {
		for _, q := range record(t, res, stage).Queries {
			if q.On == pushdown.OnSource || q.Sample {
				continue
			}
			sql := q.SQL
			if q.Written {
				// The write-back's SELECT: its grouped scoring is the
				// subquery "g"; EXPLAIN the whole SELECT.
				kinds["scoring"]++
			} else {
				kinds[stage]++
			}
			plan := pgtest.Explain(t, coord, sql)
			remote := regexp.MustCompile(`Remote SQL: (.*)`).FindAllStringSubmatch(plan, -1)
			if len(remote) != 1 || !strings.Contains(plan, "Relations: Aggregate on") {
				t.Errorf("%s: %s on %s is not one aggregate shipped to the shard:\n%s", stage, q.What, q.On, plan)
				continue
			}
			r := remote[0][1]
			if strings.Contains(plan, "HashAggregate") || strings.Contains(plan, "GroupAggregate") {
				t.Errorf("%s: %s on %s aggregates on the coordinator:\n%s", stage, q.What, q.On, plan)
			}
			switch {
			case q.Written:
				if !strings.Contains(r, "GROUP BY") || !strings.Contains(r, "sqrt(") || !strings.Contains(r, "CASE WHEN") {
					t.Errorf("the scoring on %s is not in the Remote SQL: %s", q.On, r)
				}
			case stage == "cluster" && strings.Contains(q.What, "nearest centroid"):
				if !strings.Contains(r, "GROUP BY 1") || !strings.Contains(r, "sum(") || !strings.Contains(r, "CASE WHEN") {
					t.Errorf("the Lloyd pass on %s is not in the Remote SQL: %s", q.On, r)
				}
			}
		}
	}
	t.Logf("per-partition statements shipped whole: %v", kinds)
	if kinds["eda"] < 4 || kinds["cluster"] < 2 || kinds["profile"] < 2 || kinds["scoring"] != 2 {
		t.Errorf("per-partition statements %v; want eda ≥ 4, cluster ≥ 2, profile ≥ 2, scoring 2", kinds)
	}
}

// TestDatabaseSampleRefine: a seeded sample of 2,000 of the 5,174 rows and
// five Lloyd passes in SQL. The sample is the same rows on one server and
// on the shards (md5 of the seed and the id), so both fit the same model;
// the passes' sums are combined across partitions in another order, so the
// models agree within dbTol and every customer gets the same segment. A
// second run on one server is identical.
func TestDatabaseSampleRefine(t *testing.T) {
	data := needMaven(t)
	tbl, err := csvio.ReadFile(context.Background(), data, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sdsn, schema := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.LoadCSV(t, sdsn, "maven", data)
	coord, cschema := pgtest.Sharded(t, "maven", tbl.Table, "Customer ID")
	more := []string{"stages.cluster.database.sample_rows=2000", "stages.cluster.database.refine_passes=5", "stages.cluster.elbow=null"}
	one := mustRun(t, dbSets(sdsn, "maven", "scores", more...)...)
	again := mustRun(t, dbSets(sdsn, "maven", "scores2", more...)...)
	shard := mustRun(t, dbSets(coord, "maven", "scores", more...)...)
	var info pushdown.SampleInfo
	json.Unmarshal(stageNotes(t, one, "cluster")["sample"], &info)
	if info.Rows != 2000 || info.Of != 5174 || info.Whole {
		t.Fatalf("sample %+v", info)
	}
	var passes []struct {
		Pass    int     `json:"pass"`
		Inertia float64 `json:"inertia"`
		Moved   bool    `json:"moved"`
	}
	json.Unmarshal(stageNotes(t, one, "cluster")["refine"], &passes)
	if len(passes) < 2 {
		t.Fatalf("refine passes %+v", passes)
	}
	for i := 1; i < len(passes); i++ {
		if passes[i].Inertia > passes[i-1].Inertia*(1+1e-12) {
			t.Errorf("a Lloyd pass raised the inertia: %+v", passes)
		}
	}
	t.Logf("passes: %+v", passes)
	m1, m2, ms := readModel(t, one.Dir), readModel(t, again.Dir), readModel(t, shard.Dir)
	sameModel(t, "rerun", m2, m1, true)
	sameModel(t, "sharded", ms, m1, false)
	if m1.Input.Rows != 5174 || m1.Sizes[0]+m1.Sizes[1]+m1.Sizes[2]+m1.Sizes[3] != 5174 {
		t.Errorf("model rows %d sizes %v", m1.Input.Rows, m1.Sizes)
	}
	a1 := assignments(t, sdsn, `"`+schema+`"."scores"`)
	as := assignments(t, coord, `"`+cschema+`"."scores"`)
	if len(a1) != 5174 || len(as) != 5174 {
		t.Fatalf("%d and %d assignments", len(a1), len(as))
	}
	for id, s := range a1 {
		if as[id] != s {
			t.Errorf("customer %s: segment %d on one server, %d on the shards", id, s, as[id])
		}
	}
	// The assignments agree with the model: its sizes.
	counts := make([]int, 4)
	for _, s := range a1 {
		counts[s-1]++
	}
	if !slices.Equal(counts, m1.Sizes) {
		t.Errorf("assignments per segment %v, model sizes %v", counts, m1.Sizes)
	}
}

// TestDatabaseBadInputs: each bad input of database mode is a clear error
// naming what to change, and none leaves the assignments table
// half-written: it keeps the rows of the last good run.
func TestDatabaseBadInputs(t *testing.T) {
	data := needMaven(t)
	sdsn, schema := pgtest.Schema(t, pgtest.DSN(t))
	pgtest.LoadCSV(t, sdsn, "maven", data)
	out := `"` + schema + `"."scores"`
	good := mustRun(t, dbSets(sdsn, "maven", "scores")...)
	var goodRun string
	json.Unmarshal(stageNotes(t, good, "cluster")["assignments"], &struct {
		RunID *string `json:"run_id"`
	}{&goodRun})
	// unchanged checks that the table holds the good run's rows only.
	unchanged := func(t *testing.T) {
		t.Helper()
		conn := pgtest.Connect(t, pgtest.DSN(t))
		var n, runs int64
		var run string
		if err := conn.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT run_id), min(run_id) FROM `+out).Scan(&n, &runs, &run); err != nil {
			t.Fatal(err)
		}
		if n != 5174 || runs != 1 || run != goodRun {
			t.Errorf("%s holds %d rows of %d runs (%s), want the 5,174 of run %s", out, n, runs, run, goodRun)
		}
	}
	// A reader role: SELECT on the table and the schema, no INSERT or
	// DELETE on the assignments.
	rdsn, role := pgtest.Role(t, pgtest.DSN(t))
	qr, qs := pgtest.QuoteIdent(role), pgtest.QuoteIdent(schema)
	pgtest.Exec(t, pgtest.DSN(t), "GRANT USAGE ON SCHEMA "+qs+" TO "+qr, "GRANT SELECT ON ALL TABLES IN SCHEMA "+qs+" TO "+qr)
	rdsn = pgtest.WithParam(rdsn, "options", "-c search_path="+schema)
	tests := []struct {
		name string
		sets []string
		want []string // fragments of the error
	}{
		{"step without SQL form", dbSets(sdsn, "maven", "scores", "stages.revenue_int.steps[1]={dedupe: [Customer_ID]}"),
			[]string{"revenue_int", "steps[1]", "cannot run as SQL in execution.mode: database", "dedupe", "execution.mode: memory"}},
		{"expression without SQL form", dbSets(sdsn, "maven", "scores", "stages.seed_table.steps[0].filter=upper(`Customer Status`) != \"CHURNED\""),
			[]string{"seed_table", "steps[0]", "upper()", "cannot run as SQL"}},
		{"file input", []string{"input.path=" + data, "execution.mode=database"},
			[]string{"execution.mode", "read it from PostgreSQL", "mode: memory"}},
		{"missing feature", dbSets(sdsn, "maven", "scores", "stages.cluster.features=[Referrals, Tenure(Months), Monthly_Charge]"),
			[]string{"Monthly_Charge"}},
		{"statement timeout", dbSets(sdsn, "maven", "scores", "input.statement_timeout=1ms"),
			[]string{"statement_timeout"}},
		{"revoked privilege on the output table", dbSets(rdsn, "maven", "scores"),
			[]string{"database.table", `"scores"`, "permission denied"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := runMaven(t, dir, tc.sets...)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "panic") {
				t.Errorf("a panic: %v", err)
			}
			unchanged(t)
			// Nothing published: no run folder besides the failed one.
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if e.Name() != "failed" {
					t.Errorf("%s published after the error", e.Name())
				}
			}
			t.Logf("%v", err)
		})
	}
}
