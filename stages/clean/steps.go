package clean

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/internal/stats"
)

// apply runs one step on t and returns the new table (t is not modified).
func apply(ctx context.Context, st *Step, t *frame.Table, prog *rowexpr.Program) (*frame.Table, error) {
	switch st.kind {
	case "filter":
		keep, err := prog.Filter(ctx, t)
		if err != nil {
			return nil, err
		}
		return t.Filter(keep), nil
	case "select":
		return t.Select(st.Select...)
	case "drop":
		return t.Drop(st.Drop...)
	case "rename":
		return t.Rename(st.Rename)
	case "derive":
		col, err := prog.Derive(ctx, t, st.Derive.Name)
		if err != nil {
			return nil, err
		}
		if st.Derive.Type != "" {
			k, _ := frame.ParseKind(st.Derive.Type)
			if col, err = castColumn(col, k); err != nil {
				return nil, err
			}
		}
		return t.With(col)
	case "cast":
		return castStep(t, st.Cast)
	case "dropna":
		return dropna(t, st.Dropna)
	case "fillna":
		return fillna(t, st.Fillna)
	case "dedupe":
		return dedupe(t, st.Dedupe)
	case "clip":
		return clip(t, st.Clip)
	case "onehot":
		return onehot(t, st.Onehot)
	}
	return nil, fmt.Errorf("unknown step %q", st.kind)
}

func castStep(t *frame.Table, casts map[string]string) (*frame.Table, error) {
	for _, name := range sortedKeys(casts) {
		k, _ := frame.ParseKind(casts[name])
		col := t.Col(name)
		if col == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		nc, err := castColumn(col, k)
		if err != nil {
			return nil, err
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// castColumn converts a column. To int: floats truncate toward zero like
// pandas astype(int), and a missing value is an error (pandas raises too);
// strings must parse.
func castColumn(c *frame.Column, k frame.Kind) (*frame.Column, error) {
	if c.Kind == k {
		return c, nil
	}
	n := c.Len()
	switch k {
	case frame.Int:
		if miss := c.NumMissing(); miss > 0 {
			return nil, fmt.Errorf("cast %q to int: %d missing values (first at row %d); fill or drop them first (fillna / dropna)", c.Name, miss, firstMissing(c)+1)
		}
		out := make([]int64, n)
		for i := range n {
			switch c.Kind {
			case frame.Float:
				f := c.Floats[i]
				if math.IsInf(f, 0) || f >= 9.2e18 || f <= -9.2e18 {
					return nil, fmt.Errorf("cast %q to int: row %d value %g does not fit an int", c.Name, i+1, f)
				}
				out[i] = int64(f) // Go conversion truncates toward zero
			case frame.Bool:
				if c.Bools[i] {
					out[i] = 1
				}
			case frame.String:
				s := strings.TrimSpace(c.Dict[c.Codes[i]])
				v, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					f, ferr := strconv.ParseFloat(s, 64)
					if ferr != nil || math.IsInf(f, 0) || math.IsNaN(f) {
						return nil, fmt.Errorf("cast %q to int: row %d value %q is not a number", c.Name, i+1, c.Dict[c.Codes[i]])
					}
					v = int64(f)
				}
				out[i] = v
			}
		}
		return frame.NewInt(c.Name, out, nil), nil
	case frame.Float:
		if c.Kind == frame.String {
			out := make([]float64, n)
			for i := range n {
				if c.IsMissing(i) {
					out[i] = math.NaN()
					continue
				}
				v, err := strconv.ParseFloat(strings.TrimSpace(c.Dict[c.Codes[i]]), 64)
				if err != nil || math.IsNaN(v) {
					return nil, fmt.Errorf("cast %q to float: row %d value %q is not a number", c.Name, i+1, c.Dict[c.Codes[i]])
				}
				out[i] = v
			}
			return frame.NewFloat(c.Name, out, nil), nil
		}
		f, err := c.Float64s()
		if err != nil {
			return nil, err
		}
		return frame.NewFloat(c.Name, f, nil), nil
	case frame.String:
		vals := make([]string, n)
		for i := range n {
			vals[i] = c.Format(i)
		}
		return frame.NewString(c.Name, vals, c.Missing), nil
	case frame.Bool:
		out := make([]bool, n)
		for i := range n {
			if c.IsMissing(i) {
				continue
			}
			switch c.Kind {
			case frame.Int:
				out[i] = c.Ints[i] != 0
			case frame.Float:
				out[i] = c.Floats[i] != 0
			case frame.String:
				b, err := strconv.ParseBool(strings.TrimSpace(c.Dict[c.Codes[i]]))
				if err != nil {
					return nil, fmt.Errorf("cast %q to bool: row %d value %q is not true/false", c.Name, i+1, c.Dict[c.Codes[i]])
				}
				out[i] = b
			}
		}
		return frame.NewBool(c.Name, out, c.Missing), nil
	}
	return nil, fmt.Errorf("cast %q: unsupported type %s", c.Name, k)
}

func firstMissing(c *frame.Column) int {
	for i, m := range c.Missing {
		if m {
			return i
		}
	}
	return -1
}

// columnsOrAll returns the named columns, or every column when names is
// empty.
func columnsOrAll(t *frame.Table, names []string) ([]*frame.Column, error) {
	if len(names) == 0 {
		return t.Columns(), nil
	}
	cols := make([]*frame.Column, len(names))
	for i, name := range names {
		if cols[i] = t.Col(name); cols[i] == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
	}
	return cols, nil
}

func dropna(t *frame.Table, d *Dropna) (*frame.Table, error) {
	cols, err := columnsOrAll(t, d.Columns)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, t.NumRows())
	for i := range keep {
		missing := 0
		for _, c := range cols {
			if c.IsMissing(i) {
				missing++
			}
		}
		if d.How == "all" {
			keep[i] = missing < len(cols) || len(cols) == 0
		} else {
			keep[i] = missing == 0
		}
	}
	return t.Filter(keep), nil
}

func fillna(t *frame.Table, fills map[string]Fill) (*frame.Table, error) {
	for _, name := range sortedKeys(fills) {
		c := t.Col(name)
		if c == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		if err := checkFill(c, fills[name]); err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if c.Missing == nil {
			continue // checked anyway, so tomorrow's data with gaps does not fail first
		}
		nc, err := fillColumn(c, fills[name])
		if err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
}

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

func fillColumn(c *frame.Column, f Fill) (*frame.Column, error) {
	switch f.Method {
	case "mean", "median":
		if !c.Kind.Numeric() {
			return nil, fmt.Errorf("%s needs a numeric column; %q holds %ss (use mode or a constant)", f.Method, c.Name, c.Kind)
		}
		x, _ := c.Float64s()
		d := stats.Describe(x)
		v := d.Mean
		if f.Method == "median" {
			v = d.Q50
		}
		if math.IsNaN(v) {
			return nil, fmt.Errorf("every value is missing; there is no %s", f.Method)
		}
		return fillNumber(c, v), nil
	case "mode":
		return fillMode(c)
	}
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
		if c.Kind != frame.String {
			return nil, fmt.Errorf("cannot fill the %s column with the text %q", c.Kind, v)
		}
		return fillString(c, v), nil
	case bool:
		if c.Kind != frame.Bool {
			return nil, fmt.Errorf("cannot fill the %s column with %v", c.Kind, v)
		}
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
		vals := append([]int64(nil), c.Ints...)
		for i, m := range c.Missing {
			if m {
				vals[i] = int64(v)
			}
		}
		return frame.NewInt(c.Name, vals, nil)
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
			vals[i] = c.Dict[c.Codes[i]]
		}
	}
	return frame.NewString(c.Name, vals, nil)
}

