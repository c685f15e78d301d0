package clean

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Onehot turns categorical columns into 0/1 columns named
// <column><prefix_sep><level>, levels sorted as pandas.get_dummies does;
// the original columns are removed and the new ones appended. A missing
// value gives 0 in every indicator.
type Onehot struct {
	// Columns to encode. Required.
	Columns []string `yaml:"columns,required" json:"columns,omitempty"`
	// DropFirst drops the first level's column of each (avoids collinearity).
	DropFirst bool `yaml:"drop_first" json:"drop_first,omitempty"`
	// PrefixSep joins column and level. Default "_".
	PrefixSep string `yaml:"prefix_sep" json:"prefix_sep,omitempty"`
	// MaxLevels guards against encoding an id by mistake. Default 50.
	MaxLevels int `yaml:"max_levels" json:"max_levels,omitempty"`
	// Levels fixes the levels of some columns (column → levels, in column
	// order); a value not listed gives 0 in every indicator. Optional: by
	// default the levels are the column's distinct values. model.json
	// records the levels found this way, so new rows get the training's
	// columns.
	Levels map[string][]string `yaml:"levels" json:"levels,omitempty"`
}

// Validate implements Op.
func (o *Onehot) Validate(fe *confyaml.FieldErrors, key string) {
	if len(o.Columns) == 0 {
		fe.Add(key+".columns", "list at least one column")
	}
	if o.MaxLevels < 2 {
		fe.Add(key+".max_levels", "must be at least 2")
	}
	for _, col := range slices.Sorted(maps.Keys(o.Levels)) {
		k := confyaml.MapKey(key+".levels", col)
		if !slices.Contains(o.Columns, col) {
			fe.Add(k, "%q is not one of the columns to encode", col)
		}
		seen := map[string]bool{}
		for i, l := range o.Levels[col] {
			if seen[l] {
				fe.Add(fmt.Sprintf("%s[%d]", k, i), "level %q is listed twice", l)
			}
			seen[l] = true
		}
	}
}

// CheckColumns implements Op: when the schema knows the column's values
// (segment validate reads them) the new columns are added by name, 0/1
// ints; otherwise their names are known once the data is read, so their
// prefix is declared.
func (o *Onehot) CheckColumns(s *pipeline.Schema, key string) {
	for j, col := range o.Columns {
		ok := s.Require(fmt.Sprintf("%s.columns[%d]", key, j), col)
		t, typed := s.Type(col)
		if ok {
			s.Remove(col)
		}
		if !ok || !typed || t.Levels == nil || len(t.Levels) > o.MaxLevels {
			s.AddDynamic(col + o.PrefixSep)
			continue
		}
		for _, name := range o.names(col, t.Levels) {
			s.Add(name)
			s.SetType(name, pipeline.ColumnType{Kind: frame.Int, Levels: []string{"0", "1"}})
		}
	}
}

// names are the columns made from col's levels (sorted as levelsOf sorts
// them).
func (o *Onehot) names(col string, levels []string) []string {
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

// Vars implements varsOp: the new columns depend on the data.
func (o *Onehot) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	return vars, false
}

// Apply implements Op.
func (o *Onehot) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	return o.encode(t, nil)
}

