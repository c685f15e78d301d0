package pipeline

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

// testConfig is the config of the fake "fake" stage.
type testConfig struct {
	Count  int               `yaml:"count"`
	Ratio  float64           `yaml:"ratio"`
	Label  string            `yaml:"label,required"`
	Names  []string          `yaml:"names"`
	Map    map[string]string `yaml:"map"`
	Nested struct {
		On bool `yaml:"on"`
	} `yaml:"nested"`
	File confyaml.Path `yaml:"file"`
}

func (c *testConfig) Validate() error {
	var fe confyaml.FieldErrors
	if c.Count < 0 {
		fe.Add("count", "must be 0 or more")
	}
	return fe.Err()
}

func (c *testConfig) CheckColumns(s *Schema) {
	for i, n := range c.Names {
		s.Require(confyaml.JoinKey("names", "["+strconv.Itoa(i)+"]"), n)
	}
}

type fakeStage struct {
	cfg  *testConfig
	fail bool
}

func (s *fakeStage) Run(ctx context.Context, env *Env, st *State) error {
	if s.fail {
		return errors.New("boom")
	}
	_, err := env.WriteFile("out.txt", "data", "test output", func(w io.Writer) error {
		_, err := w.Write([]byte(s.cfg.Label))
		return err
	})
	return err
}

// judge writes the run id it was given and asks for a drift verdict.
type judge struct{}

func (judge) Run(ctx context.Context, env *Env, st *State) error {
	env.FailAfterPublish(VerdictDrift, "too far", "and moved")
	_, err := env.WriteFile("run_id.txt", "data", "run id", func(w io.Writer) error {
		_, err := io.WriteString(w, env.RunID)
		return err
	})
	return err
}

// renamer renames column a to b (in the column check only) and writes the
// id column it was given.
type renamer struct{}

type renamerConfig struct{}

func (c *renamerConfig) CheckColumns(s *Schema) { s.Rename("a", "b") }

func (renamer) Run(ctx context.Context, env *Env, st *State) error {
	_, err := env.WriteFile("id.txt", "data", "id column", func(w io.Writer) error {
		_, err := io.WriteString(w, env.IDColumn)
		return err
	})
	return err
}

func testRegistry() *Registry {
	return NewRegistry(
		Factory{Type: "fake", Summary: "test", Provides: []Slot{SlotTable},
			NewConfig: func() any { return &testConfig{Count: 3} },
			New:       func(cfg any) (Stage, error) { return &fakeStage{cfg: cfg.(*testConfig)}, nil }},
		Factory{Type: "needy", Summary: "needs clusters", Needs: []Slot{SlotClusters},
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return &fakeStage{}, nil }},
		Factory{Type: "judge", Summary: "asks for a non-zero exit",
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return judge{}, nil }},
		Factory{Type: "renamer", Summary: "renames column a to b and writes the id column it sees",
			NewConfig: func() any { return &renamerConfig{} },
			New:       func(cfg any) (Stage, error) { return renamer{}, nil }},
		Factory{Type: "failing", Summary: "fails",
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return &fakeStage{fail: true}, nil }},
		Factory{Type: "reader", Summary: "reads the input",
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return reader{}, nil }},
	).WithSources(testSources())
}

func load(t *testing.T, src string, opt LoadOptions) (*Config, error) {
	t.Helper()
	if opt.LookupEnv == nil {
		opt.LookupEnv = func(k string) (string, bool) {
			v, ok := map[string]string{"HOME_DIR": "/home/x", "EMPTY": ""}[k]
			return v, ok
		}
	}
	opt.WorkDir = "/work"
	return LoadBytes("cfg/x.yaml", []byte(src), testRegistry(), opt)
}

const base = `version: 1
name: test
input:
  path: data.csv
stages:
  - type: fake
    config:
      label: hello
`

