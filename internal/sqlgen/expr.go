package sqlgen

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
)

// Expr is a row expression (the language of clean's filter and derive,
// internal/rowexpr) compiled to SQL for one dialect.
type Expr struct {
	// Source is the expression as written.
	Source string
	// Kind is the type of its value: Int, Float, Bool or String.
	Kind frame.Kind
	// Explicit reports that the expression handles missing values itself
	// (is_missing or fill).
	Explicit bool

	body    string   // the value; a missing cell reads as NaN, "" or false
	guarded string   // the value where no column it reads is NULL (no substitutes)
	reads   []string // SQL of the columns read, for the missing-value guard
	heldOut []string // SQL of int columns that had no missing value at fit time
}

// ColumnRef is a column an expression reads: its name, its type when the
// expression was compiled at fit time (model.Step.Reads: an int column with
// missing values is a float to an expression), and the SQL that reads its
// value in the relation the expression is evaluated on, which holds it as
// the SQL type of Kind (Dialect.Type).
type ColumnRef struct {
	Name    string
	Kind    frame.Kind
	Missing bool
	SQL     string
}

// CompileExpr compiles the row expression src over the columns cols (every
// column the expression may read; others are unknown) for dialect d. The
// expression is parsed and type-checked by internal/rowexpr exactly as
// predict does, then translated node by node. An expression that uses
// something without an exact SQL equivalent (string functions other than
// contains/startsWith/endsWith, `matches` outside RE2 engines, `%` by a
// column, int() of text, mixed-type min/max, ...) is refused with an error
// wrapping ErrNotExpressible that names the construct.
func CompileExpr(d *Dialect, src string, cols []ColumnRef) (*Expr, error) {
	vars := make([]rowexpr.Var, len(cols))
	sqlOf := make(map[string]ColumnRef, len(cols))
	for i, c := range cols {
		vars[i] = rowexpr.Var{Name: c.Name, Kind: c.Kind, HasMissing: c.Missing}
		sqlOf[c.Name] = c
	}
	p, err := rowexpr.Compile(src, vars)
	if err != nil {
		return nil, err
	}
	c := &exprCompiler{d: d, p: p, cols: sqlOf, explicit: p.Explicit()}
	v, err := c.node(p.Tree())
	if err != nil {
		return nil, err
	}
	e := &Expr{Source: src, Kind: v.kind, Explicit: c.explicit, body: v.sql, guarded: v.sql}
	if !c.explicit {
		// Where a derive guards every column it reads, no substitute for a
		// missing cell is needed.
		c.guarded = true
		g, err := c.node(p.Tree())
		if err != nil {
			return nil, err
		}
		e.guarded = g.sql
	}
	for _, name := range p.Columns() {
		col := sqlOf[name]
		e.reads = append(e.reads, col.SQL)
		if col.Kind == frame.Int && !col.Missing {
			e.heldOut = append(e.heldOut, col.SQL)
		}
	}
	return e, nil
}

// Derive is the expression's value as a derive step computes it: NULL when
// a column it reads is NULL (unless the expression is Explicit: then only
// when an int column that had no missing value at fit time is NULL, since
// predict holds such rows out), and, for a Float, NULL when the value is
// NaN or ±Inf (a derived non-finite value is missing).
func (e *Expr) Derive(d *Dialect) string {
	v := e.DeriveValue(d)
	if e.Kind == frame.Float {
		return Finite(d, v)
	}
	return v
}

// DeriveValue is Derive without the last rule (NaN and ±Inf are not made
// NULL), for a query that applies Finite in a later layer so as not to
// repeat the expression.
func (e *Expr) DeriveValue(d *Dialect) string {
	guard, v := e.reads, e.guarded
	if e.Explicit {
		guard, v = e.heldOut, e.body
	}
	if len(guard) > 0 {
		v = "CASE WHEN " + anyNull(guard) + " THEN " + d.Null(e.Kind) + " ELSE " + v + " END"
	}
	return v
}

// Finite is the double x, or NULL when x is NaN or ±Inf.
func Finite(d *Dialect, x string) string {
	return "CASE WHEN " + d.IsFinite(x) + " THEN " + x + " END"
}

