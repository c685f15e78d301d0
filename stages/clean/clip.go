package clean

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/pipeline"
)

// Clip limits values per column, by bounds or by quantiles.
type Clip map[string]ClipBounds

// ClipBounds limits a column: fixed bounds, quantile bounds, or both kinds
// mixed (a bound given both ways is an error).
type ClipBounds struct {
	Lower         *float64 `yaml:"lower" json:"lower,omitempty"`
	Upper         *float64 `yaml:"upper" json:"upper,omitempty"`
	LowerQuantile *float64 `yaml:"lower_quantile" json:"lower_quantile,omitempty"`
	UpperQuantile *float64 `yaml:"upper_quantile" json:"upper_quantile,omitempty"`
}

// Validate implements Op.
func (c *Clip) Validate(fe *confyaml.FieldErrors, key string) {
	for _, col := range slices.Sorted(maps.Keys(*c)) {
		(*c)[col].validate(fe, confyaml.MapKey(key, col))
	}
}

func (b ClipBounds) validate(fe *confyaml.FieldErrors, key string) {
	if b.Lower == nil && b.Upper == nil && b.LowerQuantile == nil && b.UpperQuantile == nil {
		fe.Add(key, "give lower/upper bounds or lower_quantile/upper_quantile")
	}
	if b.Lower != nil && b.LowerQuantile != nil {
		fe.Add(key, "give either lower or lower_quantile, not both")
	}
	if b.Upper != nil && b.UpperQuantile != nil {
		fe.Add(key, "give either upper or upper_quantile, not both")
	}
	for _, q := range []struct {
		name string
		v    *float64
	}{{"lower_quantile", b.LowerQuantile}, {"upper_quantile", b.UpperQuantile}} {
		if q.v != nil && (*q.v < 0 || *q.v > 1) {
			fe.Add(key+"."+q.name, "a quantile is between 0 and 1, got %g", *q.v)
		}
	}
	if b.Lower != nil && b.Upper != nil && *b.Lower > *b.Upper {
		fe.Add(key, "lower %g is above upper %g", *b.Lower, *b.Upper)
	}
	if b.LowerQuantile != nil && b.UpperQuantile != nil && *b.LowerQuantile > *b.UpperQuantile {
		fe.Add(key, "lower_quantile %g is above upper_quantile %g", *b.LowerQuantile, *b.UpperQuantile)
	}
}

// CheckColumns implements Op.
func (c *Clip) CheckColumns(s *pipeline.Schema, key string) { requireKeys(s, key, *c) }

// Apply implements Op: the columns are clipped in name order.
func (c *Clip) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	for _, name := range slices.Sorted(maps.Keys(*c)) {
		col, err := column(t, name)
		if err != nil {
			return nil, err
		}
		if !col.Kind.Numeric() {
			return nil, fmt.Errorf("clip %q: the column holds %ss, not numbers", name, col.Kind)
		}
		if t, err = t.With((*c)[name].clip(col)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// clip returns the numeric column c clipped; an int column stays int when
// both bounds are whole numbers (or absent).
func (b ClipBounds) clip(c *frame.Column) *frame.Column {
	x, _ := c.Float64s()
	lo, hi := b.bounds(x)
	for i, v := range x {
		if !math.IsNaN(v) {
			x[i] = math.Min(math.Max(v, lo), hi)
		}
	}
	if c.Kind == frame.Int && (math.IsInf(lo, 0) || lo == math.Trunc(lo)) && (math.IsInf(hi, 0) || hi == math.Trunc(hi)) {
		vals := make([]int64, len(x))
		for i, v := range x {
			if !math.IsNaN(v) {
				vals[i] = int64(v)
			}
		}
		return frame.NewInt(c.Name, vals, c.Missing)
	}
	return frame.NewFloat(c.Name, x, c.Missing)
}

// bounds returns the lower and upper bound for the values x (NaN missing):
// fixed bounds as given, quantiles of the non-missing values with linear
// interpolation (pandas' default), ±Inf when absent.
func (b ClipBounds) bounds(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(-1), math.Inf(1)
	if b.LowerQuantile != nil || b.UpperQuantile != nil {
		sorted := make([]float64, 0, len(x))
		for _, v := range x {
			if !math.IsNaN(v) {
				sorted = append(sorted, v)
			}
		}
		sort.Float64s(sorted)
		if b.LowerQuantile != nil {
			lo = stats.Quantile(sorted, *b.LowerQuantile)
		}
		if b.UpperQuantile != nil {
			hi = stats.Quantile(sorted, *b.UpperQuantile)
		}
	}
	if b.Lower != nil {
		lo = *b.Lower
	}
	if b.Upper != nil {
		hi = *b.Upper
	}
	return lo, hi
}

// Freeze implements Freezer: quantile bounds become the values they had on
// the training rows; fixed bounds stay. A quantile of a column with no
// value cannot be frozen.
func (c *Clip) Freeze(in *frame.Table) (Op, error) {
	out := make(Clip, len(*c))
	for _, name := range slices.Sorted(maps.Keys(*c)) {
		b := (*c)[name]
		if b.LowerQuantile == nil && b.UpperQuantile == nil {
			out[name] = b
			continue
		}
		col, err := column(in, name)
		if err != nil {
			return nil, err
		}
		x, err := col.Float64s()
		if err != nil {
			return nil, fmt.Errorf("clip %q: %w", name, err)
		}
		lo, hi := b.bounds(x)
		fz, err := b.frozen(name, lo, hi)
		if err != nil {
			return nil, err
		}
		out[name] = fz
	}
	return &out, nil
}

// frozen is b with its quantile bounds replaced by the values lo and hi
// they came to (on every row, in memory or streamed); a quantile of a
// column without values, or bounds that cross, are errors naming column.
func (b ClipBounds) frozen(column string, lo, hi float64) (ClipBounds, error) {
	fz := ClipBounds{Lower: b.Lower, Upper: b.Upper}
	if b.LowerQuantile != nil {
		fz.Lower = &lo
	}
	if b.UpperQuantile != nil {
		fz.Upper = &hi
	}
	for _, v := range []*float64{fz.Lower, fz.Upper} {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			return ClipBounds{}, fmt.Errorf("clip %q: the quantile bound is %v (the column has no values)", column, *v)
		}
	}
	if fz.Lower != nil && fz.Upper != nil && *fz.Lower > *fz.Upper {
		return ClipBounds{}, fmt.Errorf("clip %q: the lower bound %g is above the upper bound %g", column, *fz.Lower, *fz.Upper)
	}
	return fz, nil
}

// restrict implements replayer: only the needed columns are clipped.
func (c *Clip) restrict(need map[string]bool, _ []string) (Op, []string) {
	return restrictMap(*c, need, func(m map[string]ClipBounds) Op { r := Clip(m); return &r })
}
