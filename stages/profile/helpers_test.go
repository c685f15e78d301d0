package profile_test

import (
	"encoding/json"
	_ "image/png"
	"os"
	"testing"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// sample is the shipped churn sample.
func sample(t *testing.T) string { return stagetest.Sample(t) }

// load writes src (with {{input}} replaced by the churn sample's path) as a
// config file and loads it.
func load(t *testing.T, src string) (*pipeline.Config, error) {
	return stagetest.Load(t, stagetest.WriteConfig(t, src, sample(t)))
}

// run loads and runs src into a temporary output folder.
func run(t *testing.T, src string) *pipeline.RunResult {
	return stagetest.Run(t, stagetest.WriteConfig(t, src, sample(t)))
}

func pngSize(t *testing.T, path string) (int, int) { return stagetest.PNGSize(t, path) }

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
