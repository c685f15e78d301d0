package model

// The fixture testdata/predict_reference.json is produced by
//
//	cd internal/model/testdata && /usr/bin/python3 gen_predict_reference.py

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/scale"
)

type predictFixture struct {
	Features []string    `json:"features"`
	New      [][]float64 `json:"new"`
	Train    [][]float64 `json:"train"`
	Cases    []struct {
		Method          string      `json:"method"`
		Center          []float64   `json:"center"`
		Scale           []float64   `json:"scale"`
		Centers         [][]float64 `json:"centers"`
		Labels          []int32     `json:"labels"`
		Distance        []float64   `json:"distance"`
		All             [][]float64 `json:"all"`
		TrainLabels     []int32     `json:"train_labels"`
		OutlierDistance []float64   `json:"outlier_distance"`
		Inertia         float64     `json:"inertia"`
	} `json:"cases"`
}

func readFixture(t *testing.T) predictFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/predict_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx predictFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// testModel is a valid 2-segment model on two standard-scaled features.
func testModel() *Model {
	return &Model{
		SchemaVersion:   SchemaVersion,
		Features:        []string{"Age", "Tenure"},
		Scaler:          &scale.Scaler{Method: scale.Standard, Features: []string{"Age", "Tenure"}, Center: []float64{40, 20}, Scale: []float64{10, 5}},
		K:               2,
		IDs:             []int{1, 2},
		Names:           []string{"", "Loyal"},
		Sizes:           []int{30, 20},
		CentersScaled:   [][]float64{{-1, -1}, {1, 1}},
		CentersOriginal: [][]float64{{30, 15}, {50, 25}},
		Inertia:         12.5,
		Engine:          "native",
		Seed:            9,
		NInit:           10,
		MaxIter:         300,
		Tol:             1e-4,
		RestartInertia:  []float64{12.5, 13},
		Reproducible:    true,
		Select:          "fixed",
		Input:           Input{SHA256: "ab", Rows: 50, IDColumn: "Customer ID", NAValues: []string{"NA"}, Types: map[string]string{"Zip": "string"}},
		OutlierQuantile: DefaultOutlierQuantile,
		OutlierDistance: []float64{1.5, 2},
		Transform: &Transform{
			IDColumn: "Customer ID",
			Columns:  []Column{{Name: "Customer ID", Type: "string"}, {Name: "Age", Type: "int"}, {Name: "Tenure", Type: "float"}},
			Steps:    []Step{{Stage: "clean", Key: "steps[0].fillna", Kind: "fillna", Params: []byte(`{"Tenure":12.5}`), RowsIn: 50, RowsOut: 50}},
		},
	}
}

