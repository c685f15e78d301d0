package confyaml

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestLimits: configs over the size or nesting limits fail before the
// parser sees them, with a located message; real configs pass. Before the
// limits, the 100 KB file of "[" took 50 s and 20 GB in the parser; now it
// is refused in well under a millisecond (BenchmarkHostileNesting).
func TestLimits(t *testing.T) {
	deepBlock := "a:\n"
	for i := 1; i <= MaxDepth+1; i++ {
		deepBlock += strings.Repeat(" ", i) + fmt.Sprintf("k%d:\n", i)
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"100 KB of [", strings.Repeat("[", 100_000), "d.yaml:1:64: the config nests lists and mappings more than 64 levels deep"},
		{"nested [ closed", "a: " + strings.Repeat("[", 70) + strings.Repeat("]", 70), "d.yaml:1:67: the config nests"},
		{"nested {", "a: " + strings.Repeat("{b: ", 70), "the config nests"},
		{"anchored [", "a: " + strings.Repeat("&x [", 70), "the config nests"},
		{"tagged [", "a: " + strings.Repeat("!!seq [", 70), "the config nests"},
		{"dashes", "a:\n" + strings.Repeat("- ", 70) + "x\n", "d.yaml:2:"},
		{"indentation", deepBlock, "d.yaml:65:"},
		{"over 1 MiB", "a: " + strings.Repeat("x", MaxConfigBytes), "segment reads configs of at most 1048576 bytes (1 MiB)"},
	} {
		_, errs := Parse("d.yaml", []byte(tc.src), "keys")
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, errs, tc.want)
		}
	}
	// Nesting that is not nesting: brackets in quoted or plain text, block
	// scalars and comments; and a config at depth 63.
	okDeep := "a: " + strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1)
	text := "a: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n" +
		"b: ratio [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x\n" +
		"c: |\n" + strings.Repeat("  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n", 3) +
		"d: 1 # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n" +
		"e: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n"
	for _, src := range []string{okDeep, text} {
		if _, errs := Parse("d.yaml", []byte(src), "keys"); errs != nil {
			t.Errorf("%.40q…: %v", src, errs)
		}
	}
}

// TestSetValueLimits: a --set value is held to the same nesting limit.
func TestSetValueLimits(t *testing.T) {
	root, _ := Parse("d.yaml", []byte("label: x\n"), "keys")
	d := NewDecoder(Options{File: "d.yaml"})
	err := d.ApplyOverride(root, Override{Key: "names", Value: strings.Repeat("[", 100_000)})
	if err == nil || !strings.Contains(err.Error(), "more than 64 levels deep") {
		t.Errorf("got %v", err)
	}
}

// TestAliasLimit: a "billion laughs" config stops after MaxAliases.
func TestAliasLimit(t *testing.T) {
	src := "label: x\nany:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i <= 9; i++ {
		src += fmt.Sprintf("  - &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	type doc struct {
		Label string `yaml:"label"`
		Any   any    `yaml:"any"`
	}
	root, errs := Parse("d.yaml", []byte(src), "keys")
	if errs != nil {
		t.Fatal(errs)
	}
	d := NewDecoder(Options{File: "d.yaml"})
	var out doc
	d.Decode(root, &out, "")
	got := d.TakeErrors("").Error()
	if !strings.Contains(got, "follows aliases (*name) more than 10000 times") {
		t.Errorf("got %s", got)
	}
}

// TestYAML12Floats: an exponent without a dot ("1e-4", YAML 1.2) is a
// number for float and integer keys; quoted it stays text; out of range is
// an error, never Inf.
func TestYAML12Floats(t *testing.T) {
	for _, tc := range []struct {
		src   string
		ratio float64
		count int
	}{
		{"ratio: 1e-4", 1e-4, 3},
		{"ratio: -2E3", -2000, 3},
		{"ratio: +1.5e+2", 150, 3},
		{"ratio: .5", 0.5, 3},
		{"count: 1e3", 0, 1000},
	} {
		doc, _, errs := decodeDoc(t, "label: x\n"+tc.src)
		if errs != nil || doc.Ratio != tc.ratio || doc.Count != tc.count {
			t.Errorf("%s: got ratio %g count %d %v", tc.src, doc.Ratio, doc.Count, errs)
		}
	}
	doc, _, errs := decodeDoc(t, "label: x\n", Override{Key: "ratio", Value: "1e-4"})
	if errs != nil || doc.Ratio != 1e-4 {
		t.Errorf("--set ratio=1e-4: %g %v", doc.Ratio, errs)
	}
	for _, tc := range []struct{ src, want string }{
		{"ratio: '1e-4'", `ratio: expected a number, got the string "1e-4"`},
		{"ratio: 1e309", "ratio: 1e309 is out of range"},
		{"ratio: 1.0e309", "ratio: 1.0e309 is out of range"},
		{"count: 1.5e0", "count: expected an integer"},
	} {
		_, _, errs := decodeDoc(t, "label: x\n"+tc.src)
		if errs == nil || !strings.Contains(errs.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.src, errs, tc.want)
		}
	}
	if doc, _, _ := decodeDoc(t, "label: x\nany: 1e-4"); doc.Any != "1e-4" || math.IsNaN(0) {
		t.Errorf("generic values keep their YAML 1.1 reading: %#v", doc.Any)
	}
}

func BenchmarkHostileNesting(b *testing.B) {
	src := []byte(strings.Repeat("[", 100_000))
	for b.Loop() {
		if _, errs := Parse("d.yaml", src, "keys"); errs == nil {
			b.Fatal("accepted")
		}
	}
}
