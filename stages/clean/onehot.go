package clean

import (
	"context"
	"fmt"
	"sort"

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
}

// Validate implements Op.
func (o *Onehot) Validate(fe *confyaml.FieldErrors, key string) {
	if len(o.Columns) == 0 {
		fe.Add(key+".columns", "list at least one column")
	}
	if o.MaxLevels < 2 {
		fe.Add(key+".max_levels", "must be at least 2")
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
	var added []*frame.Column
	for _, name := range o.Columns {
		c, err := column(t, name)
		if err != nil {
			return nil, err
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
