package report_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// sample is the shipped churn sample.
func sample(t *testing.T) string { return stagetest.Sample(t) }

// run writes src (with {{input}} replaced by the churn sample's path, or
// by input when given) as a config file, loads and runs it.
func run(t *testing.T, src string, input ...string) *pipeline.RunResult {
	in := sample(t)
	if len(input) > 0 {
		in = input[0]
	}
	return stagetest.Run(t, stagetest.WriteConfig(t, src, in))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fullConfig runs every stage on the churn sample.
const fullConfig = `
version: 1
name: churn-report
description: Who are our customers, and which segments churn?
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
  - type: eda
    config:
      columns: [Age, Referrals, Tenure, Monthly Charge, Total Revenue]
  - type: cluster
    config:
      features: [Tenure, Total Revenue, Referrals, Monthly Charge]
      k: 4
      elbow: [2, 6]
  - type: profile
    config:
      extra: [Age]
      categorical: [Contract]
      outcome: {column: Customer Status, value: Churned, label: churn rate}
      max_points: 3000
      hypotheses:
        - {statement: Customers who stayed longer yield more revenue, x: Tenure, y: Total Revenue, expect: positive}
        - {statement: Older customers pay more per month, x: Age, y: Monthly Charge, expect: positive}
      scatter:
        - [Tenure, Total Revenue]
        - {x: Referrals, y: Tenure, units: scaled, name: segment_1}
  - type: report
`

// thousandsSep formats n as the report does: "2,567".
func thousandsSep(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// pct formats a share as the report does: "36.4%".
func pct(v float64) string { return plotkit.Percent(v) }

// capitalizeFirst upper-cases the first letter.
func capitalizeFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// mdEsc escapes text as report.md does (the commas and spaces of names stay).
func mdEsc(s string) string {
	return strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `#`, `\#`, `|`, `\|`, `~`, `\~`).Replace(s)
}
