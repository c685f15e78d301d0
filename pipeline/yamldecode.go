package pipeline

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/churnlab/segment/internal/frame"
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
	lookupEnv func(string) (string, bool)

	errs []nodeError
	pos  map[string]ast.Node
}

type nodeError struct {
	key  string
	node ast.Node
	msg  string
}

func newDecoder(file, baseDir, workDir string, lookupEnv func(string) (string, bool)) *Decoder {
	return &Decoder{
		file: file, baseDir: baseDir, workDir: workDir,
		overrides: map[*token.Token]string{},
		anchors:   map[string]ast.Node{},
		lookupEnv: lookupEnv,
		pos:       map[string]ast.Node{},
	}
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
		panic("pipeline: Decode needs a non-nil pointer") // programming error
	}
	d.decode(d.resolve(n), rv.Elem(), key)
}

// Scalar returns the text of a scalar node after ${VAR} expansion, and false
// (with an error recorded) when n is not a scalar.
func (d *Decoder) Scalar(n ast.Node, key string) (string, bool) {
	n = d.resolve(n)
	s, ok := scalarText(n)
	if !ok {
		d.Errorf(n, key, "expected a single value, got %s", describeNode(n))
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

func (d *Decoder) resolve(n ast.Node) ast.Node {
	for i := 0; i < 32 && n != nil; i++ {
		switch x := n.(type) {
		case *ast.DocumentNode:
			n = x.Body
		case *ast.AnchorNode:
			if name, ok := scalarText(x.Name); ok {
				d.anchors[name] = x.Value
			}
			n = x.Value
		case *ast.AliasNode:
			name, _ := scalarText(x.Value)
			target, ok := d.anchors[name]
			if !ok {
				d.Errorf(x, "", "unknown alias *%s", name)
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

var (
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	nodeDecoderType     = reflect.TypeFor[NodeDecoder]()
)

func (d *Decoder) decode(n ast.Node, v reflect.Value, key string) {
	if n != nil {
		d.pos[key] = n
	}
	if _, isNull := n.(*ast.NullNode); n == nil || isNull {
		return // an empty value leaves the default in place
	}
	if v.CanAddr() {
		if pv := v.Addr(); pv.Type().Implements(nodeDecoderType) {
			pv.Interface().(NodeDecoder).DecodeYAML(d, n, key)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), key)
		return
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(d.generic(n, key)))
			return
		}
	}
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshalerType) {
		s, ok := d.Scalar(n, key)
		if !ok {
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			d.Errorf(n, key, "%v", err)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, key)
	case reflect.Map:
		d.decodeMap(n, v, key)
	case reflect.Slice:
		d.decodeSlice(n, v, key)
	case reflect.String:
		if s, ok := d.Scalar(n, key); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.Errorf(n, key, "expected true or false, got %s", describeNode(n))
			return
		}
		v.SetBool(b.Value)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, ok := d.intValue(n, key)
		if ok && v.OverflowInt(i) {
			d.Errorf(n, key, "%d is out of range", i)
		} else if ok {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, ok := d.intValue(n, key)
		switch {
		case !ok:
		case i < 0:
			d.Errorf(n, key, "expected a non-negative integer, got %d", i)
		case v.OverflowUint(uint64(i)):
			d.Errorf(n, key, "%d is out of range", i)
		default:
			v.SetUint(uint64(i))
		}
	case reflect.Float32, reflect.Float64:
		switch x := n.(type) {
		case *ast.FloatNode:
			v.SetFloat(x.Value)
		case *ast.IntegerNode:
			i, _ := d.intValue(n, key)
			v.SetFloat(float64(i))
		case *ast.InfinityNode:
			v.SetFloat(x.Value)
		default:
			d.Errorf(n, key, "expected a number, got %s", describeNode(n))
		}
	default:
		panic(fmt.Sprintf("pipeline: cannot decode into %s", v.Type())) // programming error
	}
}

func (d *Decoder) intValue(n ast.Node, key string) (int64, bool) {
	x, ok := n.(*ast.IntegerNode)
	if !ok {
		if f, isFloat := n.(*ast.FloatNode); isFloat && f.Value == math.Trunc(f.Value) && math.Abs(f.Value) < 1<<53 {
			return int64(f.Value), true
		}
		d.Errorf(n, key, "expected an integer, got %s", describeNode(n))
		return 0, false
	}
	switch i := x.Value.(type) {
	case int64:
		return i, true
	case uint64:
		if i > math.MaxInt64 {
			d.Errorf(n, key, "%d is out of range", i)
			return 0, false
		}
		return int64(i), true
	}
	d.Errorf(n, key, "expected an integer, got %s", describeNode(n))
	return 0, false
}

type fieldInfo struct {
	name     string
	index    []int
	required bool
}

func structFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") {
			for _, sub := range structFields(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if name == "" {
			continue // config structs tag every field they expose
		}
		out = append(out, fieldInfo{name: name, index: []int{i}, required: strings.Contains(","+opts+",", ",required,")})
	}
	return out
}

// KnownKeys lists the YAML keys of a config struct (for help output).
func KnownKeys(v any) []string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var keys []string
	for _, f := range structFields(t) {
		keys = append(keys, f.name)
	}
	return keys
}

