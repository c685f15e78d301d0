package confyaml

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Override is one --set KEY=VALUE flag.
//
// KEY is a dotted path into the config file: "seed", "input.path",
// "output.dir". A stage is addressed by its name (which defaults to the
// stage type), "stages.cluster", or by its position, "stages[2]"; the path
// then continues inside the stage's `config:` block, with or without
// "config." — "stages.cluster.n_init", "stages.cluster.config.n_init",
// "stages[2].n_init" and "stages[2].config.n_init" are the same key — except
// for the stage's own keys "type", "name" and "config" ("stages[2].name").
// List items are addressed with [N]; N equal to the list length appends.
//
// VALUE is read as YAML, so 7 is a number, true a boolean and [a, b] a list;
// quote it to force a string (--set 'name="007"'). Relative paths given with
// --set resolve against the working directory, not the config's folder.
type Override struct {
	Key   string
	Value string
}

// ParseOverride splits "key.path=value".
func ParseOverride(s string) (Override, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return Override{}, fmt.Errorf("--set %q: want KEY=VALUE, e.g. --set input.path=data/other.csv", s)
	}
	if _, err := splitPath(k); err != nil {
		return Override{}, fmt.Errorf("--set %q: %v", s, err)
	}
	return Override{Key: k, Value: v}, nil
}

// Flag is the flag as given: "--set KEY=VALUE".
func (o Override) Flag() string { return "--set " + o.Key + "=" + o.Value }

type pathElem struct {
	name  string
	index int // -1 when name is used
}

func splitPath(key string) ([]pathElem, error) {
	var out []pathElem
	for _, part := range strings.Split(key, ".") {
		if part == "" {
			return nil, fmt.Errorf("empty element in key %q", key)
		}
		name := part
		var idx []int
		if i := strings.IndexByte(part, '['); i >= 0 {
			name = part[:i]
			rest := part[i:]
			for rest != "" {
				if rest[0] != '[' {
					return nil, fmt.Errorf("bad index in %q", part)
				}
				j := strings.IndexByte(rest, ']')
				if j < 0 {
					return nil, fmt.Errorf("unclosed [ in %q", part)
				}
				n, err := strconv.Atoi(rest[1:j])
				if err != nil || n < 0 {
					return nil, fmt.Errorf("index %q in %q is not a non-negative integer", rest[1:j], part)
				}
				idx = append(idx, n)
				rest = rest[j+1:]
			}
		}
		if name != "" {
			out = append(out, pathElem{name: name, index: -1})
		}
		for _, n := range idx {
			out = append(out, pathElem{index: n})
		}
	}
	return out, nil
}

// ApplyOverride edits the document's root mapping in place and marks the
// new nodes as coming from the flag (for positions and relative paths).
//
// One convention of segment's config is built in: "stages.NAME.rest"
// addresses "rest" inside the `config:` block of the item of the `stages:`
// list whose `name:` (else `type:`) is NAME.
func (d *Decoder) ApplyOverride(root *ast.MappingNode, o Override) error {
	path, err := splitPath(o.Key)
	if err != nil {
		return err
	}
	value, err := parseValue(o.Value)
	if err != nil {
		return err
	}
	d.markOverride(value, o.Flag())

	// Stage blocks by name: stages.NAME.rest → stages[i].config.rest
	if len(path) >= 2 && path[0].name == "stages" && path[1].index < 0 {
		stages, ok := mappingGet(root, "stages").(*ast.SequenceNode)
		if !ok {
			return fmt.Errorf("the config has no stages list")
		}
		idx, names := -1, []string{}
		for i, item := range stages.Values {
			name := stageNameOf(d.Resolve(item))
			names = append(names, name)
			if name == path[1].name {
				idx = i
			}
		}
		if idx < 0 {
			return fmt.Errorf("no stage named %q (stages: %s); address a stage by its name, stages.NAME.key, or by its position, stages[N].key", path[1].name, strings.Join(names, ", "))
		}
		item, ok := d.Resolve(stages.Values[idx]).(*ast.MappingNode)
		if !ok {
			return fmt.Errorf("stage %q is not a mapping", path[1].name)
		}
		return d.setIn(item, stageKey(path[2:]), value, o)
	}
	// Stage blocks by position: stages[N].rest → stages[N].config.rest
	if len(path) >= 3 && path[0].name == "stages" && path[1].index >= 0 {
		path = append(path[:2:2], stageKey(path[2:])...)
	}
	return d.setIn(root, path, value, o)
}

// stageKey is the path inside a stage block of a --set key's rest after
// "stages.NAME" or "stages[N]": the stage's own keys (type, name, config)
// as they are, anything else inside config.
func stageKey(rest []pathElem) []pathElem {
	if len(rest) > 0 && rest[0].index < 0 {
		switch rest[0].name {
		case "type", "name", "config":
			return rest
		}
	}
	return append([]pathElem{{name: "config", index: -1}}, rest...)
}

func stageNameOf(n ast.Node) string {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return ""
	}
	if s, ok := ScalarText(mappingGet(m, "name")); ok && s != "" {
		return s
	}
	s, _ := ScalarText(mappingGet(m, "type"))
	return s
}

