package cluster_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

// weightedRef is testdata/weighted_sklearn.json (gen_weighted.py).
type weightedRef struct {
	ScalerMean      []float64   `json:"scaler_mean"`
	ScalerScale     []float64   `json:"scaler_scale"`
	Inertia         float64     `json:"inertia"`
	CentersScaled   [][]float64 `json:"centers_scaled"`
	CentersOriginal [][]float64 `json:"centers_original"`
	ClusterWeights  []float64   `json:"cluster_weights"`
	Labels          []int       `json:"labels"`
	Silhouette      float64     `json:"silhouette_repeated"`
	CH              float64     `json:"ch_repeated"`
	DB              float64     `json:"db_repeated"`
}

func loadWeighted(t *testing.T) (data, expanded string, ref weightedRef) {
	t.Helper()
	b, err := os.ReadFile("testdata/weighted_blobs.csv")
	if err != nil {
		t.Fatal(err)
	}
	e, err := os.ReadFile("testdata/weighted_blobs_expanded.csv")
	if err != nil {
		t.Fatal(err)
	}
	j, err := os.ReadFile("testdata/weighted_sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(j, &ref); err != nil {
		t.Fatal(err)
	}
	return string(b), string(e), ref
}

const weightedStages = `  - type: ingest
  - type: eda
    config: {columns: [x, y, z]}
  - type: cluster
    config: {features: [x, y, z], k: 3, elbow: [2, 4]}
  - type: profile
    config: {categorical: [plan], outcome: {column: plan, value: max}, plots: []}
`

// elbowRow returns elbow.csv's cells of one k by column name.
func elbowRow(t *testing.T, dir string, k string) map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(readFile(t, dir, "elbow.csv"))), "\n")
	head := strings.Split(lines[0], ",")
	for _, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if cells[0] == k {
			out := map[string]string{}
			for i, h := range head {
				out[h] = cells[i]
			}
			return out
		}
	}
	t.Fatalf("elbow.csv has no k = %s", k)
	return nil
}

