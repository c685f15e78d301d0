package confyaml

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
)

// shape is a NodeDecoder: a number or the word "auto".
type shape struct {
	auto bool
	n    int
}

func (s *shape) DecodeYAML(d *Decoder, n ast.Node, key string) {
	if t, ok := d.Scalar(n, key); ok && t == "auto" {
		s.auto = true
		return
	}
	d.Decode(n, &s.n, key)
}

type inner struct {
	On bool `yaml:"on"`
}

type testDoc struct {
	Count  int               `yaml:"count"`
	Ratio  float64           `yaml:"ratio"`
	Label  string            `yaml:"label,required"`
	Names  []string          `yaml:"names"`
	Map    map[string]string `yaml:"map"`
	Ints   map[int]string    `yaml:"ints"`
	Nested inner             `yaml:"nested"`
	Shape  shape             `yaml:"shape"`
	File   Path              `yaml:"file"`
	Any    any               `yaml:"any"`
	Small  int8              `yaml:"small"`
	Inline inner             `yaml:",inline"`
	Skip   string            `yaml:"-"`
}

func decodeDoc(t *testing.T, src string, sets ...Override) (*testDoc, *Decoder, ConfigErrors) {
	t.Helper()
	root, errs := Parse("d.yaml", []byte(src), "keys")
	if errs != nil {
		return nil, nil, errs
	}
	env := map[string]string{"DIR": "/data"}
	d := NewDecoder(Options{File: "d.yaml", BaseDir: "cfg", WorkDir: "/work", LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	for _, o := range sets {
		if err := d.ApplyOverride(root, o); err != nil {
			t.Fatal(err)
		}
	}
	doc := &testDoc{Count: 3}
	d.Decode(root, doc, "")
	return doc, d, d.TakeErrors("").Sorted()
}

func TestDecodeValues(t *testing.T) {
	src := `label: ${DIR}/x
names: &n [a, b]
map: {"Tenure in Months": t, x: y}
ints: {1: one}
nested: {on: true}
shape: auto
file: f.csv
any: {k: [1, 2.5, true, s]}
ratio: 2
on: true
`
	doc, d, errs := decodeDoc(t, src, Override{Key: "count", Value: "9"}, Override{Key: "nested.on", Value: "false"})
	if errs != nil {
		t.Fatal(errs)
	}
	switch {
	case doc.Label != "/data/x" || doc.Count != 9 || doc.Ratio != 2 || len(doc.Names) != 2:
		t.Errorf("scalars: %+v", doc)
	case doc.Map["Tenure in Months"] != "t" || doc.Ints[1] != "one":
		t.Errorf("maps: %v %v", doc.Map, doc.Ints)
	case doc.Nested.On || !doc.Inline.On || !doc.Shape.auto:
		t.Errorf("nested %v inline %v shape %+v", doc.Nested, doc.Inline, doc.Shape)
	case doc.File != "cfg/f.csv":
		t.Errorf("file %q, want it relative to the config's folder", doc.File)
	}
	if m, ok := doc.Any.(map[string]any); !ok || len(m["k"].([]any)) != 4 {
		t.Errorf("any = %#v", doc.Any)
	}
	if !d.Present("nested.on") || d.Present("small") {
		t.Error("Present does not follow the decoded keys")
	}
	if !d.FromOverride(d.NodeFor("count")) || d.FromOverride(d.NodeFor("label")) {
		t.Error("FromOverride does not follow the --set flags")
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"all problems at once", "count: x\nlabel: [1]\nnmes: [a]\n", []string{
			`d.yaml:1:8: count: expected an integer, got the string "x"`,
			`d.yaml:2:8: label: expected a single value, got a list`,
			`d.yaml:3:1: nmes: unknown key "nmes" (did you mean "names"?)`,
		}},
		{"missing required", "count: 1\n", []string{`d.yaml:1:1: label: missing required key "label"`}},
		{"twice (goccy's parser)", "label: a\nlabel: b\n", []string{`d.yaml:2:1: YAML syntax error: mapping key "label" already defined`}},
		{"no suggestion", "label: a\nzzzzzz: 1\n", []string{`d.yaml:2:1: zzzzzz: unknown key "zzzzzz" (valid keys: any, count, file, `}},
		{"out of range", "label: a\nsmall: 300\n", []string{`d.yaml:2:8: small: 300 is out of range`}},
		{"map key", "label: a\nints: {x: 1}\n", []string{`d.yaml:2:8: ints.x: expected an integer key, got "x"`}},
		{"unset variable", "label: ${NOPE}\n", []string{`d.yaml:1:8: label: environment variable NOPE is not set`}},
		{"unknown alias", "label: *a\n", []string{`d.yaml:1:8: unknown alias *a`}},
		{"nested key", "label: a\nnested: {of: true}\n", []string{`d.yaml:2:10: nested.of: unknown key "of" (did you mean "on"?)`}},
		{"not a mapping", "- a\n", []string{`d.yaml: the config must be a mapping of keys (keys)`}},
		{"syntax", "label: [a\n", []string{`d.yaml:`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, errs := decodeDoc(t, tc.src)
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors:\n%v\nwant %d", len(errs), errs, len(tc.want))
			}
			for i, w := range tc.want {
				if got := errs[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got, w)
				}
			}
		})
	}
}

func TestOverridePositionsAndPaths(t *testing.T) {
	doc, _, errs := decodeDoc(t, "label: a\n", Override{Key: "file", Value: "rel.csv"}, Override{Key: "count", Value: "x"})
	if len(errs) != 1 || errs[0].Error() != `--set count=x: count: expected an integer, got the string "x"` {
		t.Errorf("errors %v", errs)
	}
	if doc.File != "/work/rel.csv" {
		t.Errorf("--set path %q, want it relative to the working directory", doc.File)
	}
}

func TestLocate(t *testing.T) {
	_, d, _ := decodeDoc(t, "label: a\nnested: {on: true}\n")
	fes := FieldErrors{{Key: "nested.on", Msg: "bad"}, {Key: "names[3]", Msg: "absent"}, {Msg: "whole"}}
	got := d.Locate(fes, `stage "x" (t)`, nil)
	// keys absent from the file point at the closest parent present: here
	// the block itself
	want := []string{`d.yaml:2:14: stage "x" (t): nested.on: bad`, `d.yaml:1:6: stage "x" (t): names[3]: absent`, `d.yaml:1:6: stage "x" (t): whole`}
	for i, w := range want {
		if got[i].Error() != w {
			t.Errorf("got %s\nwant %s", got[i], w)
		}
	}
}

func TestKeys(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{JoinKey("steps[0]", "filter"), "steps[0].filter"},
		{JoinKey("", "a", "[2]"), "a[2]"},
		{MapKey("fillna", "Age"), "fillna.Age"},
		{MapKey("fillna", "Tenure in Months"), `fillna["Tenure in Months"]`},
		{parentKey(`a.b["c d"]`), "a.b"},
		{strings.Join(KnownKeys(&testDoc{}), ","), "count,ratio,label,names,map,ints,nested,shape,file,any,small,on"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
