package clean

import (
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// CheckColumns implements pipeline.ColumnChecker: it follows the steps over
// the column names so that a typo is reported before any row is read.
func (c *Config) CheckColumns(s *pipeline.Schema) {
	for i, st := range c.Steps {
		key := fmt.Sprintf("steps[%d].%s", i, st.kind)
		switch st.kind {
		case "filter":
			checkExpr(s, key, *st.Filter)
		case "select":
			var keep []string
			for j, col := range st.Select {
				if s.Require(fmt.Sprintf("%s[%d]", key, j), col) {
					keep = append(keep, col)
				}
			}
			s.Keep(keep)
		case "drop":
			for j, col := range st.Drop {
				if s.Require(fmt.Sprintf("%s[%d]", key, j), col) {
					s.Remove(col)
				}
			}
		case "rename":
			for _, old := range sortedKeys(st.Rename) {
				s.Require(confyaml.MapKey(key, old), old)
			}
			for _, old := range sortedKeys(st.Rename) {
				s.Rename(old, st.Rename[old])
			}
		case "derive":
			checkExpr(s, key+".expr", st.Derive.Expr)
			s.Add(st.Derive.Name)
		case "cast":
			requireKeys(s, key, st.Cast)
		case "fillna":
			requireKeys(s, key, st.Fillna)
		case "clip":
			requireKeys(s, key, st.Clip)
		case "dropna":
			requireList(s, key+".columns", st.Dropna.Columns)
		case "dedupe":
			requireList(s, key+".columns", st.Dedupe.Columns)
		case "onehot":
			for j, col := range st.Onehot.Columns {
				if s.Require(fmt.Sprintf("%s.columns[%d]", key, j), col) {
					s.Remove(col)
					s.AddDynamic(col + st.Onehot.PrefixSep)
				}
			}
		}
	}
}

func checkExpr(s *pipeline.Schema, key, src string) {
	_, unknown, err := rowexpr.Referenced(src, s.Names())
	if err != nil {
		s.Errorf(key, "%v", err)
		return
	}
	for _, u := range unknown {
		s.Require(key, u)
	}
}

func requireKeys[V any](s *pipeline.Schema, key string, m map[string]V) {
	for _, col := range sortedKeys(m) {
		s.Require(confyaml.MapKey(key, col), col)
	}
}

func requireList(s *pipeline.Schema, key string, cols []string) {
	for j, col := range cols {
		s.Require(fmt.Sprintf("%s[%d]", key, j), col)
	}
}
