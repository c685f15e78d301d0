package confyaml

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// ExpandEnv replaces ${VAR} and ${VAR:-default} in s using lookup. "$$"
// stands for a literal "$". A ${VAR} whose variable is unset is an error, so
// a nightly job missing its environment fails loudly instead of reading the
// wrong file; ${VAR:-default} uses default when VAR is unset or empty.
func ExpandEnv(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '{':
		default:
			b.WriteByte(c)
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return "", fmt.Errorf("unclosed ${ in %q", s)
		}
		expr := s[i+2 : i+2+end]
		name, def, hasDef := strings.Cut(expr, ":-")
		if !validEnvName(name) {
			return "", fmt.Errorf("invalid variable name %q in ${%s} (use letters, digits and _; write $$ for a literal $)", name, expr)
		}
		val, ok := lookup(name)
		switch {
		case hasDef && (!ok || val == ""):
			val = def
		case !ok:
			return "", fmt.Errorf("environment variable %s is not set (use ${%s:-default} to give a default)", name, name)
		}
		b.WriteString(val)
		i += 2 + end
	}
	return b.String(), nil
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (d *Decoder) expand(n ast.Node, key, s string) (string, bool) {
	out, err := ExpandEnv(s, d.lookupEnv)
	if err != nil {
		d.Errorf(n, key, "%v", err)
		return "", false
	}
	return out, true
}