// fillMode fills with the most frequent value; ties go to the smallest
// value, as pandas' mode()[0] does (it sorts the modes).
func fillMode(c *frame.Column) (*frame.Column, error) {
	switch c.Kind {
	case frame.String:
		counts := make([]int, len(c.Dict))
		for _, code := range c.Codes {
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
			return nil, fmt.Errorf("every value is missing; there is no mode")
		}
		return fillString(c, c.Dict[best]), nil
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
			return nil, fmt.Errorf("every value is missing; there is no mode")
		}
		return fillColumn(c, Fill{Value: t > f})
	}
	x, _ := c.Float64s()
	counts := map[float64]int{}
	for _, v := range x {
		if !math.IsNaN(v) {
			counts[v]++
		}
	}
	if len(counts) == 0 {
		return nil, fmt.Errorf("every value is missing; there is no mode")
	}
	best, bestN := 0.0, -1
	for v, n := range counts {
		if n > bestN || n == bestN && v < best {
			best, bestN = v, n
		}
	}
	return fillNumber(c, best), nil
}

// dedupe keeps the first (or last) row of each group of rows with equal
// values in the key columns. Values are compared exactly by their typed
// bits, never through formatted text.
func dedupe(t *frame.Table, d *Dedupe) (*frame.Table, error) {
	cols, err := columnsOrAll(t, d.Columns)
	if err != nil {
		return nil, err
	}
	n := t.NumRows()
	seen := make(map[string]int, n)
	keep := make([]bool, n)
	key := make([]byte, 0, 9*len(cols))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if d.Keep == "last" {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			order[i], order[j] = order[j], order[i]
		}
	}
	for _, i := range order {
		key = key[:0]
		for _, c := range cols {
			if c.IsMissing(i) {
				key = append(key, 0)
				continue
			}
			key = append(key, 1)
			switch c.Kind {
			case frame.Float:
				f := c.Floats[i]
				if f == 0 {
					f = 0 // -0 equals 0
				}
				key = binary.LittleEndian.AppendUint64(key, math.Float64bits(f))
			case frame.Int:
				key = binary.LittleEndian.AppendUint64(key, uint64(c.Ints[i]))
			case frame.Bool:
				if c.Bools[i] {
					key = append(key, 1)
				} else {
					key = append(key, 0)
				}
			default:
				key = binary.LittleEndian.AppendUint32(key, uint32(c.Codes[i]))
			}
		}
		if _, dup := seen[string(key)]; !dup {
			seen[string(key)] = i
			keep[i] = true
		}
	}
	return t.Filter(keep), nil
}

