package clean

import (
	"context"
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
)

// applyGota implements gotaOp: the indicator columns are built as gota int
// series, the encoded columns removed with gota's Drop and the indicators
// appended with CBind. Level names are the values as the native table
// formats them (gota prints floats with 6 decimals), and repeated names
// are checked first (gota's CBind would rename them x_0, x_1).
func (o *Onehot) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	have := df.Names()
	var added []series.Series
	at := map[string]int{} // an indicator made twice replaces the first, as the native table's With
	for _, name := range o.Columns {
		c, err := frame.FromDataFrameColumn(df, name)
		if err != nil {
			return df, err
		}
		levels, labels, err := levelsOf(c)
		if err != nil {
			return df, err
		}
		if len(levels) > o.MaxLevels {
			return df, fmt.Errorf("onehot %q: %d distinct values, more than max_levels %d (an id or free-text column?); raise max_levels if this is intended", name, len(levels), o.MaxLevels)
		}
		start := 0
		if o.DropFirst {
			start = 1
		}
		for li := start; li < len(levels); li++ {
			vals := make([]int, len(labels))
			for i, l := range labels {
				if l == li {
					vals[i] = 1
				}
			}
			col := name + o.PrefixSep + levels[li]
			if hasName(have, col) {
				return df, fmt.Errorf("onehot %q: column %q already exists", name, col)
			}
			s := series.New(vals, series.Int, col)
			if k, ok := at[col]; ok {
				added[k] = s
				continue
			}
			at[col] = len(added)
			added = append(added, s)
		}
	}
	kept := 0
	for _, n := range have {
		if !hasName(o.Columns, n) {
			kept++
		}
	}
	switch {
	case len(added) == 0 && kept == 0:
		return df, fmt.Errorf("this onehot leaves no columns (every column is encoded and has no level to keep), and a gota DataFrame cannot have none; use engine: native")
	case len(added) == 0:
		return df.Drop(o.Columns), nil
	case kept == 0:
		return dataframe.New(added...), nil
	}
	return df.Drop(o.Columns).CBind(dataframe.New(added...)), nil
}