// Filter is the expression as a filter evaluates it: a condition that is
// never NULL, FALSE where predict's filter is false (a comparison reading
// a missing cell is false; an int column that had no missing value at fit
// time and is NULL now makes the row false).
func (e *Expr) Filter(d *Dialect) (string, error) {
	if e.Kind != frame.Bool {
		return "", fmt.Errorf("a filter must be true or false for each row; %q gives %s", e.Source, e.Kind)
	}
	if len(e.heldOut) == 0 {
		return "(" + e.body + ")", nil
	}
	return "(CASE WHEN " + anyNull(e.heldOut) + " THEN FALSE ELSE " + e.body + " END)", nil
}

func anyNull(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " IS NULL"
	}
	return strings.Join(parts, " OR ")
}

type exprCompiler struct {
	d        *Dialect
	p        *rowexpr.Program
	cols     map[string]ColumnRef
	explicit bool
	guarded  bool // no column read is NULL: no substitutes, missing flags false
}

// val is a translated node: its SQL and its kind.
type val struct {
	sql  string
	kind frame.Kind
}

func (c *exprCompiler) refuse(n ast.Node, format string, args ...any) error {
	return notExpressible("%s (in %q)", fmt.Sprintf(format, args...), c.p.Source)
}

// double returns v as a double.
func (c *exprCompiler) double(v val) string {
	if v.kind == frame.Float {
		return v.sql
	}
	return c.d.Cast(v.sql, frame.Float)
}

func (c *exprCompiler) node(n ast.Node) (val, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return val{c.d.Int(int64(n.Value)), frame.Int}, nil
	case *ast.FloatNode:
		return val{c.d.Float(n.Value), frame.Float}, nil
	case *ast.BoolNode:
		return val{c.d.Bool(n.Value), frame.Bool}, nil
	case *ast.StringNode:
		s, err := c.d.String(n.Value)
		return val{s, frame.String}, err
	case *ast.ConstantNode:
		return c.constant(n, n.Value)
	case *ast.IdentifierNode:
		return c.ident(n)
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.BuiltinNode:
		return c.builtin(n.Name, n.Arguments, n)
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return val{}, c.refuse(n, "a method call")
		}
		return c.call(id.Value, n.Arguments, n)
	case *ast.NilNode:
		return val{}, c.refuse(n, "nil")
	}
	return val{}, c.refuse(n, "the construct %T", n)
}

func (c *exprCompiler) constant(n ast.Node, v any) (val, error) {
	switch x := v.(type) {
	case int:
		return val{c.d.Int(int64(x)), frame.Int}, nil
	case int64:
		return val{c.d.Int(x), frame.Int}, nil
	case float64:
		return val{c.d.Float(x), frame.Float}, nil
	case bool:
		return val{c.d.Bool(x), frame.Bool}, nil
	case string:
		s, err := c.d.String(x)
		return val{s, frame.String}, err
	}
	return val{}, c.refuse(n, "a constant of type %T", v)
}

// ident is a column's value (as the expression sees it) or its missing
// flag.
func (c *exprCompiler) ident(n *ast.IdentifierNode) (val, error) {
	v, flag, ok := c.p.Ident(n.Value)
	if !ok {
		return val{}, c.refuse(n, "the name %q", n.Value)
	}
	col := c.cols[v.Name]
	if flag {
		if c.guarded {
			return val{"FALSE", frame.Bool}, nil
		}
		return val{"(" + col.SQL + " IS NULL)", frame.Bool}, nil
	}
	// In a derive without is_missing/fill a NULL never reaches the body
	// (Derive guards it); elsewhere a missing number is NaN, a missing text
	// "", a missing bool false (what rowexpr loads).
	switch {
	case col.Kind == frame.Int && col.Missing:
		x := c.d.Cast(col.SQL, frame.Float)
		return val{c.coalesce(x, c.d.Float(math.NaN())), frame.Float}, nil
	case col.Kind == frame.Int:
		return val{col.SQL, frame.Int}, nil
	case col.Kind == frame.Float:
		return val{c.coalesce(col.SQL, c.d.Float(math.NaN())), frame.Float}, nil
	case col.Kind == frame.Bool:
		return val{c.coalesce(col.SQL, "FALSE"), frame.Bool}, nil
	}
	return val{c.coalesce(col.SQL, c.d.mustString("")), frame.String}, nil
}

// coalesce substitutes a missing value, where one can reach the body:
// everywhere but in a derive that does not handle missing values itself.
func (c *exprCompiler) coalesce(x, missing string) string {
	if c.guarded {
		return x
	}
	return c.d.Coalesce(x, missing)
}

