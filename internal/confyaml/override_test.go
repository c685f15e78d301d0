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
