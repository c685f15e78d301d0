package sqlgen

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/churnlab/segment/internal/frame"
)

// Step is one clean step as the SQL compiler sees it: its kind and the
// parameters of that kind (a value frozen at fit time, or a constant of a
// config). StepsFromTransform makes them from model.json; pushdown makes
// them from a clean stage's config (a step with an unfrozen statistic, such
// as fillna: mean, has no Step form).
type Step struct {
	// Name is how messages name the step: "<stage>: steps[i].<kind>".
	Name string
	// Kind is filter, select, drop, rename, derive, cast, dropna, fillna,
	// dedupe, clip or onehot.
	Kind string

	Rename  map[string]string     // rename: old → new
	Cast    map[string]frame.Kind // cast: column → type
	Fill    map[string]any        // fillna: column → int64, float64, string or bool
	Clip    map[string]Bounds     // clip
	Onehot  *Onehot               // onehot
	Derive  *Derive               // derive
	Filter  string                // filter: the expression
	Columns []string              // select, drop, dropna, dedupe
	How     string                // dropna: any or all
	// Reads are, for filter and derive, the columns the expression read
	// at fit time with their types (model.Step.Reads).
	Reads []Read
}

// Read is a column an expression read at fit time: its type, and whether
// it had missing values (an int column with missing values is a float to
// an expression).
type Read struct {
	Name    string
	Kind    frame.Kind
	Missing bool
}

// Bounds are a clip's bounds (nil: none on that side).
type Bounds struct {
	Lower, Upper *float64
}

// Onehot is a one-hot encoding with fixed levels: for each column, one
// int column <column><PrefixSep><level> per level (the first skipped with
// DropFirst) that is 1 where the value is that level and 0 elsewhere — a
// missing value or a level not listed gives 0 in every indicator.
type Onehot struct {
	Columns   []string
	Levels    map[string][]string
	DropFirst bool
	PrefixSep string

	keep map[string]bool // after narrowing: the indicators needed (nil: all)
}

// Derive is a derived column: Column = Expr, converted to Type when set.
type Derive struct {
	Column  string
	Expr    string
	Type    frame.Kind
	HasType bool
}

// isRow reports whether the step removes rows.
func (s *Step) isRow() bool { return s.Kind == "filter" || s.Kind == "dropna" || s.Kind == "dedupe" }

// indicators lists an onehot's output columns, per input column.
func (o *Onehot) indicators(col string) []string {
	levels := o.Levels[col]
	start := 0
	if o.DropFirst {
		start = 1
	}
	var out []string
	for _, l := range levels[min(start, len(levels)):] {
		out = append(out, col+o.PrefixSep+l)
	}
	return out
}

// Produces lists the names of the columns a step creates (for reserving
// internal names).
func (s *Step) Produces() []string {
	switch s.Kind {
	case "rename":
		return slices.Sorted(maps.Values(s.Rename))
	case "derive":
		return []string{s.Derive.Column}
	case "onehot":
		var out []string
		for _, c := range s.Onehot.Columns {
			out = append(out, s.Onehot.indicators(c)...)
		}
		return out
	}
	return nil
}

// Narrow keeps of steps what the columns in need (the features) depend
// on, as predict's replay does: walking backwards, a step that produces
// none of the needed columns is left out and the others are reduced to the
// needed columns. Row steps are kept (with what they read) only when rows
// is true (predict's --rows training); without it they are left out, since
// predict scores every row. It returns the steps to run and the raw
// columns they need. steps are not modified.
func Narrow(steps []Step, features []string, rows bool) ([]Step, map[string]bool, error) {
	need := map[string]bool{}
	for _, f := range features {
		need[f] = true
	}
	var out []Step
	for i := len(steps) - 1; i >= 0; i-- {
		s := steps[i]
		if s.isRow() && !rows {
			continue
		}
		keep := true
		switch s.Kind {
		case "rename":
			inv := make(map[string]string, len(s.Rename))
			for o, n := range s.Rename {
				inv[n] = o
			}
			before := map[string]bool{}
			m := map[string]string{}
			for c := range need {
				if old, ok := inv[c]; ok {
					before[old] = true
					m[old] = c
				} else if _, renamed := s.Rename[c]; !renamed {
					before[c] = true
				}
			}
			need = before
			s.Rename = m
		case "select":
			var cols []string
			for _, c := range s.Columns {
				if need[c] {
					cols = append(cols, c)
				}
			}
			s.Columns = cols
			keep = len(cols) > 0
		case "drop":
		case "derive":
			if keep = need[s.Derive.Column]; keep {
				delete(need, s.Derive.Column)
				for _, r := range s.Reads {
					need[r.Name] = true
				}
			}
		case "cast":
			s.Cast = restrict(s.Cast, need)
			keep = len(s.Cast) > 0
		case "fillna":
			s.Fill = restrict(s.Fill, need)
			keep = len(s.Fill) > 0
		case "clip":
			s.Clip = restrict(s.Clip, need)
			keep = len(s.Clip) > 0
		case "onehot":
			o := *s.Onehot
			o.Columns, o.keep = nil, map[string]bool{}
			for _, c := range s.Onehot.Columns {
				used := false
				for _, ind := range s.Onehot.indicators(c) {
					if need[ind] {
						used = true
						o.keep[ind] = true
						delete(need, ind)
					}
				}
				if used {
					o.Columns = append(o.Columns, c)
					need[c] = true
				}
			}
			s.Onehot = &o
			keep = len(o.Columns) > 0
		case "filter":
			for _, r := range s.Reads {
				need[r.Name] = true
			}
		case "dropna", "dedupe":
			for _, c := range s.Columns {
				need[c] = true
			}
		default:
			return nil, nil, fmt.Errorf("%s: unknown step kind %q", s.Name, s.Kind)
		}
		if keep {
			out = append(out, s)
		}
	}
	slices.Reverse(out)
	return out, need, nil
}

