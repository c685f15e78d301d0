package stages

// The contract every stage keeps, checked over Registry() (in the manner of
// the OpenTelemetry Collector's generated component tests): a config struct
// whose every field is a documented YAML key with defaults that validate,
// and a stage that writes into the State exactly the slots it declares and
// leaves its config as it was loaded.

import (
	"context"
	"encoding"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var (
	nodeDecoderType     = reflect.TypeFor[confyaml.NodeDecoder]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports whether values of t are decoded by their own code
// (a NodeDecoder or TextUnmarshaler) rather than field by field.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(nodeDecoderType) || p.Implements(textUnmarshalerType)
}

// configKey is a YAML key of a config struct: its path ("alerts.
// missing_share") and whether it sits inside a list, map or optional
// block (then docs name it within its parent's row rather than as a path).
// A block (a struct-valued key) is not a key of its own: its keys are.
type configKey struct {
	path   string
	nested bool
}

// configKeys walks a config struct type and returns every key, or reports
// fields that are not YAML keys.
func configKeys(t *testing.T, typ reflect.Type, prefix string, nested bool) []configKey {
	t.Helper()
	var keys []configKey
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case !f.IsExported():
			t.Errorf("%s: field %s.%s is unexported: a config holds only its YAML keys (resolved values go through pipeline.Env)", typ.PkgPath(), typ.Name(), f.Name)
			continue
		case tag == "" || name == "" && !strings.Contains(tag, ",inline"):
			t.Errorf("%s: field %s.%s has no yaml tag", typ.PkgPath(), typ.Name(), f.Name)
			continue
		case name == "-":
			continue
		}
		if name == "" { // inline
			keys = append(keys, configKeys(t, f.Type, prefix, nested)...)
			continue
		}
		path := confyaml.JoinKey(prefix, name)
		ft := f.Type
		if ft.Kind() != reflect.Struct || decodesItself(ft) {
			keys = append(keys, configKey{path: path, nested: nested}) // a block is documented by its keys
		}
		inner := nested
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
			if decodesItself(ft) {
				break
			}
			inner = true
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && !decodesItself(ft) {
			keys = append(keys, configKeys(t, ft, path, inner)...)
		}
	}
	return keys
}

// stageSection returns the part of docs/config.md about a stage type.
func stageSection(t *testing.T, typ string) string {
	t.Helper()
	b, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## Stage `"+typ+"`")
	if start < 0 {
		t.Fatalf("docs/config.md has no section \"## Stage `%s`\"", typ)
	}
	rest := doc[start+1:]
	if end := strings.Index(rest, "\n## "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// backticked returns the words inside `...` spans of text.
func backticked(text string) map[string]bool {
	words := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(text, -1) {
		words[m[1]] = true
		for _, w := range regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_.]*`).FindAllString(m[1], -1) {
			words["word:"+w] = true
		}
	}
	return words
}

// TestStageConfigs: for every stage, NewConfig returns a pointer to a
// struct whose fields are all YAML keys; the defaults pass Validate; and
// every key is documented in the stage's section of docs/config.md (as
// `path`, or for keys inside a list, map or optional block, by name in
// backticks).
func TestStageConfigs(t *testing.T) {
	reg := Registry()
	for _, typ := range reg.Types() {
		t.Run(typ, func(t *testing.T) {
			f, _ := reg.Lookup(typ)
			if f.Summary == "" {
				t.Error("no summary for `segment stages`")
			}
			cfg := f.NewConfig()
			v := reflect.ValueOf(cfg)
			if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
				t.Fatalf("NewConfig returns %T, want a pointer to a struct", cfg)
			}
			if val, ok := cfg.(pipeline.Validator); ok {
				if err := val.Validate(); err != nil {
					t.Errorf("the defaults do not validate: %v", err)
				}
			}
			if _, err := f.New(cfg); err != nil {
				t.Errorf("New on the defaults: %v", err)
			}
			docs := backticked(stageSection(t, typ))
			keys := configKeys(t, v.Elem().Type(), "", false)
			if got, want := len(keys) > 0, len(confyaml.KnownKeys(cfg)) > 0; got != want {
				t.Errorf("keys %v, decoder's keys %v", keys, confyaml.KnownKeys(cfg))
			}
			for _, k := range keys {
				leaf := k.path[strings.LastIndex(k.path, ".")+1:]
				if !docs[k.path] && !(k.nested && docs["word:"+leaf]) {
					t.Errorf("key %s is not documented in docs/config.md's section on the %s stage", k.path, typ)
				}
			}
		})
	}
}

// slotsOf is what a State holds, slot by slot (State.Input and
// State.Transform count as the table's: ingest sets Input with the table,
// clean the Transform that made it).
func slotsOf(st *pipeline.State) map[pipeline.Slot]any {
	return map[pipeline.Slot]any{
		pipeline.SlotTable:    [3]any{st.Table, st.Input, st.Transform},
		pipeline.SlotEDA:      st.EDA,
		pipeline.SlotClusters: st.Clusters,
		pipeline.SlotProfile:  st.Profile,
		pipeline.SlotDrift:    st.Drift,
	}
}

// observed wraps a stage and records the slots it writes.
type observed struct {
	pipeline.Stage
	wrote map[pipeline.Slot]bool
}

func (o observed) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	before := slotsOf(st)
	err := o.Stage.Run(ctx, env, st)
	for slot, v := range slotsOf(st) {
		if v != before[slot] {
			o.wrote[slot] = true
		}
	}
	return err
}

// TestStageStateContract runs configs/churn.yaml (every stage type) twice
// into one output folder — the second night compares with the first, so the
// cluster stage also reports drift — and checks that each stage writes the
// State slots it declares in Provides and no others, and that no stage
// changes its config.
func TestStageStateContract(t *testing.T) {
	reg := Registry()
	wrote := map[string]map[pipeline.Slot]bool{}
	var factories []pipeline.Factory
	for _, typ := range reg.Types() {
		f, _ := reg.Lookup(typ)
		wrote[typ] = map[pipeline.Slot]bool{}
		newStage := f.New
		f.New = func(cfg any) (pipeline.Stage, error) {
			s, err := newStage(cfg)
			return observed{Stage: s, wrote: wrote[typ]}, err
		}
		factories = append(factories, f)
	}
	observing := pipeline.NewRegistry(factories...).WithSources(reg.Sources())
	out := t.TempDir()
	// A fixed k with few restarts keeps the test short; the stages' code
	// paths are those of the shipped config.
	var fast []confyaml.Override
	for _, s := range []string{"stages.cluster.k=4", "stages.cluster.n_init=2"} {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		fast = append(fast, o)
	}
	opt := pipeline.LoadOptions{Overrides: fast}
	for night := range 2 {
		cfg, err := pipeline.Load("../configs/churn.yaml", observing, opt)
		if err != nil {
			t.Fatal(err)
		}
		fresh, _ := pipeline.Load("../configs/churn.yaml", observing, opt)
		if _, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: out}); err != nil {
			t.Fatalf("night %d: %v", night+1, err)
		}
		for i, spec := range cfg.Stages {
			if !reflect.DeepEqual(spec.Config, fresh.Stages[i].Config) {
				t.Errorf("night %d: stage %s changed its config:\n%+v\nwas\n%+v", night+1, spec.Name, spec.Config, fresh.Stages[i].Config)
			}
		}
	}
	for _, typ := range reg.Types() {
		f, _ := reg.Lookup(typ)
		var got []pipeline.Slot
		for slot := range wrote[typ] {
			got = append(got, slot)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(f.Provides))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stage %s wrote the slots %v, declares Provides %v", typ, got, want)
		}
	}
}
