package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/pgtest"
)

// distTol is the relative tolerance between the exported SELECT's
// distances (computed by PostgreSQL) and predict's. The SQL does the same
// IEEE-754 operations in the same order, so on these models they agree to
// the bit (the tests log how many do); log1p, exp, ln and pow go through
// the engine's libm and may differ in the last place, hence a tolerance.
const distTol = 1e-9

// score is one scored row.
type score struct {
	segment, second string
	name, outlier   string
	dist, sdist     float64
	margin          float64
	reason          string
}

// readScored reads predict's scored.csv (and, with --skip-invalid, its
// rejects) by id.
func readScored(t *testing.T, path string) map[string]score {
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
	out := map[string]score{}
	for _, r := range recs[1:] {
		s := score{segment: r[1], name: r[2], second: r[4], outlier: r[7]}
		s.dist, _ = strconv.ParseFloat(r[3], 64)
		s.sdist, _ = strconv.ParseFloat(r[5], 64)
		s.margin, _ = strconv.ParseFloat(r[6], 64)
		out[r[0]] = s
	}
	rej := strings.TrimSuffix(path, ".csv") + ".rejects.csv"
	if b, err := os.ReadFile(rej); err == nil {
		recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			out[r[1]] = score{reason: r[2]}
		}
	}
	return out
}

// runSQL runs the exported SELECT and reads its rows by id (the first
// column).
func runSQL(t *testing.T, dsn, sql string) (map[string]score, []string) {
	t.Helper()
	conn := pgtest.Connect(t, dsn)
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("the exported SELECT fails: %v\n%s", err, sql)
	}
	defer rows.Close()
	var cols []string
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	out := map[string]score{}
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		s := score{}
		str := func(x any) string {
			if x == nil {
				return ""
			}
			return fmt.Sprint(x)
		}
		num := func(x any) float64 {
			if x == nil {
				return math.NaN()
			}
			return x.(float64)
		}
		s.segment, s.name, s.second, s.outlier, s.reason = str(v[1]), str(v[2]), str(v[4]), str(v[7]), str(v[len(v)-1])
		s.dist, s.sdist, s.margin = num(v[3]), num(v[5]), num(v[6])
		id := str(v[0])
		if _, dup := out[id]; dup {
			t.Fatalf("id %q appears twice in the SELECT's rows", id)
		}
		out[id] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("the exported SELECT fails: %v", err)
	}
	return out, cols
}

func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// compareScores checks the SELECT's rows against predict's, id by id.
func compareScores(t *testing.T, got, want map[string]score) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("the SELECT gives %d rows, predict %d", len(got), len(want))
	}
	exact, worst, bad := 0, 0.0, 0
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("id %q: predict scores it, the SELECT has no row", id)
			continue
		}
		if w.reason != "" || g.reason != "" {
			// predict adds the cell's value and lists every problem of the
			// row; the SELECT gives the first, without the value.
			if !strings.HasPrefix(w.reason, g.reason) || g.reason == "" || g.segment != "" || g.dist == g.dist {
				t.Errorf("id %q: predict's reason %q, the SELECT's %q (segment %q, distance %v)", id, w.reason, g.reason, g.segment, g.dist)
			}
			continue
		}
		if g.segment != w.segment || g.second != w.second || g.name != w.name || g.outlier != w.outlier {
			if bad++; bad <= 10 {
				t.Errorf("id %q: SELECT segment %s (%s), second %s, outlier %s; predict %s (%s), %s, %s", id, g.segment, g.name, g.second, g.outlier, w.segment, w.name, w.second, w.outlier)
			}
		}
		for _, p := range [][2]float64{{g.dist, w.dist}, {g.sdist, w.sdist}} {
			if math.IsNaN(p[0]) && math.IsNaN(p[1]) {
				continue
			}
			worst = math.Max(worst, relDiff(p[0], p[1]))
			if relDiff(p[0], p[1]) > distTol {
				t.Errorf("id %q: distance %v, predict %v", id, p[0], p[1])
			}
		}
		if math.Abs(g.margin-w.margin) > distTol*math.Max(1, math.Abs(w.margin)) && !(math.IsNaN(g.margin) && math.IsNaN(w.margin)) {
			t.Errorf("id %q: margin %v, predict %v", id, g.margin, w.margin)
		}
		if g.dist == w.dist && (g.sdist == w.sdist || math.IsNaN(w.sdist)) {
			exact++
		}
	}
	t.Logf("%d rows: %d with bit-identical distances, largest relative difference %.3g", len(want), exact, worst)
}

