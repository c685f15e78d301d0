package frame

import (
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// DataFrame converts the table to a gota DataFrame. Missing cells become
// gota NA elements. Note that gota itself turns the string "NaN" into NA;
// this conversion does not, a string column keeps "NaN" as a value only if
// gota allows it (it does not, see the tests).
func (t *Table) DataFrame() dataframe.DataFrame {
	ss := make([]series.Series, len(t.cols))
	for i, c := range t.cols {
		ss[i] = c.Series()
	}
	return dataframe.New(ss...)
}

// Series converts one column to a gota Series.
func (c *Column) Series() series.Series {
	var s series.Series
	switch c.Kind {
	case Float:
		s = series.New(c.Floats, series.Float, c.Name)
	case Int:
		v := make([]int, len(c.Ints))
		for i, x := range c.Ints {
			v[i] = int(x)
		}
		s = series.New(v, series.Int, c.Name)
	case Bool:
		s = series.New(c.Bools, series.Bool, c.Name)
	default:
		v := make([]string, len(c.Codes))
		for i, code := range c.Codes {
			if code >= 0 {
				v[i] = c.Dict[code]
			}
		}
		s = series.New(v, series.String, c.Name)
	}
	for i, m := range c.Missing {
		if m {
			s.Elem(i).Set(nil) // gota marks any unsupported value as NA
		}
	}
	return s
}

// FromDataFrame converts a gota DataFrame to a Table, keeping NA cells as
// missing.
func FromDataFrame(df dataframe.DataFrame) (*Table, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("gota dataframe: %w", df.Err)
	}
	names := df.Names()
	cols := make([]*Column, len(names))
	for j, name := range names {
		s := df.Col(name)
		n := s.Len()
		miss := make([]bool, n)
		for i := 0; i < n; i++ {
			miss[i] = s.Elem(i).IsNA()
		}
		switch s.Type() {
		case series.Float:
			cols[j] = NewFloat(name, s.Float(), miss)
		case series.Int:
			v := make([]int64, n)
			for i := 0; i < n; i++ {
				if !miss[i] {
					x, err := s.Elem(i).Int()
					if err != nil {
						return nil, fmt.Errorf("column %q row %d: %w", name, i, err)
					}
					v[i] = int64(x)
				}
			}
			cols[j] = NewInt(name, v, miss)
		case series.Bool:
			v := make([]bool, n)
			for i := 0; i < n; i++ {
				if !miss[i] {
					b, err := s.Elem(i).Bool()
					if err != nil {
						return nil, fmt.Errorf("column %q row %d: %w", name, i, err)
					}
					v[i] = b
				}
			}
			cols[j] = NewBool(name, v, miss)
		default:
			cols[j] = NewString(name, s.Records(), miss)
		}
	}
	return New(cols...)
}
