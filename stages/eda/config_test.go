package eda_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
	"github.com/churnlab/segment/stages/eda"
	"github.com/churnlab/segment/stages/internal/plotcfg"
)

// loadEDA loads a config whose input is a small CSV and whose stages are
// ingest, an optional clean block and an eda stage with the given config
// block (YAML, indented under config:), then checks its columns.
func loadEDA(t *testing.T, clean, block string) (*pipeline.Config, error) {
	t.Helper()
	dir := t.TempDir()
	csv := "Customer ID,Age,Spend,Plan,Active\nA1,30,10.5,Gold,true\nA2,40,20.25,Silver,false\nA3,50,,Gold,true\n"
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "version: 1\nname: t\ninput:\n  path: in.csv\n  id: Customer ID\nstages:\n  - type: ingest\n"
	if clean != "" {
		src += "  - type: clean\n    config:\n      steps:\n" + clean
	}
	src += "  - type: eda\n"
	if block != "" {
		src += "    config:\n" + block
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.Load(path, stages.Registry(), pipeline.LoadOptions{})
	if err != nil {
		return nil, err
	}
	return cfg, pipeline.CheckColumns(cfg)
}

func edaConfig(t *testing.T, cfg *pipeline.Config) *eda.Config {
	t.Helper()
	for _, s := range cfg.Stages {
		if s.Type == "eda" {
			return s.Config.(*eda.Config)
		}
	}
	t.Fatal("no eda stage")
	return nil
}

func TestDefaults(t *testing.T) {
	cfg, err := loadEDA(t, "", "")
	if err != nil {
		t.Fatal(err)
	}
	c := edaConfig(t, cfg)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"method":"pearson","formats":["png"],"size":[512,512],"palette":"blue-white-red","fmt":".2f","max_label_chars":0,"mask":"none",` +
		`"thresholds":{"strong":0.6,"moderate":0.4,"weak":0.2},"max_insights":8,"several":3,` +
		`"alerts":{"missing_share":0.2,"near_duplicate":0.9,"high_cardinality":{"share":0.5,"min_distinct":50}},"max_columns":100}`
	if string(b) != want {
		t.Errorf("effective defaults\n got %s\nwant %s", b, want)
	}
}

func TestDecodeShapes(t *testing.T) {
	cfg, err := loadEDA(t, "", `      size: 640
      palette: ["#ff0000", "#ffffff", "#0000ff"]
      thresholds: {strong: 0.7}
      formats: [png, svg]
      method: spearman
      columns: [Spend, Age]
`)
	if err != nil {
		t.Fatal(err)
	}
	c := edaConfig(t, cfg)
	if c.Size != (plotcfg.Size{W: 640, H: 640}) {
		t.Errorf("size %+v", c.Size)
	}
	if !slices.Equal(c.Palette.Stops, []string{"#ff0000", "#ffffff", "#0000ff"}) || c.Palette.Spec() != "#ff0000,#ffffff,#0000ff" {
		t.Errorf("palette %+v", c.Palette)
	}
	if c.Thresholds != (eda.Thresholds{Strong: 0.7, Moderate: 0.4, Weak: 0.2}) {
		t.Errorf("thresholds %+v (unset keys keep their defaults)", c.Thresholds)
	}
	b, _ := json.Marshal(c)
	for _, want := range []string{`"size":[640,640]`, `"palette":["#ff0000","#ffffff","#0000ff"]`, `"columns":["Spend","Age"]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("json %s lacks %s", b, want)
		}
	}
	cfg, err = loadEDA(t, "", "      size: [800, 600]\n      palette: red-white-blue\n")
	if err != nil {
		t.Fatal(err)
	}
	if c := edaConfig(t, cfg); c.Size != (plotcfg.Size{W: 800, H: 600}) || c.Palette.Name != "red-white-blue" || c.Palette.Stops != nil {
		t.Errorf("got %+v %+v", c.Size, c.Palette)
	}
}

