package clean

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Op is what one kind of step does. Each kind is a type in its own file
// (filter.go, fillna.go, ...) whose YAML value decodes into it and whose JSON
// form is that value as written, listed once in kinds: adding a step is one
// file and one line.
//
// key is the step's YAML path, "steps[<i>].<kind>"; problems are reported
// under it (or under a path inside it).
//
// Later needs are meant as optional interfaces a kind implements when it can:
// its frozen parameters (statistics fitted on this run's rows, such as a
// fillna mean, for model.json and predict), another execution engine, or its
// SQL for pushing the step into a warehouse query.
type Op interface {
	// Validate reports problems with the step's own values.
	Validate(fe *confyaml.FieldErrors, key string)
	// CheckColumns follows the step over the column names before any row
	// is read: it requires the columns the step reads and applies its
	// renames, new and removed columns to s.
	CheckColumns(s *pipeline.Schema, key string)
	// Apply runs the step on t and returns the new table; t is not
	// modified. prog is the step's compiled expression (nil for a kind
	// without one).
	Apply(ctx context.Context, t *frame.Table, prog *rowexpr.Program) (*frame.Table, error)
}

// varsOp is an Op that changes the columns' names or types (select, drop,
// rename, derive, cast, fillna, onehot); the others leave them as they are.
type varsOp interface {
	Op
	// Vars returns the typed columns after the step given those before it
	// (vars may be changed in place) and the step's compiled expression (nil
	// for a kind without one), so that later expressions are type-checked
	// before any row is processed. known is false when the columns depend on
	// the data (onehot); later expressions are then compiled when reached.
	// (An expression whose columns changed type anyway is compiled again
	// when it runs.)
	Vars(vars []rowexpr.Var, prog *rowexpr.Program) (out []rowexpr.Var, known bool)
}

// notedOp is an Op whose run has something to say beyond rows and
// columns (derive: the rows it left without a value, and why). The clean
// stage calls ApplyNoted instead of Apply and logs and warns the notes.
type notedOp interface {
	Op
	ApplyNoted(ctx context.Context, t *frame.Table, prog *rowexpr.Program) (*frame.Table, []string, error)
}

// exprOp is an Op computed from a row expression (filter, derive).
type exprOp interface {
	Op
	// expression is the expression's source.
	expression() string
}

// kind is one step kind: its name (the step's one key) and a new value
// with its defaults, to decode into.
type kind struct {
	name string
	new  func() Op
}

// kinds lists every step kind, in documentation order.
var kinds = []kind{
	{"filter", func() Op { return new(Filter) }},
	{"select", func() Op { return new(Select) }},
	{"drop", func() Op { return new(Drop) }},
	{"rename", func() Op { return new(Rename) }},
	{"derive", func() Op { return new(Derive) }},
	{"cast", func() Op { return new(Cast) }},
	{"dropna", func() Op { return &Dropna{How: "any"} }},
	{"fillna", func() Op { return new(Fillna) }},
	{"dedupe", func() Op { return &Dedupe{Keep: "first"} }},
	{"clip", func() Op { return new(Clip) }},
	{"onehot", func() Op { return &Onehot{PrefixSep: "_", MaxLevels: 50} }},
}

// The kinds that read an expression or change the columns.
var (
	_ exprOp = (*Filter)(nil)
	_ exprOp = (*Derive)(nil)
	_ varsOp = (*Select)(nil)
	_ varsOp = (*Drop)(nil)
	_ varsOp = (*Rename)(nil)
	_ varsOp = (*Derive)(nil)
	_ varsOp = (*Cast)(nil)
	_ varsOp = (*Fillna)(nil)
	_ varsOp = (*Onehot)(nil)

	_ notedOp = (*Derive)(nil)
)

// kindNames lists the step names in documentation order.
func kindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.name
	}
	return names
}

// lookupKind finds a kind by name.
func lookupKind(name string) (kind, bool) {
	for _, k := range kinds {
		if k.name == name {
			return k, true
		}
	}
	return kind{}, false
}

// Step is one entry of `steps:`, a mapping with one key naming its kind.
type Step struct {
	Kind string // the step's one key, e.g. "fillna"
	Op   Op     // its value
}

// key is the step's YAML path: "steps[<i>].<kind>".
func (s *Step) key(i int) string { return fmt.Sprintf("steps[%d].%s", i, s.Kind) }

// DecodeYAML implements confyaml.NodeDecoder: a step is a mapping with one
// key naming its kind, whose value decodes into the kind's Op.
func (s *Step) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok || len(m.Values) == 0 {
		d.Errorf(n, key, "a step is a mapping with one key, one of: %s", strings.Join(kindNames(), ", "))
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
	name := mv.Key.String()
	sub := confyaml.JoinKey(key, name)
	k, ok := lookupKind(name)
	if !ok {
		msg := fmt.Sprintf("unknown step %q", name)
		if sug := frame.Suggest(name, kindNames()); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		} else {
			msg += " (steps: " + strings.Join(kindNames(), ", ") + ")"
		}
		d.Errorf(mv.Key, sub, "%s", msg)
		return
	}
	s.Kind, s.Op = name, k.new()
	d.Decode(mv.Value, s.Op, sub)
}

// MarshalJSON writes the step as it is written in YAML: {"<kind>": value}.
func (s Step) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{s.Kind: s.Op})
}
