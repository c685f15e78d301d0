package confyaml

import (
	"strings"
	"testing"
)

// FuzzParseDecode: any text given as a config is either decoded or
// reported as located errors; it never panics, and nesting or aliases never
// make it run away (CheckLimits, MaxAliases).
func FuzzParseDecode(f *testing.F) {
	for _, s := range []string{
		"label: x\ncount: 3\nnames: [a, b]\nmap: {k: v}\nnested: {on: true}\nshape: auto\nfile: a/b.csv\nany: [1, {x: y}]\n",
		"label: ${DIR}/x\nratio: 1e-4\nints: {1: a}\n",
		"a: &x [1, 2]\nb: *x\n<<: {label: y}\n",
		"label: |\n  text\n  [[[\ncount: 0x1F\n",
		"- a\n- b\n",
		"label: 'it''s'\nany: !!str 1\n",
		strings.Repeat("[", 70),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		root, errs := Parse("f.yaml", []byte(src), "keys")
		if errs != nil {
			if len(errs) == 0 || errs[0].Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		d := NewDecoder(Options{File: "f.yaml", BaseDir: "cfg", WorkDir: "/w", LookupEnv: func(k string) (string, bool) { return "v", k == "DIR" }})
		var doc testDoc
		d.Decode(root, &doc, "")
		for _, e := range d.TakeErrors("") {
			if e.Msg == "" {
				t.Fatalf("error without a message: %+v", e)
			}
		}
	})
}

// FuzzOverride: any --set flag is applied or refused with an error, never
// a panic, whatever the key and the value.
func FuzzOverride(f *testing.F) {
	for _, s := range []string{"count=7", "names[2]=x", "nested.on=true", "map.k=v", "any=[1, 2]", "stages[0].x=1", "stages.a.b=c", "ratio=1e-4", "label=" + strings.Repeat("{", 80)} {
		f.Add("label: x\nnames: [a, b]\nstages: [{name: a, config: {}}]\n", s)
	}
	f.Fuzz(func(t *testing.T, src, flag string) {
		root, errs := Parse("f.yaml", []byte(src), "keys")
		if errs != nil {
			return
		}
		o, err := ParseOverride(flag)
		if err != nil {
			return
		}
		d := NewDecoder(Options{File: "f.yaml"})
		if err := d.ApplyOverride(root, o); err != nil {
			return
		}
		var doc testDoc
		d.Decode(root, &doc, "")
		d.TakeErrors("")
	})
}