func restrict[V any](m map[string]V, need map[string]bool) map[string]V {
	out := map[string]V{}
	for k, v := range m {
		if need[k] {
			out[k] = v
		}
	}
	return out
}

// Apply adds the step to q as one layer (a derive with a type, two): the
// columns it changes are computed as predict's replay computes them, the
// values it cannot handle become checks (a cast that fails: the row's
// reason), and a row step keeps only the rows it keeps. A value or
// expression with no exact SQL form is an error naming the step and
// wrapping ErrNotExpressible.
func (q *Query) Apply(s Step) error {
	err := q.apply(s)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	return nil
}

func (q *Query) apply(s Step) error {
	base := "step_" + s.Kind
	switch s.Kind {
	case "rename":
		outs := make([]Out, 0, len(q.cols))
		for _, c := range q.cols {
			o := q.Pass(c)
			if nn, ok := s.Rename[c.Name]; ok {
				o.Name = nn
			}
			outs = append(outs, o)
		}
		return q.Layer(base, s.Name, outs, nil, "")
	case "select":
		var outs []Out
		for _, name := range s.Columns {
			if c, ok := q.Col(name); ok {
				outs = append(outs, q.Pass(c))
			}
		}
		return q.Layer(base, s.Name, outs, nil, "")
	case "drop":
		var outs []Out
		for _, c := range q.cols {
			if !slices.Contains(s.Columns, c.Name) {
				outs = append(outs, q.Pass(c))
			}
		}
		return q.Layer(base, s.Name, outs, nil, "")
	case "cast":
		var outs []Out
		var checks []Check
		for _, c := range q.cols {
			to, ok := s.Cast[c.Name]
			if !ok {
				outs = append(outs, q.Pass(c))
				continue
			}
			o, ch, err := q.castColumn(q.Ref(c.Name), c, to)
			if err != nil {
				return err
			}
			outs = append(outs, o)
			checks = append(checks, prefixed(s.Name, ch)...)
		}
		return q.Layer(base, s.Name, outs, checks, "")
	case "fillna":
		var outs []Out
		for _, c := range q.cols {
			v, ok := s.Fill[c.Name]
			if !ok {
				outs = append(outs, q.Pass(c))
				continue
			}
			o, err := q.fill(c, v)
			if err != nil {
				return err
			}
			outs = append(outs, o)
		}
		return q.Layer(base, s.Name, outs, nil, "")
	case "clip":
		var outs []Out
		for _, c := range q.cols {
			b, ok := s.Clip[c.Name]
			if !ok {
				outs = append(outs, q.Pass(c))
				continue
			}
			o, err := q.clip(c, b)
			if err != nil {
				return err
			}
			outs = append(outs, o)
		}
		return q.Layer(base, s.Name, outs, nil, "")
	case "onehot":
		return q.onehot(base, s)
	case "derive":
		return q.derive(base, s)
	case "filter":
		e, err := q.compile(s.Filter, s.Reads)
		if err != nil {
			return err
		}
		cond, err := e.Filter(q.d)
		if err != nil {
			return err
		}
		return q.Layer(base, s.Name, q.passAll(), nil, cond)
	case "dropna":
		var parts []string
		for _, c := range s.Columns {
			if _, ok := q.Col(c); !ok {
				return fmt.Errorf("no column %q here", c)
			}
			parts = append(parts, q.Ref(c)+" IS NULL")
		}
		if len(parts) == 0 {
			return q.Layer(base, s.Name, q.passAll(), nil, "")
		}
		op := " OR "
		if s.How == "all" {
			op = " AND "
		}
		return q.Layer(base, s.Name, q.passAll(), nil, "NOT ("+joinWith(parts, op)+")")
	case "dedupe":
		return notExpressible("a dedupe keeps the first of repeated rows in file order; a table has no row order, so it has no SQL form")
	}
	return fmt.Errorf("unknown step kind %q", s.Kind)
}

