package confyaml

import (
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// NodeDecoder is implemented by config types that decode themselves from a
// YAML node, for keys that take more than one shape (for example "k: 4" or
// "k: auto"). They report problems with d.Errorf and may call d.Decode for
// their parts.
type NodeDecoder interface {
	DecodeYAML(d *Decoder, n ast.Node, key string)
}

// Decoder turns goccy/go-yaml AST nodes into Go values strictly: unknown
// keys, wrong types and missing required keys are all collected (not only the
// first) with their line and column. goccy's own strict decoding stops at the
// first error, which is why the walk is done here; goccy provides the parser
// and the positions.
//
// Struct fields are matched by their `yaml:"name"` tag; the tag option
// "required" makes a key mandatory and ",inline" flattens an embedded struct.
// Strings go through ${VAR} expansion (see ExpandEnv).
type Decoder struct {
	file      string
	baseDir   string // relative Path values resolve against it
	workDir   string // ... or against this one when they come from --set
	overrides map[*token.Token]string
	anchors   map[string]ast.Node
	aliases   *int // aliases followed, shared with Sub decoders (MaxAliases)
	lookupEnv func(string) (string, bool)

	errs []nodeError
	pos  map[string]ast.Node
}

type nodeError struct {
	key  string
	node ast.Node
	msg  string
}

// Options configure a Decoder.
type Options struct {
	// File names the config in positions ("FILE:LINE:COL").
	File string
	// BaseDir anchors relative paths written in the file (see Path).
	BaseDir string
	// WorkDir anchors relative paths given with --set.
	WorkDir string
	// LookupEnv resolves ${VAR} (pass os.LookupEnv); nil treats every
	// variable as unset.
	LookupEnv func(string) (string, bool)
}

// NewDecoder returns a decoder for one config file.
func NewDecoder(opt Options) *Decoder {
	lookup := opt.LookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	return &Decoder{
		file: opt.File, baseDir: opt.BaseDir, workDir: opt.WorkDir,
		overrides: map[*token.Token]string{},
		anchors:   map[string]ast.Node{},
		aliases:   new(int),
		lookupEnv: lookup,
		pos:       map[string]ast.Node{},
	}
}

// Sub returns a decoder for one block of the same file (a stage's config):
// it shares the file, the --set marks, the anchors and the environment, and
// keeps its own errors and key positions, so keys are relative to the block.
func (d *Decoder) Sub() *Decoder {
	s := *d
	s.errs = nil
	s.pos = map[string]ast.Node{}
	return &s
}

// Errorf records a problem with the value at node n, under key.
func (d *Decoder) Errorf(n ast.Node, key, format string, args ...any) {
	d.errs = append(d.errs, nodeError{key: key, node: n, msg: fmt.Sprintf(format, args...)})
}

// Decode decodes n into the value v points to. key is the YAML path used in
// messages.
func (d *Decoder) Decode(n ast.Node, v any, key string) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("confyaml: Decode needs a non-nil pointer") // programming error
	}
	d.decode(d.Resolve(n), rv.Elem(), key)
}

// Scalar returns the text of a scalar node after ${VAR} expansion, and false
// (with an error recorded) when n is not a scalar.
func (d *Decoder) Scalar(n ast.Node, key string) (string, bool) {
	n = d.Resolve(n)
	s, ok := ScalarText(n)
	if !ok {
		d.Errorf(n, key, "expected a single value, got %s", DescribeNode(n))
		return "", false
	}
	if _, isStr := n.(*ast.StringNode); isStr {
		return d.expand(n, key, s)
	}
	return s, true
}

// FromOverride reports whether n came from a --set flag.
func (d *Decoder) FromOverride(n ast.Node) bool {
	if n == nil || n.GetToken() == nil {
		return false
	}
	_, ok := d.overrides[n.GetToken()]
	return ok
}

// ResolvePath makes a relative path absolute-ish: against the config file's
// folder, or against the working directory for values given with --set.
func (d *Decoder) ResolvePath(n ast.Node, p string) string {
	if p == "" || isAbs(p) {
		return p
	}
	if d.FromOverride(n) {
		return joinPath(d.workDir, p)
	}
	return joinPath(d.baseDir, p)
}

// Resolve follows documents, anchors, aliases and tags to the node that
// holds the value.
func (d *Decoder) Resolve(n ast.Node) ast.Node {
	for i := 0; i < 32 && n != nil; i++ {
		switch x := n.(type) {
		case *ast.DocumentNode:
			n = x.Body
		case *ast.AnchorNode:
			if name, ok := ScalarText(x.Name); ok {
				d.anchors[name] = x.Value
			}
			n = x.Value
		case *ast.AliasNode:
			name, _ := ScalarText(x.Value)
			target, ok := d.anchors[name]
			if !ok {
				d.Errorf(x, "", "unknown alias *%s", name)
				return nil
			}
			if *d.aliases++; *d.aliases > MaxAliases {
				if *d.aliases == MaxAliases+1 {
					d.Errorf(x, "", "the config follows aliases (*name) more than %d times; write the repeated parts out", MaxAliases)
				}
				return nil
			}
			n = target
		case *ast.TagNode:
			n = x.Value
		default:
			return n
		}
	}
	return n
}

// Present reports whether key (a YAML path relative to what this decoder
// decoded) was given a value in the file or by --set.
func (d *Decoder) Present(key string) bool {
	_, ok := d.pos[key]
	return ok
}

// NodeFor finds the node recorded for key, walking up to the closest parent
// key that was present in the file; nil when none was.
func (d *Decoder) NodeFor(key string) ast.Node {
	for {
		if n, ok := d.pos[key]; ok {
			return n
		}
		if key == "" {
			return nil
		}
		key = parentKey(key)
	}
}

// ErrorAt makes a located ConfigError for the value at node n. block names
// the part of the config the key is relative to ("" for the top level).
func (d *Decoder) ErrorAt(n ast.Node, block, key, msg string) *ConfigError {
	pos, line, col := d.position(n)
	return &ConfigError{Pos: pos, Block: block, Key: key, Msg: msg, line: line, col: col}
}

// TakeErrors returns the problems recorded while decoding, located and
// labelled with block, and clears them.
func (d *Decoder) TakeErrors(block string) ConfigErrors {
	var out ConfigErrors
	for _, e := range d.errs {
		out = append(out, d.ErrorAt(e.node, block, e.key, e.msg))
	}
	d.errs = nil
	return out
}

// Locate turns field errors (keys relative to what this decoder decoded,
// as a Validate method reports them) into located ConfigErrors: each at the
// closest key present in the file, else at fallback.
func (d *Decoder) Locate(fes FieldErrors, block string, fallback ast.Node) ConfigErrors {
	var out ConfigErrors
	for _, fe := range fes {
		n := d.NodeFor(fe.Key)
		if n == nil {
			n = fallback
		}
		out = append(out, d.ErrorAt(n, block, fe.Key, fe.Msg))
	}
	return out
}

// position returns "file:line:col" for n (or the --set flag it came from)
// and the line/column for sorting.
func (d *Decoder) position(n ast.Node) (string, int, int) {
	if n == nil || n.GetToken() == nil {
		return d.file, 0, 0
	}
	tk := n.GetToken()
	if flag, ok := d.overrides[tk]; ok {
		return flag, 0, 0
	}
	return fmt.Sprintf("%s:%d:%d", d.file, tk.Position.Line, tk.Position.Column), tk.Position.Line, tk.Position.Column
}