func (c *exprCompiler) unary(n *ast.UnaryNode) (val, error) {
	x, err := c.node(n.Node)
	if err != nil {
		return val{}, err
	}
	switch n.Operator {
	case "-":
		if !x.kind.Numeric() {
			return val{}, c.refuse(n, "- of a %s", x.kind)
		}
		return val{"(-" + x.sql + ")", x.kind}, nil
	case "+":
		return x, nil
	case "!", "not":
		if x.kind != frame.Bool {
			return val{}, c.refuse(n, "not of a %s", x.kind)
		}
		return val{"(NOT " + x.sql + ")", frame.Bool}, nil
	}
	return val{}, c.refuse(n, "the operator %s", n.Operator)
}

func (c *exprCompiler) conditional(n *ast.ConditionalNode) (val, error) {
	cond, err := c.node(n.Cond)
	if err != nil {
		return val{}, err
	}
	a, err := c.node(n.Exp1)
	if err != nil {
		return val{}, err
	}
	b, err := c.node(n.Exp2)
	if err != nil {
		return val{}, err
	}
	if cond.kind != frame.Bool {
		return val{}, c.refuse(n, "a condition that is a %s", cond.kind)
	}
	kind := a.kind
	as, bs := a.sql, b.sql
	if a.kind != b.kind {
		if !a.kind.Numeric() || !b.kind.Numeric() {
			return val{}, c.refuse(n, "a condition giving a %s or a %s", a.kind, b.kind)
		}
		// rowexpr gives values of mixed type here; a derive refuses them.
		return val{}, c.refuse(n, "a condition giving an int or a float (write both as floats, e.g. 0.0)")
	}
	if cond.sql == "FALSE" {
		return b, nil // a comparison's missing-value guard where nothing is missing
	}
	return val{"(CASE WHEN " + cond.sql + " THEN " + as + " ELSE " + bs + " END)", kind}, nil
}

func (c *exprCompiler) binary(n *ast.BinaryNode) (val, error) {
	if n.Operator == "in" {
		return c.in(n)
	}
	a, err := c.node(n.Left)
	if err != nil {
		return val{}, err
	}
	b, err := c.node(n.Right)
	if err != nil {
		return val{}, err
	}
	num := a.kind.Numeric() && b.kind.Numeric()
	arith := func(op string) (val, error) {
		if !num {
			return val{}, c.refuse(n, "%s %s %s", a.kind, op, b.kind)
		}
		if a.kind == frame.Int && b.kind == frame.Int {
			return val{"(" + a.sql + " " + op + " " + b.sql + ")", frame.Int}, nil
		}
		return val{"(" + c.double(a) + " " + op + " " + c.double(b) + ")", frame.Float}, nil
	}
	switch op := n.Operator; op {
	case "+":
		if a.kind == frame.String && b.kind == frame.String {
			return val{c.d.Concat(a.sql, b.sql), frame.String}, nil
		}
		return arith(op)
	case "-", "*":
		return arith(op)
	case "/":
		if !num {
			return val{}, c.refuse(n, "%s / %s", a.kind, b.kind)
		}
		return val{c.d.Div(c.double(a), c.double(b)), frame.Float}, nil
	case "%":
		if a.kind != frame.Int || b.kind != frame.Int {
			return val{}, c.refuse(n, "%% of a %s by a %s", a.kind, b.kind)
		}
		k, ok := n.Right.(*ast.IntegerNode)
		if !ok || k.Value == 0 {
			return val{}, c.refuse(n, "%% by anything but a non-zero whole number (predict fails the row on a zero divisor)")
		}
		return val{c.d.Mod(a.sql, b.sql), frame.Int}, nil
	case "**", "^":
		if !num {
			return val{}, c.refuse(n, "%s %s %s", a.kind, op, b.kind)
		}
		return val{c.d.Pow(c.double(a), c.double(b)), frame.Float}, nil
	case "==", "!=":
		sqlOp := "="
		if op == "!=" {
			sqlOp = "<>"
		}
		switch {
		case num && a.kind != b.kind:
			return val{"(" + c.double(a) + " " + sqlOp + " " + c.double(b) + ")", frame.Bool}, nil
		case a.kind == b.kind:
			return val{"(" + a.sql + " " + sqlOp + " " + b.sql + ")", frame.Bool}, nil
		}
		return val{}, c.refuse(n, "comparing a %s with a %s", a.kind, b.kind)
	case "<", "<=", ">", ">=":
		switch {
		case num && a.kind != b.kind:
			return val{"(" + c.double(a) + " " + op + " " + c.double(b) + ")", frame.Bool}, nil
		case num:
			return val{"(" + a.sql + " " + op + " " + b.sql + ")", frame.Bool}, nil
		case a.kind == frame.String && b.kind == frame.String:
			s, err := c.d.CompareText(a.sql, op, b.sql)
			if err != nil {
				return val{}, fmt.Errorf("%w (in %q)", err, c.p.Source)
			}
			return val{s, frame.Bool}, nil
		}
		return val{}, c.refuse(n, "%s %s %s", a.kind, op, b.kind)
	case "and", "&&", "or", "||":
		if a.kind != frame.Bool || b.kind != frame.Bool {
			return val{}, c.refuse(n, "%s %s %s", a.kind, op, b.kind)
		}
		sqlOp := "AND"
		if op == "or" || op == "||" {
			sqlOp = "OR"
		}
		return val{"(" + a.sql + " " + sqlOp + " " + b.sql + ")", frame.Bool}, nil
	case "contains", "startsWith", "endsWith":
		if a.kind != frame.String || b.kind != frame.String {
			return val{}, c.refuse(n, "%s of a %s and a %s", op, a.kind, b.kind)
		}
		switch op {
		case "contains":
			return val{c.d.Contains(a.sql, b.sql), frame.Bool}, nil
		case "startsWith":
			return val{c.d.StartsWith(a.sql, b.sql), frame.Bool}, nil
		}
		return val{c.d.EndsWith(a.sql, b.sql), frame.Bool}, nil
	case "matches":
		return c.matches(n, a)
	}
	return val{}, c.refuse(n, "the operator %s", n.Operator)
}