// prefixed names the step in the checks' reasons, as predict's problems
// do ("<stage>: steps[i].cast: column …").
func prefixed(step string, checks []Check) []Check {
	out := make([]Check, len(checks))
	for i, c := range checks {
		out[i] = Check{Cond: c.Cond, Reason: step + ": " + c.Reason}
	}
	return out
}

func joinWith(parts []string, sep string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += sep
		}
		out += p
	}
	return out
}

// passAll keeps every current column.
func (q *Query) passAll() []Out {
	outs := make([]Out, len(q.cols))
	for i, c := range q.cols {
		outs[i] = q.Pass(c)
	}
	return outs
}

// compile compiles an expression over the current columns, typed as it
// read them at fit time.
func (q *Query) compile(src string, reads []Read) (*Expr, error) {
	refs := make([]ColumnRef, 0, len(reads))
	for _, r := range reads {
		c, ok := q.Col(r.Name)
		if !ok {
			return nil, fmt.Errorf("the expression reads column %q, which is not in the table here", r.Name)
		}
		ref := ColumnRef{Name: r.Name, Kind: r.Kind, Missing: r.Missing, SQL: q.Ref(r.Name)}
		switch {
		case c.Kind == r.Kind:
		case c.Kind == frame.Int && r.Kind == frame.Float:
			ref.SQL = q.d.Cast(ref.SQL, frame.Float)
		default:
			return nil, notExpressible("the expression read column %q as %s at fit time; here it holds %ss (an int column that fillna or clip made fractional only when the training rows had gaps)", r.Name, r.Kind, c.Kind)
		}
		refs = append(refs, ref)
	}
	return CompileExpr(q.d, src, refs)
}

// derive adds the derived column (replacing one of the same name), then,
// with a type, converts it in a second layer.
func (q *Query) derive(base string, s Step) error {
	e, err := q.compile(s.Derive.Expr, s.Reads)
	if err != nil {
		return err
	}
	out := Out{Column: Column{Name: s.Derive.Column, Kind: e.Kind}, SQL: e.DeriveValue(q.d)}
	if err := q.Layer(base, s.Name, q.replace(out), nil, ""); err != nil {
		return err
	}
	if e.Kind == frame.Float {
		fin := Out{Column: out.Column, SQL: Finite(q.d, q.Ref(out.Name))}
		if err := q.Layer(base+"_finite", s.Name+" (a NaN or infinite value is missing)", q.replace(fin), nil, ""); err != nil {
			return err
		}
	}
	if !s.Derive.HasType || s.Derive.Type == e.Kind {
		return nil
	}
	o, checks, err := q.castColumn(q.Ref(out.Name), out.Column, s.Derive.Type)
	if err != nil {
		return err
	}
	return q.Layer(base+"_type", s.Name+" (type: "+s.Derive.Type.String()+")", q.replace(o), prefixed(s.Name, checks), "")
}

// replace is the current columns with o in place of the column of its
// name, or after them.
func (q *Query) replace(o Out) []Out {
	outs := q.passAll()
	for i := range outs {
		if outs[i].Name == o.Name {
			outs[i] = o
			return outs
		}
	}
	return append(outs, o)
}

// fill is fillna with a constant: predict's fillConst. An int column
// filled with a fractional number becomes a float column (predict makes it
// one when the rows have gaps; without gaps the values are the same).
func (q *Query) fill(c Column, v any) (Out, error) {
	x := q.Ref(c.Name)
	o := Out{Column: c}
	var lit string
	switch v := v.(type) {
	case int64:
		switch c.Kind {
		case frame.String:
			lit = q.d.mustString(strconv.FormatInt(v, 10))
		case frame.Int:
			lit = q.d.Int(v)
		case frame.Float:
			lit = q.d.Float(float64(v))
		default:
			return Out{}, fmt.Errorf("cannot fill the %s column %q with the number %d", c.Kind, c.Name, v)
		}
	case float64:
		switch {
		case c.Kind == frame.String:
			s, err := q.d.String(frame.FormatFloat(v))
			if err != nil {
				return Out{}, err
			}
			lit = s
		case c.Kind == frame.Int && v == math.Trunc(v) && math.Abs(v) < 1<<53:
			lit = q.d.Int(int64(v))
		case c.Kind == frame.Int:
			x, o.Kind, lit = q.d.Cast(x, frame.Float), frame.Float, q.d.Float(v)
		case c.Kind == frame.Float:
			lit = q.d.Float(v)
		default:
			return Out{}, fmt.Errorf("cannot fill the %s column %q with the number %v", c.Kind, c.Name, v)
		}
	case string:
		if c.Kind != frame.String {
			return Out{}, fmt.Errorf("cannot fill the %s column %q with the text %q", c.Kind, c.Name, v)
		}
		s, err := q.d.String(v)
		if err != nil {
			return Out{}, err
		}
		lit = s
	case bool:
		if c.Kind != frame.Bool {
			return Out{}, fmt.Errorf("cannot fill the %s column %q with %v", c.Kind, c.Name, v)
		}
		lit = q.d.Bool(v)
	default:
		return Out{}, fmt.Errorf("unsupported fill value %v (%T) for %q", v, v, c.Name)
	}
	o.SQL = "COALESCE(" + x + ", " + lit + ")"
	return o, nil
}