// checkAssignments checks that each customer of assignments.csv has the
// same segment in the SELECT's rows.
func checkAssignments(t *testing.T, runDir string, got map[string]score, exactRows bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(read(t, filepath.Join(runDir, "assignments.csv"))), "\n")
	for _, l := range lines[1:] {
		id, s, _ := strings.Cut(l, ",")
		if got[id].segment != s {
			t.Fatalf("customer %s: the SELECT puts it in segment %q, the run in %s", id, got[id].segment, s)
		}
	}
	if exactRows && len(got) != len(lines)-1 {
		t.Errorf("--rows training: the SELECT gives %d rows, assignments.csv %d", len(got), len(lines)-1)
	}
}

// checkExportPG loads data into PostgreSQL as table, exports the run's
// model and checks the SELECT against predict (every row) and against
// assignments.csv (--rows training too).
func checkExportPG(t *testing.T, runDir, data, table string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	sdsn, schema := pgtest.Schema(t, dsn)
	pgtest.LoadCSV(t, sdsn, table, data)
	model := filepath.Join(runDir, "model.json")
	qualified := `"` + schema + `"."` + strings.ReplaceAll(table, `"`, `""`) + `"`

	scored := filepath.Join(t.TempDir(), "scored.csv")
	if code, _, stderr := seg(t, "predict", "-m", model, "-i", data, "-o", scored, "--skip-invalid"); code != 0 {
		t.Fatalf("predict: exit %d\n%s", code, stderr)
	}
	want := readScored(t, scored)

	code, sql, stderr := seg(t, "export", "-m", model, "--format", "sql", "--dialect", "postgres", "--table", qualified, "--check-dsn", sdsn)
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	got, cols := runSQL(t, sdsn, sql)
	wantCols := "segment,segment_name,distance,second_segment,second_distance,margin,outlier,reason"
	if c := strings.Join(cols[1:], ","); c != wantCols {
		t.Errorf("columns %s, want <id>,%s", strings.Join(cols, ","), wantCols)
	}
	compareScores(t, got, want)
	checkAssignments(t, runDir, got, false)

	code, sql, stderr = seg(t, "export", "-m", model, "--dialect", "postgres", "--table", qualified, "--rows", "training")
	if code != 0 {
		t.Fatalf("export --rows training: exit %d\n%s", code, stderr)
	}
	got, _ = runSQL(t, sdsn, sql)
	checkAssignments(t, runDir, got, true)
}

// TestExportPostgresMaven: the notebook's model (filter, renames, a cast to
// int, row-normalised features) as a PostgreSQL SELECT over the Maven table
// gives every customer predict's segment and distances, and the 5,174
// customers of assignments.csv their segment from the run.
func TestExportPostgresMaven(t *testing.T) {
	needMaven(t)
	if raceEnabled {
		t.Skip("a full run of the Maven job: slow under the race detector (TestExportPostgresFrozen covers the same code)")
	}
	data, _ := filepath.Abs(mavenPath)
	cfg, _ := filepath.Abs("../../configs/maven_churn.yaml")
	runDir := runJob(t, cfg, "input.path="+data)
	checkExportPG(t, runDir, data, `telecom "churn" (Maven)`)
}

// TestExportPostgresChurn: the shipped churn job (renames, fillna
// constants, standard scaling, k by the elbow).
func TestExportPostgresChurn(t *testing.T) {
	if raceEnabled {
		t.Skip("a full run of the shipped job: slow under the race detector")
	}
	pgtest.DSN(t)
	cfg, _ := filepath.Abs("../../configs/churn.yaml")
	data, _ := filepath.Abs("../../data/churn_sample.csv")
	runDir := runJob(t, cfg)
	checkExportPG(t, runDir, data, "churn_sample")
}

// TestExportPostgresFrozen: fillna mean and median, clip quantiles,
// onehot levels and a derived column, after a filter.
func TestExportPostgresFrozen(t *testing.T) {
	pgtest.DSN(t)
	data, _ := filepath.Abs("../../data/churn_sample.csv")
	runDir := runJob(t, writeFrozenJob(t, t.TempDir(), data))
	checkExportPG(t, runDir, data, "churn")
}

const reasonsTrain = `cid,spend,visits,plan,bonus
A01,10.5,1,basic,1
A02,12,2,basic,
A03,11,1,gold,0.5
B01,50,5,gold,2
B02,55.5,6,basic,3
B03,52,5,gold,
C01,95,9,basic,1
C02,90,10,gold,0
C03,99.25,11,basic,4
C04,93,9,gold,2
`

// reasonsJob is the job on reasonsTrain, with the scaler to fill in.
const reasonsJob = `version: 1
name: reasons
input: {path: train.csv, id: cid}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - cast: {spend: int}
        - fillna: {bonus: 0}
        - derive: {name: per_visit, expr: "spend / max(visits, 1)"}
        - onehot: {columns: [plan]}
  - type: cluster
    config:
      features: [spend, visits, bonus, per_visit, plan_gold]
      scale: %s
      weights: {spend: 2, plan_gold: 0.5}
      k: 3
`

