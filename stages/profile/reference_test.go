package profile

// The reference values come from pandas 1.5.3 and scikit-learn 1.2.1:
//   /usr/bin/python3 stages/profile/testdata/gen_profile.py
// (run from the repository root; see the script for what it computes).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
)

// tol is the relative accuracy required against pandas and scikit-learn.
const tol = 1e-9

type refStats struct {
	Count                                 int
	Mean, Median, Std, Min, Max, Q25, Q75 float64
	Low, High                             float64
	Z                                     float64
}

type reference struct {
	Rows     int
	Columns  []string
	Overall  map[string]refStats
	Segments []struct {
		Size  int
		Share float64
		Stats map[string]refStats
	}
	Categorical map[string]struct {
		Levels  []string
		Shares  [][]float64
		Overall []float64
	}
	Churn struct {
		Rates   []float64
		Overall float64
	}
	Hypotheses []struct {
		X, Y     string
		R        float64
		N        int
		Segments []struct {
			N  int
			MX float64 `json:"mean_x"`
			MY float64 `json:"mean_y"`
			RR float64 `json:"r"`
		}
	}
	PCA struct {
		Explained  []float64
		Components [][]float64
		ScoresHead [][]float64 `json:"scores_head"`
		Centres    [][]float64
	}
}

func loadReference(t *testing.T) *reference {
	t.Helper()
	b, err := os.ReadFile("testdata/profile_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return &ref
}

// fixture reads profile_input.csv and builds by hand the result.Clusters the
// cluster stage would leave: features tenure, revenue, referrals,
// standardised (population std, as StandardScaler), labels from the
// segment column, IDs 1..4, centres as segment means.
func fixture(t *testing.T) (*frame.Table, *result.Clusters) {
	t.Helper()
	r, err := csvio.ReadFile(context.Background(), "testdata/profile_input.csv", csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := r.Table
	features := []string{"tenure", "revenue", "referrals"}
	n, d := tb.NumRows(), len(features)
	seg, err := tb.Col("segment").Float64s()
	if err != nil {
		t.Fatal(err)
	}
	const k = 4
	cl := &result.Clusters{Features: features, Scale: "standard", Engine: "native", K: k,
		IDs: []int{1, 2, 3, 4}, Names: make([]string, k), Sizes: make([]int, k),
		Labels: make([]int32, n), Original: make([]float64, n*d), Scaled: make([]float64, n*d), Reproducible: true}
	for i, s := range seg {
		cl.Labels[i] = int32(s)
		cl.Sizes[int(s)]++
	}
	for j, f := range features {
		x, err := tb.Col(f).Float64s()
		if err != nil {
			t.Fatal(err)
		}
		mean, ss := 0.0, 0.0
		for _, v := range x {
			mean += v
		}
		mean /= float64(n)
		for _, v := range x {
			ss += (v - mean) * (v - mean)
		}
		std := math.Sqrt(ss / float64(n))
		for i, v := range x {
			cl.Original[i*d+j] = v
			cl.Scaled[i*d+j] = (v - mean) / std
		}
	}
	means := func(m []float64) [][]float64 {
		centres := make([][]float64, k)
		for s := range centres {
			centres[s] = make([]float64, d)
		}
		for i, l := range cl.Labels {
			for j := range d {
				centres[l][j] += m[i*d+j] / float64(cl.Sizes[l])
			}
		}
		return centres
	}
	cl.CentersScaled, cl.CentersOriginal = means(cl.Scaled), means(cl.Original)
	return tb, cl
}

func fixtureConfig() *Config {
	c := NewConfig().(*Config)
	c.Extra = []string{"age"}
	c.Categorical = []CategoricalColumn{{Column: "contract"}, {Column: "gender"}}
	c.Outcome = &Outcome{Column: "status", Value: "Churned"}
	c.Hypotheses = []Hypothesis{
		{Statement: "Customers who stayed longer yield more revenue", X: "tenure", Y: "revenue", Expect: "positive", MinR: DefaultMinR, Method: "pearson"},
		{Statement: "Older customers refer more", X: "age", Y: "referrals", Expect: "positive", MinR: DefaultMinR, Method: "pearson"},
	}
	c.Scatter = []ScatterPair{{X: "tenure", Y: "revenue"}, {X: "referrals", Y: "tenure", Units: UnitsScaled, Name: "segment_1"}}
	return c
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func checkStats(t *testing.T, what string, got result.FeatureStats, want refStats, z bool) {
	t.Helper()
	pairs := []struct {
		name      string
		got, want float64
	}{
		{"mean", got.Mean, want.Mean}, {"median", got.Median, want.Median}, {"std", got.Std, want.Std},
		{"min", got.Min, want.Min}, {"max", got.Max, want.Max}, {"q25", got.Q25, want.Q25}, {"q75", got.Q75, want.Q75},
	}
	if z {
		pairs = append(pairs, struct {
			name      string
			got, want float64
		}{"z", got.Z, want.Z})
	}
	for _, p := range pairs {
		if !near(p.got, p.want) {
			t.Errorf("%s %s = %.17g, pandas %.17g", what, p.name, p.got, p.want)
		}
	}
	if got.Count != want.Count {
		t.Errorf("%s count = %d, pandas %d", what, got.Count, want.Count)
	}
}

func TestAnalyzeMatchesPandas(t *testing.T) {
	ref := loadReference(t)
	tb, cl := fixture(t)
	a, err := Analyze(context.Background(), tb, cl, fixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	res := a.Result
	var names []string
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, ref.Columns) {
		t.Fatalf("columns %q, want %q", names, ref.Columns)
	}
	if res.Columns[3].Role != result.RoleExtra || res.Columns[0].Role != result.RoleFeature {
		t.Errorf("roles %+v", res.Columns)
	}
	if res.Rows != ref.Rows || len(res.Segments) != len(ref.Segments) {
		t.Fatalf("rows %d segments %d, want %d and %d", res.Rows, len(res.Segments), ref.Rows, len(ref.Segments))
	}
	for j, c := range ref.Columns {
		checkStats(t, "overall "+c, res.Overall[j], ref.Overall[c], false)
	}
	for s, rs := range ref.Segments {
		sp := res.Segments[s]
		if sp.Size != rs.Size || !near(sp.Share, rs.Share) {
			t.Errorf("segment %d size %d share %g, want %d %g", s, sp.Size, sp.Share, rs.Size, rs.Share)
		}
		if sp.ID != s+1 || sp.NameSource != NameSuggested || sp.Label != sp.Name || sp.Name == "" {
			t.Errorf("segment %d id %d label %q name %q (%s)", s, sp.ID, sp.Label, sp.Name, sp.NameSource)
		}
		for j, c := range ref.Columns {
			checkStats(t, sp.Label+" "+c, sp.Stats[j], rs.Stats[c], true)
			box := a.boxes[j][s]
			if !near(box.Low, rs.Stats[c].Low) || !near(box.High, rs.Stats[c].High) || !near(box.Median, rs.Stats[c].Median) {
				t.Errorf("%s %s whiskers %g…%g median %g, want %g…%g %g", sp.Label, c, box.Low, box.High, box.Median,
					rs.Stats[c].Low, rs.Stats[c].High, rs.Stats[c].Median)
			}
		}
	}

	for ci, cp := range res.Categorical {
		want := ref.Categorical[cp.Column]
		if len(cp.Levels) != len(want.Levels) {
			t.Fatalf("%s levels %q, want %q", cp.Column, cp.Levels, want.Levels)
		}
		for wl, level := range want.Levels {
			l := -1
			for i, g := range cp.Levels {
				if g == level {
					l = i
				}
			}
			if l < 0 {
				t.Fatalf("%s: level %q missing from %q", cp.Column, level, cp.Levels)
			}
			if !near(cp.Overall[l], want.Overall[wl]) {
				t.Errorf("%s %q overall %g, want %g", cp.Column, level, cp.Overall[l], want.Overall[wl])
			}
			for s := range res.Segments {
				if !near(cp.Shares[s][l], want.Shares[s][wl]) {
					t.Errorf("%s %q segment %d share %g, want %g", cp.Column, level, s, cp.Shares[s][l], want.Shares[s][wl])
				}
			}
		}
		// Levels by overall count, "(missing)" last.
		for i := 1; i < len(cp.Levels); i++ {
			if cp.Levels[i] != result.MissingLevel && cp.Overall[i] > cp.Overall[i-1] {
				t.Errorf("categorical[%d] levels not by count: %q %v", ci, cp.Levels, cp.Overall)
			}
		}
	}
	if res.Categorical[0].Levels[len(res.Categorical[0].Levels)-1] != result.MissingLevel {
		t.Errorf("contract levels %q: want (missing) last", res.Categorical[0].Levels)
	}

	for s, r := range ref.Churn.Rates {
		if !near(res.Outcome.Rates[s], r) {
			t.Errorf("churn rate segment %d = %g, want %g", s, res.Outcome.Rates[s], r)
		}
	}
	if !near(res.Outcome.Overall, ref.Churn.Overall) || res.Outcome.Label != "status = Churned" {
		t.Errorf("churn overall %g label %q", res.Outcome.Overall, res.Outcome.Label)
	}

	for i, wh := range ref.Hypotheses {
		h := res.Hypotheses[i]
		if !near(h.R, wh.R) || h.N != wh.N {
			t.Errorf("hypothesis %d r = %.17g n = %d, want %.17g %d", i, h.R, h.N, wh.R, wh.N)
		}
		for s, ws := range wh.Segments {
			hs := h.Segments[s]
			if hs.N != ws.N || !near(hs.MeanX, ws.MX) || !near(hs.MeanY, ws.MY) || !near(hs.R, ws.RR) {
				t.Errorf("hypothesis %d segment %d: n %d means %g %g r %g, want %d %g %g %g", i, s, hs.N, hs.MeanX, hs.MeanY, hs.R, ws.N, ws.MX, ws.MY, ws.RR)
			}
		}
	}
	if !res.Hypotheses[0].Supported || res.Hypotheses[1].Supported {
		t.Errorf("verdicts %v %v, want supported and not supported", res.Hypotheses[0].Supported, res.Hypotheses[1].Supported)
	}
}

func TestPCAMatchesSklearn(t *testing.T) {
	ref := loadReference(t)
	tb, cl := fixture(t)
	pr, scores, means, err := pca2(cl.Scaled, tb.NumRows(), len(cl.Features))
	if err != nil {
		t.Fatal(err)
	}
	for c := range 2 {
		if !near(pr.Explained[c], ref.PCA.Explained[c]) {
			t.Errorf("explained[%d] = %.17g, sklearn %.17g", c, pr.Explained[c], ref.PCA.Explained[c])
		}
		for j := range pr.Loadings[c] {
			if !near(pr.Loadings[c][j], ref.PCA.Components[c][j]) {
				t.Errorf("loading[%d][%d] = %.17g, sklearn %.17g", c, j, pr.Loadings[c][j], ref.PCA.Components[c][j])
			}
		}
	}
	for i, row := range ref.PCA.ScoresHead {
		for c := range 2 {
			if !near(scores[i*2+c], row[c]) {
				t.Errorf("score[%d][%d] = %.17g, sklearn %.17g", i, c, scores[i*2+c], row[c])
			}
		}
	}
	for s, want := range ref.PCA.Centres {
		x, y := project(pr, means, cl.CentersScaled[s])
		if !near(x, want[0]) || !near(y, want[1]) {
			t.Errorf("centre %d = (%g, %g), sklearn %v", s, x, y, want)
		}
	}
}

// TestAnalyzeDoesNotMutate: the table and the cluster result are inputs.
func TestAnalyzeDoesNotMutate(t *testing.T) {
	tb, cl := fixture(t)
	before := *cl
	labels := append([]int32(nil), cl.Labels...)
	orig := append([]float64(nil), cl.Original...)
	scaled := append([]float64(nil), cl.Scaled...)
	ages, _ := tb.Col("age").Float64s()
	a, err := Analyze(context.Background(), tb, cl, fixtureConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Figures(context.Background(), tb, cl, fixtureConfig(), 7); err != nil {
		t.Fatal(err)
	}
	after, _ := tb.Col("age").Float64s()
	if !reflect.DeepEqual(labels, cl.Labels) || !reflect.DeepEqual(orig, cl.Original) || !reflect.DeepEqual(scaled, cl.Scaled) ||
		!reflect.DeepEqual(before.Names, cl.Names) || !sameNaN(ages, after) {
		t.Error("inputs were modified")
	}
}

func sameNaN(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// TestGOMAXPROCS: the profile and its figures do not depend on the number
// of threads.
func TestGOMAXPROCS(t *testing.T) {
	tb, cl := fixture(t)
	out := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		cfg := fixtureConfig()
		cfg.MaxPoints = 200
		a, err := Analyze(context.Background(), tb, cl, cfg)
		if err != nil {
			t.Fatal(err)
		}
		figs, err := a.Figures(context.Background(), tb, cl, cfg, 99)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := writeJSON(&b, a.Result); err != nil {
			t.Fatal(err)
		}
		for _, f := range figs {
			if err := plotkit.Write(&b, f.Drawer, "png", f.WidthPx, f.HeightPx); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	if out(1) != out(4) {
		t.Error("GOMAXPROCS 1 and 4 give different results")
	}
}

// TestEdgeCases: one segment, a constant extra column (z undefined), a
// column with missing values only in one segment, and too few rows for a
// PCA: the profile and every figure still build, with warnings.
func TestEdgeCases(t *testing.T) {
	x := []float64{1, 2, 3}
	tb, err := frame.New(frame.NewFloat("x", x, nil), frame.NewFloat("y", []float64{3, 1, 2}, nil),
		frame.NewFloat("const", []float64{5, 5, 5}, nil), frame.NewFloat("gap", []float64{math.NaN(), math.NaN(), 1}, nil))
	if err != nil {
		t.Fatal(err)
	}
	cl := &result.Clusters{Features: []string{"x", "y"}, Scale: "none", K: 2, Labels: []int32{0, 0, 1}, IDs: []int{1, 2},
		Names: []string{"", ""}, Scaled: []float64{1, 3, 2, 1, 3, 2}, Original: []float64{1, 3, 2, 1, 3, 2},
		CentersScaled: [][]float64{{1.5, 2}, {3, 2}}}
	cfg := NewConfig().(*Config)
	cfg.Extra = []string{"const", "gap"}
	cfg.Scatter = []ScatterPair{{X: "x", Y: "gap"}}
	a, err := Analyze(context.Background(), tb, cl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := a.Figures(context.Background(), tb, cl, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	res := a.Result
	if z := res.Segments[0].Stats[2].Z; !math.IsNaN(z) {
		t.Errorf("z of a constant column = %g, want NaN", z)
	}
	if st := res.Segments[0].Stats[3]; st.Count != 0 || !math.IsNaN(st.Mean) {
		t.Errorf("all-missing stats %+v", st)
	}
	if len(figs) != 5 { // sizes, heatmap, scatter, PCA, boxes
		t.Errorf("%d figures", len(figs))
	}
	for _, f := range figs {
		if err := plotkit.Write(io.Discard, f.Drawer, "png", f.WidthPx, f.HeightPx); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
	want := "scatter[0]: 2 drawn rows lack x or gap and are left out of scatter_x_vs_gap"
	if !slices.Contains(a.Warnings, want) {
		t.Errorf("warnings %q lack %q", a.Warnings, want)
	}
	var b bytes.Buffer
	if err := writeJSON(&b, res); err != nil || !strings.Contains(b.String(), `"z": null`) {
		t.Errorf("JSON (%v) has no null z", err)
	}
	b.Reset()
	if err := writeCSV(&b, res); err != nil {
		t.Fatal(err)
	}
	// Bad clusterings are errors, not panics.
	for _, bad := range []*result.Clusters{
		nil,
		{Features: []string{"x"}, K: 2, Labels: []int32{0, 1}, IDs: []int{1, 2}},
		{Features: []string{"x"}, K: 2, Labels: []int32{0, 1, 2}, IDs: []int{1, 2}},
		{Features: []string{"x"}, K: 2, Labels: []int32{0, 1, 1}, IDs: []int{1}},
		{K: 1, Labels: []int32{0, 0, 0}, IDs: []int{1}},
	} {
		if _, err := Analyze(context.Background(), tb, bad, cfg); err == nil {
			t.Errorf("Analyze(%+v): no error", bad)
		}
	}
}
