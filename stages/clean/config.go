package clean

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// Config is the clean stage's config block.
type Config struct {
	// Steps run in order; each is a mapping with exactly one key naming the
	// step. Required.
	Steps []Step `yaml:"steps,required" json:"steps,omitempty"`
}

// NewConfig returns the defaults (no steps).
func NewConfig() any { return &Config{} }

// Step is one table operation. Exactly one field is set.
type Step struct {
	// Filter keeps the rows where the expression is true.
	Filter *string `yaml:"filter" json:"filter,omitempty"`
	// Select keeps only these columns, in this order.
	Select []string `yaml:"select" json:"select,omitempty"`
	// Drop removes these columns.
	Drop []string `yaml:"drop" json:"drop,omitempty"`
	// Rename maps old names to new names.
	Rename map[string]string `yaml:"rename" json:"rename,omitempty"`
	// Derive adds (or replaces) a column computed by an expression.
	Derive *Derive `yaml:"derive" json:"derive,omitempty"`
	// Cast changes column types: int (truncates toward zero, like pandas
	// astype(int)), float, string or bool.
	Cast map[string]string `yaml:"cast" json:"cast,omitempty"`
	// Dropna removes rows with missing values.
	Dropna *Dropna `yaml:"dropna" json:"dropna,omitempty"`
	// Fillna fills missing values per column: mean, median, mode, or a
	// constant.
	Fillna map[string]Fill `yaml:"fillna" json:"fillna,omitempty"`
	// Dedupe removes repeated rows (whole rows or by key columns).
	Dedupe *Dedupe `yaml:"dedupe" json:"dedupe,omitempty"`
	// Clip limits values per column, by bounds or by quantiles.
	Clip map[string]Clip `yaml:"clip" json:"clip,omitempty"`
	// Onehot replaces categorical columns with 0/1 indicator columns.
	Onehot *Onehot `yaml:"onehot" json:"onehot,omitempty"`

	kind string
}

// stepKinds lists the step names in documentation order.
var stepKinds = []string{"filter", "select", "drop", "rename", "derive", "cast", "dropna", "fillna", "dedupe", "clip", "onehot"}

// Kind returns the step's name (its one key).
func (s *Step) Kind() string { return s.kind }

// DecodeYAML implements confyaml.NodeDecoder: a step is a mapping with one
// key. dropna and dedupe may be given without a value.
func (s *Step) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok || len(m.Values) == 0 {
		d.Errorf(n, key, "a step is a mapping with one key, one of: %s", strings.Join(stepKinds, ", "))
		return
	}
	if len(m.Values) > 1 {
		var keys []string
		for _, mv := range m.Values {
			keys = append(keys, mv.Key.String())
		}
		d.Errorf(m.Values[1].Key, key, "a step has exactly one key; this one has %s (start a new list item with \"- \" for each step)", strings.Join(keys, " and "))
		return
	}
	mv := m.Values[0]
	k := mv.Key.String()
	sub := confyaml.JoinKey(key, k)
	s.kind = k
	switch k {
	case "filter":
		s.Filter = new(string)
		d.Decode(mv.Value, s.Filter, sub)
	case "select":
		d.Decode(mv.Value, &s.Select, sub)
	case "drop":
		d.Decode(mv.Value, &s.Drop, sub)
	case "rename":
		d.Decode(mv.Value, &s.Rename, sub)
	case "derive":
		s.Derive = &Derive{}
		d.Decode(mv.Value, s.Derive, sub)
	case "cast":
		d.Decode(mv.Value, &s.Cast, sub)
	case "dropna":
		s.Dropna = &Dropna{How: "any"}
		d.Decode(mv.Value, s.Dropna, sub)
	case "fillna":
		d.Decode(mv.Value, &s.Fillna, sub)
	case "dedupe":
		s.Dedupe = &Dedupe{Keep: "first"}
		d.Decode(mv.Value, s.Dedupe, sub)
	case "clip":
		d.Decode(mv.Value, &s.Clip, sub)
	case "onehot":
		s.Onehot = &Onehot{PrefixSep: "_", MaxLevels: 50}
		d.Decode(mv.Value, s.Onehot, sub)
	default:
		msg := fmt.Sprintf("unknown step %q", k)
		if sug := frame.Suggest(k, stepKinds); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		} else {
			msg += " (steps: " + strings.Join(stepKinds, ", ") + ")"
		}
		d.Errorf(mv.Key, sub, "%s", msg)
	}
}