// TestAssignSklearn: scaling then nearest centroid equals scikit-learn's
// scaler + KMeans.predict, and the distance equals KMeans.transform.
func TestAssignSklearn(t *testing.T) {
	const tol = 1e-12 // scaled units (values of order 1)
	fx := readFixture(t)
	n, d := len(fx.New), len(fx.Features)
	X := make([]float64, 0, n*d)
	for _, r := range fx.New {
		X = append(X, r...)
	}
	orig := slices.Clone(X)
	for _, c := range fx.Cases {
		t.Run(c.Method, func(t *testing.T) {
			m := testModel()
			m.Features = fx.Features
			m.Scaler = &scale.Scaler{Method: c.Method, Features: fx.Features, Center: c.Center, Scale: c.Scale}
			m.K = len(c.Centers)
			m.IDs, m.Names, m.Sizes = []int{1, 2, 3}, []string{"", "", ""}, []int{1, 1, 1}
			m.CentersScaled, m.CentersOriginal = c.Centers, c.Centers
			m.OutlierDistance = []float64{1, 1, 1}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			a, err := m.Assign(X, n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(a.Labels, c.Labels) {
				t.Errorf("labels %v, sklearn %v", a.Labels, c.Labels)
			}
			for i, want := range c.Distance {
				if math.Abs(a.Distance[i]-want) > tol {
					t.Errorf("row %d: distance %.17g, sklearn %.17g", i, a.Distance[i], want)
				}
			}
			if math.Abs(a.Inertia-c.Inertia) > tol*float64(n) {
				t.Errorf("inertia %.17g, sklearn %.17g", a.Inertia, c.Inertia)
			}
		})
	}
	if !slices.Equal(X, orig) {
		t.Error("Assign modified its input")
	}
}

func TestWriteParseRoundTrip(t *testing.T) {
	m := testModel()
	var b bytes.Buffer
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := Parse("model.json", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var b2 bytes.Buffer
	if err := got.Write(&b2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Errorf("round trip changed the bytes:\n%s\n---\n%s", b.String(), b2.String())
	}
	if !strings.HasPrefix(b.String(), "{\n  \"schema_version\": 2,\n") || !strings.HasSuffix(b.String(), "}\n") {
		t.Errorf("unexpected layout:\n%s", b.String())
	}
	if got.Label(0) != "Segment 1" || got.Label(1) != "Loyal" {
		t.Errorf("labels %q %q", got.Label(0), got.Label(1))
	}
	if strings.Contains(b.String(), "vcs_time") {
		t.Error("the model carries a timestamp")
	}
}

// TestParseErrors: each damaged model is refused with a message saying what
// does not match.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		prefix string
	}{
		{name: "newer schema", edit: func(m map[string]any) { m["schema_version"] = 3 },
			prefix: "model.json has schema_version 3; this segment reads 1 and 2"},
		{name: "schema 0", edit: func(m map[string]any) { m["schema_version"] = 0 },
			prefix: "model.json has schema_version 0; this segment reads 1 and 2"},
		{name: "no schema", edit: func(m map[string]any) { delete(m, "schema_version") },
			prefix: "model.json has no schema_version; is it a model.json written by segment's cluster stage?"},
		{name: "text schema", edit: func(m map[string]any) { m["schema_version"] = "one" },
			prefix: `model.json has schema_version "one"; this segment reads 1 and 2`},
		{name: "not json", raw: "hello", prefix: "model.json is not a segment model (invalid JSON: invalid character 'h' looking for beginning of value)"},
		{name: "scaler features", edit: func(m map[string]any) {
			m["features"] = []string{"Age", "Tenure", "Revenue"}
		}, prefix: `model.json: the scaler has 2 features but the model 3 (["Age" "Tenure" "Revenue"])`},
		{name: "centroid columns", edit: func(m map[string]any) {
			m["centers_scaled"] = [][]float64{{1, 2, 3}, {4, 5, 6}}
		}, prefix: "model.json: the scaler has 2 features but the model 3 centers_scaled columns (centroid 0)"},
		{name: "centroid count", edit: func(m map[string]any) { m["centers_original"] = [][]float64{{1, 2}} },
			prefix: "model.json: k is 2 but centers_original has 1 centroids"},
		{name: "ids", edit: func(m map[string]any) { m["ids"] = []int{1, 1} },
			prefix: "model.json: segment id 1 appears twice"},
		{name: "names", edit: func(m map[string]any) { m["names"] = []string{"A"} },
			prefix: `model.json: k is 2 but there are 1 segment names (use "" for unnamed segments)`},
		{name: "scaler", edit: func(m map[string]any) { m["scaler"].(map[string]any)["scale"] = []float64{1, 0} },
			prefix: `model.json: scaler: scaler "standard": feature "Tenure" has scale 0, want finite and > 0`},
		{name: "type", edit: func(m map[string]any) { m["k"] = "two" },
			prefix: `model.json: "k" holds a string where a int is expected`},
		// Hand edits that would otherwise score against a wrong centroid.
		{name: "null centroid", edit: func(m map[string]any) { m["centers_scaled"].([]any)[1].([]any)[0] = nil },
			prefix: "model.json: centers_scaled: centroid 1, value 0 is null; a model holds finite numbers only"},
		{name: "null scale", edit: func(m map[string]any) { m["scaler"].(map[string]any)["center"].([]any)[1] = nil },
			prefix: "model.json: scaler.center: value 1 is null"},
		{name: "NaN centroid", raw: `{"schema_version": 2, "centers_scaled": [[NaN, 1]]}`,
			prefix: "model.json is not a segment model (invalid JSON: invalid character 'N' looking for beginning of value; JSON has no NaN or Infinity: a model holds finite numbers only)"},
		{name: "wrong dimensions", edit: func(m map[string]any) { m["centers_scaled"].([]any)[0] = []any{1.0} },
			prefix: "model.json: the scaler has 2 features but the model 1 centers_scaled columns (centroid 0)"},
		{name: "extra centroid", edit: func(m map[string]any) {
			m["centers_scaled"] = append(m["centers_scaled"].([]any), []any{0.0, 0.0})
		}, prefix: "model.json: k is 2 but centers_scaled has 3 centroids"},
		{name: "outliers", edit: func(m map[string]any) { m["outlier_distance"] = []any{1.0} },
			prefix: "model.json: k is 2 but there are 1 outlier distances"},
		{name: "outlier quantile", edit: func(m map[string]any) { m["outlier_quantile"] = 1.5 },
			prefix: "model.json: outlier_quantile is 1.5; it must be in (0, 1]"},
		{name: "no transform", edit: func(m map[string]any) { delete(m, "transform") },
			prefix: "model.json: the model has no transform (schema 2 records the steps from the raw input to the features)"},
		{name: "transform types", edit: func(m map[string]any) {
			m["transform"].(map[string]any)["columns"].([]any)[1].(map[string]any)["type"] = "integer!"
		}, prefix: `model.json: transform: column "Age": unknown type "integer!"`},
		{name: "transform id", edit: func(m map[string]any) { m["transform"].(map[string]any)["id_column"] = "cid" },
			prefix: `model.json: transform: the id column "cid" is not one of the input columns`},
		{name: "transform step", edit: func(m map[string]any) {
			delete(m["transform"].(map[string]any)["steps"].([]any)[0].(map[string]any), "params")
		}, prefix: "model.json: transform: step 0 (clean: steps[0].fillna) has no params"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.raw)
			if tc.edit != nil {
				var b bytes.Buffer
				if err := testModel().Write(&b); err != nil {
					t.Fatal(err)
				}
				var raw map[string]any
				if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
					t.Fatal(err)
				}
				tc.edit(raw)
				src, _ = json.Marshal(raw)
			}
			_, err := Parse("model.json", src)
			if err == nil || !strings.HasPrefix(err.Error(), tc.prefix) {
				t.Errorf("got %v\nwant %s", err, tc.prefix)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load("testdata/nope/model.json")
	if err == nil || err.Error() != "cannot read model testdata/nope/model.json: no such file or directory" {
		t.Errorf("got %v", err)
	}
}

func TestWriteRefusesInvalid(t *testing.T) {
	m := testModel()
	m.Sizes = nil
	var b bytes.Buffer
	if err := m.Write(&b); err == nil || b.Len() > 0 {
		t.Errorf("wrote an invalid model: %v", err)
	}
}

// TestMatrix: numeric, bool and text columns, missing cells, text that is
// not a number and log1p's domain.
func TestMatrix(t *testing.T) {
	const tol = 0 // values are copied or parsed exactly
	m := testModel()
	m.Features = []string{"A", "B", "C"}
	m.Scaler = &scale.Scaler{Method: scale.Log1pStandard, Features: m.Features, Center: []float64{0, 0, 0}, Scale: []float64{1, 1, 1}}
	tb, err := frame.New(
		frame.NewInt("A", []int64{1, 2, 3, 4}, []bool{false, true, false, false}),
		frame.NewString("B", []string{" 1.5", "x", "", "-2"}, []bool{false, false, true, false}),
		frame.NewBool("C", []bool{true, false, true, true}, nil),
		frame.NewString("id", []string{"a", "b", "c", "d"}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	X, probs, err := m.Matrix(tb)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := []float64{1, 1.5, 1, nan, nan, 0, 3, nan, 1, 4, nan, 1}
	for i, w := range want {
		if (math.IsNaN(w) != math.IsNaN(X[i])) || !math.IsNaN(w) && math.Abs(X[i]-w) > tol {
			t.Errorf("X[%d] = %v, want %v", i, X[i], w)
		}
	}
	wantP := []Problem{
		{Row: 1, Column: "A", Reason: "missing value"},
		{Row: 1, Column: "B", Value: "x", Reason: "not a number"},
		{Row: 2, Column: "B", Reason: "missing value"},
		{Row: 3, Column: "B", Value: "-2", Reason: "is ≤ -1, outside log1p-standard scaling's domain"},
	}
	if !slices.Equal(probs, wantP) {
		t.Errorf("problems\n got %v\nwant %v", probs, wantP)
	}
	if _, _, err := m.Matrix(tb.Take([]int{0})); err != nil {
		t.Error(err)
	}
	m.Features = []string{"A", "Bee"}
	if _, _, err := m.Matrix(tb); err == nil || err.Error() != `feature column: unknown column "Bee" (did you mean "B"?)` {
		t.Errorf("got %v", err)
	}
}

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in string
		v  float64
		ok bool
	}{
		{"1", 1, true}, {" -2.5e3\t", -2500, true}, {"+.5", 0.5, true}, {"1e400", 0, false},
		{"NaN", 0, false}, {"inf", 0, false}, {"0x10", 0, false}, {"1_000", 0, false},
		{"", 0, false}, {"-", 0, false}, {"e5", 0, false}, {"1,5", 0, false}, {"true", 0, false},
	} {
		v, ok := ParseNumber(tc.in)
		if ok != tc.ok || ok && v != tc.v {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.in, v, ok, tc.v, tc.ok)
		}
	}
}

