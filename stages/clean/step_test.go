package clean

import (
	"encoding/json"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

// TestStepKinds decodes one step of every kind and writes it back as JSON
// ({"<kind>": value}, as the manifest's config records it), and decodes
// that JSON value again (as a frozen step in model.json is read) into an
// equal step; the table must cover every kind of the registry.
func TestStepKinds(t *testing.T) {
	cases := map[string]struct{ yaml, json string }{
		"filter": {"filter: Age > 3", `{"filter":"Age \u003e 3"}`},
		"select": {"select: [a, b]", `{"select":["a","b"]}`},
		"drop":   {"drop: [a]", `{"drop":["a"]}`},
		"rename": {"rename: {a: b}", `{"rename":{"a":"b"}}`},
		"derive": {"derive: {name: y, expr: x * 2}", `{"derive":{"name":"y","expr":"x * 2"}}`},
		"cast":   {"cast: {a: int}", `{"cast":{"a":"int"}}`},
		"dropna": {"dropna: [a]", `{"dropna":{"columns":["a"],"how":"any"}}`},
		"fillna": {"fillna: {a: median, b: 0, c: {value: mean}}", `{"fillna":{"a":"median","b":0,"c":{"value":"mean"}}}`},
		"dedupe": {"dedupe:", `{"dedupe":{"keep":"first"}}`},
		"clip":   {"clip: {a: {lower: 0, upper_quantile: 0.9}}", `{"clip":{"a":{"lower":0,"upper_quantile":0.9}}}`},
		"onehot": {"onehot: {columns: [c], levels: {c: [x, y]}}", `{"onehot":{"columns":["c"],"prefix_sep":"_","max_levels":50,"levels":{"c":["x","y"]}}}`},
	}
	for _, k := range kinds {
		tc, ok := cases[k.name]
		if !ok {
			t.Errorf("step kind %q has no case here", k.name)
			continue
		}
		root, errs := confyaml.Parse("t.yaml", []byte("steps:\n  - "+tc.yaml+"\n"), "steps")
		if errs != nil {
			t.Fatal(errs)
		}
		d := confyaml.NewDecoder(confyaml.Options{File: "t.yaml"})
		cfg := NewConfig().(*Config)
		d.Decode(root, cfg, "")
		if errs := d.TakeErrors(""); errs != nil {
			t.Errorf("%s: %v", k.name, errs)
			continue
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("%s: %v", k.name, err)
		}
		st := cfg.Steps[0]
		b, err := json.Marshal(st)
		if st.Kind != k.name || err != nil || string(b) != tc.json {
			t.Errorf("%s: kind %q, JSON %s (%v), want %s", k.name, st.Kind, b, err, tc.json)
		}
		value, _ := json.Marshal(st.Op)
		back := k.new()
		if err := json.Unmarshal(value, back); err != nil {
			t.Errorf("%s: %s does not decode: %v", k.name, value, err)
			continue
		}
		if again, _ := json.Marshal(back); string(again) != string(value) {
			t.Errorf("%s: decoded %s, written again %s", k.name, value, again)
		}
	}
}