// matches is a regular expression search (Go's RE2, partial match): kept
// only where the engine's regular expressions are RE2 and the pattern is a
// constant.
func (c *exprCompiler) matches(n *ast.BinaryNode, a val) (val, error) {
	var pat string
	switch r := n.Right.(type) {
	case *ast.StringNode:
		pat = r.Value
	case *ast.ConstantNode:
		if s, ok := r.Value.(string); ok {
			pat = s
		} else if re, ok := r.Value.(*regexp.Regexp); ok {
			pat = re.String()
		}
	}
	if pat == "" || a.kind != frame.String {
		return val{}, c.refuse(n, "matches with a pattern that is not a constant text")
	}
	q, err := c.d.String(pat)
	if err != nil {
		return val{}, err
	}
	switch c.d.name {
	case "duckdb":
		return val{"regexp_matches(" + a.sql + ", " + q + ")", frame.Bool}, nil
	case "bigquery":
		return val{"REGEXP_CONTAINS(" + a.sql + ", " + q + ")", frame.Bool}, nil
	case "clickhouse":
		return val{"match(" + a.sql + ", " + q + ")", frame.Bool}, nil
	}
	return val{}, c.refuse(n, "matches: %s's regular expressions are not Go's (RE2); the same pattern could match differently", c.d.name)
}

// in is `x in [...]`: a literal list (expr's optimiser turns one of ints
// or texts into a constant set).
func (c *exprCompiler) in(n *ast.BinaryNode) (val, error) {
	a, err := c.node(n.Left)
	if err != nil {
		return val{}, err
	}
	var items []val
	switch r := n.Right.(type) {
	case *ast.ConstantNode:
		switch set := r.Value.(type) {
		case map[int]struct{}:
			keys := make([]int, 0, len(set))
			for k := range set {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				items = append(items, val{c.d.Int(int64(k)), frame.Int})
			}
		case map[string]struct{}:
			keys := make([]string, 0, len(set))
			for k := range set {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				s, err := c.d.String(k)
				if err != nil {
					return val{}, err
				}
				items = append(items, val{s, frame.String})
			}
		case []any:
			for _, x := range set {
				v, err := c.constant(r, x)
				if err != nil {
					return val{}, err
				}
				items = append(items, v)
			}
		default:
			return val{}, c.refuse(n, "in with a constant of type %T", r.Value)
		}
	case *ast.ArrayNode:
		for _, e := range r.Nodes {
			v, err := c.node(e)
			if err != nil {
				return val{}, err
			}
			items = append(items, v)
		}
	default:
		return val{}, c.refuse(n, "in with something other than a list written out")
	}
	if len(items) == 0 {
		return val{"FALSE", frame.Bool}, nil
	}
	parts := make([]string, len(items))
	left := a.sql
	for i, it := range items {
		switch {
		case it.kind == a.kind:
			parts[i] = it.sql
		case it.kind.Numeric() && a.kind.Numeric():
			left = c.double(a)
			parts[i] = c.double(it)
		default:
			return val{}, c.refuse(n, "in with a %s among %ss", it.kind, a.kind)
		}
	}
	return val{"(" + left + " IN (" + strings.Join(parts, ", ") + "))", frame.Bool}, nil
}

