package clean_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// TestDeriveCountsMissing: a derive that leaves rows without a value says
// how many and why, in a warning and in its JSON log line (whose row and
// column counts are numbers): the churn sample's customers who referred
// nobody divide by zero, and Avg Monthly GB Download is blank for those
// without internet.
func TestDeriveCountsMissing(t *testing.T) {
	src := `
version: 1
name: derive
input: {path: {{input}}, id: Customer ID}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - derive: {name: Revenue per referral, expr: '` + "`Total Revenue` / `Number of Referrals`" + `'}
        - derive: {name: GB per charge, expr: '` + "`Avg Monthly GB Download` * 2" + `'}
`
	path := stagetest.WriteConfig(t, src, stagetest.Sample(t))
	cfg, err := stagetest.Load(t, path)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir(), Log: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	col := res.State.Table.Col("Number of Referrals")
	for i := 0; i < col.Len(); i++ {
		if v, _ := col.Value(i); v == 0 {
			zero++
		}
	}
	blank := res.State.Table.Col("Avg Monthly GB Download").NumMissing()
	var got []string
	for _, w := range res.Manifest.Warnings {
		got = append(got, w.Message)
	}
	want := []string{
		"steps[0].derive: " + itoa(zero) + " rows: division by zero gave no value (left missing)",
		"steps[1].derive: " + itoa(blank) + " rows: a column it reads was missing (left missing)",
	}
	if zero < 100 || blank < 100 {
		t.Fatalf("the sample has %d customers without referrals and %d without a GB download", zero, blank)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	lines := 0
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["msg"] != "step done" {
			continue
		}
		lines++
		if rec["rows_in"] != float64(7043) || rec["rows_out"] != float64(7043) || rec["columns_in"] == nil || rec["columns_out"] == nil {
			t.Errorf("step line %s", line)
		}
		if rec["kind"] == "derive" && rec["step"] == "2/2" && rec["note"] != itoa(blank)+" rows: a column it reads was missing" {
			t.Errorf("step line note %v", rec["note"])
		}
	}
	if lines != 2 {
		t.Errorf("%d step lines", lines)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