// encode replaces the columns by their indicators. With x (replaying on
// new rows), a value not among the levels is counted, or recorded as a
// problem of its row with UnseenReject; in every case its indicators are 0.
func (o *Onehot) encode(t *frame.Table, x *replayCtx) (*frame.Table, error) {
	var added []*frame.Column
	for _, name := range o.Columns {
		c, err := column(t, name)
		if err != nil {
			return nil, err
		}
		levels, labels, err := o.levelsOf(c)
		if err != nil {
			return nil, err
		}
		if x != nil {
			x.unseenLevels(name, c, labels)
		} else if len(levels) > o.MaxLevels {
			return nil, fmt.Errorf("onehot %q: %d distinct values, more than max_levels %d (an id or free-text column?); raise max_levels if this is intended", name, len(levels), o.MaxLevels)
		}
		start := 0
		if o.DropFirst {
			start = 1
		}
		names := o.names(name, levels)
		for li := start; li < len(levels); li++ {
			vals := make([]int64, c.Len())
			for i := range vals {
				if labels[i] == li {
					vals[i] = 1
				}
			}
			col := frame.NewInt(names[li-start], vals, nil)
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

// unlisted marks a value that is not one of the fixed levels.
const unlisted = -2

// levelsOf returns the column's levels — the fixed ones, or its sorted
// distinct values — and each row's level index (-1 missing, unlisted for a
// value not among fixed levels).
func (o *Onehot) levelsOf(c *frame.Column) ([]string, []int, error) {
	fixed, ok := o.Levels[c.Name]
	if !ok {
		return levelsOf(c)
	}
	index := make(map[string]int, len(fixed))
	for i, l := range fixed {
		index[l] = i
	}
	level := func(text string) int {
		if l, ok := index[text]; ok {
			return l
		}
		return unlisted
	}
	labels := make([]int, c.Len())
	var byCode []int // text columns: each distinct value looked up once
	if c.Kind == frame.String {
		byCode = make([]int, len(c.Dict))
		for code, v := range c.Dict {
			byCode[code] = level(v)
		}
	}
	for i := range labels {
		switch {
		case c.IsMissing(i):
			labels[i] = -1
		case byCode != nil:
			labels[i] = byCode[c.Code(i)]
		default:
			labels[i] = level(c.Format(i))
		}
	}
	return fixed, labels, nil
}

// unseenLevels counts (or, with UnseenReject, records) the rows whose value
// of column name is not a level.
func (x *replayCtx) unseenLevels(name string, c *frame.Column, labels []int) {
	counts := map[string]int{}
	rows := 0
	for i, l := range labels {
		if l != unlisted {
			continue
		}
		v := c.Format(i)
		if x.unseen == UnseenReject {
			x.problem(i, name, v, "a level never seen in training")
			continue
		}
		counts[v]++
		rows++
	}
	if rows == 0 {
		return
	}
	u := Unseen{Step: x.name, Column: name, Rows: rows}
	for l, n := range counts {
		u.Levels = append(u.Levels, LevelCount{Level: l, Rows: n})
	}
	slices.SortFunc(u.Levels, func(a, b LevelCount) int {
		if a.Rows != b.Rows {
			return b.Rows - a.Rows
		}
		return strings.Compare(a.Level, b.Level)
	})
	x.res.Unseen = append(x.res.Unseen, u)
}

// Freeze implements Freezer: the levels the step found in the training
// rows (all of them, also the first when drop_first is set) are written
// out, so new rows get the same columns.
func (o *Onehot) Freeze(in *frame.Table) (Op, error) {
	out := *o
	out.Columns = slices.Clone(o.Columns)
	out.Levels = make(map[string][]string, len(o.Columns))
	for _, name := range o.Columns {
		c, err := column(in, name)
		if err != nil {
			return nil, err
		}
		levels, _, err := o.levelsOf(c)
		if err != nil {
			return nil, err
		}
		out.Levels[name] = append([]string{}, levels...)
	}
	return &out, nil
}

// restrict implements replayer: a column is encoded when one of its
// indicators is needed, and is then needed itself.
func (o *Onehot) restrict(need map[string]bool, _ []string) (Op, []string) {
	out := *o
	out.Columns = nil
	out.Levels = map[string][]string{}
	start := 0
	if o.DropFirst {
		start = 1
	}
	for _, name := range o.Columns {
		levels := o.Levels[name]
		used := false
		for _, l := range levels[min(start, len(levels)):] {
			if ind := name + o.PrefixSep + l; need[ind] {
				used = true
				delete(need, ind)
			}
		}
		if used {
			out.Columns = append(out.Columns, name)
			out.Levels[name] = levels
			need[name] = true
		}
	}
	if len(out.Columns) == 0 {
		return nil, nil
	}
	return &out, out.Columns
}

// replay implements replayOp: the frozen levels encode new rows; values
// never seen in training give zeros and are counted (or are problems).
func (o *Onehot) replay(_ context.Context, t *frame.Table, x *replayCtx) (*frame.Table, error) {
	return o.encode(t, x)
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
