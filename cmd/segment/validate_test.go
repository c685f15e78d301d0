package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateModeRefusals: with execution.mode stream or database,
// `segment validate` reports every stage feature that mode cannot run —
// all of them, each located at its key — and exits 2 like any config
// error; the same config in memory is fine. In database mode the server
// is not needed: the refusals come first, followed by the error of the
// input that could not be opened (nothing listens on port 1).
func TestValidateModeRefusals(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "c.csv"), "cid,age,tenure,plan\na,30,12,x\nb,45,3,y\nc,50,1,x\n")
	// The model previous: names (in stream mode refused once it exists).
	write(t, filepath.Join(dir, "model.json"), read(t, "../../internal/model/testdata/v1/model.json"))
	stream := write(t, filepath.Join(dir, "stream.yaml"), `version: 1
name: s
input: {path: c.csv, id: cid, weight_column: tenure}
execution: {mode: stream}
stages:
  - type: ingest
  - type: clean
    config: {engine: gota, steps: [{dropna: [age]}]}
  - type: eda
    config: {method: spearman}
  - type: cluster
    config: {features: [age], categorical_features: [plan], k: 2, previous: model.json, mode: assign}
  - type: export
`)
	database := write(t, filepath.Join(dir, "database.yaml"), `version: 1
name: d
input: {dsn: "postgres://segment@127.0.0.1:1/none?connect_timeout=5", table: customers, id: cid}
execution: {mode: database}
stages:
  - type: ingest
    config: {max_rows: 10}
  - type: clean
    config: {steps: [{dedupe: {}}]}
  - type: cluster
    config: {features: [age], k: 2, previous: latest}
  - type: export
`)
	for _, tc := range []struct {
		name, cfg string
		want      []string
	}{
		{"stream", stream, []string{
			"segment: 7 problem(s) in the config:",
			`stream.yaml:8:22: stage "clean" (clean): engine: gota (the gota DataFrame holds the whole table) is not available in execution mode stream; set execution.mode: memory`,
			`stream.yaml:10:13: stage "eda" (eda): eda with input.weight_column (weighted statistics) is not available in execution mode stream`,
			`stream.yaml:10:22: stage "eda" (eda): method: spearman (ranks need the whole column sorted) is not available in execution mode stream`,
			`stream.yaml:12:53: stage "cluster" (cluster): categorical_features: k-prototypes (clustering with categorical features) is not available in execution mode stream`,
			`stream.yaml:12:13: stage "cluster" (cluster): clustering with input.weight_column (weighted k-means) is not available in execution mode stream`,
			`stream.yaml:12:95: stage "cluster" (cluster): mode: assign (scoring with the previous model) is not available in execution mode stream`,
			`stream.yaml:13:5: stage "export" (export): stage export (its customer table joins every row's columns in memory; a streamed run writes assignments.csv) is not available in execution mode stream`,
		}},
		{"database", database, []string{
			"segment: 4 problem(s) in the config:",
			`database.yaml:7:24: stage "ingest" (ingest): max_rows: execution.mode: database does not read the head of the table`,
			`database.yaml:9:31: stage "clean" (clean): steps[0].dedupe: cannot run as SQL in execution.mode: database`,
			`database.yaml:11:47: stage "cluster" (cluster): previous: execution.mode: database does not compare with a previous model yet`,
			`database.yaml:12:5: stage "export" (export): stage export is not available in execution.mode: database`,
			"segment: postgres: cannot connect",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := seg(t, "validate", "-c", tc.cfg)
			if code != exitConfigError || strings.Contains(stdout, "ok") {
				t.Errorf("exit %d, stdout %q; want %d", code, stdout, exitConfigError)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tc.name == "stream" {
				// Refusals are the mode's: in memory the config is fine.
				if code, stdout, stderr := seg(t, "validate", "-c", tc.cfg, "--set", "execution.mode=memory"); code != 0 || !strings.Contains(stdout, ": ok") {
					t.Errorf("in memory: exit %d %s%s", code, stdout, stderr)
				}
			}
		})
	}
	// A weight column dropped by a clean step before eda and cluster: they
	// run unweighted, which a stream can; what is checked is the column as
	// each stage sees it.
	dropped := write(t, filepath.Join(dir, "dropped.yaml"), `version: 1
name: w
input: {path: c.csv, id: cid, weight_column: tenure}
execution: {mode: stream}
stages:
  - type: ingest
  - type: clean
    config: {steps: [{drop: [tenure]}]}
  - type: eda
  - type: cluster
    config: {features: [age], k: 2}
`)
	if code, stdout, stderr := seg(t, "validate", "-c", dropped); code != 0 || !strings.Contains(stdout, ": ok") {
		t.Errorf("weights dropped first: exit %d %s%s", code, stdout, stderr)
	}
}
