package confyaml

import (
	"strings"
	"testing"
)

func TestExpandEnv(t *testing.T) {
	env := func(k string) (string, bool) { v, ok := map[string]string{"A": "1", "E": ""}[k]; return v, ok }
	for _, tc := range []struct{ in, want, err string }{
		{"x${A}y", "x1y", ""},
		{"${E:-d}", "d", ""},
		{"${U:-d/e}", "d/e", ""},
		{"$$A ${A}", "$A 1", ""},
		{"cost $5", "cost $5", ""},
		{"${U}", "", "U is not set"},
		{"${A", "", "unclosed"},
		{"${1A}", "", "invalid variable name"},
	} {
		got, err := ExpandEnv(tc.in, env)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