// TestBadConfigs: every problem is reported with its key, all together.
func TestBadConfigs(t *testing.T) {
	for _, c := range []struct {
		name, clean, block string
		want               []string // substrings, one per expected error
	}{
		{"method", "", "      method: kendall\n", []string{`method: must be "pearson" or "spearman", not "kendall"`}},
		{"thresholds order", "", "      thresholds: {strong: 0.5, moderate: 0.5}\n", []string{"thresholds.strong: must be above moderate (0.5), got 0.5"}},
		{"thresholds weak", "", "      thresholds: {weak: 0}\n", []string{"thresholds.weak: must be above 0, got 0"}},
		{"thresholds moderate", "", "      thresholds: {weak: 0.5}\n", []string{"thresholds.moderate: must be above weak (0.5), got 0.4"}},
		{"thresholds above 1", "", "      thresholds: {strong: 1.5}\n", []string{"thresholds.strong: must be at most 1, got 1.5"}},
		{"palette name", "", "      palette: rainbow\n", []string{`palette: unknown palette "rainbow"`}},
		{"palette stop", "", "      palette: ['#ff0000', '#zzzzzz']\n", []string{`palette: bad hex colour "#zzzzzz"`}},
		{"palette one stop", "", "      palette: ['#ff0000']\n", []string{"palette: a palette needs at least 2 colour stops, got 1"}},
		{"palette mapping", "", "      palette: {a: 1}\n", []string{"palette: expected a single value"}},
		{"fmt", "", "      fmt: '%d'\n", []string{`fmt: unsupported number format "%d"`}},
		{"mask", "", "      mask: diagonal\n", []string{`mask: must be none, upper or lower, not "diagonal"`}},
		{"size three", "", "      size: [1, 2, 3]\n", []string{"size: size is [width, height] in pixels, or one number for a square; got 3 values"}},
		{"size small", "", "      size: [512, 20]\n", []string{"size: height 20 px outside 128…8192"}},
		{"size text", "", "      size: big\n", []string{"size: size is [width, height] in pixels"}},
		{"formats", "", "      formats: [png, jpg, png]\n", []string{`formats[1]: unknown format "jpg"`, `formats[2]: format "png" is listed twice`}},
		{"formats empty", "", "      formats: []\n", []string{"formats: list at least one of png, svg"}},
		{"max_insights", "", "      max_insights: 1\n", []string{"max_insights: must be at least 2"}},
		{"several", "", "      several: 1\n", []string{"several: must be 0 (off) or at least 2, got 1"}},
		{"shares", "", "      alerts: {missing_share: 0, near_duplicate: 1.2, high_cardinality: {share: -1, min_distinct: -3}}\n", []string{
			"alerts.missing_share: a share is above 0 and at most 1, got 0",
			"alerts.near_duplicate: a share is above 0 and at most 1, got 1.2",
			"alerts.high_cardinality.share: a share is above 0 and at most 1, got -1",
			"alerts.high_cardinality.min_distinct: must not be negative, got -3"}},
		{"max_label_chars", "", "      max_label_chars: 3\n", []string{"max_label_chars: must be 0 (automatic) or 6…100, got 3"}},
		{"unknown key", "", "      thresholds: {stong: 0.7}\n", []string{`thresholds.stong: unknown key "stong"`}},
		{"one column", "", "      columns: [Age]\n", []string{"columns: list at least 2 columns"}},
		{"twice", "", "      columns: [Age, Spend, Age]\n", []string{`columns[2]: column "Age" is listed twice`}},
		{"unknown column", "", "      columns: [Age, Spnd]\n", []string{`columns[1]: unknown column "Spnd"`, `did you mean "Spend"`}},
		{"id column", "", "      columns: [Age, Customer ID]\n", []string{`columns[1]: "Customer ID" is the id column`}},
		{"renamed away", "        - rename: {Age: Years}\n", "      columns: [Age, Spend]\n", []string{`columns[0]: unknown column "Age" (renamed to "Years" by an earlier step)`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadEDA(t, c.clean, c.block)
			var ce confyaml.ConfigErrors
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want config errors", err)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error\n  %s\nlacks %q", strings.ReplaceAll(msg, "\n", "\n  "), w)
				}
			}
			// Located in the file, and attributed to the stage.
			if !strings.Contains(msg, `c.yaml:`) || !strings.Contains(msg, `stage "eda" (eda)`) {
				t.Errorf("error not located: %s", msg)
			}
		})
	}
}

// The id column is followed through a rename: after renaming it, the new
// name is the id (refused in columns) and the old name is free.
func TestIDFollowsRename(t *testing.T) {
	_, err := loadEDA(t, "        - rename: {Customer ID: CID}\n", "      columns: [Age, CID]\n")
	if err == nil || !strings.Contains(err.Error(), `"CID" is the id column`) {
		t.Fatalf("got %v", err)
	}
}
