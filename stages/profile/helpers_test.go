package profile_test

import (
	"context"
	"encoding/json"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

// sample is the shipped churn sample (Maven schema, 7,043 rows).
func sample(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "data", "churn_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// load writes src (with {{input}} replaced by the churn sample's path) as a
// config file and loads it.
func load(t *testing.T, src string) (*pipeline.Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	src = strings.ReplaceAll(src, "{{input}}", sample(t))
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.Load(path, stages.Registry(), pipeline.LoadOptions{})
	if err != nil {
		return nil, err
	}
	return cfg, pipeline.CheckColumns(cfg)
}

// run loads and runs src into a temporary output folder.
func run(t *testing.T, src string) *pipeline.RunResult {
	t.Helper()
	cfg, err := load(t, src)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || format != "png" {
		t.Fatalf("%s: not a PNG (%v, %s)", path, err, format)
	}
	return cfg.Width, cfg.Height
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// churnConfig is the shipped sample with a 4-segment model and a full
// profile block.
const churnConfig = `
version: 1
name: churn-profile
seed: 42
input:
  path: {{input}}
  id: Customer ID
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - rename: {Number of Referrals: Referrals, Tenure in Months: Tenure}
  - type: cluster
    config:
      features: [Tenure, Total Revenue, Referrals, Monthly Charge]
      k: 4
  - type: profile
    config:
      extra: [Age]
      categorical: [Contract]
      outcome: {column: Customer Status, value: Churned, label: churn rate}
      names: {4: Referrers}
      describe:
        words:
          Tenure: {high: long-standing, low: new}
      hypotheses:
        - {statement: Customers who stayed longer yield more revenue, x: Tenure, y: Total Revenue, expect: positive}
      scatter:
        - [Tenure, Total Revenue]
        - {x: Referrals, y: Tenure, units: scaled, name: segment_1}
%s
`
