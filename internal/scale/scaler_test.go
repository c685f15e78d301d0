package scale

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

var (
	testFeatures = []string{"Age", "Income", "Tenure"}
	testX        = []float64{
		19, 15, 1,
		21, 15, 34,
		20, 16, 2,
		23, 16, 45,
		31, 17, 8,
		22, 17, 22,
	}
)

func TestMethods(t *testing.T) {
	want := []string{"standard", "minmax", "robust", "normalize", "log1p-standard", "none"}
	if got := Methods(); !slices.Equal(got, want) {
		t.Errorf("Methods() = %q, want %q", got, want)
	}
	Methods()[0] = "changed"
	if Methods()[0] != "standard" {
		t.Error("Methods returns shared storage")
	}
}

func TestFitErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		method   string
		X        []float64
		n, d     int
		features []string
		weights  []float64
		want     string // exact error message
	}{
		{"unknown method", "zscore", testX, 6, 3, testFeatures, nil,
			`unknown scaling method "zscore" (want one of ["standard" "minmax" "robust" "normalize" "log1p-standard" "none"])`},
		{"zero rows", Standard, nil, 0, 3, testFeatures, nil, `cannot fit scaler "standard" on 0 rows`},
		{"zero cols", Standard, nil, 2, 0, nil, nil, `cannot fit scaler "standard" on 0 features`},
		{"names", Standard, testX, 6, 3, testFeatures[:2], nil, `2 feature names for 3 columns`},
		{"shape", Standard, testX[:17], 6, 3, testFeatures, nil, `data has 17 values, want 6 rows × 3 columns = 18`},
		{"empty name", Standard, testX, 6, 3, []string{"Age", "", "Tenure"}, nil, `feature 1 has an empty name`},
		{"duplicate name", Standard, testX, 6, 3, []string{"Age", "Tenure", "Tenure"}, nil, `feature "Tenure" appears twice (columns 1 and 2)`},
		{"weights length", Standard, testX, 6, 3, testFeatures, []float64{1, 2}, `2 weights for 3 features`},
		{"zero weight", Standard, testX, 6, 3, testFeatures, []float64{1, 0, 2}, `feature "Income" has weight 0, want finite and > 0 (remove the feature instead of giving it weight 0)`},
		{"NaN weight", MinMax, testX, 6, 3, testFeatures, []float64{1, 1, nan}, `feature "Tenure" has weight NaN, want finite and > 0 (remove the feature instead of giving it weight 0)`},
		{"NaN value", None, []float64{1, 2, 3, 4, nan, 6}, 2, 3, testFeatures, nil, `feature "Income", row 1: value is NaN`},
		{"Inf value", Normalize, []float64{1, 2, math.Inf(-1), 4, 5, 6}, 2, 3, testFeatures, nil, `feature "Tenure", row 0: value is -Inf`},
		{"log1p domain", Log1pStandard, []float64{1, 2, 3, 4, 5, -1}, 2, 3, testFeatures, nil, `feature "Tenure", row 1: value -1 is <= -1, so log1p is undefined; use another scale method`},
		{"zero variance", Standard, []float64{1, 5, 2, 5, 3, 5}, 3, 2, []string{"Age", "Tenure"}, nil, `feature "Tenure" has zero variance; drop it or use scale: none`},
		{"near-zero variance", Standard, []float64{1e6, math.Nextafter(1e6, 2e6), 1e6}, 3, 1, []string{"Tenure"}, nil, `feature "Tenure" has zero variance; drop it or use scale: none`},
		{"single row", Standard, []float64{1, 2}, 1, 2, []string{"Age", "Tenure"}, nil, `feature "Age" has zero variance; drop it or use scale: none`},
		{"log1p zero variance", Log1pStandard, []float64{1, 3, 2, 3}, 2, 2, []string{"Age", "Tenure"}, nil, `feature "Tenure" has zero variance; drop it or use scale: none`},
		{"zero range", MinMax, []float64{7, 1, 7, 2}, 2, 2, []string{"Age", "Tenure"}, nil, `feature "Age" has zero range (all values equal); drop it or use scale: none`},
		{"zero IQR", Robust, []float64{0, 0, 0, 0, 0, 9}, 6, 1, []string{"Dependents"}, nil, `feature "Dependents" has zero interquartile range; drop it or use scale: none`},
		{"overflow", Standard, []float64{1e308, 1e308, -1e308}, 3, 1, []string{"Big"}, nil, `feature "Big" has values too large to standardise`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Fit(tc.method, tc.X, tc.n, tc.d, tc.features, tc.weights)
			if s != nil {
				t.Errorf("got a scaler with error %v", err)
			}
			wantErr(t, err, tc.want)
		})
	}
}

