package profile_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

func TestRunChurnSample(t *testing.T) {
	res := run(t, fmt.Sprintf(churnConfig, ""))
	p, cl := res.State.Profile, res.State.Clusters
	if p == nil || p.K != 4 || len(p.Segments) != 4 {
		t.Fatalf("profile %+v", p)
	}
	total := 0
	for s, sp := range p.Segments {
		total += sp.Size
		if sp.Size != cl.Sizes[s] {
			t.Errorf("segment %d size %d, cluster %d", s, sp.Size, cl.Sizes[s])
		}
		// Feature means equal the cluster stage's original-unit centres.
		for j := range cl.Features {
			if got, want := sp.Stats[j].Mean, cl.CentersOriginal[s][j]; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("segment %d %s mean %g, centre %g", s, cl.Features[j], got, want)
			}
		}
	}
	if total != 7043 {
		t.Errorf("sizes sum to %d", total)
	}
	if sp := p.Segments[3]; sp.Label != "Referrers" || !strings.HasPrefix(sp.Description, "Referrers (segment 4, ") {
		t.Errorf("segment 4: label %q description %q", sp.Label, sp.Description)
	}
	if p.Sample.Sampled || p.Sample.Drawn != 7043 {
		t.Errorf("sample %+v: 7,043 rows are under max_points", p.Sample)
	}

	// The figures, in report order, at their sizes.
	want := []struct {
		kind, name string
		w, h       int
	}{
		{result.PlotSizes, "segment_sizes", 720, 286},
		{result.PlotHeatmap, "segment_profiles", 760, 390},
		{result.PlotScatter, "scatter_tenure_vs_total_revenue", 720, 520},
		{result.PlotScatter, "segment_1", 720, 520},
		{result.PlotPCA, "segment_pca", 720, 520},
		{result.PlotBoxes, "segment_boxes", 1100, 570},
	}
	if len(p.Files.Plots) != len(want) {
		t.Fatalf("plots %+v", p.Files.Plots)
	}
	for i, w := range want {
		pl := p.Files.Plots[i]
		if pl.Kind != w.kind || pl.Name != w.name || len(pl.Paths) != 1 || pl.Paths[0] != w.name+".png" {
			t.Errorf("plot %d = %+v, want %s %s", i, pl, w.kind, w.name)
			continue
		}
		if gw, gh := pngSize(t, filepath.Join(res.Dir, pl.Paths[0])); gw != w.w || gh != w.h {
			t.Errorf("%s is %d×%d px, want %d×%d", pl.Paths[0], gw, gh, w.w, w.h)
		}
	}

	// profile.json is the state's result.
	var j struct {
		K        int
		Segments []struct {
			Label, Description, Color string
			Size                      int
		}
		Outcome struct{ Rates []float64 }
		Files   struct{ CSV string }
	}
	readJSON(t, filepath.Join(res.Dir, "profile.json"), &j)
	if j.K != 4 || j.Segments[3].Label != "Referrers" || j.Files.CSV != "profile.csv" || len(j.Outcome.Rates) != 4 {
		t.Errorf("profile.json %+v", j)
	}
	for s := range j.Segments {
		if j.Segments[s].Description != p.Segments[s].Description || j.Outcome.Rates[s] != p.Outcome.Rates[s] {
			t.Errorf("profile.json segment %d differs from the state", s)
		}
		if j.Segments[s].Color != p.Segments[s].Color || !strings.HasPrefix(j.Segments[s].Color, "#") {
			t.Errorf("segment %d colour %q", s, j.Segments[s].Color)
		}
	}

	// profile.csv: one row per segment and All.
	f, err := os.Open(filepath.Join(res.Dir, "profile.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	if strings.Join(head[:5], "|") != "segment_id|segment|size|share|churn rate" || head[5] != "Tenure mean" || head[len(head)-1] != "description" {
		t.Errorf("header %q", head)
	}
	if len(recs) != 6 || recs[5][1] != "All" || recs[5][2] != "7043" || recs[4][1] != "Referrers" {
		t.Errorf("rows %q", recs)
	}
}