// reasonsNew are new customers, some that predict cannot score: N02 (a cast
// to int of a missing value), N03 (2.5 visits: the model read whole
// numbers), N04 (a missing feature), N07 (≤ -1 under log1p-standard only),
// N08 (NaN spend); N05 has a plan never seen in training, N06 a gap that
// fillna fills.
const reasonsNew = `cid,spend,visits,plan,bonus
N01,20.5,2,basic,1
N02,,3,gold,1
N03,60,2.5,basic,1
N04,70,,gold,1
N05,80,8,platinum,1
N06,30,3,basic,
N07,-5,1,basic,1
N08,%s,4,gold,1
N09,40,0,gold,2
`

// TestExportPostgresReasons: every scaler (weights too), a cast, fillna,
// a derive and onehot, on rows predict cannot score: the SELECT gives them
// NULL scores and predict's reason, and scores the others as predict does.
func TestExportPostgresReasons(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	write(t, filepath.Join(dir, "train.csv"), reasonsTrain)
	predictIn := write(t, filepath.Join(dir, "new.csv"), fmt.Sprintf(reasonsNew, "NaN"))
	tableIn := write(t, filepath.Join(dir, "new_table.csv"), fmt.Sprintf(reasonsNew, ""))
	sdsn, _ := pgtest.Schema(t, dsn)
	pgtest.LoadCSV(t, sdsn, "new", tableIn)
	pgtest.Exec(t, sdsn, `UPDATE "new" SET spend = 'NaN' WHERE cid = 'N08'`)
	for _, sc := range []string{"standard", "minmax", "robust", "log1p-standard", "none", "normalize"} {
		t.Run(sc, func(t *testing.T) {
			cfg := write(t, filepath.Join(dir, sc+".yaml"), fmt.Sprintf(reasonsJob, sc))
			code, out, stderr := seg(t, "run", "-c", cfg, "--out", filepath.Join(dir, "runs-"+sc), "--no-progress")
			if code != 0 {
				t.Fatalf("run: exit %d\n%s", code, stderr)
			}
			model := filepath.Join(strings.TrimSpace(out), "model.json")
			scored := filepath.Join(dir, sc+".scored.csv")
			if code, _, stderr := seg(t, "predict", "-m", model, "-i", predictIn, "-o", scored, "--skip-invalid"); code != 0 {
				t.Fatalf("predict: exit %d\n%s", code, stderr)
			}
			want := readScored(t, scored)
			code, sql, stderr := seg(t, "export", "-m", model, "--dialect", "postgres", "--table", "new", "--distances", "all")
			if code != 0 {
				t.Fatalf("export: exit %d\n%s", code, stderr)
			}
			got, cols := runSQL(t, sdsn, sql)
			if c := strings.Join(cols, ","); c != "cid,segment,segment_name,distance,second_segment,second_distance,margin,outlier,distance_1,distance_2,distance_3,reason" {
				t.Errorf("columns %s", c)
			}
			compareScores(t, got, want)
			rejected := 0
			for _, w := range want {
				if w.reason != "" {
					rejected++
				}
			}
			if wantRejected := map[bool]int{true: 5, false: 4}[sc == "log1p-standard"]; rejected != wantRejected {
				t.Errorf("predict rejected %d rows, want %d", rejected, wantRejected)
			}
		})
	}
}

// TestExportCheckDSN: --check-dsn describes the table on the server and
// reports the columns the model needs that it lacks (or holds as text),
// before anything is written; a table that has them passes EXPLAIN.
func TestExportCheckDSN(t *testing.T) {
	sdsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	model := exportJob(t, t.TempDir(), `        - rename: {visits: v}`, "{features: [spend, v], k: 3}")
	pgtest.Exec(t, sdsn,
		`CREATE TABLE "bad" (cid text, spend text, "Visits" bigint)`,
		`CREATE TABLE "good" (cid text, spend double precision, visits bigint, city text)`)
	code, out, stderr := seg(t, "export", "-m", model, "--dialect", "postgres", "--table", "bad", "--check-dsn", sdsn)
	want := `segment: table bad lacks what the model needs:
  "spend" is text; the model read it as int (store numbers as numbers)
  "visits" (int) is missing; did you mean "Visits"?
`
	if code != 1 || stderr != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, stderr, want)
	}
	code, out, stderr = seg(t, "export", "-m", model, "--dialect", "postgres", "--table", "good", "--check-dsn", sdsn)
	if code != 0 || !strings.Contains(stderr, "checked: table good has the 3 columns the query reads, and the server accepts the query") || !strings.HasPrefix(out, "-- segment export") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
