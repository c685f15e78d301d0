package gota

import (
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/frame"
)

// convertRange converts rows [lo, hi) of column j of df, of kind k, to a
// column named name, cell for cell by the rules of frame.FromDataFrame (a
// gota NA is missing and nothing else is; floats copied as float64; the
// text of a string cell as gota's element gives it). Scan uses it so that a
// batch converts only its own cells; Read uses frame.FromDataFrameColumn,
// and the tests hold the two equal.
func convertRange(df dataframe.DataFrame, j int, name string, k frame.Kind, lo, hi int) (*frame.Column, error) {
	n := hi - lo
	var missing []bool
	mark := func(i int) {
		if missing == nil {
			missing = make([]bool, n)
		}
		missing[i] = true
	}
	switch k {
	case frame.Float:
		vals := make([]float64, n)
		for i := range vals {
			e := df.Elem(lo+i, j)
			if e.IsNA() {
				vals[i] = math.NaN()
				mark(i)
				continue
			}
			vals[i] = e.Float()
		}
		return frame.NewFloat(name, vals, missing), nil
	case frame.Int:
		vals := make([]int64, n)
		for i := range vals {
			e := df.Elem(lo+i, j)
			if e.IsNA() {
				mark(i)
				continue
			}
			v, err := e.Int()
			if err != nil {
				return nil, fmt.Errorf("gota column %q row %d: %w", name, lo+i+1, err)
			}
			vals[i] = int64(v)
		}
		return frame.NewInt(name, vals, missing), nil
	case frame.Bool:
		vals := make([]bool, n)
		for i := range vals {
			e := df.Elem(lo+i, j)
			if e.IsNA() {
				mark(i)
				continue
			}
			v, err := e.Bool()
			if err != nil {
				return nil, fmt.Errorf("gota column %q row %d: %w", name, lo+i+1, err)
			}
			vals[i] = v
		}
		return frame.NewBool(name, vals, missing), nil
	}
	vals := make([]string, n)
	for i := range vals {
		e := df.Elem(lo+i, j)
		if e.IsNA() {
			mark(i)
			continue
		}
		vals[i] = e.String()
	}
	return frame.NewString(name, vals, missing), nil
}
