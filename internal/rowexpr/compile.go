package rowexpr

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/churnlab/segment/internal/frame"
)

// Var is a column as seen by an expression.
type Var struct {
	Name string
	Kind frame.Kind
	// HasMissing marks an int column with missing cells (exposed as float64).
	HasMissing bool
}

// VarsOf describes the columns of a table.
func VarsOf(t *frame.Table) []Var {
	cols := t.Columns()
	out := make([]Var, len(cols))
	for i, c := range cols {
		out[i] = Var{Name: c.Name, Kind: c.Kind, HasMissing: c.Missing != nil}
	}
	return out
}

// Program is a compiled expression.
type Program struct {
	Source string
	prog   *vm.Program
	vars   []Var
	refs   []int // indices (into vars) of the columns the expression reads
	// explicit is true when the expression handles missing values itself
	// (is_missing or fill).
	explicit bool
	// divides and domain record whether the expression divides (/ or %)
	// and calls a function with a restricted domain (log, log1p, log10,
	// sqrt, pow): the causes of a result that is not a number.
	divides, domain bool
	out             reflect.Kind
}

// Columns returns the names of the columns the expression reads.
func (p *Program) Columns() []string {
	out := make([]string, len(p.refs))
	for i, r := range p.refs {
		out[i] = p.vars[r].Name
	}
	return out
}

// ResultKind is the kind of column a derive produces.
func (p *Program) ResultKind() frame.Kind {
	switch p.out {
	case reflect.Bool:
		return frame.Bool
	case reflect.Int, reflect.Int64, reflect.Int32:
		return frame.Int
	case reflect.String:
		return frame.String
	}
	return frame.Float
}

func colVar(i int) string  { return "__c" + strconv.Itoa(i) }
func missVar(i int) string { return "__m" + strconv.Itoa(i) }

// reserved names cannot be used as bare column identifiers.
var reserved = map[string]bool{
	"true": true, "false": true, "nil": true, "and": true, "or": true, "not": true, "in": true,
	"matches": true, "contains": true, "startsWith": true, "endsWith": true, "let": true, "if": true, "else": true,
	"is_missing": true, "fill": true, "round": true, "log": true, "log1p": true, "log10": true, "exp": true,
	"sqrt": true, "pow": true,
}

// rewrite replaces `quoted names` with their variable and returns the names
// quoted. It understands "..." and '...' strings.
func rewrite(src string, index map[string]int) (string, []string, error) {
	var b strings.Builder
	var quoted []string
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"', '\'':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return "", nil, fmt.Errorf("unclosed string starting at column %d", i+1)
			}
			b.WriteString(src[i : j+1])
			i = j
		case '`':
			j := strings.IndexByte(src[i+1:], '`')
			if j < 0 {
				return "", nil, fmt.Errorf("unclosed ` starting at column %d (backticks quote column names)", i+1)
			}
			name := src[i+1 : i+1+j]
			quoted = append(quoted, name)
			if k, ok := index[name]; ok {
				b.WriteString(colVar(k))
			} else {
				b.WriteString("__unknown_" + strconv.Itoa(len(quoted)-1))
			}
			i += j + 1
			// `A`1 must not become the variable of another column (__c31).
			if i+1 < len(src) && (src[i+1] == '_' || src[i+1] >= '0' && src[i+1] <= '9' || src[i+1] >= 'a' && src[i+1] <= 'z' || src[i+1] >= 'A' && src[i+1] <= 'Z') {
				b.WriteByte(' ')
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), quoted, nil
}

// UnknownColumnError is returned when an expression names a column the table
// does not have.
type UnknownColumnError = frame.UnknownColumnError

type compiler struct {
	vars      []Var
	index     map[string]int
	quoted    []string
	refs      map[int]bool
	explicit  bool
	divides   bool
	domain    bool
	unknown   []string
	misuse    error
	fillTypes map[string]bool
}

// Compile parses and type-checks src against the columns in vars.
func Compile(src string, vars []Var) (*Program, error) {
	c := &compiler{vars: vars, index: map[string]int{}, refs: map[int]bool{}}
	for i, v := range vars {
		c.index[v.Name] = i
	}
	code, quoted, err := rewrite(src, c.index)
	if err != nil {
		return nil, err
	}
	c.quoted = quoted
	env := map[string]any{}
	for i, v := range vars {
		zero := zeroOf(v)
		env[colVar(i)] = zero
		env[missVar(i)] = false
		if isIdent(v.Name) && !reserved[v.Name] {
			env[v.Name] = zero
		}
	}
	// Find unknown identifiers first, for a clear message with a suggestion.
	if err := c.checkNames(code, env); err != nil {
		return nil, err
	}
	opts := []expr.Option{
		expr.Env(env),
		expr.DisableBuiltin("round"),
		expr.Patch(&missingPatcher{c: c}),
	}
	opts = append(opts, functions()...)
	prog, err := expr.Compile(code, opts...)
	if c.misuse != nil {
		return nil, c.misuse
	}
	if err != nil {
		return nil, fmt.Errorf("%s", c.friendly(err.Error()))
	}
	p := &Program{Source: src, prog: prog, vars: vars, explicit: c.explicit, divides: c.divides, domain: c.domain}
	for r := range c.refs {
		p.refs = append(p.refs, r)
	}
	sort.Ints(p.refs)
	p.out = outKind(prog)
	return p, nil
}

