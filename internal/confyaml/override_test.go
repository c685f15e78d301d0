package confyaml

import "testing"

func TestParseOverride(t *testing.T) {
	for _, bad := range []string{"noequals", "=v", "a..b=1", "a[x]=1", "a[1=2"} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	o, err := ParseOverride("stages.clean.steps[0].filter=Age > 3 == x")
	if err != nil || o.Key != "stages.clean.steps[0].filter" || o.Value != "Age > 3 == x" {
		t.Errorf("got %+v %v", o, err)
	}
}

// TestOverrideDash: --set key=- sets the string "-" (standard input for
// input.path), not a one-item list.
func TestOverrideDash(t *testing.T) {
	doc, _, errs := decodeDoc(t, "label: x\n", Override{Key: "label", Value: "-"}, Override{Key: "names", Value: "[-]"})
	if errs != nil || doc.Label != "-" || len(doc.Names) != 1 {
		t.Errorf("label %q names %q: %v", doc.Label, doc.Names, errs)
	}
}