// TestRunIsDeterministic: the same config twice gives the same bytes.
func TestRunIsDeterministic(t *testing.T) {
	src := fmt.Sprintf(churnConfig, "      max_points: 2000\n      formats: [png, svg]")
	a, b := run(t, src), run(t, src)
	for _, f := range []string{"profile.json", "profile.csv", "segment_1.png", "segment_1.svg", "segment_pca.png", "segment_boxes.png", "segment_profiles.svg"} {
		x, err := os.ReadFile(filepath.Join(a.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", f)
		}
	}
}

func TestSampledPlots(t *testing.T) {
	res := run(t, fmt.Sprintf(churnConfig, "      max_points: 1000\n      formats: [png, svg]"))
	p := res.State.Profile
	s := p.Sample
	if !s.Sampled || s.Drawn != 1000 || s.Rows != 7043 || s.Seed == 0 {
		t.Fatalf("sample %+v", s)
	}
	sum := 0
	for i, v := range s.PerSegment {
		sum += v
		share := float64(p.Segments[i].Size) / 7043
		if math.Abs(float64(v)-1000*share) >= 1 {
			t.Errorf("segment %d draws %d rows, %.1f in proportion", i, v, 1000*share)
		}
	}
	if sum != 1000 {
		t.Errorf("per segment %v sums to %d", s.PerSegment, sum)
	}
	const note = "sample of 1,000 of 7,043 customers, stratified by segment"
	for _, pl := range p.Files.Plots {
		sampled := pl.Kind == result.PlotScatter || pl.Kind == result.PlotPCA
		if strings.Contains(pl.Caption, note) != sampled {
			t.Errorf("%s caption %q", pl.Name, pl.Caption)
		}
		if len(pl.Paths) != 2 || !strings.HasSuffix(pl.Paths[1], ".svg") {
			t.Errorf("%s paths %q", pl.Name, pl.Paths)
			continue
		}
		b, err := os.ReadFile(filepath.Join(res.Dir, pl.Paths[1]))
		if err != nil || !bytes.Contains(b[:min(len(b), 300)], []byte("<svg")) {
			t.Errorf("%s is not an SVG (%v)", pl.Paths[1], err)
		}
		if sampled && !bytes.Contains(b, []byte("1,000 of 7,043")) {
			t.Errorf("%s does not say it is a sample", pl.Paths[1])
		}
	}
}

func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name, block, want string
	}{
		{"scaled scatter of a non-feature", "      scatter: [{x: Age, y: Tenure, units: scaled}]",
			`scatter[0]: "Age" is not a clustering feature`},
		{"text extra column", "      extra: [City]", `extra[0]: column "City" holds text`},
		{"text hypothesis column", "      hypotheses: [{statement: s, x: City, y: Tenure, expect: positive}]", `hypotheses[0]: x: column "City" holds text`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(fmt.Sprintf(churnConfig, ""), "      extra: [Age]\n", "", 1)
			src = strings.Replace(src, "      scatter:\n        - [Tenure, Total Revenue]\n        - {x: Referrals, y: Tenure, units: scaled, name: segment_1}\n", tc.block+"\n", 1)
			if strings.Contains(tc.block, "hypotheses") {
				src = strings.Replace(src, "      hypotheses:\n        - {statement: Customers who stayed longer yield more revenue, x: Tenure, y: Total Revenue, expect: positive}\n", "", 1)
			}
			cfg, err := load(t, src)
			if err != nil {
				t.Fatal(err)
			}
			_, err = pipeline.Run(t.Context(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			var rf *pipeline.RunFailedError
			if !errors.As(err, &rf) {
				t.Errorf("got %T, want a failed run", err)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		block string
		want  []string
	}{
		{"plots: [sizes, violin]", []string{`stage "profile" (profile): plots[1]: unknown plot "violin"`}},
		{"units: normalised", []string{`units: must be "original" or "scaled", not "normalised"`}},
		{"scatter: [[Tenure]]", []string{`scatter[0]: a scatter pair is [x, y]`}},
		{"scatter: [{x: Tenure, y: Tenure}]", []string{`scatter[0].y: x and y are the same column "Tenure"`}},
		{"scatter: [{x: Tenure, y: Age, name: Segment 1}]", []string{`scatter[0].name: a file name uses lower-case letters`}},
		{"scatter: [{x: Tenure, y: Age, name: segment_pca}]", []string{`scatter[0].name: "segment_pca" is the name of another profile file`}},
		{"scatter: [[Tenure, Age], {x: Tenure, y: Age}]", []string{`scatter[1]: scatter[0] already writes scatter_tenure_vs_age`}},
		{"scatter: [[Tenur, Age]]", []string{`scatter[0].x: unknown column "Tenur" (did you mean "Tenure"?)`}},
		{"extra: [Age, Age]", []string{`extra[1]: column "Age" is listed twice`}},
		{"categorical: [Contrat]", []string{`categorical[0]: unknown column "Contrat" (did you mean "Contract"?)`}},
		{"outcome: {column: Customer Status}", []string{`outcome.value: missing required key "value"`}},
		{"names: {1: '', 2: A, 3: A}", []string{`names.1: the name is empty`, `names.3: segments 2 and 3 are both named "A"`}},
		{"hypotheses: [{statement: s, x: Age, y: Tenure, expect: up, min_r: 2}]", []string{`hypotheses[0].expect: must be "positive" or "negative", not "up"`, `hypotheses[0].min_r: must be 0…1, got 2`}},
		{"hypotheses: [{x: Age, y: Tenure, expect: positive}]", []string{`hypotheses[0].statement: missing required key "statement"`}},
		{"describe: {top: 0, min_z: -1, words: {Tenure: {}}}", []string{`describe.top: must be 1…10, got 0`, `describe.min_z: must be 0 or more, got -1`, `describe.words.Tenure: give high and/or low`}},
		{"max_points: 10", []string{`max_points: must be at least 100, got 10`}},
		{"formats: [png, gif]", []string{`formats[1]: unknown format "gif" (want png or svg)`}},
		{"size: [100, 5000]", []string{`size: width 100 px outside 200…8192`}},
		{"palette: rainbow", []string{`palette: unknown palette "rainbow"`}},
		{"z_limit: -1", []string{`z_limit: must be 0 (automatic) or positive, got -1`}},
		{"max_levels: 1", []string{`max_levels: must be 2…100, got 1`}},
		{"noun: ' '", []string{`noun: must not be empty`}},
	} {
		t.Run(tc.block, func(t *testing.T) {
			src := fmt.Sprintf(`
version: 1
name: bad
input: {path: {{input}}}
stages:
  - type: ingest
  - type: clean
    config: {steps: [{rename: {Tenure in Months: Tenure}}]}
  - type: cluster
    config: {features: [Tenure, Age], k: 2}
  - type: profile
    config:
      %s
`, tc.block)
			_, err := load(t, src)
			if err == nil {
				t.Fatal("no error")
			}
			var ce confyaml.ConfigErrors
			if !errors.As(err, &ce) {
				t.Errorf("got %T, want config errors", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestShortForms: the shorthand shapes decode as documented.
func TestShortForms(t *testing.T) {
	cfg, err := load(t, `
version: 1
name: short
input: {path: {{input}}}
stages:
  - type: ingest
  - type: cluster
    config: {features: [Tenure in Months, Age], k: 2}
  - type: profile
    config:
      scatter: [[Tenure in Months, Age]]
      size: 600
      palette: ["#ff0000", "#ffffff", "#0000ff"]
      names: {1: Young, 2: Old}
      hypotheses: [{statement: s, x: Age, y: Tenure in Months, expect: negative}]
`)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, cfg.EffectiveJSON()); err != nil {
		t.Fatal(err)
	}
	js := buf.String()
	for _, want := range []string{`"x":"Tenure in Months","y":"Age"`, `"size":[600,600]`, `"palette":["#ff0000","#ffffff","#0000ff"]`,
		`"names":{"1":"Young","2":"Old"}`, `"min_r":0.3,"method":"pearson"`, `"units":"original"`, `"max_points":50000`} {
		if !strings.Contains(js, want) {
			t.Errorf("effective config lacks %s:\n%s", want, js)
		}
	}
}