func (d *Decoder) decodeStruct(n ast.Node, v reflect.Value, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a mapping of keys, got %s", describeNode(n))
		return
	}
	fields := structFields(v.Type())
	byName := make(map[string]fieldInfo, len(fields))
	names := make([]string, 0, len(fields))
	for _, f := range fields {
		byName[f.name] = f
		names = append(names, f.name)
	}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		k, ok := scalarText(d.resolve(mv.Key))
		if !ok {
			d.Errorf(mv.Key, key, "keys must be plain names")
			continue
		}
		sub := JoinKey(key, k)
		if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
			d.decodeStruct(d.resolve(mv.Value), v, key)
			continue
		}
		f, known := byName[k]
		if !known {
			d.Errorf(mv.Key, sub, "%s", unknownKeyMsg(k, names))
			continue
		}
		if seen[k] {
			d.Errorf(mv.Key, sub, "key %q is given twice", k)
			continue
		}
		seen[k] = true
		d.decode(d.resolve(mv.Value), v.FieldByIndex(f.index), sub)
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			d.Errorf(firstKey(m), JoinKey(key, f.name), "missing required key %q", f.name)
		}
	}
}

func unknownKeyMsg(k string, valid []string) string {
	if s := frame.Suggest(k, valid); s != "" {
		return fmt.Sprintf("unknown key %q (did you mean %q?)", k, s)
	}
	sorted := append([]string(nil), valid...)
	sort.Strings(sorted)
	return fmt.Sprintf("unknown key %q (valid keys: %s)", k, strings.Join(sorted, ", "))
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

func (d *Decoder) decodeMap(n ast.Node, v reflect.Value, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a mapping, got %s", describeNode(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	kt := v.Type().Key()
	seen := map[string]bool{}
	for _, mv := range m.Values {
		ks, ok := scalarText(d.resolve(mv.Key))
		if !ok {
			d.Errorf(mv.Key, key, "keys must be plain values")
			continue
		}
		sub := MapKey(key, ks)
		if seen[ks] {
			d.Errorf(mv.Key, sub, "key %q is given twice", ks)
			continue
		}
		seen[ks] = true
		kv := reflect.New(kt).Elem()
		switch kt.Kind() {
		case reflect.String:
			kv.SetString(ks)
		case reflect.Int, reflect.Int64, reflect.Int32:
			i, err := strconv.ParseInt(ks, 10, 64)
			if err != nil {
				d.Errorf(mv.Key, sub, "expected an integer key, got %q", ks)
				continue
			}
			kv.SetInt(i)
		default:
			panic("pipeline: unsupported map key type " + kt.String())
		}
		ev := reflect.New(v.Type().Elem()).Elem()
		d.decode(d.resolve(mv.Value), ev, sub)
		v.SetMapIndex(kv, ev)
	}
}

func (d *Decoder) decodeSlice(n ast.Node, v reflect.Value, key string) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.Errorf(n, key, "expected a list, got %s", describeNode(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, item := range s.Values {
		d.decode(d.resolve(item), out.Index(i), fmt.Sprintf("%s[%d]", key, i))
	}
	v.Set(out)
}

// generic decodes into plain Go values (map[string]any, []any, scalars).
func (d *Decoder) generic(n ast.Node, key string) any {
	n = d.resolve(n)
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.MappingNode:
		out := map[string]any{}
		for _, mv := range x.Values {
			k, _ := scalarText(d.resolve(mv.Key))
			out[k] = d.generic(mv.Value, MapKey(key, k))
		}
		return out
	case *ast.SequenceNode:
		out := make([]any, len(x.Values))
		for i, item := range x.Values {
			out[i] = d.generic(item, fmt.Sprintf("%s[%d]", key, i))
		}
		return out
	case *ast.BoolNode:
		return x.Value
	case *ast.IntegerNode:
		i, _ := d.intValue(n, key)
		return i
	case *ast.FloatNode:
		return x.Value
	case *ast.StringNode:
		s, _ := d.expand(n, key, x.Value)
		return s
	}
	s, _ := scalarText(n)
	return s
}

func scalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return x.GetToken().Value, true
	case *ast.LiteralNode:
		return x.Value.Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

func describeNode(n ast.Node) string {
	switch x := n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("the string %q", x.Value)
	case *ast.IntegerNode:
		return "the integer " + x.GetToken().Value
	case *ast.FloatNode:
		return "the number " + x.GetToken().Value
	case *ast.BoolNode:
		return "the boolean " + x.GetToken().Value
	case *ast.NullNode:
		return "an empty value"
	case nil:
		return "nothing"
	}
	return n.Type().String()
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

// nodeFor finds the node recorded for key, walking up to the closest parent
// key that was present in the file.
func (d *Decoder) nodeFor(key string) ast.Node {
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

func parentKey(key string) string {
	i := strings.LastIndexAny(key, ".[")
	if i < 0 {
		return ""
	}
	return key[:i]
}

// elemOf returns the value a pointer points to.
func elemOf(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// firstKey is where a mapping starts, for messages about the whole mapping.
func firstKey(n ast.Node) ast.Node {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		return m.Values[0].Key
	}
	return n
}
