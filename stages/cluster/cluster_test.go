package cluster_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

const blobStages = `  - type: ingest
  - type: cluster
    config:
      features: [x, y, z]
`

// TestBlobs: well-separated blobs are recovered exactly (ARI 1.0), with a
// fixed k and with k: auto under every selection method.
func TestBlobs(t *testing.T) {
	data, truth := blobs(60, 1)
	for _, tc := range []struct {
		name string
		sets []string
	}{
		{"fixed", []string{"stages.cluster.k=3"}},
		{"elbow", nil},
		{"silhouette", []string{"stages.cluster.select=silhouette"}},
		{"calinski_harabasz", []string{"stages.cluster.select=calinski_harabasz"}},
		{"davies_bouldin", []string{"stages.cluster.select=davies_bouldin"}},
		{"minmax", []string{"stages.cluster.k=3", "stages.cluster.scale=minmax"}},
		{"robust", []string{"stages.cluster.k=3", "stages.cluster.scale=robust"}},
		{"log1p", []string{"stages.cluster.k=3", "stages.cluster.scale=log1p-standard"}},
		{"none", []string{"stages.cluster.k=3", "stages.cluster.scale=none"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRun(t, data, blobStages, tc.sets...)
			c := res.State.Clusters
			if c.K != 3 {
				t.Fatalf("k = %d, want 3 (selection %+v)", c.K, c.Selection)
			}
			if ari := metrics.AdjustedRand(c.Labels, truth); ari != 1 {
				t.Errorf("ARI %v, want 1", ari)
			}
			if !slices.Equal(c.Sizes, []int{60, 60, 60}) {
				t.Errorf("sizes %v", c.Sizes)
			}
		})
	}
}

