package spill

import "github.com/churnlab/segment/internal/frame"

// The constructors below build decoded columns from slices the decoder
// owns, without copying them (frame.NewInt and friends copy); they are the
// one place that knows frame.Column's storage.

func newInt(name string, vals []int64, missing []bool) *frame.Column {
	return frame.NewIntOwned(name, vals, missing)
}

func newFloat(name string, vals []float64, missing []bool) *frame.Column {
	return &frame.Column{Name: name, Kind: frame.Float, Floats: vals, Missing: missing}
}

func newBool(name string, vals []bool, missing []bool) *frame.Column {
	if missing != nil {
		for i, m := range missing {
			if m {
				vals[i] = false
			}
		}
	}
	return &frame.Column{Name: name, Kind: frame.Bool, Bools: vals, Missing: missing}
}

func newString(name string, codes []int32, dict []string, missing []bool) *frame.Column {
	if missing == nil {
		for i, c := range codes {
			if c < 0 {
				if missing == nil {
					missing = make([]bool, len(codes))
				}
				missing[i] = true
			}
		}
	}
	return frame.NewStringCodesOwned(name, codes, dict, missing)
}

// emptyTable is a table of rows rows and no columns.
func emptyTable(rows int) *frame.Table {
	t, _ := frame.New()
	return t.Take(make([]int, rows))
}