// clip limits a numeric column to its bounds; an int column stays int when
// both bounds are whole numbers (or absent), as in predict.
func (q *Query) clip(c Column, b Bounds) (Out, error) {
	if !c.Kind.Numeric() {
		return Out{}, fmt.Errorf("clip %q: the column holds %ss, not numbers", c.Name, c.Kind)
	}
	whole := func(p *float64) bool { return p == nil || *p == math.Trunc(*p) && math.Abs(*p) < 1<<53 }
	x := q.Ref(c.Name)
	o := Out{Column: c}
	lit := func(v float64) string {
		if o.Kind == frame.Int {
			return q.d.Int(int64(v))
		}
		return q.d.Float(v)
	}
	if c.Kind == frame.Int && !(whole(b.Lower) && whole(b.Upper)) {
		x, o.Kind = q.d.Cast(x, frame.Float), frame.Float
	}
	s := "CASE"
	if b.Lower != nil {
		s += " WHEN " + x + " < " + lit(*b.Lower) + " THEN " + lit(*b.Lower)
	}
	if b.Upper != nil {
		s += " WHEN " + x + " > " + lit(*b.Upper) + " THEN " + lit(*b.Upper)
	}
	if s == "CASE" {
		o.SQL = x
		return o, nil
	}
	o.SQL = s + " ELSE " + x + " END"
	return o, nil
}

// onehot replaces each encoded column by its indicators (only the needed
// ones after Narrow): 1 where the value, as predict formats it, is the
// level; 0 elsewhere (missing values and unseen levels included).
func (q *Query) onehot(base string, s Step) error {
	o := s.Onehot
	var outs []Out
	for _, c := range q.cols {
		if !slices.Contains(o.Columns, c.Name) {
			outs = append(outs, q.Pass(c))
		}
	}
	for _, name := range o.Columns {
		c, ok := q.Col(name)
		if !ok {
			return fmt.Errorf("no column %q here", name)
		}
		levels := o.Levels[name]
		start := 0
		if o.DropFirst {
			start = 1
		}
		for _, l := range levels[min(start, len(levels)):] {
			ind := name + o.PrefixSep + l
			if o.keep != nil && !o.keep[ind] {
				continue
			}
			if _, exists := q.Col(ind); exists && !slices.Contains(o.Columns, ind) {
				return fmt.Errorf("onehot %q: column %q already exists", name, ind)
			}
			match, err := q.levelMatch(c, l)
			if err != nil {
				return err
			}
			sql := "0"
			if match != "" {
				sql = "CASE WHEN " + match + " THEN 1 ELSE 0 END"
			}
			outs = append(outs, Out{Column: Column{Name: ind, Kind: frame.Int}, SQL: q.d.Cast(sql, frame.Int)})
		}
	}
	return q.Layer(base, s.Name, outs, nil, "")
}

// levelMatch is the condition "the column's value, formatted as predict
// formats it (frame.Column.Format), is level" — "" when no value can be.
func (q *Query) levelMatch(c Column, level string) (string, error) {
	x := q.Ref(c.Name)
	switch c.Kind {
	case frame.String:
		s, err := q.d.String(level)
		if err != nil {
			return "", err
		}
		return x + " = " + s, nil
	case frame.Int:
		v, err := strconv.ParseInt(level, 10, 64)
		if err != nil || strconv.FormatInt(v, 10) != level {
			return "", nil
		}
		return x + " = " + q.d.Int(v), nil
	case frame.Float:
		v, err := strconv.ParseFloat(level, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || frame.FormatFloat(v) != level {
			return "", nil
		}
		// (SQL's = takes -0 for 0: a level "0" also matches a -0 cell,
		// which predict formats as "-0"; see docs/warehouse.md.)
		return x + " = " + q.d.Float(v), nil
	case frame.Bool:
		switch level {
		case "true":
			return x, nil
		case "false":
			return "NOT " + x, nil
		}
		return "", nil
	}
	return "", fmt.Errorf("onehot of a %s column", c.Kind)
}
