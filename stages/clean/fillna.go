package clean

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/pipeline"
)

// Fillna fills missing values per column: mean, median, mode, or a
// constant.
type Fillna map[string]Fill

// Validate implements Op: the fills are checked against the columns' types
// when the step runs.
func (f *Fillna) Validate(*confyaml.FieldErrors, string) {}

// CheckColumns implements Op.
func (f *Fillna) CheckColumns(s *pipeline.Schema, key string) { requireKeys(s, key, *f) }

// Vars implements varsOp: the filled columns have no missing values.
func (f *Fillna) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	for i := range vars {
		if _, ok := (*f)[vars[i].Name]; ok {
			vars[i].HasMissing = false
		}
	}
	return vars, true
}

// Apply implements Op: the columns are filled in name order.
func (f *Fillna) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	for _, name := range slices.Sorted(maps.Keys(*f)) {
		c, err := column(t, name)
		if err != nil {
			return nil, err
		}
		fill := (*f)[name]
		if err := checkFill(c, fill); err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if c.Missing == nil {
			continue // checked anyway, so tomorrow's data with gaps does not fail first
		}
		nc, err := fillColumn(c, fill)
		if err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
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

// MarshalJSON shows the fill as it was written: the method's word, or the
// constant ({"value": "mean"} for a text constant that is a method's word).
func (f Fill) MarshalJSON() ([]byte, error) {
	if f.Method != "" {
		return []byte(fmt.Sprintf("%q", f.Method)), nil
	}
	if s, ok := f.Value.(string); ok && isFillMethod(s) {
		return json.Marshal(map[string]string{"value": s})
	}
	return json.Marshal(f.Value)
}

// UnmarshalJSON reads what MarshalJSON writes (model.json's frozen fills):
// a method's word, {"value": constant}, or a constant; a whole number is an
// int64, another number a float64.
func (f *Fill) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if m, ok := v.(map[string]any); ok {
		val, ok := m["value"]
		if !ok || len(m) != 1 {
			return fmt.Errorf("a fill is a method, a constant or {\"value\": constant}, not %s", b)
		}
		v = val
	} else if s, ok := v.(string); ok && isFillMethod(s) {
		*f = Fill{Method: s}
		return nil
	}
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			v = i
		} else if fl, err := x.Float64(); err == nil {
			v = fl
		} else {
			return fmt.Errorf("fill value %s: %v", x, err)
		}
	case string, bool:
	default:
		return fmt.Errorf("a fill constant is a number, text or true/false, not %s", b)
	}
	*f = Fill{Value: v}
	return nil
}

func isFillMethod(s string) bool { return s == "mean" || s == "median" || s == "mode" }

// checkFill reports a fill that cannot apply to the column's type.
func checkFill(c *frame.Column, f Fill) error {
	switch f.Method {
	case "mean", "median":
		if !c.Kind.Numeric() {
			return fmt.Errorf("%s needs a numeric column; %q holds %ss (use mode or a constant)", f.Method, c.Name, c.Kind)
		}
		return nil
	case "mode":
		return nil
	}
	switch v := f.Value.(type) {
	case string:
		if c.Kind != frame.String {
			return fmt.Errorf("cannot fill the %s column with the text %q", c.Kind, v)
		}
	case bool:
		if c.Kind != frame.Bool {
			return fmt.Errorf("cannot fill the %s column with %v", c.Kind, v)
		}
	case int64, float64:
		if c.Kind == frame.Bool {
			return fmt.Errorf("cannot fill the bool column with the number %v", v)
		}
	default:
		return fmt.Errorf("unsupported fill value %v", f.Value)
	}
	return nil
}

// fillColumn fills c's missing values; checkFill has accepted f for c.
func fillColumn(c *frame.Column, f Fill) (*frame.Column, error) {
	v, err := fillValue(c, f)
	if err != nil {
		return nil, err
	}
	return fillConst(c, v)
}

// fillValue returns the constant f fills c with: the mean, median or mode
// of c's values for those methods, else f itself. checkFill has accepted f
// for c.
func fillValue(c *frame.Column, f Fill) (Fill, error) {
	switch f.Method {
	case "mean", "median":
		x, _ := c.Float64s()
		d := stats.Describe(x)
		v := d.Mean
		if f.Method == "median" {
			v = d.Q50
		}
		if math.IsNaN(v) {
			return Fill{}, fmt.Errorf("every value is missing; there is no %s", f.Method)
		}
		return Fill{Value: v}, nil
	case "mode":
		return modeOf(c)
	}
	return f, nil
}

