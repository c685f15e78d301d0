package confyaml

import "testing"

func TestSetBy(t *testing.T) {
	src := "a: 1\nb: {c: 2, d: 3}\n"
	root, errs := Parse("x.yaml", []byte(src), "a, b")
	if errs != nil {
		t.Fatal(errs)
	}
	d := NewDecoder(Options{File: "x.yaml"})
	if err := d.ApplyOverride(root, Override{Key: "b.d", Value: "5"}); err != nil {
		t.Fatal(err)
	}
	var v struct {
		A int `yaml:"a"`
		B struct {
			C int `yaml:"c"`
			D int `yaml:"d"`
			E int `yaml:"e"`
		} `yaml:"b"`
	}
	d.Decode(root, &v, "")
	if errs := d.TakeErrors(""); errs != nil {
		t.Fatal(errs)
	}
	for key, want := range map[string]string{"a": "file", "b.c": "file", "b.d": "--set b.d=5", "b.e": ""} {
		if got := d.SetBy(key); got != want {
			t.Errorf("SetBy(%q) = %q, want %q", key, got, want)
		}
	}
	if v.B.D != 5 {
		t.Errorf("override not applied: %+v", v)
	}
}
