package confyaml

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

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
			d.Errorf(n, key, "expected true or false, got %s", DescribeNode(n))
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
			if math.IsInf(x.Value, 0) {
				d.Errorf(n, key, "%s is out of range (write .inf for infinity)", x.GetToken().Value)
				return
			}
			v.SetFloat(x.Value)
		case *ast.IntegerNode:
			i, _ := d.intValue(n, key)
			v.SetFloat(float64(i))
		case *ast.InfinityNode:
			v.SetFloat(x.Value)
		case *ast.StringNode:
			f, ok, err := plainFloat(x)
			switch {
			case err != nil:
				d.Errorf(n, key, "%v", err)
			case ok:
				v.SetFloat(f)
			default:
				d.Errorf(n, key, "expected a number, got %s", DescribeNode(n))
			}
		default:
			d.Errorf(n, key, "expected a number, got %s", DescribeNode(n))
		}
	default:
		panic(fmt.Sprintf("confyaml: cannot decode into %s", v.Type())) // programming error
	}
}

func (d *Decoder) intValue(n ast.Node, key string) (int64, bool) {
	x, ok := n.(*ast.IntegerNode)
	if !ok {
		if f, isFloat := n.(*ast.FloatNode); isFloat && f.Value == math.Trunc(f.Value) && math.Abs(f.Value) < 1<<53 {
			return int64(f.Value), true
		}
		if s, isStr := n.(*ast.StringNode); isStr {
			if f, ok, err := plainFloat(s); err == nil && ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int64(f), true // 1e3
			}
		}
		d.Errorf(n, key, "expected an integer, got %s", DescribeNode(n))
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
	d.Errorf(n, key, "expected an integer, got %s", DescribeNode(n))
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
		d.Errorf(n, key, "expected a mapping of keys, got %s", DescribeNode(n))
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
		k, ok := ScalarText(d.Resolve(mv.Key))
		if !ok {
			d.Errorf(mv.Key, key, "keys must be plain names")
			continue
		}
		sub := JoinKey(key, k)
		if _, merge := mv.Key.(*ast.MergeKeyNode); merge {
			d.decodeStruct(d.Resolve(mv.Value), v, key)
			continue
		}
		f, known := byName[k]
		if !known {
			d.Errorf(mv.Key, sub, "%s", UnknownKey(k, names))
			continue
		}
		if seen[k] {
			d.Errorf(mv.Key, sub, "key %q is given twice", k)
			continue
		}
		seen[k] = true
		d.decode(d.Resolve(mv.Value), v.FieldByIndex(f.index), sub)
	}
	for _, f := range fields {
		if f.required && !seen[f.name] {
			d.Errorf(FirstKey(m), JoinKey(key, f.name), "missing required key %q", f.name)
		}
	}
}

func (d *Decoder) decodeMap(n ast.Node, v reflect.Value, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a mapping, got %s", DescribeNode(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	kt := v.Type().Key()
	seen := map[string]bool{}
	for _, mv := range m.Values {
		ks, ok := ScalarText(d.Resolve(mv.Key))
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
			panic("confyaml: unsupported map key type " + kt.String())
		}
		ev := reflect.New(v.Type().Elem()).Elem()
		d.decode(d.Resolve(mv.Value), ev, sub)
		v.SetMapIndex(kv, ev)
	}
}

func (d *Decoder) decodeSlice(n ast.Node, v reflect.Value, key string) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.Errorf(n, key, "expected a list, got %s", DescribeNode(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, item := range s.Values {
		d.decode(d.Resolve(item), out.Index(i), fmt.Sprintf("%s[%d]", key, i))
	}
	v.Set(out)
}

// generic decodes into plain Go values (map[string]any, []any, scalars).
func (d *Decoder) generic(n ast.Node, key string) any {
	n = d.Resolve(n)
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return nil
	case *ast.MappingNode:
		out := map[string]any{}
		for _, mv := range x.Values {
			k, _ := ScalarText(d.Resolve(mv.Key))
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
	s, _ := ScalarText(n)
	return s
}

// yaml12Float is a float of YAML 1.2's core schema. goccy/go-yaml follows
// YAML 1.1, where an exponent needs a dot ("1.0e-4"), and reads "1e-4" as
// a string.
var yaml12Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// plainFloat reads an unquoted string node that YAML 1.2 reads as a float
// ("1e-4", "2E3"): ok is false for anything else (a quoted "1e-4" stays
// text); err reports a number out of float64's range ("1e309").
func plainFloat(n *ast.StringNode) (f float64, ok bool, err error) {
	if n.Token == nil || n.Token.Type != token.StringType || !yaml12Float.MatchString(n.Value) {
		return 0, false, nil
	}
	f, perr := strconv.ParseFloat(n.Value, 64)
	if perr != nil {
		return 0, true, fmt.Errorf("%s is out of range", n.Value)
	}
	return f, true, nil
}