// fillConst fills c's missing values with the constant f.Value.
func fillConst(c *frame.Column, f Fill) (*frame.Column, error) {
	switch v := f.Value.(type) {
	case int64:
		if c.Kind == frame.String {
			return fillString(c, strconv.FormatInt(v, 10)), nil
		}
		return fillNumber(c, float64(v)), nil
	case float64:
		if c.Kind == frame.String {
			return fillString(c, frame.FormatFloat(v)), nil
		}
		return fillNumber(c, v), nil
	case string:
		return fillString(c, v), nil
	case bool:
		vals := append([]bool(nil), c.Bools...)
		for i, m := range c.Missing {
			if m {
				vals[i] = v
			}
		}
		return frame.NewBool(c.Name, vals, nil), nil
	}
	return nil, fmt.Errorf("unsupported fill value %v", f.Value)
}

// fillNumber fills with v; an int column stays int when v is a whole number.
func fillNumber(c *frame.Column, v float64) *frame.Column {
	if c.Kind == frame.Int && v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		vals := c.Int64s()
		for i, m := range c.Missing {
			if m {
				vals[i] = int64(v)
			}
		}
		return frame.NewIntOwned(c.Name, vals, nil)
	}
	x, _ := c.Float64s()
	for i, m := range c.Missing {
		if m {
			x[i] = v
		}
	}
	return frame.NewFloat(c.Name, x, nil)
}

func fillString(c *frame.Column, v string) *frame.Column {
	vals := make([]string, c.Len())
	for i := range vals {
		if c.IsMissing(i) {
			vals[i] = v
		} else {
			vals[i] = c.Dict[c.Code(i)]
		}
	}
	return frame.NewString(c.Name, vals, nil)
}

// modeOf returns the most frequent value as a constant fill; ties go to
// the smallest value, as pandas' mode()[0] does (it sorts the modes).
func modeOf(c *frame.Column) (Fill, error) {
	noMode := fmt.Errorf("every value is missing; there is no mode")
	switch c.Kind {
	case frame.String:
		counts := make([]int, len(c.Dict))
		for i := range c.Len() {
			code := c.Code(i)
			if code >= 0 {
				counts[code]++
			}
		}
		best := -1
		for code, n := range counts {
			if n == 0 {
				continue
			}
			if best < 0 || n > counts[best] || n == counts[best] && c.Dict[code] < c.Dict[best] {
				best = code
			}
		}
		if best < 0 {
			return Fill{}, noMode
		}
		return Fill{Value: c.Dict[best]}, nil
	case frame.Bool:
		var t, f int
		for i, v := range c.Bools {
			if c.IsMissing(i) {
				continue
			}
			if v {
				t++
			} else {
				f++
			}
		}
		if t+f == 0 {
			return Fill{}, noMode
		}
		return Fill{Value: t > f}, nil
	}
	x, _ := c.Float64s()
	counts := map[float64]int{}
	for _, v := range x {
		if !math.IsNaN(v) {
			counts[v]++
		}
	}
	if len(counts) == 0 {
		return Fill{}, noMode
	}
	best, bestN := 0.0, -1
	for v, n := range counts {
		if n > bestN || n == bestN && v < best {
			best, bestN = v, n
		}
	}
	return Fill{Value: best}, nil
}

// Freeze implements Freezer: mean, median and mode become the value they
// gave on the training rows (computed even when the column had no missing
// value then, since new rows may have some).
func (f *Fillna) Freeze(in *frame.Table) (Op, error) {
	out := make(Fillna, len(*f))
	for _, name := range slices.Sorted(maps.Keys(*f)) {
		c, err := column(in, name)
		if err != nil {
			return nil, err
		}
		v, err := fillValue(c, (*f)[name])
		if err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		out[name] = v
	}
	return &out, nil
}

// restrict implements replayer: only the needed columns are filled.
func (f *Fillna) restrict(need map[string]bool, _ []string) (Op, []string) {
	return restrictMap(*f, need, func(m map[string]Fill) Op { r := Fillna(m); return &r })
}
