package clean

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/stats"
)

// The value steps on the gota engine: fillna and clip.

// applyGota implements gotaOp: each column's missing elements are set with
// gota's Series.Set on a copy (Set changes the series in place, and its
// elements are shared with df), and the columns are replaced in one Capply.
func (f *Fillna) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	return mapColumns(df, slices.Collect(maps.Keys(*f)), func(s series.Series) (series.Series, error) {
		fill := (*f)[s.Name]
		kind, err := frame.KindOf(s.Type())
		if err != nil {
			return s, err
		}
		if err := checkFill(&frame.Column{Name: s.Name, Kind: kind}, fill); err != nil {
			return s, fmt.Errorf("fillna %q: %w", s.Name, err)
		}
		var na []int
		for i := range s.Len() {
			if s.Elem(i).IsNA() {
				na = append(na, i)
			}
		}
		if len(na) == 0 {
			return s, nil // checked anyway, as the native engine does
		}
		v, err := gotaFillValue(s, kind, fill)
		if err != nil {
			return s, fmt.Errorf("fillna %q: %w", s.Name, err)
		}
		return setMissing(s, kind, na, v), nil
	})
}

// fillValue is the value that fills s's missing elements: the constant,
// or the statistic of the non-missing values. gota's Mean is NaN and its
// Median sorts NAs in as soon as a value is missing, so the mean is gota's
// Mean over the non-missing rows (Subset) — the same gonum call as the
// native engine's — and the median is pandas' (internal/stats), as native.
func gotaFillValue(s series.Series, kind frame.Kind, f Fill) (any, error) {
	switch f.Method {
	case "mean", "median":
		var v float64
		if f.Method == "mean" {
			v = meanNonMissing(s)
		} else {
			v = stats.Describe(s.Float()).Q50
		}
		if math.IsNaN(v) {
			return nil, fmt.Errorf("every value is missing; there is no %s", f.Method)
		}
		return v, nil
	case "mode":
		return gotaModeOf(s, kind)
	}
	switch v := f.Value.(type) {
	case int64:
		if kind == frame.String {
			return strconv.FormatInt(v, 10), nil
		}
		return float64(v), nil
	case float64:
		if kind == frame.String {
			return frame.FormatFloat(v), nil // gota would print 6 decimals
		}
		return v, nil
	}
	return f.Value, nil // a string or a bool, checked by checkFill
}

// meanNonMissing is gota's Mean of the non-missing elements.
func meanNonMissing(s series.Series) float64 {
	var rows []int
	for i := range s.Len() {
		if !s.Elem(i).IsNA() {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return math.NaN()
	}
	return s.Subset(rows).Mean()
}

// modeOf is the most frequent non-missing value of s; ties go to the
// smallest value, as pandas' mode()[0] (and the native engine).
func gotaModeOf(s series.Series, kind frame.Kind) (any, error) {
	none := fmt.Errorf("every value is missing; there is no mode")
	switch kind {
	case frame.String:
		counts := map[string]int{}
		best, bestN := "", 0
		for i := range s.Len() {
			if e := s.Elem(i); !e.IsNA() {
				counts[e.String()]++
			}
		}
		for v, n := range counts {
			if n > bestN || n == bestN && v < best {
				best, bestN = v, n
			}
		}
		if bestN == 0 {
			return nil, none
		}
		return best, nil
	case frame.Bool:
		var t, f int
		for i := range s.Len() {
			if e := s.Elem(i); !e.IsNA() {
				if b, _ := e.Bool(); b {
					t++
				} else {
					f++
				}
			}
		}
		if t+f == 0 {
			return nil, none
		}
		return t > f, nil
	}
	counts := map[float64]int{}
	for _, v := range s.Float() {
		if !math.IsNaN(v) {
			counts[v]++
		}
	}
	if len(counts) == 0 {
		return nil, none
	}
	best, bestN := 0.0, -1
	for v, n := range counts {
		if n > bestN || n == bestN && v < best {
			best, bestN = v, n
		}
	}
	return best, nil
}

// setMissing returns a copy of s with the elements at rows na set to v
// (float64, string or bool). An int column stays int when v is a whole
// number, and becomes float otherwise (gota's int → float conversion is
// exact and keeps NAs).
func setMissing(s series.Series, kind frame.Kind, na []int, v any) series.Series {
	var fill series.Series
	out := s
	switch x := v.(type) {
	case float64:
		if kind == frame.Int && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			fill = series.New(repeat(int(x), len(na)), series.Int, "")
		} else {
			if kind == frame.Int {
				out = series.New(s, series.Float, s.Name) // a new series already
			}
			fill = series.New(repeat(x, len(na)), series.Float, "")
		}
	case string:
		fill = series.New(repeat(x, len(na)), series.String, "")
		if x == "NaN" {
			// series.New reads the text "NaN" as NA (Set would then copy
			// an NA's text back as "NaN", by another gota quirk that is
			// not relied upon): write it as text.
			for i := range na {
				fill.Elem(i).Set(frame.TextElement(x))
			}
		}
	case bool:
		fill = series.New(repeat(x, len(na)), series.Bool, "")
	}
	if out.Type() == s.Type() {
		out = s.Copy()
	}
	return out.Set(na, fill)
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// applyGota implements gotaOp: the columns are clipped in one Capply. The
// quantile bounds are pandas' linear quantiles of the non-missing values
// (gota's Quantile is gonum's Empirical one and counts NAs).
func (c *Clip) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	return mapColumns(df, slices.Collect(maps.Keys(*c)), func(s series.Series) (series.Series, error) {
		kind, err := frame.KindOf(s.Type())
		if err != nil {
			return s, err
		}
		if !kind.Numeric() {
			return s, fmt.Errorf("clip %q: the column holds %ss, not numbers", s.Name, kind)
		}
		return (*c)[s.Name].clipSeries(s, kind), nil
	})
}

// clipSeries clips the numeric series s; an int series stays int when
// both bounds are whole numbers (or absent).
func (b ClipBounds) clipSeries(s series.Series, kind frame.Kind) series.Series {
	x := s.Float() // NaN at NA
	lo, hi := b.bounds(x)
	for i, v := range x {
		if !math.IsNaN(v) {
			x[i] = math.Min(math.Max(v, lo), hi)
		}
	}
	if kind == frame.Int && (math.IsInf(lo, 0) || lo == math.Trunc(lo)) && (math.IsInf(hi, 0) || hi == math.Trunc(hi)) {
		vals := make([]int64, len(x))
		miss := make([]bool, len(x))
		for i, v := range x {
			if math.IsNaN(v) {
				miss[i] = true
			} else {
				vals[i] = int64(v)
			}
		}
		return frame.NewInt(s.Name, vals, miss).Series()
	}
	return frame.NewFloat(s.Name, x, nil).Series() // NaN is missing
}
