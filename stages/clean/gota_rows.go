package clean

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
)

// The row steps on the gota engine: filter, dropna, dedupe.

// applyGota implements gotaOp: rowexpr gives the mask (with the documented
// missing-value rule; gota's Filter converts the compared value to the
// column's type and cannot combine columns) and gota's Subset applies it.
func (f *Filter) applyGota(ctx context.Context, df dataframe.DataFrame, ex *gotaExpr) (dataframe.DataFrame, error) {
	keep, err := ex.prog.Filter(ctx, ex.cols)
	if err != nil {
		return df, err
	}
	return keepRows(df, keep), nil
}

// notNA is a gota comparison function: the element is not NA.
func notNA(e series.Element) bool { return !e.IsNA() }

// applyGota implements gotaOp with gota's FilterAggregation: one "is not
// NA" filter per column, combined with And (how: any) or Or (how: all).
func (x *Dropna) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	names := x.Columns
	if len(names) == 0 {
		names = df.Names()
	}
	if err := requireColumns(df, names); err != nil {
		return df, err
	}
	filters := make([]dataframe.F, len(names))
	for i, name := range names {
		filters[i] = dataframe.F{Colname: name, Comparator: series.CompFunc, Comparando: notNA}
	}
	agg := dataframe.And
	if x.How == "all" {
		agg = dataframe.Or
	}
	out := df.FilterAggregation(agg, filters...)
	if out.Err == nil && out.Nrow() == df.Nrow() {
		return df, nil // nothing dropped: no copy, as the native table
	}
	return out, nil
}

// applyGota implements gotaOp. gota has no drop_duplicates, and its GroupBy
// keys rows by formatted text (floats at 6 decimals) and fails on NA, so
// rows are keyed by their exact typed values read from gota's elements
// (missing equals missing, -0 equals 0) and Subset keeps the first (or
// last) of each group, in table order.
func (x *Dedupe) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	names := x.Columns
	if len(names) == 0 {
		names = df.Names()
	}
	if err := requireColumns(df, names); err != nil {
		return df, err
	}
	all, types := df.Names(), df.Types()
	idx := make([]int, len(names))
	kinds := make([]frame.Kind, len(names))
	for k, name := range names {
		for j, n := range all {
			if n == name {
				idx[k] = j
				kinds[k], _ = frame.KindOf(types[j])
			}
		}
	}
	n := df.Nrow()
	keep := make([]bool, n)
	seen := make(map[string]struct{}, n)
	var key []byte
	for r := range n {
		i := r
		if x.Keep == "last" {
			i = n - 1 - r
		}
		key = key[:0]
		for k, j := range idx {
			key = elemKey(key, kinds[k], df.Elem(i, j))
		}
		if _, dup := seen[string(key)]; !dup {
			seen[string(key)] = struct{}{}
			keep[i] = true
		}
	}
	return keepRows(df, keep), nil
}

// elemKey appends a cell's exact value to key: a missing marker, or the
// value's bits (-0 as 0), strings length-prefixed.
func elemKey(key []byte, k frame.Kind, e series.Element) []byte {
	if e.IsNA() {
		return append(key, 0)
	}
	key = append(key, 1)
	switch k {
	case frame.Float:
		f := e.Float()
		if f == 0 {
			f = 0 // -0 equals 0
		}
		return binary.LittleEndian.AppendUint64(key, math.Float64bits(f))
	case frame.Int:
		v, _ := e.Int() // not NA
		return binary.LittleEndian.AppendUint64(key, uint64(v))
	case frame.Bool:
		if b, _ := e.Bool(); b {
			return append(key, 1)
		}
		return append(key, 0)
	}
	s := e.String()
	key = binary.AppendUvarint(key, uint64(len(s)))
	return append(key, s...)
}