func parseF(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// TestWeightsAgainstSklearn: with input.weight_column the scaler, the
// k-means centres, inertia and cluster weights equal scikit-learn 1.2.1's
// StandardScaler/KMeans with sample_weight, and the silhouette,
// Calinski–Harabasz and Davies–Bouldin of k = 3 equal scikit-learn's on
// the table with every row repeated w times (gen_weighted.py).
func TestWeightsAgainstSklearn(t *testing.T) {
	const tol = 1e-9
	data, _, ref := loadWeighted(t)
	res := mustRun(t, data, weightedStages, "input.weight_column=w")
	m, err := model.Load(filepath.Join(res.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	for j := range ref.ScalerMean {
		if math.Abs(m.Scaler.Center[j]-ref.ScalerMean[j]) > tol || math.Abs(m.Scaler.Scale[j]-ref.ScalerScale[j]) > tol {
			t.Errorf("scaler %d: %v/%v, sklearn %v/%v", j, m.Scaler.Center[j], m.Scaler.Scale[j], ref.ScalerMean[j], ref.ScalerScale[j])
		}
	}
	if math.Abs(m.Inertia-ref.Inertia) > tol*ref.Inertia {
		t.Errorf("inertia %v, sklearn %v", m.Inertia, ref.Inertia)
	}
	cl := res.State.Clusters
	for s, c := range m.CentersScaled {
		match := -1
		for r, rc := range ref.CentersScaled {
			if math.Abs(rc[0]-c[0]) < 1e-6 {
				match = r
			}
		}
		if match < 0 {
			t.Fatalf("centre %v is none of sklearn's %v", c, ref.CentersScaled)
		}
		for j := range c {
			if math.Abs(c[j]-ref.CentersScaled[match][j]) > tol || math.Abs(m.CentersOriginal[s][j]-ref.CentersOriginal[match][j]) > tol {
				t.Errorf("segment %d feature %d: %v/%v, sklearn %v/%v", s, j, c[j], m.CentersOriginal[s][j], ref.CentersScaled[match][j], ref.CentersOriginal[match][j])
			}
		}
		if cl.SegmentWeights[s] != ref.ClusterWeights[match] {
			t.Errorf("segment %d weighs %v, sklearn %v", s, cl.SegmentWeights[s], ref.ClusterWeights[match])
		}
	}
	row := elbowRow(t, res.Dir, "3")
	for _, c := range []struct {
		name string
		want float64
	}{{"silhouette", ref.Silhouette}, {"ch", ref.CH}, {"db", ref.DB}} {
		if got := parseF(t, row[c.name]); math.Abs(got-c.want) > tol*math.Max(1, c.want) {
			t.Errorf("%s = %v, sklearn on the repeated rows %v", c.name, got, c.want)
		}
	}
	if m.WeightColumn != "w" || res.Manifest.Stages[2].Resolved == nil || res.Manifest.Stages[2].Resolved.WeightColumn != "w" {
		t.Errorf("weight column not recorded: model %q", m.WeightColumn)
	}
}

// TestWeightsEqualRepeatedRows runs the pipeline on the weighted table and
// on the table with every row repeated w times (tol: 0 so k-means stops
// at the same fixed point): centroids, inertia, every index of elbow.csv
// for the k with a unique optimum (2 and 3),
// profile means/std/quartiles, categorical shares and outcome rates, and
// eda's weighted describe and Pearson matrix agree.
func TestWeightsEqualRepeatedRows(t *testing.T) {
	const tol = 1e-9
	data, expanded, _ := loadWeighted(t)
	wr := mustRun(t, data, weightedStages, "input.weight_column=w", "stages.cluster.config.tol=0")
	er := mustRun(t, expanded, weightedStages, "stages.cluster.config.tol=0")
	a, b := wr.State.Clusters, er.State.Clusters
	if a.K != b.K {
		t.Fatalf("k %d vs %d", a.K, b.K)
	}
	near := func(what string, x, y float64) {
		t.Helper()
		if !(math.Abs(x-y) <= tol*math.Max(1, math.Abs(y))) && !(math.IsNaN(x) && math.IsNaN(y)) {
			t.Errorf("%s: weighted %v, repeated rows %v", what, x, y)
		}
	}
	near("inertia", a.Inertia, b.Inertia)
	for s := range a.K {
		for j := range a.CentersOriginal[s] {
			near("centre", a.CentersOriginal[s][j], b.CentersOriginal[s][j])
			near("centre (scaled)", a.CentersScaled[s][j], b.CentersScaled[s][j])
		}
		near("segment weight", a.SegmentWeights[s], float64(b.Sizes[s]))
	}
	for i := range a.Selection {
		sa, sb := a.Selection[i], b.Selection[i]
		if sa.K > 3 {
			// k = 4 cuts a blob: the seeding draws differ (row i is drawn
			// with probability ∝ w_i here, one of its copies there), so the
			// restarts may end in different local optima.
			continue
		}
		near("inertia by k", sa.Inertia, sb.Inertia)
		near("silhouette", sa.Silhouette, sb.Silhouette)
		near("calinski_harabasz", sa.CalinskiHarabasz, sb.CalinskiHarabasz)
		near("davies_bouldin", sa.DaviesBouldin, sb.DaviesBouldin)
		near("separation", sa.Separation, sb.Separation)
	}
	pa, pb := wr.State.Profile, er.State.Profile
	for s := range pa.Segments {
		near("share", pa.Segments[s].Share, pb.Segments[s].Share)
		for j, st := range pa.Segments[s].Stats {
			o := pb.Segments[s].Stats[j]
			for _, v := range [][2]float64{{st.Mean, o.Mean}, {st.Std, o.Std}, {st.Median, o.Median}, {st.Q25, o.Q25}, {st.Q75, o.Q75}, {st.Min, o.Min}, {st.Max, o.Max}, {st.Z, o.Z}} {
				near("profile "+st.Column, v[0], v[1])
			}
		}
		for l := range pa.Categorical[0].Levels {
			near("plan share", pa.Categorical[0].Shares[s][l], pb.Categorical[0].Shares[s][l])
		}
		near("outcome rate", pa.Outcome.Rates[s], pb.Outcome.Rates[s])
	}
	if pa.Weighted != "w" || pb.Weighted != "" {
		t.Errorf("profile weighted by %q / %q", pa.Weighted, pb.Weighted)
	}
	ea, eb := wr.State.EDA, er.State.EDA
	for i := range ea.Correlation.R {
		for j := range ea.Correlation.R[i] {
			near("pearson", ea.Correlation.R[i][j], eb.Correlation.R[i][j])
		}
	}
	for _, sa := range ea.Summary {
		for _, sb := range eb.Summary {
			if sa.Column != sb.Column || sa.Column == "cid" || sa.Type == "string" {
				continue
			}
			for _, v := range [][2]float64{{sa.Mean, sb.Mean}, {sa.Std, sb.Std}, {sa.Q25, sb.Q25}, {sa.Q50, sb.Q50}, {sa.Q75, sb.Q75}, {sa.Min, sb.Min}, {sa.Max, sb.Max}} {
				near("describe "+sa.Column, v[0], v[1])
			}
		}
	}
}

// TestWeightErrors: a negative, missing or text weight is an error naming
// the row (and id) and the column; zero weights are allowed.
func TestWeightErrors(t *testing.T) {
	base := "cid,a,b,w\nA,1,2,1\nB,2,1,0\nC,8,9,2\nD,9,8,1\n"
	st := "  - type: ingest\n  - type: cluster\n    config: {features: [a, b], k: 2}\n"
	if _, err := runJob(t, base, st, "input.weight_column=w"); err != nil {
		t.Errorf("zero weight: %v", err)
	}
	for _, tc := range []struct{ data, want string }{
		{strings.Replace(base, "C,8,9,2", "C,8,9,-2", 1), `input.weight_column: column "w", row 3 (cid C): the weight -2 is negative`},
		{strings.Replace(base, "C,8,9,2", "C,8,9,", 1), `input.weight_column: column "w", row 3 (cid C): the weight is missing`},
		{strings.Replace(base, "C,8,9,2", "C,8,9,x", 1), `input.weight_column: column "w" holds text`},
		{"cid,a,b,w\nA,1,2,0\nB,2,1,0\n", `every weight in column "w" is 0`},
	} {
		_, err := runJob(t, tc.data, st, "input.weight_column=w")
		var rf *pipeline.RunFailedError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &rf) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	cfg, err := job(t, base, "  - type: ingest\n  - type: cluster\n    config: {features: [a, w], k: 2}\n", "input.weight_column=w")
	if err == nil {
		_, err = pipeline.Run(t.Context(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	}
	if err == nil || !strings.Contains(err.Error(), `"w" is the weight column (input.weight_column)`) {
		t.Errorf("weight column as a feature: %v", err)
	}
}

// TestWeightColumnRenamed: input.weight_column is followed through a
// clean rename, like input.id: the cluster stage sees the new name and
// fits the same weighted model.
func TestWeightColumnRenamed(t *testing.T) {
	data, _, _ := loadWeighted(t)
	plain := mustRun(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k: 3}\n", "input.weight_column=w")
	renamed := mustRun(t, data, "  - type: ingest\n  - type: clean\n    config: {steps: [rename: {w: weight}]}\n  - type: cluster\n    config: {features: [x, y, z], k: 3}\n", "input.weight_column=w")
	if got := renamed.Manifest.Stages[2].Resolved; got == nil || got.WeightColumn != "weight" {
		t.Fatalf("resolved %+v", got)
	}
	if a, b := readFile(t, plain.Dir, "assignments.csv"), readFile(t, renamed.Dir, "assignments.csv"); string(a) != string(b) {
		t.Error("assignments differ after renaming the weight column")
	}
	if plain.State.Clusters.Inertia != renamed.State.Clusters.Inertia || renamed.State.Clusters.WeightColumn != "weight" {
		t.Errorf("inertia %v vs %v", plain.State.Clusters.Inertia, renamed.State.Clusters.Inertia)
	}
}
