package clean

import (
	"context"
	"maps"
	"math"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
)

// The steps that make or change a column's type on the gota engine: derive
// and cast.

// applyGota implements gotaOp: rowexpr evaluates the new column on the
// columns it reads, the optional type is cast as the cast step does, and
// gota's Mutate adds or replaces it.
func (d *Derive) applyGota(ctx context.Context, df dataframe.DataFrame, ex *gotaExpr) (dataframe.DataFrame, error) {
	col, err := ex.prog.Derive(ctx, ex.cols, d.Name)
	if err != nil {
		return df, err
	}
	s := col.Series()
	if d.Type != "" {
		k, _ := frame.ParseKind(d.Type)
		if s, err = castSeries(s, k); err != nil {
			return df, err
		}
	}
	return df.Mutate(s), nil
}

// applyGota implements gotaOp: the columns are cast in one Capply.
func (c *Cast) applyGota(_ context.Context, df dataframe.DataFrame, _ *gotaExpr) (dataframe.DataFrame, error) {
	return mapColumns(df, slices.Collect(maps.Keys(*c)), func(s series.Series) (series.Series, error) {
		k, _ := frame.ParseKind((*c)[s.Name])
		return castSeries(s, k)
	})
}

// castSeries converts s to kind k. gota's own conversion (series.New(s,
// type)) is used where it agrees with the documented rules: float and bool
// → int (truncation toward zero, true = 1) once missing values and values
// outside int64 are refused, and int and bool → float. Elsewhere gota
// differs — float → string prints 6 decimals, any NA → string becomes the
// text "NaN", string → int/float does not trim and turns bad text into NA
// without an error, int → bool maps only 0 and 1 — so the documented
// conversion is used and its errors reported.
func castSeries(s series.Series, k frame.Kind) (series.Series, error) {
	from, err := frame.KindOf(s.Type())
	if err != nil {
		return s, err
	}
	switch {
	case from == k:
		return s, nil
	case k == frame.Int && (from == frame.Float || from == frame.Bool) && intCastable(s):
		return series.New(s, series.Int, s.Name), nil
	case k == frame.Float && (from == frame.Int || from == frame.Bool):
		return series.New(s, series.Float, s.Name), nil
	}
	c, err := frame.FromSeries(s)
	if err != nil {
		return s, err
	}
	nc, err := castColumn(c, k) // the documented conversion, with its errors
	if err != nil {
		return s, err
	}
	return nc.Series(), nil
}

// intCastable reports whether gota's conversion to int gives the
// documented result: no missing value (gota would keep it as NA; the
// documented cast fails) and every value inside int64 (gota's int(f) is
// undefined outside it).
func intCastable(s series.Series) bool {
	for i := range s.Len() {
		e := s.Elem(i)
		if e.IsNA() {
			return false
		}
		if f := e.Float(); math.IsInf(f, 0) || f >= 9.2e18 || f <= -9.2e18 {
			return false
		}
	}
	return true
}
