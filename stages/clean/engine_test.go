package clean_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/clean"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// shippedConfigs are the configs the repository ships and the stage test
// configs: every one runs with both engines.
func shippedConfigs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"../../configs/*.yaml", "../testdata/*.good.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d configs: %q", len(files), files)
	}
	return files
}

// engineSets are the --set flags that run a config's clean stages on
// engine (and point it at the shared Maven table when its own input is
// absent), and the names of its clean stages.
func engineSets(t *testing.T, path, engine string) (sets, cleans []string) {
	t.Helper()
	cfg, err := stagetest.Load(t, path)
	if err != nil {
		// maven_churn.yaml reads data/telecom_customer_churn.csv, which is
		// not shipped; the tests read the shared copy.
		if cfg == nil || filepath.Base(string(cfg.Input.Path)) != "telecom_customer_churn.csv" {
			t.Fatalf("%s: %v", path, err)
		}
		if _, serr := os.Stat(string(cfg.Input.Path)); serr == nil {
			t.Fatalf("%s: %v", path, err)
		}
		sets = append(sets, "input.path="+stagetest.Dataset(t, "telecom_customer_churn.csv"))
	}
	for _, st := range cfg.Stages {
		if st.Type == "clean" {
			cleans = append(cleans, st.Name)
			sets = append(sets, "stages."+st.Name+".engine="+engine)
		}
	}
	return sets, cleans
}

// runCleans runs a config's stages up to its last clean stage (the later
// stages read the table and do not depend on the engine) and returns the
// table and the manifest.
func runCleans(t *testing.T, path string, sets []string) (*frame.Table, *pipeline.Manifest) {
	t.Helper()
	res := runCleansState(t, path, sets)
	return res.State.Table, res.Manifest
}

// runCleansState is runCleans returning the whole run result.
func runCleansState(t *testing.T, path string, sets []string) *pipeline.RunResult {
	t.Helper()
	cfg, err := stagetest.Load(t, path, sets...)
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for i, st := range cfg.Stages {
		if st.Type == "clean" {
			last = i
		}
	}
	cfg.Stages = cfg.Stages[:last+1]
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestEnginesAgreeOnShippedConfigs runs every shipped config's clean
// stages with engine native and engine gota and compares the tables cell
// by cell: names, types, values (floats by their bits) and missing cells.
func TestEnginesAgreeOnShippedConfigs(t *testing.T) {
	t.Setenv("SEGMENT_TEST_OUT", t.TempDir())
	for _, path := range shippedConfigs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			native, cleans := engineSets(t, path, clean.EngineNative)
			gota, _ := engineSets(t, path, clean.EngineGota)
			if len(cleans) == 0 {
				t.Skip("no clean stage")
			}
			wantRes := runCleansState(t, path, native)
			gotRes := runCleansState(t, path, gota)
			want, got, m := wantRes.State.Table, gotRes.State.Table, gotRes.Manifest
			// The frozen transform (model.json's replay for predict) must not
			// depend on the engine either.
			wj, _ := json.Marshal(wantRes.State.Transform)
			gj, _ := json.Marshal(gotRes.State.Transform)
			if !bytes.Equal(wj, gj) {
				t.Errorf("frozen transform differs:\nnative %s\ngota   %s", wj, gj)
			}
			for _, st := range m.Stages {
				if slices.Contains(cleans, st.Name) && st.Notes["engine"] != clean.EngineGota {
					t.Errorf("stage %q did not run on gota (notes %v)", st.Name, st.Notes)
				}
			}
			if err := frame.Equal(got, want); err != nil {
				t.Errorf("gota differs from native: %v", err)
			}
			t.Logf("%d clean stage(s), %d rows × %d columns equal", len(cleans), want.NumRows(), want.NumCols())
		})
	}
}

// TestMavenGota: the churn notebook's reproduction with its clean stages
// on gota gives the native engine's seed table and segments.
func TestMavenGota(t *testing.T) {
	const path = "../../configs/maven_churn.yaml"
	sets, _ := engineSets(t, path, clean.EngineGota)
	res := stagetest.Run(t, path, sets...)
	if n := res.State.Table.NumRows(); n != 5174 {
		t.Errorf("seed table has %d rows, want 5174", n)
	}
	c := res.State.Clusters
	const wantInertia = 0.21620252197655662
	if math.Abs(c.Inertia/wantInertia-1) > 1e-12 || !slices.Equal(c.Sizes, []int{3987, 1124, 49, 14}) {
		t.Errorf("inertia %.17g sizes %v, want %.17g [3987 1124 49 14]", c.Inertia, c.Sizes, wantInertia)
	}
}

// chainSrc exercises what happens between steps: an int column that loses
// its missing values (the next expression is compiled again), expressions
// after a onehot (compiled when reached), and an error in one row.
const chainSrc = `version: 1
name: engines
input: {path: {{input}}, id: Customer ID}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - filter: 'not is_missing(` + "`Avg Monthly GB Download`" + `)'
        - derive: {name: GB2, expr: '` + "`Avg Monthly GB Download`" + ` * 2'}
        - onehot: {columns: [Contract, Internet Type]}
        - filter: '` + "`Contract_Two Year`" + ` == 1 or GB2 > 40'
        - dedupe: [City, Gender]
        - derive: {name: label, expr: 'City + ":" + string(` + "`Contract_One Year`" + `)'}
        - fillna: {Offer: mode, Avg Monthly Long Distance Charges: median}
        - clip: {GB2: {upper_quantile: 0.95}}
`

func TestEnginesAgreeBetweenSteps(t *testing.T) {
	path := stagetest.WriteConfig(t, chainSrc, stagetest.Sample(t))
	want, _ := runCleans(t, path, []string{"stages.clean.engine=native"})
	got, _ := runCleans(t, path, []string{"stages.clean.engine=gota"})
	if err := frame.Equal(got, want); err != nil {
		t.Errorf("gota differs from native: %v", err)
	}
	if want.NumRows() < 100 || !want.Has("label") || !want.Has("Contract_Two Year") {
		t.Errorf("the chain did not run as meant: %d rows, %q", want.NumRows(), want.Names())
	}
}

// TestEnginesSameErrors: a row that fails, and a config gota cannot run,
// are reported with the same key and row (named by its id) on both
// engines.
func TestEnginesSameErrors(t *testing.T) {
	src := chainSrc + "        - derive: {name: bad, expr: 'Age % (Age - Age)'}\n"
	path := stagetest.WriteConfig(t, src, stagetest.Sample(t))
	var msgs []string
	for _, engine := range []string{clean.EngineNative, clean.EngineGota} {
		cfg, err := stagetest.Load(t, path, "stages.clean.engine="+engine)
		if err != nil {
			t.Fatal(err)
		}
		_, err = pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
		if err == nil {
			t.Fatalf("%s: the failing derive ran", engine)
		}
		msg, _, _ := strings.Cut(err.Error(), "(manifest and error saved in") // names a temporary folder
		msgs = append(msgs, msg)
	}
	if msgs[0] != msgs[1] || !strings.Contains(msgs[0], "steps[8].derive: row ") || !strings.Contains(msgs[0], "(Customer ID ") {
		t.Errorf("native: %s\ngota:   %s", msgs[0], msgs[1])
	}
	if _, err := stagetest.Load(t, path, "stages.clean.engine=pandas"); err == nil || !strings.Contains(err.Error(), `engine: unknown engine "pandas" (want native or gota)`) {
		t.Errorf("unknown engine: %v", err)
	}
}
