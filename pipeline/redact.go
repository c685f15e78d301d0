package pipeline

import (
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/dsn"
)

// OverrideText is a --set override as the manifest, the report and the
// recorded command show it: "key=value", with secrets masked. The value of
// a key named dsn (input.dsn, stages.NAME.database.dsn, …) has its
// passwords replaced by "xxxxx" (internal/dsn.Redact), and the value of a key
// whose name ends in "password" is replaced as a whole. Keep passwords in
// ${VAR}, PGPASSWORD or ~/.pgpass: a masked override cannot be rerun as
// recorded.
func OverrideText(o confyaml.Override) string {
	key := o.Key
	if i := strings.LastIndexAny(key, ".]"); i >= 0 {
		key = key[i+1:]
	}
	key = strings.ToLower(key)
	switch {
	case key == "dsn":
		return o.Key + "=" + dsn.Redact(o.Value)
	case strings.HasSuffix(key, "password") && o.Value != "":
		return o.Key + "=xxxxx"
	}
	return o.Key + "=" + o.Value
}
