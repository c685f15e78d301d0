package eda

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
)

// Summarize describes every column of t, in table order. Numeric columns
// (int, float, and bool as 0/1) get pandas describe() statistics through
// stats.Describe; string columns get count, distinct, top and freq through
// stats.DescribeCodes. The id column (id, may be "") gets only its count,
// missing and distinct counts. Columns are described in parallel; the
// result does not depend on GOMAXPROCS. t is not modified.
func Summarize(ctx context.Context, t *frame.Table, id string) ([]result.ColumnSummary, error) {
	return summarizeAll(ctx, t, id, "", nil, make([][]float64, t.NumCols()))
}

// summarizeAll is Summarize that also leaves in vals[i] the float64 values
// of numeric column i when it made them anyway (a weighted description;
// nil otherwise), for the correlation. With weights w (nil: none) numeric
// columns other than the weight column are described with frequency
// weights. Unweighted int columns are described from their own storage
// (stats.DescribeInts) and float columns without a copy of their values,
// so the transient memory is the sort keys of the columns being described.
func summarizeAll(ctx context.Context, t *frame.Table, id, weightCol string, w []float64, vals [][]float64) ([]result.ColumnSummary, error) {
	cols := t.Columns()
	out := make([]result.ColumnSummary, len(cols))
	errs := make([]error, len(cols))
	forEach(ctx, len(cols), func(i int) {
		cw := w
		if cols[i].Name == weightCol {
			cw = nil
		}
		var x []float64
		out[i], x, errs[i] = summarize(cols[i], cols[i].Name == id && id != "", t.NumRows(), cw)
		if cw != nil {
			vals[i] = x
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func summarize(c *frame.Column, isID bool, rows int, w []float64) (s result.ColumnSummary, x []float64, err error) {
	s = result.ColumnSummary{Column: c.Name, Type: c.Kind.String()}
	nan := math.NaN()
	s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max = nan, nan, nan, nan, nan, nan, nan
	if isID {
		s.Role = result.RoleID
		s.Missing = c.NumMissing()
		s.Count = c.Len() - s.Missing
		s.Distinct = c.Distinct()
	} else if c.Kind == frame.String {
		d, err := describeCodes(c)
		if err != nil {
			return s, nil, fmt.Errorf("column %q: %w", c.Name, err)
		}
		s.Count, s.Missing, s.Distinct, s.Top, s.Freq = d.Count, d.Missing, d.Distinct, d.Top, d.Freq
	} else {
		var d stats.Numeric
		if c.Kind == frame.Int && w == nil {
			d = describeInts(c)
		} else {
			if x, err = floats(c); err != nil {
				return s, nil, err
			}
			d = stats.Describe(x)
			if w != nil {
				d = stats.DescribeWeighted(x, w)
			}
		}
		s.Count, s.Missing, s.Distinct = d.Count, d.Missing, d.Distinct
		s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max = d.Mean, d.Std, d.Min, d.Q25, d.Q50, d.Q75, d.Max
	}
	if rows > 0 {
		s.MissingShare = float64(s.Missing) / float64(rows)
	}
	return s, x, nil
}

// describeCodes describes a string column from its own code storage.
func describeCodes(c *frame.Column) (stats.Categorical, error) {
	if v := frame.CodeSlice[int8](c); v != nil {
		return stats.DescribeCodes(v, c.Dict)
	}
	if v := frame.CodeSlice[int16](c); v != nil {
		return stats.DescribeCodes(v, c.Dict)
	}
	if v := frame.CodeSlice[int32](c); v != nil {
		return stats.DescribeCodes(v, c.Dict)
	}
	return stats.DescribeCodes(frame.CodeSlice[int64](c), c.Dict)
}

// describeInts describes an int column from its own storage: the same
// statistics as stats.Describe of its float64 values.
func describeInts(c *frame.Column) stats.Numeric {
	if v := frame.IntSlice[int8](c); v != nil {
		return stats.DescribeInts(v, c.Missing)
	}
	if v := frame.IntSlice[int16](c); v != nil {
		return stats.DescribeInts(v, c.Missing)
	}
	if v := frame.IntSlice[int32](c); v != nil {
		return stats.DescribeInts(v, c.Missing)
	}
	return stats.DescribeInts(frame.IntSlice[int64](c), c.Missing)
}

// floats returns a numeric column as float64 with NaN for missing rows. A
// float column's own slice is returned (it already holds NaN at missing
// rows, and nothing here writes to it).
func floats(c *frame.Column) ([]float64, error) {
	if c.Kind == frame.Float {
		if c.Missing == nil {
			return c.Floats, nil
		}
		for i, m := range c.Missing {
			if m && !math.IsNaN(c.Floats[i]) {
				return c.Float64s() // defensive: a missing cell holding a value
			}
		}
		return c.Floats, nil
	}
	return c.Float64s()
}

// forEach calls f(0) … f(n-1) on up to GOMAXPROCS goroutines, stopping
// early (leaving later calls out) once ctx is cancelled. Each call must
// write only its own outputs.
func forEach(ctx context.Context, n int, f func(i int)) {
	nw := max(1, min(runtime.GOMAXPROCS(0), n))
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}