func outKind(prog *vm.Program) reflect.Kind {
	t := prog.Node().Type()
	if t == nil {
		return reflect.Interface
	}
	return t.Kind()
}

func zeroOf(v Var) any {
	switch v.Kind {
	case frame.Float:
		return float64(0)
	case frame.Int:
		if v.HasMissing {
			return float64(0)
		}
		return int(0)
	case frame.Bool:
		return false
	}
	return ""
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return !strings.HasPrefix(s, "__")
}

// checkNames reports identifiers that are neither columns nor functions.
func (c *compiler) checkNames(code string, env map[string]any) error {
	tree, err := parser.Parse(code)
	if err != nil {
		return fmt.Errorf("%s%s", c.friendly(err.Error()), backtickHint)
	}
	names := make([]string, len(c.vars))
	for i, v := range c.vars {
		names[i] = v.Name
	}
	var unknown []string
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		if b, ok := (*n).(*ast.BinaryNode); ok && (b.Operator == "/" || b.Operator == "%") {
			c.divides = true
		}
		id, ok := (*n).(*ast.IdentifierNode)
		if !ok {
			return
		}
		switch id.Value {
		case "log", "log1p", "log10", "sqrt", "pow":
			c.domain = true
		}
		if strings.HasPrefix(id.Value, "__unknown_") {
			if k, err := strconv.Atoi(strings.TrimPrefix(id.Value, "__unknown_")); err == nil && k < len(c.quoted) {
				unknown = append(unknown, c.quoted[k])
				return
			}
		}
		if _, ok := env[id.Value]; !ok && !knownFunction(id.Value) {
			unknown = append(unknown, id.Value)
		}
	}))
	if len(unknown) > 0 {
		return &frame.UnknownColumnError{Name: unknown[0], Known: names}
	}
	return nil
}

// Referenced lists the column names an expression mentions, without type
// checking (for `segment validate`, before the data types are known).
func Referenced(src string, known []string) (cols []string, unknown []string, err error) {
	index := map[string]int{}
	for i, n := range known {
		index[n] = i
	}
	code, quoted, err := rewrite(src, index)
	if err != nil {
		return nil, nil, err
	}
	tree, err := parser.Parse(code)
	if err != nil {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return nil, nil, fmt.Errorf("%s%s", msg, backtickHint)
	}
	seen := map[string]bool{}
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		id, ok := (*n).(*ast.IdentifierNode)
		if !ok {
			return
		}
		var name string
		switch {
		case strings.HasPrefix(id.Value, "__unknown_"):
			k, _ := strconv.Atoi(strings.TrimPrefix(id.Value, "__unknown_"))
			unknown = append(unknown, quoted[k])
			return
		case strings.HasPrefix(id.Value, "__c"):
			k, _ := strconv.Atoi(strings.TrimPrefix(id.Value, "__c"))
			name = known[k]
		case knownFunction(id.Value):
			return
		default:
			if _, ok := index[id.Value]; !ok {
				unknown = append(unknown, id.Value)
				return
			}
			name = id.Value
		}
		if !seen[name] {
			seen[name] = true
			cols = append(cols, name)
		}
	}))
	return cols, unknown, nil
}

func knownFunction(name string) bool {
	switch name {
	case "is_missing", "fill", "round", "log", "log1p", "log10", "exp", "sqrt", "pow":
		return true
	}
	for _, b := range builtinNames {
		if b == name {
			return true
		}
	}
	return false
}

var builtinNames = []string{"abs", "ceil", "floor", "int", "float", "string", "trim", "upper", "lower",
	"len", "max", "min", "hasPrefix", "hasSuffix", "replace", "split", "indexOf", "repeat", "trimPrefix", "trimSuffix",
	"lastIndexOf", "join", "mean", "median", "sum", "now", "date", "duration", "type"}

const backtickHint = " (column names with spaces or symbols go between backticks, e.g. `Customer Status` == \"Stayed\")"