func (c *exprCompiler) args(args []ast.Node) ([]val, error) {
	out := make([]val, len(args))
	for i, a := range args {
		v, err := c.node(a)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// builtin translates expr's builtins that have an exact SQL form.
func (c *exprCompiler) builtin(name string, argNodes []ast.Node, n ast.Node) (val, error) {
	switch name {
	case "abs", "ceil", "floor", "int", "float", "min", "max":
	default:
		return val{}, c.refuse(n, "the function %s()", name)
	}
	args, err := c.args(argNodes)
	if err != nil {
		return val{}, err
	}
	for _, a := range args {
		if !a.kind.Numeric() {
			return val{}, c.refuse(n, "%s() of a %s", name, a.kind)
		}
	}
	switch name {
	case "abs":
		return val{c.d.Abs(args[0].sql), args[0].kind}, nil
	case "ceil", "floor":
		if args[0].kind == frame.Int {
			return val{c.double(args[0]), frame.Float}, nil
		}
		if name == "ceil" {
			return val{c.d.Ceil(args[0].sql), frame.Float}, nil
		}
		return val{c.d.Floor(args[0].sql), frame.Float}, nil
	case "int":
		if args[0].kind == frame.Int {
			return args[0], nil
		}
		return val{c.d.Cast(c.d.Trunc(args[0].sql), frame.Int), frame.Int}, nil
	case "float":
		return val{c.double(args[0]), frame.Float}, nil
	}
	// min, max of numbers of one type: expr keeps the first argument
	// unless a later one is strictly smaller (min) or larger (max).
	if len(args) < 2 {
		return val{}, c.refuse(n, "%s() of a list", name)
	}
	for _, a := range args[1:] {
		if a.kind != args[0].kind {
			return val{}, c.refuse(n, "%s() of an int and a float (write both as floats, e.g. %s(x, 1.0))", name, name)
		}
	}
	op := ">" // min: replace when the kept value is greater
	if name == "max" {
		op = "<"
	}
	acc := args[0].sql
	for _, a := range args[1:] {
		acc = "(CASE WHEN " + acc + " " + op + " " + a.sql + " THEN " + a.sql + " ELSE " + acc + " END)"
	}
	return val{acc, args[0].kind}, nil
}

// call translates rowexpr's own functions.
func (c *exprCompiler) call(name string, argNodes []ast.Node, n ast.Node) (val, error) {
	switch name {
	case "round", "log", "log1p", "log10", "exp", "sqrt", "pow":
	default:
		return val{}, c.refuse(n, "the function %s()", name)
	}
	args, err := c.args(argNodes)
	if err != nil {
		return val{}, err
	}
	for _, a := range args {
		if !a.kind.Numeric() {
			return val{}, c.refuse(n, "%s() of a %s", name, a.kind)
		}
	}
	x := c.double(args[0])
	switch name {
	case "log":
		return val{c.d.Ln(x), frame.Float}, nil
	case "log1p":
		return val{c.d.Log1p(x), frame.Float}, nil
	case "log10":
		return val{c.d.Log10(x), frame.Float}, nil
	case "exp":
		return val{c.d.Exp(x), frame.Float}, nil
	case "sqrt":
		return val{c.d.Sqrt(x), frame.Float}, nil
	case "pow":
		return val{c.d.Pow(x, c.double(args[1])), frame.Float}, nil
	}
	// round(x[, digits]): half to even, at digits decimals.
	if len(args) == 1 {
		return val{c.d.RoundHalfEven(x), frame.Float}, nil
	}
	k, ok := argNodes[1].(*ast.IntegerNode)
	if !ok {
		return val{}, c.refuse(n, "round() to a number of digits that is not a whole number written out")
	}
	if k.Value == 0 {
		return val{c.d.RoundHalfEven(x), frame.Float}, nil
	}
	p := c.d.Float(math.Pow(10, float64(k.Value)))
	return val{"(" + c.d.RoundHalfEven("("+x+" * "+p+")") + " / " + p + ")", frame.Float}, nil
}