// Derive computes a column.
type Derive struct {
	// Name of the new column. Required.
	Name string `yaml:"name,required" json:"name,omitempty"`
	// Expr is the row expression. Required.
	Expr string `yaml:"expr,required" json:"expr,omitempty"`
	// Type optionally casts the result: int, float, string or bool.
	Type string `yaml:"type" json:"type,omitempty"`
}

// Dropna removes rows with missing values. `- dropna:` alone checks every
// column; a list checks only those columns.
type Dropna struct {
	// Columns to check; empty means all.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// How: "any" drops a row missing any of the columns, "all" only rows
	// missing all of them. Default "any".
	How string `yaml:"how" json:"how,omitempty"`
}

// DecodeYAML accepts a list of columns as shorthand for {columns: [...]}.
func (x *Dropna) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	type plain Dropna // without this method, so Decode does not recurse
	decodeColumnsShorthand(d, n, key, &x.Columns, (*plain)(x))
}

// Dedupe removes repeated rows, comparing exact values (missing equals
// missing, as in pandas drop_duplicates).
type Dedupe struct {
	// Columns that identify a row; empty means the whole row.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// Keep "first" or "last" of each group of duplicates. Default "first".
	Keep string `yaml:"keep" json:"keep,omitempty"`
}

// DecodeYAML accepts a list of columns as shorthand for {columns: [...]}.
func (x *Dedupe) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	type plain Dedupe // without this method, so Decode does not recurse
	decodeColumnsShorthand(d, n, key, &x.Columns, (*plain)(x))
}

// decodeColumnsShorthand decodes a list as the block's columns (the
// shorthand "- dropna: [A, B]") and anything else as the block itself.
func decodeColumnsShorthand(d *confyaml.Decoder, n ast.Node, key string, cols *[]string, block any) {
	if _, isList := n.(*ast.SequenceNode); isList {
		d.Decode(n, cols, confyaml.JoinKey(key, "columns"))
		return
	}
	d.Decode(n, block, key)
}

// Fill is how one column's missing values are filled: the words mean,
// median or mode, or a constant (number, string or boolean). To fill with
// the literal text "mean", write {value: "mean"}.
type Fill struct {
	Method string // mean, median, mode or "" for a constant
	Value  any    // the constant
}

// DecodeYAML implements confyaml.NodeDecoder.
func (f *Fill) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	if m, ok := n.(*ast.MappingNode); ok {
		var v struct {
			Value any `yaml:"value,required" json:"value,omitempty"`
		}
		d.Decode(m, &v, key)
		f.Value = v.Value
		return
	}
	switch x := n.(type) {
	case *ast.StringNode:
		switch x.Value {
		case "mean", "median", "mode":
			f.Method = x.Value
			return
		}
	}
	var v any
	d.Decode(n, &v, key)
	f.Value = v
}

// MarshalJSON shows the fill as it was written.
func (f Fill) MarshalJSON() ([]byte, error) {
	if f.Method != "" {
		return []byte(fmt.Sprintf("%q", f.Method)), nil
	}
	return jsonValue(f.Value)
}

// Clip limits a column: fixed bounds, quantile bounds, or both kinds mixed
// (a bound given both ways is an error).
type Clip struct {
	Lower         *float64 `yaml:"lower" json:"lower,omitempty"`
	Upper         *float64 `yaml:"upper" json:"upper,omitempty"`
	LowerQuantile *float64 `yaml:"lower_quantile" json:"lower_quantile,omitempty"`
	UpperQuantile *float64 `yaml:"upper_quantile" json:"upper_quantile,omitempty"`
}