func clip(t *frame.Table, clips map[string]Clip) (*frame.Table, error) {
	for _, name := range sortedKeys(clips) {
		c := t.Col(name)
		if c == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		if !c.Kind.Numeric() {
			return nil, fmt.Errorf("clip %q: the column holds %ss, not numbers", name, c.Kind)
		}
		spec := clips[name]
		x, _ := c.Float64s()
		lo, hi := math.Inf(-1), math.Inf(1)
		if spec.LowerQuantile != nil || spec.UpperQuantile != nil {
			sorted := make([]float64, 0, len(x))
			for _, v := range x {
				if !math.IsNaN(v) {
					sorted = append(sorted, v)
				}
			}
			sort.Float64s(sorted)
			if spec.LowerQuantile != nil {
				lo = stats.Quantile(sorted, *spec.LowerQuantile)
			}
			if spec.UpperQuantile != nil {
				hi = stats.Quantile(sorted, *spec.UpperQuantile)
			}
		}
		if spec.Lower != nil {
			lo = *spec.Lower
		}
		if spec.Upper != nil {
			hi = *spec.Upper
		}
		for i, v := range x {
			if !math.IsNaN(v) {
				x[i] = math.Min(math.Max(v, lo), hi)
			}
		}
		nc := frame.NewFloat(name, x, c.Missing)
		if c.Kind == frame.Int && (math.IsInf(lo, 0) || lo == math.Trunc(lo)) && (math.IsInf(hi, 0) || hi == math.Trunc(hi)) {
			vals := make([]int64, len(x))
			for i, v := range x {
				if !math.IsNaN(v) {
					vals[i] = int64(v)
				}
			}
			nc = frame.NewInt(name, vals, c.Missing)
		}
		var err error
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func onehot(t *frame.Table, o *Onehot) (*frame.Table, error) {
	var added []*frame.Column
	for _, name := range o.Columns {
		c := t.Col(name)
		if c == nil {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		levels, labels, err := levelsOf(c)
		if err != nil {
			return nil, err
		}
		if len(levels) > o.MaxLevels {
			return nil, fmt.Errorf("onehot %q: %d distinct values, more than max_levels %d (an id or free-text column?); raise max_levels if this is intended", name, len(levels), o.MaxLevels)
		}
		start := 0
		if o.DropFirst {
			start = 1
		}
		for li := start; li < len(levels); li++ {
			vals := make([]int64, c.Len())
			for i := range vals {
				if labels[i] == li {
					vals[i] = 1
				}
			}
			col := frame.NewInt(name+o.PrefixSep+levels[li], vals, nil)
			if t.Has(col.Name) {
				return nil, fmt.Errorf("onehot %q: column %q already exists", name, col.Name)
			}
			added = append(added, col)
		}
	}
	out, err := t.Drop(o.Columns...)
	if err != nil {
		return nil, err
	}
	for _, col := range added {
		if out, err = out.With(col); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// levelsOf returns the sorted distinct values of a column as text and the
// level index of each row (-1 for missing). Numbers sort numerically.
func levelsOf(c *frame.Column) ([]string, []int, error) {
	n := c.Len()
	labels := make([]int, n)
	type lv struct {
		text string
		num  float64
	}
	index := map[string]int{}
	var levels []lv
	for i := range n {
		if c.IsMissing(i) {
			labels[i] = -1
			continue
		}
		s := c.Format(i)
		k, ok := index[s]
		if !ok {
			v, _ := c.Value(i)
			k = len(levels)
			index[s] = k
			levels = append(levels, lv{text: s, num: v})
		}
		labels[i] = k
	}
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		la, lb := levels[order[a]], levels[order[b]]
		if c.Kind != frame.String && la.num != lb.num {
			return la.num < lb.num
		}
		return la.text < lb.text
	})
	rank := make([]int, len(levels))
	names := make([]string, len(levels))
	for r, k := range order {
		rank[k] = r
		names[r] = levels[k].text
	}
	for i, l := range labels {
		if l >= 0 {
			labels[i] = rank[l]
		}
	}
	return names, labels, nil
}