// TestScoreSklearn: the second-nearest centroid and every centroid's
// distance equal scikit-learn's KMeans.transform, and the outlier
// thresholds computed from the training rows equal numpy's 99th percentile
// of each segment's distances.
func TestScoreSklearn(t *testing.T) {
	const tol = 1e-12 // scaled units (values of order 1)
	fx := readFixture(t)
	n, d := len(fx.New), len(fx.Features)
	var X, T []float64
	for _, r := range fx.New {
		X = append(X, r...)
	}
	for _, r := range fx.Train {
		T = append(T, r...)
	}
	for _, c := range fx.Cases {
		t.Run(c.Method, func(t *testing.T) {
			m := testModel()
			m.Features = fx.Features
			m.Scaler = &scale.Scaler{Method: c.Method, Features: fx.Features, Center: c.Center, Scale: c.Scale}
			m.K = len(c.Centers)
			m.IDs, m.Names, m.Sizes = []int{1, 2, 3}, []string{"", "", ""}, []int{1, 1, 1}
			m.CentersScaled, m.CentersOriginal = c.Centers, c.Centers
			Z, err := m.Scaler.Transform(T, len(fx.Train))
			if err != nil {
				t.Fatal(err)
			}
			th, err := OutlierThresholds(Z, len(fx.Train), d, c.Centers, c.TrainLabels, 0.99)
			if err != nil {
				t.Fatal(err)
			}
			for s := range th {
				if math.Abs(th[s]-c.OutlierDistance[s]) > tol {
					t.Errorf("threshold %d = %.17g, numpy %.17g", s, th[s], c.OutlierDistance[s])
				}
			}
			m.OutlierDistance = th
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			sc, err := m.Score(X, n, true)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sc.Labels, c.Labels) {
				t.Errorf("labels %v, sklearn %v", sc.Labels, c.Labels)
			}
			for i := range n {
				all := c.All[i]
				for s := range all {
					if math.Abs(sc.All[i*3+s]-all[s]) > tol {
						t.Errorf("row %d centroid %d: %.17g, sklearn %.17g", i, s, sc.All[i*3+s], all[s])
					}
				}
				// The second nearest is the smallest of the others.
				want, wantS := math.Inf(1), -1
				for s, v := range all {
					if s != int(c.Labels[i]) && v < want {
						want, wantS = v, s
					}
				}
				if int(sc.Second[i]) != wantS || math.Abs(sc.SecondDistance[i]-want) > tol || sc.SecondDistance[i] < sc.Distance[i] {
					t.Errorf("row %d: second %d at %v, want %d at %v (nearest %v)", i, sc.Second[i], sc.SecondDistance[i], wantS, want, sc.Distance[i])
				}
				if sc.Outlier[i] != (sc.Distance[i] > th[sc.Labels[i]]) {
					t.Errorf("row %d: outlier %v", i, sc.Outlier[i])
				}
			}
		})
	}
}