// Onehot turns categorical columns into 0/1 columns named
// <column><prefix_sep><level>, levels sorted as pandas.get_dummies does;
// the original columns are removed and the new ones appended. A missing
// value gives 0 in every indicator.
type Onehot struct {
	// Columns to encode. Required.
	Columns []string `yaml:"columns,required" json:"columns,omitempty"`
	// DropFirst drops the first level's column of each (avoids collinearity).
	DropFirst bool `yaml:"drop_first" json:"drop_first,omitempty"`
	// PrefixSep joins column and level. Default "_".
	PrefixSep string `yaml:"prefix_sep" json:"prefix_sep,omitempty"`
	// MaxLevels guards against encoding an id by mistake. Default 50.
	MaxLevels int `yaml:"max_levels" json:"max_levels,omitempty"`
}

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	for i, s := range c.Steps {
		key := fmt.Sprintf("steps[%d].%s", i, s.kind)
		switch s.kind {
		case "filter":
			if strings.TrimSpace(*s.Filter) == "" {
				fe.Add(key, "the filter expression is empty")
			}
		case "select", "drop":
			cols := s.Select
			if s.kind == "drop" {
				cols = s.Drop
			}
			if len(cols) == 0 {
				fe.Add(key, "list at least one column")
			}
			checkDupes(&fe, key, cols)
		case "rename":
			seen := map[string]string{}
			for _, old := range sortedKeys(s.Rename) {
				nw := s.Rename[old]
				if nw == "" {
					fe.Add(confyaml.MapKey(key, old), "the new name is empty")
				}
				if prev, dup := seen[nw]; dup {
					fe.Add(confyaml.MapKey(key, old), "%q and %q would both be renamed to %q", prev, old, nw)
				}
				seen[nw] = old
			}
		case "derive":
			if s.Derive.Type != "" {
				if _, err := frame.ParseKind(s.Derive.Type); err != nil {
					fe.Add(key+".type", "%v", err)
				}
			}
		case "cast":
			for _, col := range sortedKeys(s.Cast) {
				if _, err := frame.ParseKind(s.Cast[col]); err != nil {
					fe.Add(confyaml.MapKey(key, col), "%v", err)
				}
			}
		case "dropna":
			if s.Dropna.How != "any" && s.Dropna.How != "all" {
				fe.Add(key+".how", "must be \"any\" or \"all\", not %q", s.Dropna.How)
			}
		case "dedupe":
			if s.Dedupe.Keep != "first" && s.Dedupe.Keep != "last" {
				fe.Add(key+".keep", "must be \"first\" or \"last\", not %q", s.Dedupe.Keep)
			}
		case "clip":
			for _, col := range sortedKeys(s.Clip) {
				validateClip(&fe, confyaml.MapKey(key, col), s.Clip[col])
			}
		case "onehot":
			if len(s.Onehot.Columns) == 0 {
				fe.Add(key+".columns", "list at least one column")
			}
			if s.Onehot.MaxLevels < 2 {
				fe.Add(key+".max_levels", "must be at least 2")
			}
		}
	}
	return fe.Err()
}

func validateClip(fe *confyaml.FieldErrors, key string, c Clip) {
	if c.Lower == nil && c.Upper == nil && c.LowerQuantile == nil && c.UpperQuantile == nil {
		fe.Add(key, "give lower/upper bounds or lower_quantile/upper_quantile")
	}
	if c.Lower != nil && c.LowerQuantile != nil {
		fe.Add(key, "give either lower or lower_quantile, not both")
	}
	if c.Upper != nil && c.UpperQuantile != nil {
		fe.Add(key, "give either upper or upper_quantile, not both")
	}
	for name, q := range map[string]*float64{"lower_quantile": c.LowerQuantile, "upper_quantile": c.UpperQuantile} {
		if q != nil && (*q < 0 || *q > 1) {
			fe.Add(key+"."+name, "a quantile is between 0 and 1, got %g", *q)
		}
	}
	if c.Lower != nil && c.Upper != nil && *c.Lower > *c.Upper {
		fe.Add(key, "lower %g is above upper %g", *c.Lower, *c.Upper)
	}
	if c.LowerQuantile != nil && c.UpperQuantile != nil && *c.LowerQuantile > *c.UpperQuantile {
		fe.Add(key, "lower_quantile %g is above upper_quantile %g", *c.LowerQuantile, *c.UpperQuantile)
	}
}

func checkDupes(fe *confyaml.FieldErrors, key string, cols []string) {
	seen := map[string]bool{}
	for i, c := range cols {
		if seen[c] {
			fe.Add(fmt.Sprintf("%s[%d]", key, i), "column %q is listed twice", c)
		}
		seen[c] = true
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MarshalJSON writes the step as it is written in YAML: {"<kind>": value}.
func (s Step) MarshalJSON() ([]byte, error) {
	var v any
	switch s.kind {
	case "filter":
		v = s.Filter
	case "select":
		v = s.Select
	case "drop":
		v = s.Drop
	case "rename":
		v = s.Rename
	case "derive":
		v = s.Derive
	case "cast":
		v = s.Cast
	case "dropna":
		v = s.Dropna
	case "fillna":
		v = s.Fillna
	case "dedupe":
		v = s.Dedupe
	case "clip":
		v = s.Clip
	case "onehot":
		v = s.Onehot
	}
	return json.Marshal(map[string]any{s.kind: v})
}

func jsonValue(v any) ([]byte, error) { return json.Marshal(v) }
