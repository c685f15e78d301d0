package model

// The fixture testdata/predict_reference.json is produced by
//
//	cd internal/model/testdata && /usr/bin/python3 gen_predict_reference.py

import (
	"bytes"
	"encoding/json"
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
	Cases    []struct {
		Method   string      `json:"method"`
		Center   []float64   `json:"center"`
		Scale    []float64   `json:"scale"`
		Centers  [][]float64 `json:"centers"`
		Labels   []int32     `json:"labels"`
		Distance []float64   `json:"distance"`
		Inertia  float64     `json:"inertia"`
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
	if !strings.HasPrefix(b.String(), "{\n  \"schema_version\": 1,\n") || !strings.HasSuffix(b.String(), "}\n") {
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
		{name: "newer schema", edit: func(m map[string]any) { m["schema_version"] = 2 },
			prefix: "model.json has schema_version 2; this segment reads 1"},
		{name: "no schema", edit: func(m map[string]any) { delete(m, "schema_version") },
			prefix: "model.json has no schema_version; is it a model.json written by segment's cluster stage?"},
		{name: "text schema", edit: func(m map[string]any) { m["schema_version"] = "one" },
			prefix: `model.json has schema_version "one"; this segment reads 1`},
		{name: "not json", raw: "hello", prefix: "model.json is not a segment model (invalid JSON"},
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