// TestScoreOneSegment: with k = 1 there is no second segment.
func TestScoreOneSegment(t *testing.T) {
	m := testModel()
	m.K, m.IDs, m.Names, m.Sizes = 1, []int{1}, []string{""}, []int{50}
	m.CentersScaled, m.CentersOriginal, m.OutlierDistance = [][]float64{{0, 0}}, [][]float64{{40, 20}}, []float64{1}
	sc, err := m.Score([]float64{40, 20, 60, 20}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Second[0] != -1 || !math.IsNaN(sc.SecondDistance[1]) || sc.All != nil || !slices.Equal(sc.Outlier, []bool{false, true}) {
		t.Errorf("%+v", sc)
	}
}

// TestVersion1Fixture: a model.json written by segment before schema 2
// (testdata/v1, kept byte for byte) still loads, says what it lacks, and
// scores its own cleaned table exactly as its run assigned it.
func TestVersion1Fixture(t *testing.T) {
	m, err := Load("testdata/v1/model.json")
	if err != nil {
		t.Fatal(err)
	}
	if m.SchemaVersion != 1 || m.Transform != nil || m.OutlierDistance != nil {
		t.Fatalf("version %d, transform %v, outliers %v", m.SchemaVersion, m.Transform, m.OutlierDistance)
	}
	lacks := strings.Join(m.Lacks(), "\n")
	for _, want := range []string{"records no preparation steps", "no outlier thresholds"} {
		if !strings.Contains(lacks, want) {
			t.Errorf("Lacks() = %q, want %q", lacks, want)
		}
	}
	b, err := os.ReadFile("testdata/v1/clean.table.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	var X []float64
	var ids []string
	for _, l := range lines {
		f := strings.Split(l, ",")
		s, _ := ParseNumber(f[1])
		v, _ := ParseNumber(f[2])
		X = append(X, s, v)
		ids = append(ids, f[0])
	}
	sc, err := m.Score(X, len(lines), false)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Outlier != nil {
		t.Error("a version-1 model flagged outliers")
	}
	a, err := os.ReadFile("testdata/v1/assignments.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	got.WriteString("cid,segment\n")
	for i, l := range sc.Labels {
		fmt.Fprintf(&got, "%s,%d\n", ids[i], m.IDs[l])
	}
	if got.String() != string(a) {
		t.Errorf("scores\n%s\nassignments.csv\n%s", got.String(), a)
	}
	// Written again it stays a version-1 model (mode: assign copies the
	// bytes instead, so the next night chains).
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil || !strings.Contains(buf.String(), `"schema_version": 1,`) {
		t.Errorf("rewritten: %v", err)
	}
}