func TestFeatureErrorFields(t *testing.T) {
	_, err := Fit(Standard, []float64{1, 2, 3, math.NaN()}, 2, 2, []string{"a", "b"}, nil)
	var fe *FeatureError
	if !errors.As(err, &fe) || fe.Feature != "b" || fe.Row != 1 {
		t.Fatalf("got %#v", err)
	}
	_, err = Fit(MinMax, []float64{1, 1}, 2, 1, []string{"a"}, nil)
	if !errors.As(err, &fe) || fe.Feature != "a" || fe.Row != -1 {
		t.Fatalf("got %#v", err)
	}
}

// TestFittedAreValid checks every method on the small matrix by hand-derivable
// properties, weights included, and that Fit's results pass Validate.
func TestHandValues(t *testing.T) {
	// Age column 19 21 20 23 31 22: mean 136/6, min 19, range 12,
	// sorted 19 20 21 22 23 31: median 21.5, q25 = 20.25, q75 = 22.75.
	tests := []struct {
		method        string
		center, scale float64
	}{
		{Standard, 136.0 / 6, math.Sqrt((19*19 + 21*21 + 20*20 + 23*23 + 31*31 + 22*22 - 136.0*136/6) / 6)},
		{MinMax, 19, 12},
		{Robust, 21.5, 2.5},
	}
	for _, tc := range tests {
		s, err := Fit(tc.method, testX, 6, 3, testFeatures, []float64{2, 1, 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if !near(s.Center[0], tc.center) || !near(s.Scale[0], tc.scale) {
			t.Errorf("%s: Age center, scale = %v, %v, want %v, %v", tc.method, s.Center[0], s.Scale[0], tc.center, tc.scale)
		}
		Z, _ := s.Transform(testX, 6)
		if want := 2 * (31 - tc.center) / tc.scale; !near(Z[12], want) {
			t.Errorf("%s: weighted z of Age=31 is %v, want %v", tc.method, Z[12], want)
		}
	}
	// normalize: row (19, 15, 1) has norm sqrt(587); none: identity.
	s, _ := Fit(Normalize, testX, 6, 3, testFeatures, nil)
	Z, _ := s.Transform(testX, 6)
	if want := 15 / math.Sqrt(587); !near(Z[1], want) {
		t.Errorf("normalize: %v, want %v", Z[1], want)
	}
	s, _ = Fit(None, testX, 6, 3, testFeatures, []float64{1, 1, 0.5})
	Z, _ = s.Transform(testX, 6)
	if Z[5] != 17 || Z[0] != 19 {
		t.Errorf("none with weights: %v", Z[:6])
	}
}

func TestNormalizeZeroRow(t *testing.T) {
	s, err := Fit(Normalize, []float64{0, 0, 3, 4, 1e-300, 0}, 3, 2, []string{"a", "b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	Z, _ := s.Transform([]float64{0, 0, 3, 4, 1e-300, 0, 3e300, 4e300}, 4)
	want := []float64{0, 0, 0.6, 0.8, 1e-300, 0, 0.6, 0.8}
	checkSlice(t, "normalize", Z, want)
}

func TestNotMutated(t *testing.T) {
	for _, m := range Methods() {
		X := slices.Clone(testX)
		feats := slices.Clone(testFeatures)
		w := []float64{1, 2, 3}
		s, err := Fit(m, X, 6, 3, feats, w)
		if err != nil {
			t.Fatal(err)
		}
		Z, err := s.Transform(X, 6)
		if err != nil {
			t.Fatal(err)
		}
		Zc := slices.Clone(Z)
		if m != Normalize {
			if _, err := s.InverseTransform(Z, 6); err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(X, testX) || !slices.Equal(feats, testFeatures) || !slices.Equal(w, []float64{1, 2, 3}) || !slices.Equal(Z, Zc) {
			t.Errorf("%s: input mutated", m)
		}
		// The scaler owns copies.
		feats[0], w[0] = "x", 9
		if s.Features[0] != "Age" || s.Weights[0] != 1 {
			t.Errorf("%s: scaler aliases its inputs", m)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, m := range Methods() {
		for _, w := range [][]float64{nil, {0.5, 1, 3}} {
			s, err := Fit(m, testX, 6, 3, testFeatures, w)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var got Scaler
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if err := got.Validate(); err != nil {
				t.Fatalf("%s: decoded scaler invalid: %v", m, err)
			}
			if got.Method != s.Method || !slices.Equal(got.Features, s.Features) ||
				!slices.Equal(got.Center, s.Center) || !slices.Equal(got.Scale, s.Scale) || !slices.Equal(got.Weights, s.Weights) {
				t.Errorf("%s: round trip changed the scaler:\n%+v\n%+v", m, *s, got)
			}
			Z1, _ := s.Transform(testX, 6)
			Z2, _ := got.Transform(testX, 6)
			if !slices.Equal(Z1, Z2) {
				t.Errorf("%s: outputs differ after round trip", m)
			}
			if (m == Normalize || m == None) && strings.Contains(string(b), "center") {
				t.Errorf("%s: stateless scaler encodes center: %s", m, b)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	good := Scaler{Method: Standard, Features: []string{"a", "b"}, Center: []float64{1, 2}, Scale: []float64{1, 2}}
	tests := []struct {
		name string
		edit func(s *Scaler)
		want string
	}{
		{"ok", func(s *Scaler) {}, ""},
		{"method", func(s *Scaler) { s.Method = "Standard" }, `unknown scaling method "Standard"`},
		{"no features", func(s *Scaler) { s.Features = nil }, `scaler has no features`},
		{"short center", func(s *Scaler) { s.Center = s.Center[:1] }, `scaler "standard": 2 features but 1 center and 2 scale values`},
		{"zero scale", func(s *Scaler) { s.Scale = []float64{1, 0} }, `scaler "standard": feature "b" has scale 0, want finite and > 0`},
		{"negative scale", func(s *Scaler) { s.Scale = []float64{-1, 1} }, `feature "a" has scale -1`},
		{"inf center", func(s *Scaler) { s.Center = []float64{1, math.Inf(1)} }, `feature "b" has non-finite center +Inf`},
		{"stateless with params", func(s *Scaler) { s.Method = None }, `scaler "none" is stateless but has 2 center and 2 scale values`},
		{"weights", func(s *Scaler) { s.Weights = []float64{1, -1} }, `feature "b" has weight -1`},
	}
	for _, tc := range tests {
		s := good
		s.Center, s.Scale = slices.Clone(good.Center), slices.Clone(good.Scale)
		tc.edit(&s)
		err := s.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
		if _, err := s.Transform([]float64{1, 2}, 1); err == nil {
			t.Errorf("%s: Transform accepted an invalid scaler", tc.name)
		}
	}
	var nilScaler *Scaler
	if nilScaler.Validate() == nil {
		t.Error("nil scaler validated")
	}
}

func TestTransformErrors(t *testing.T) {
	s, err := Fit(Log1pStandard, testX, 6, 3, testFeatures, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transform(testX[:5], 2); err == nil || err.Error() != "data has 5 values, want 2 rows × 3 features" {
		t.Errorf("shape: %v", err)
	}
	_, err = s.Transform([]float64{1, 2, 3, 4, -2, 6}, 2)
	wantErr(t, err, `feature "Income", row 1: value -2 is <= -1, so log1p is undefined; use another scale method`)
	_, err = s.Transform([]float64{1, 2, 3, math.NaN(), 5, 6}, 2)
	wantErr(t, err, `feature "Age", row 1: value is NaN`)
	if Z, err := s.Transform(nil, 0); err != nil || len(Z) != 0 {
		t.Errorf("empty transform: %v, %v", Z, err)
	}
}

func TestTransformRow(t *testing.T) {
	for _, m := range Methods() {
		s, err := Fit(m, testX, 6, 3, testFeatures, []float64{1, 2, 3})
		if err != nil {
			t.Fatal(err)
		}
		Z, _ := s.Transform(testX, 6)
		dst := make([]float64, 3)
		allocs := testing.AllocsPerRun(100, func() { s.TransformRow(dst, testX[3:6]) })
		if allocs != 0 {
			t.Errorf("%s: TransformRow allocates %v times", m, allocs)
		}
		if !slices.Equal(dst, Z[3:6]) {
			t.Errorf("%s: TransformRow %v, Transform %v", m, dst, Z[3:6])
		}
		in := slices.Clone(testX[3:6])
		s.TransformRow(in, in)
		if !slices.Equal(in, Z[3:6]) {
			t.Errorf("%s: in-place TransformRow %v, want %v", m, in, Z[3:6])
		}
	}
	s, _ := Fit(Standard, testX, 6, 3, testFeatures, nil)
	defer func() {
		if recover() == nil {
			t.Error("TransformRow with a short dst did not panic")
		}
	}()
	s.TransformRow(make([]float64, 2), testX[:3])
}

func TestInverseTransform(t *testing.T) {
	const tol = 1e-13
	for _, m := range Methods() {
		s, err := Fit(m, testX, 6, 3, testFeatures, []float64{0.5, 1, 4})
		if err != nil {
			t.Fatal(err)
		}
		Z, _ := s.Transform(testX, 6)
		X, err := s.InverseTransform(Z, 6)
		if m == Normalize {
			if err == nil {
				t.Error("normalize inverted")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range X {
			if math.Abs(X[i]-testX[i]) > tol*math.Max(1, math.Abs(testX[i])) {
				t.Errorf("%s: inverse[%d] = %v, want %v", m, i, X[i], testX[i])
			}
		}
	}
}