// TestClusterResult checks the contract with later stages (result.Clusters) on the blobs.
func TestClusterResult(t *testing.T) {
	const tol = 1e-12
	data, _ := blobs(50, 2)
	res := mustRun(t, data, blobStages, "stages.cluster.k=3")
	c := res.State.Clusters
	n, d, k := res.State.Table.NumRows(), 3, 3
	if len(c.Labels) != n || len(c.Scaled) != n*d || len(c.Original) != n*d {
		t.Fatalf("lengths: labels %d, scaled %d, original %d for %d rows", len(c.Labels), len(c.Scaled), len(c.Original), n)
	}
	if !slices.Equal(c.Features, []string{"x", "y", "z"}) || c.Scale != "standard" || c.Engine != "native" ||
		!slices.Equal(c.IDs, []int{1, 2, 3}) || len(c.Names) != k || c.ModelFile != "model.json" || !c.Reproducible ||
		c.SelectMethod != "" || len(c.Selection) != 1 || !c.Selection[0].Chosen || c.Selection[0].K != 3 {
		t.Errorf("unexpected result %+v", c)
	}
	// Original is the table; CentersOriginal the member means; every label
	// the nearest scaled centroid.
	x := res.State.Table.Col("x")
	sums := make([][]float64, k)
	for s := range sums {
		sums[s] = make([]float64, d)
	}
	var inertia float64
	for i := 0; i < n; i++ {
		if v, _ := x.Value(i); c.Original[i*d] != v {
			t.Fatalf("Original[%d] = %v, table %v", i, c.Original[i*d], v)
		}
		best, bestD := -1, math.Inf(1)
		for s := 0; s < k; s++ {
			var dd float64
			for j := 0; j < d; j++ {
				e := c.Scaled[i*d+j] - c.CentersScaled[s][j]
				dd += e * e
			}
			if dd < bestD {
				best, bestD = s, dd
			}
		}
		if int(c.Labels[i]) != best {
			t.Fatalf("row %d: label %d, nearest centroid %d", i, c.Labels[i], best)
		}
		inertia += bestD
		for j := 0; j < d; j++ {
			sums[best][j] += c.Original[i*d+j]
		}
	}
	for s := 0; s < k; s++ {
		for j := 0; j < d; j++ {
			if want := sums[s][j] / float64(c.Sizes[s]); math.Abs(c.CentersOriginal[s][j]-want) > tol*math.Abs(want)+tol {
				t.Errorf("centre %d feature %d: %v, member mean %v", s, j, c.CentersOriginal[s][j], want)
			}
		}
	}
	if math.Abs(inertia-c.Inertia) > 1e-9*inertia {
		t.Errorf("inertia %v, recomputed %v", c.Inertia, inertia)
	}
	// Canonical order: sizes descending, ties by centroid.
	r := &kmeans.Result{K: k, D: d, Centers: slices.Concat(c.CentersScaled...), Labels: slices.Clone(c.Labels), Sizes: slices.Clone(c.Sizes)}
	if perm := kmeans.Canonicalize(r); !slices.Equal(perm, []int{0, 1, 2}) {
		t.Errorf("segments are not in canonical order: %v", perm)
	}
	// The manifest notes.
	var notes map[string]any
	for _, st := range res.Manifest.Stages {
		if st.Name == "cluster" {
			notes = st.Notes
		}
	}
	if notes["k"] != 3 || notes["engine"] != "native" || notes["inertia"] != c.Inertia {
		t.Errorf("notes %v", notes)
	}
	// model.json agrees with the result.
	m, err := model.Load(filepath.Join(res.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.K != 3 || !slices.Equal(m.Sizes, c.Sizes) || m.Inertia != c.Inertia || m.Input.IDColumn != "cid" ||
		m.Input.Rows != n || m.Input.SHA256 != res.State.Input.SHA256 || m.Seed != pipeline.DeriveSeed(42, "cluster") ||
		m.Select != "fixed" || len(m.RestartInertia) != 10 {
		t.Errorf("model %+v", m)
	}
	a, err := m.Assign(c.Original, n)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Labels, c.Labels) {
		t.Error("model.Assign on the training rows differs from the run's labels")
	}
}

// TestAssignmentsFile: id and segment ID per row; without an id, a 1-based
// row number; a stage named otherwise prefixes its files.
func TestAssignmentsFile(t *testing.T) {
	data := "cid,v\nA,1\nB,1.2\nC,9\nD,9.5\nE,1.1\n"
	res := mustRun(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [v], k: 2}\n")
	want := "cid,segment\nA,1\nB,1\nC,2\nD,2\nE,1\n"
	if got := string(readFile(t, res.Dir, "assignments.csv")); got != want {
		t.Errorf("assignments.csv\n%s\nwant\n%s", got, want)
	}
	res = mustRun(t, data, "  - type: ingest\n  - type: clean\n    config: {steps: [{drop: [cid]}]}\n  - type: cluster\n    name: seg\n    config: {features: [v], k: 2, names: {2: High}}\n")
	want = "row,segment\n1,1\n2,1\n3,2\n4,2\n5,1\n"
	if got := string(readFile(t, res.Dir, "seg-assignments.csv")); got != want {
		t.Errorf("seg-assignments.csv\n%s\nwant\n%s", got, want)
	}
	c := res.State.Clusters
	if c.ModelFile != "seg-model.json" || c.SegmentLabel(0) != "Segment 1" || c.SegmentLabel(1) != "High" {
		t.Errorf("model file %q, labels %q %q", c.ModelFile, c.SegmentLabel(0), c.SegmentLabel(1))
	}
	m, err := model.Load(filepath.Join(res.Dir, "seg-model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Names, []string{"", "High"}) || m.Input.IDColumn != "" {
		t.Errorf("names %q, id %q", m.Names, m.Input.IDColumn)
	}
}

// TestIDFollowsRenames: the id column is found under its new name.
func TestIDFollowsRenames(t *testing.T) {
	data := "cid,v\nA,1\nB,1.2\nC,9\n"
	res := mustRun(t, data, "  - type: ingest\n  - type: clean\n    config: {steps: [{rename: {cid: Customer_ID}}]}\n  - type: cluster\n    config: {features: [v], k: 2}\n")
	if got := string(readFile(t, res.Dir, "assignments.csv")); !strings.HasPrefix(got, "Customer_ID,segment\nA,") {
		t.Errorf("assignments.csv\n%s", got)
	}
}

// TestElbowFiles: with a fixed k and elbow: [1, 4], elbow.csv has every k,
// a blank silhouette for k = 1, the fixed k marked chosen and the indices
// that pick each k (three clear blobs: every index with a pick picks 3).
func TestElbowFiles(t *testing.T) {
	data, _ := blobs(30, 3)
	res := mustRun(t, data, blobStages, "stages.cluster.k=3", "stages.cluster.elbow=[1, 4]", "stages.cluster.formats=[png, svg]")
	c := res.State.Clusters
	lines := strings.Split(strings.TrimSpace(string(readFile(t, res.Dir, "elbow.csv"))), "\n")
	if len(lines) != 5 || lines[0] != "k,inertia,silhouette,ch,db,separation,chosen,picked_by" {
		t.Fatalf("elbow.csv:\n%s", strings.Join(lines, "\n"))
	}
	if !strings.HasPrefix(lines[1], "1,") || !strings.HasSuffix(lines[1], ",,,,,false,") {
		t.Errorf("k = 1 row %q: silhouette, ch, db and separation must be blank", lines[1])
	}
	if !strings.HasPrefix(lines[3], "3,") || !strings.HasSuffix(lines[3], ",true,separation silhouette calinski_harabasz davies_bouldin") {
		t.Errorf("k = 3 row %q must be chosen and picked by every index (Kneedle finds no knee on k = 1..4)", lines[3])
	}
	if ch := c.Choice; ch == nil || ch.Rule != "fixed" || !ch.Agree || c.KSetBy != "--set stages.cluster.k=3" {
		t.Errorf("choice %+v, k set by %q", ch, c.KSetBy)
	}
	if len(c.Selection) != 4 || !math.IsNaN(c.Selection[0].Silhouette) || c.Selection[0].SilhouetteSample != 0 ||
		c.Selection[2].SilhouetteSample != 90 || !c.Selection[2].Chosen {
		t.Errorf("selection %+v", c.Selection)
	}
	for _, f := range []string{"elbow.png", "elbow.svg"} {
		if _, err := os.Stat(filepath.Join(res.Dir, f)); err != nil {
			t.Error(err)
		}
	}
	// the elbow's k = 3 fit is the model's fit
	if c.Selection[2].Inertia != c.Inertia {
		t.Errorf("elbow inertia %v, model %v", c.Selection[2].Inertia, c.Inertia)
	}
}

// TestSilhouetteSample: above silhouette_sample rows the silhouette is the
// seeded sample estimate of metrics.SilhouetteSample.
func TestSilhouetteSample(t *testing.T) {
	const tol = 1e-12 // the stage scores the fit's labels before renumbering; sums run in another order
	data, _ := blobs(100, 4)
	res := mustRun(t, data, blobStages, "stages.cluster.k=3", "stages.cluster.silhouette_sample=50", "stages.cluster.seed=5")
	c := res.State.Clusters
	want, err := metrics.SilhouetteSample(c.Scaled, 300, 3, c.Labels, 3, 50, pipeline.DeriveSeed(5, "silhouette"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Selection[0]; math.Abs(got.Silhouette-want) > tol || got.SilhouetteSample != 50 {
		t.Errorf("silhouette %v on %d rows, want %v on 50", got.Silhouette, got.SilhouetteSample, want)
	}
}

// TestSeedPrecedence: a pinned seed is used as is; otherwise the stage's
// seed derived from the run seed and the stage name.
func TestSeedPrecedence(t *testing.T) {
	data, _ := blobs(20, 5)
	for _, tc := range []struct {
		sets []string
		want uint64
	}{
		{nil, pipeline.DeriveSeed(42, "cluster")},
		{[]string{"seed=7"}, pipeline.DeriveSeed(7, "cluster")},
		{[]string{"seed=7", "stages.cluster.seed=9"}, 9},
	} {
		res := mustRun(t, data, blobStages, append(tc.sets, "stages.cluster.k=3")...)
		m, err := model.Load(filepath.Join(res.Dir, "model.json"))
		if err != nil {
			t.Fatal(err)
		}
		if m.Seed != tc.want {
			t.Errorf("%v: seed %d, want %d", tc.sets, m.Seed, tc.want)
		}
	}
}

// TestWeights: a weight multiplies the scaled feature.
func TestWeights(t *testing.T) {
	const tol = 1e-12
	data, _ := blobs(20, 6)
	plain := mustRun(t, data, blobStages, "stages.cluster.k=3").State.Clusters
	res := mustRun(t, data, blobStages, "stages.cluster.k=3", "stages.cluster.weights={z: 2.5}")
	w := res.State.Clusters
	for i := 0; i < 60; i++ {
		if math.Abs(w.Scaled[i*3+2]-2.5*plain.Scaled[i*3+2]) > tol || w.Scaled[i*3] != plain.Scaled[i*3] {
			t.Fatalf("row %d: weighted %v, plain %v", i, w.Scaled[i*3:i*3+3], plain.Scaled[i*3:i*3+3])
		}
	}
	m, err := model.Load(filepath.Join(res.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Scaler.Weights, []float64{1, 1, 2.5}) {
		t.Errorf("weights %v", m.Scaler.Weights)
	}
}

// TestMuesli: the muesli engine runs and marks the run not reproducible.
func TestMuesli(t *testing.T) {
	data, _ := blobs(30, 7)
	res := mustRun(t, data, blobStages, "stages.cluster.k=3", "stages.cluster.engine=muesli")
	c := res.State.Clusters
	if c.Reproducible || res.Manifest.Reproducible || c.Engine != "muesli" || c.K != 3 {
		t.Errorf("reproducible %v / manifest %v, engine %q, k %d", c.Reproducible, res.Manifest.Reproducible, c.Engine, c.K)
	}
	found := false
	for _, w := range res.Manifest.Warnings {
		found = found || strings.Contains(w.Message, "not reproducible: engine: muesli")
	}
	if !found {
		t.Errorf("no reproducibility warning in %v", res.Manifest.Warnings)
	}
}

// TestTableUntouched: the stage leaves the table as it found it.
func TestTableUntouched(t *testing.T) {
	data, _ := blobs(20, 8)
	before := mustRun(t, data, "  - type: ingest\n").State.Table
	after := mustRun(t, data, blobStages, "stages.cluster.k=3").State.Table
	var a, b bytes.Buffer
	if err := csvio.WriteCSV(&a, before); err != nil {
		t.Fatal(err)
	}
	if err := csvio.WriteCSV(&b, after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the table changed")
	}
}

// TestDeterminism: two runs, and GOMAXPROCS 1 and 2, write byte-identical
// assignments.csv, model.json and elbow.csv.
func TestDeterminism(t *testing.T) {
	src, err := os.ReadFile("../../data/churn_sample.csv")
	if err != nil {
		t.Skip("data/churn_sample.csv not found")
	}
	stagesYAML := `  - type: ingest
  - type: clean
    config:
      steps:
        - fillna: {Avg Monthly GB Download: 0}
  - type: cluster
    config:
      features: [Age, Tenure in Months, Number of Referrals, Monthly Charge, Total Revenue, Avg Monthly GB Download]
      k_range: [2, 5]
      n_init: 4
      silhouette_sample: 2000
`
	data := strings.Replace(string(src), "Customer ID", "cid", 1)
	files := []string{"assignments.csv", "model.json", "elbow.csv"}
	var ref [][]byte
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for i, procs := range []int{2, 2, 1} {
		runtime.GOMAXPROCS(procs)
		res := mustRun(t, data, stagesYAML)
		for j, f := range files {
			b := readFile(t, res.Dir, f)
			if i == 0 {
				ref = append(ref, b)
			} else if !bytes.Equal(b, ref[j]) {
				t.Errorf("run %d (GOMAXPROCS %d): %s differs", i, procs, f)
			}
		}
	}
	var m struct {
		K int `json:"k"`
	}
	if err := json.Unmarshal(ref[1], &m); err != nil || m.K < 2 || m.K > 5 {
		t.Errorf("model k %d (%v)", m.K, err)
	}
}

// TestNamesAuto: with k: auto a pinned name for a segment beyond the chosen
// k is reported and left out.
func TestNamesAuto(t *testing.T) {
	data, _ := blobs(20, 9)
	res := mustRun(t, data, blobStages, "stages.cluster.select=silhouette", "stages.cluster.names={1: First, 7: Seventh}")
	c := res.State.Clusters
	if c.K != 3 || !slices.Equal(c.Names, []string{"First", "", ""}) {
		t.Errorf("k %d, names %q", c.K, c.Names)
	}
	want := `names: there is no segment 7 with k = 3; the name "Seventh" is not used`
	if len(res.Manifest.Warnings) != 1 || res.Manifest.Warnings[0].Message != want {
		t.Errorf("warnings %v", res.Manifest.Warnings)
	}
}
