package confyaml

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
)

// JoinKey joins YAML path elements: JoinKey("steps[0]", "filter") is
// "steps[0].filter"; empty parts are skipped.
func JoinKey(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// MapKey renders a map key inside a path: plain names as .name, others as
// ["name with spaces"].
func MapKey(parent, k string) string {
	simple := k != ""
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			simple = false
			break
		}
	}
	if simple {
		return JoinKey(parent, k)
	}
	return parent + "[" + strconv.Quote(k) + "]"
}

// parentKey drops the last element of a path: "a.b[2]" → "a.b" → "a".
func parentKey(key string) string {
	i := strings.LastIndexAny(key, ".[")
	if i < 0 {
		return ""
	}
	return key[:i]
}

// UnknownKey is the message for a key that is not one of valid: a "did you
// mean" hint when one is close, else the list of valid keys.
func UnknownKey(k string, valid []string) string {
	if s := frame.Suggest(k, valid); s != "" {
		return fmt.Sprintf("unknown key %q (did you mean %q?)", k, s)
	}
	return fmt.Sprintf("unknown key %q (valid keys: %s)", k, strings.Join(slices.Sorted(slices.Values(valid)), ", "))
}