func mappingGet(m *ast.MappingNode, key string) ast.Node {
	for _, mv := range m.Values {
		if k, ok := ScalarText(mv.Key); ok && k == key {
			return mv.Value
		}
	}
	return nil
}

// setIn walks path from node, creating missing mappings, and sets the value.
func (d *Decoder) setIn(node ast.Node, path []pathElem, value ast.Node, o Override) error {
	cur := node
	for i, el := range path {
		last := i == len(path)-1
		cur = d.Resolve(cur)
		if el.index >= 0 {
			seq, ok := cur.(*ast.SequenceNode)
			if !ok {
				return fmt.Errorf("%s is not a list", describePrefix(path[:i]))
			}
			switch {
			case el.index < len(seq.Values):
				if last {
					seq.Values[el.index] = value
					return nil
				}
				cur = seq.Values[el.index]
			case el.index == len(seq.Values):
				var next ast.Node = value
				if !last {
					next = newNode(path[i+1], o)
					d.markOverride(next, o.Flag())
				}
				seq.Values = append(seq.Values, next)
				cur = next
				if last {
					return nil
				}
			default:
				return fmt.Errorf("%s has %d items; index %d is past the end", describePrefix(path[:i]), len(seq.Values), el.index)
			}
			continue
		}
		m, ok := cur.(*ast.MappingNode)
		if !ok {
			return fmt.Errorf("%s is not a mapping", describePrefix(path[:i]))
		}
		var found *ast.MappingValueNode
		for _, mv := range m.Values {
			if k, ok := ScalarText(mv.Key); ok && k == el.name {
				found = mv
			}
		}
		if found == nil {
			found = newMappingValue(el.name)
			d.markOverride(found.Key, o.Flag())
			if last {
				found.Value = value
			} else {
				found.Value = newNode(path[i+1], o)
				d.markOverride(found.Value, o.Flag())
			}
			m.Values = append(m.Values, found)
		} else if last || isNull(found.Value) {
			if last {
				found.Value = value
			} else {
				found.Value = newNode(path[i+1], o)
				d.markOverride(found.Value, o.Flag())
			}
		}
		cur = found.Value
	}
	return nil
}

func isNull(n ast.Node) bool { _, ok := n.(*ast.NullNode); return n == nil || ok }

func describePrefix(p []pathElem) string {
	if len(p) == 0 {
		return "the config root"
	}
	var b strings.Builder
	for _, el := range p {
		if el.index >= 0 {
			fmt.Fprintf(&b, "[%d]", el.index)
		} else {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(el.name)
		}
	}
	return b.String()
}

// newNode makes an empty container for the next path element.
func newNode(next pathElem, o Override) ast.Node {
	src := "{}"
	if next.index >= 0 {
		src = "[]"
	}
	n, _ := parseValue(src)
	return n
}

func newMappingValue(key string) *ast.MappingValueNode {
	f, err := parser.ParseBytes([]byte(strconv.Quote(key)+": null\n"), 0)
	if err != nil || len(f.Docs) == 0 {
		panic("confyaml: cannot build mapping value") // cannot happen for a quoted key
	}
	switch b := f.Docs[0].Body.(type) {
	case *ast.MappingValueNode:
		return b
	case *ast.MappingNode:
		return b.Values[0]
	}
	panic("confyaml: unexpected node for a mapping value")
}

// parseValue reads a --set value as YAML; text that is not valid YAML is
// taken as a plain string. A lone "-" is the string "-" (standard input in
// --set input.path=-), not a list holding one empty item.
func parseValue(s string) (ast.Node, error) {
	switch strings.TrimSpace(s) {
	case "":
		s = `""`
	case "-":
		s = `"-"`
	}
	if len(s) > MaxConfigBytes {
		return nil, fmt.Errorf("the value is %d bytes long (at most %d)", len(s), MaxConfigBytes)
	}
	if _, _, depth := nestingDepth([]byte(s), MaxDepth); depth > MaxDepth {
		return nil, fmt.Errorf("the value nests lists and mappings more than %d levels deep", MaxDepth)
	}
	f, err := parseBytes([]byte(s))
	if err == nil && len(f.Docs) == 1 && f.Docs[0].Body != nil {
		body := f.Docs[0].Body
		if mv, ok := body.(*ast.MappingValueNode); ok {
			m := ast.Mapping(mv.GetToken(), false, mv)
			return m, nil
		}
		return body, nil
	}
	f, err = parseBytes([]byte(strconv.Quote(s)))
	if err != nil || len(f.Docs) == 0 {
		return nil, fmt.Errorf("cannot read value %q", s)
	}
	return f.Docs[0].Body, nil
}

// markOverride records every token under n as coming from the flag.
func (d *Decoder) markOverride(n ast.Node, flag string) {
	ast.Walk(visitFunc(func(x ast.Node) {
		if tk := x.GetToken(); tk != nil {
			d.overrides[tk] = flag
		}
	}), n)
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		return nil
	}
	f(n)
	return f
}