// friendly makes expr's messages name columns, not internal variables.
func (c *compiler) friendly(msg string) string {
	for i := len(c.vars) - 1; i >= 0; i-- {
		msg = strings.ReplaceAll(msg, colVar(i), "`"+c.vars[i].Name+"`")
		msg = strings.ReplaceAll(msg, missVar(i), "is_missing(`"+c.vars[i].Name+"`)")
	}
	// expr's messages end with a source excerpt on extra lines; keep line 1
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	// "invalid operation: / (mismatched types string and int)": say it in
	// the column types' words, and how to fix the common case
	if m := mismatched.FindStringSubmatch(msg); m != nil {
		a, b := typeWord(m[2]), typeWord(m[3])
		msg = fmt.Sprintf("%s cannot combine %s with %s%s", m[1], a, b, m[4])
		if (a == "text") != (b == "text") {
			msg += "; a text column goes with text (\"Yes\"), a number column with numbers: check the column's type or cast it first (blank cells are already missing values: test them with is_missing(column))"
		}
	}
	return msg
}

var mismatched = regexp.MustCompile(`invalid operation: (\S+) \(mismatched types (\w+) and (\w+)\)( \(\d+:\d+\))?`)

// typeWord names an expression type as the column types are named.
func typeWord(t string) string {
	switch t {
	case "string":
		return "text"
	case "int", "float64", "int64":
		return "a number"
	case "bool":
		return "true/false"
	}
	return t
}

func functions() []expr.Option {
	f1 := func(name string, fn func(float64) float64) expr.Option {
		return expr.Function(name, func(p ...any) (any, error) {
			x, err := toFloat(p[0])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			return fn(x), nil
		}, new(func(float64) float64), new(func(int) float64))
	}
	return []expr.Option{
		f1("log", math.Log), f1("log1p", math.Log1p), f1("log10", math.Log10),
		f1("exp", math.Exp), f1("sqrt", math.Sqrt),
		expr.Function("pow", func(p ...any) (any, error) {
			x, err1 := toFloat(p[0])
			y, err2 := toFloat(p[1])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("pow: want numbers")
			}
			return math.Pow(x, y), nil
		}, new(func(float64, float64) float64)),
		expr.Function("round", func(p ...any) (any, error) {
			x, err := toFloat(p[0])
			if err != nil {
				return nil, fmt.Errorf("round: %v", err)
			}
			d := 0
			if len(p) == 2 {
				switch v := p[1].(type) {
				case int:
					d = v
				default:
					return nil, fmt.Errorf("round: digits must be an integer")
				}
			}
			return RoundHalfEven(x, d), nil
		}, new(func(float64) float64), new(func(float64, int) float64)),
		expr.Function("fill", func(p ...any) (any, error) { return p[0], nil }, // rewritten by the patcher
			new(func(float64, float64) float64), new(func(string, string) string), new(func(bool, bool) bool), new(func(int, int) int)),
	}
}

// RoundHalfEven rounds x to d decimals, ties to even (numpy/pandas round).
func RoundHalfEven(x float64, d int) float64 {
	if d == 0 {
		return math.RoundToEven(x)
	}
	p := math.Pow(10, float64(d))
	r := math.RoundToEven(x * p)
	return r / p
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	}
	return 0, fmt.Errorf("want a number, got %T", v)
}

type visitor func(n *ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// Tree returns the expression's checked syntax tree as it is evaluated:
// after the rewrite of missing values described in the package doc (a
// comparison reading a column K becomes `__mK ? false : comparison`,
// is_missing(col) the identifier __mK, fill(col, v) `__mK ? v : col`) and
// after expr's optimiser (folded constants; `x in [literals]` holds a
// ConstantNode map). Every node carries its type. Ident resolves the
// identifiers. It is meant for translators of the language, such as
// internal/sqlgen; the tree must not be modified.
func (p *Program) Tree() ast.Node { return p.prog.Node() }

// Ident resolves an identifier of Tree: the column it names and whether it
// is that column's missing flag (true in rows where the cell is missing)
// rather than its value. ok is false for any other identifier (a function
// name).
func (p *Program) Ident(name string) (v Var, missingFlag, ok bool) {
	for _, pre := range []string{"__c", "__m"} {
		if rest, found := strings.CutPrefix(name, pre); found {
			k, err := strconv.Atoi(rest)
			if err != nil || k < 0 || k >= len(p.vars) {
				return Var{}, false, false
			}
			return p.vars[k], pre == "__m", true
		}
	}
	for _, v := range p.vars {
		if v.Name == name && isIdent(name) && !reserved[name] {
			return v, false, true
		}
	}
	return Var{}, false, false
}

// Explicit reports whether the expression handles missing values itself
// (it calls is_missing or fill): a derive then evaluates it as written,
// with missing numbers as NaN and missing strings as "", instead of giving
// a missing value whenever a column it reads is missing.
func (p *Program) Explicit() bool { return p.explicit }