func TestLoadGood(t *testing.T) {
	cfg, err := load(t, base, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Seed != 42 || cfg.Input.SourceFormat() != "text" || cfg.Output.Dir != "cfg/runs" {
		t.Errorf("defaults not applied: seed %d format %q dir %q", cfg.Seed, cfg.Input.SourceFormat(), cfg.Output.Dir)
	}
	if cfg.Input.Path != "cfg/data.csv" {
		t.Errorf("input.path = %q, want it relative to the config folder", cfg.Input.Path)
	}
	st := cfg.Stages[0]
	c := st.Config.(*testConfig)
	if st.Name != "fake" || c.Label != "hello" || c.Count != 3 {
		t.Errorf("stage = %+v, config %+v", st, c)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"unknown top key", strings.Replace(base, "name: test", "name: test\nseeds: 3", 1),
			[]string{`cfg/x.yaml:3:1: seeds: unknown key "seeds" (did you mean "seed"?)`}},
		{"wrong type", strings.Replace(base, "name: test", "name: test\nseed: abc", 1),
			[]string{`cfg/x.yaml:3:7: seed: expected an integer, got the string "abc"`}},
		{"missing required", strings.Replace(base, "name: test\n", "", 1),
			[]string{`cfg/x.yaml:1:1: name: missing required key "name"`}},
		{"unknown stage type", strings.Replace(base, "type: fake", "type: fak", 1),
			[]string{`cfg/x.yaml:6:11: stages[0].type: unknown stage type "fak" (did you mean "fake"?)`}},
		{"stage config errors collected", strings.Replace(base, "label: hello", "label: hello\n      count: -1\n      bogus: 1\n      ratio: [1]", 1),
			[]string{
				`cfg/x.yaml:9:14: stage "fake" (fake): count: must be 0 or more`,
				`cfg/x.yaml:10:7: stage "fake" (fake): bogus: unknown key "bogus" (valid keys: count, file, label, map, names, nested, ratio)`,
				`cfg/x.yaml:11:14: stage "fake" (fake): ratio: expected a number, got a list`,
			}},
		{"duplicate names", base + "  - type: fake\n    config: {label: x}\n",
			[]string{`cfg/x.yaml:9:5: stage "fake" (fake): stages[1].name: duplicate stage name "fake"; give each stage of the same type its own ` + "`name:`"}},
		{"needs", base + "  - type: needy\n",
			[]string{`cfg/x.yaml:9:5: stage "needy" (needy): needs clusters; no earlier stage provides them`}},
		{"unset env", strings.Replace(base, "path: data.csv", "path: ${NOPE}/data.csv", 1),
			[]string{`cfg/x.yaml:4:9: input.path: environment variable NOPE is not set (use ${NOPE:-default} to give a default)`}},
		{"syntax", "version: 1\nname: [x\n", []string{`cfg/x.yaml:`}},
		{"version", strings.Replace(base, "version: 1", "version: 2", 1),
			[]string{`cfg/x.yaml:1:10: version: unsupported version 2 (this segment reads version 1)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.src, LoadOptions{})
			var ce confyaml.ConfigErrors
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want ConfigErrors", err)
			}
			if len(ce) != len(tc.want) {
				t.Fatalf("got %d errors:\n%v\nwant %d", len(ce), err, len(tc.want))
			}
			for i, w := range tc.want {
				if got := ce[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got, w)
				}
			}
		})
	}
}

func TestOverridesAndEnv(t *testing.T) {
	src := strings.Replace(base, "path: data.csv", "path: ${HOME_DIR}/d.csv\n  id: ${MISSING:-cust}", 1)
	sets := []confyaml.Override{
		{Key: "seed", Value: "7"},
		{Key: "stages.fake.label", Value: "from-set"},
		{Key: "stages.fake.names", Value: "[a, b]"},
		{Key: "stages.fake.nested.on", Value: "true"},
		{Key: "stages.fake.file", Value: "rel.txt"},
		{Key: "output.dir", Value: "out"},
	}
	cfg, err := load(t, src, LoadOptions{Overrides: sets})
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Stages[0].Config.(*testConfig)
	switch {
	case cfg.Seed != 7:
		t.Errorf("seed %d", cfg.Seed)
	case c.Label != "from-set" || len(c.Names) != 2 || !c.Nested.On:
		t.Errorf("stage config %+v", c)
	case c.File != "/work/rel.txt":
		t.Errorf("--set path %q, want it relative to the working directory", c.File)
	case cfg.Output.Dir != "/work/out":
		t.Errorf("output.dir %q", cfg.Output.Dir)
	case cfg.Input.Path != "/home/x/d.csv" || cfg.Input.ID != "cust":
		t.Errorf("env expansion: path %q id %q", cfg.Input.Path, cfg.Input.ID)
	}

	_, err = load(t, base, LoadOptions{Overrides: []confyaml.Override{{Key: "stages.nope.x", Value: "1"}}})
	if err == nil || !strings.Contains(err.Error(), `--set stages.nope.x=1: no stage named "nope" (stages: fake)`) {
		t.Errorf("bad stage name: %v", err)
	}
	_, err = load(t, base, LoadOptions{Overrides: []confyaml.Override{{Key: "seed", Value: "x"}}})
	if err == nil || !strings.Contains(err.Error(), `--set seed=x: seed: expected an integer, got the string "x"`) {
		t.Errorf("bad value: %v", err)
	}
}

func TestCheckColumns(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("Customer Status,Age\nStayed,3\n"), 0o644)
	src := strings.Replace(base, "label: hello", "label: hello\n      names: [Age, Custmer Status]", 1)
	cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(strings.Replace(src, "data.csv", "d.csv", 1)), testRegistry(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = CheckColumns(cfg)
	want := `c.yaml:9:20: stage "fake" (fake): names[1]: unknown column "Custmer Status" (did you mean "Customer Status"?)`
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got %v\nwant …%s", err, want)
	}
	cfg.Input.Path = confyaml.Path(filepath.Join(dir, "missing.csv"))
	cfg.Input.MissingHint = "download it from X"
	if err := CheckColumns(cfg); err == nil || !strings.Contains(err.Error(), "download it from X") {
		t.Errorf("missing input: %v", err)
	}
}
