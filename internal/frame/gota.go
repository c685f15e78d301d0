package frame

import (
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Conversion between a Table and a gota (v0.12.0) DataFrame.
//
// Kinds map one to one — Float ⇄ series.Float, Int ⇄ series.Int (int64 ⇄
// Go int, 64 bits on every platform this module builds for), Bool ⇄
// series.Bool, String ⇄ series.String — and a missing cell ⇄ a gota NA
// element. Both directions keep every cell exactly:
//
//   - floats are copied as float64 values, never through text (gota's
//     String() and Records() print floats with 6 decimals);
//   - a string cell holding the text "NaN" stays a value: gota's own Set
//     reads the string "NaN" as NA, so such cells are written with
//     TextElement, and on the way back a cell is missing only when gota
//     says IsNA;
//   - an int column with missing cells stays an int column (gota's int
//     elements carry their own NA flag), not float as in pandas;
//   - blank strings are values on both sides (csvio reads blank cells as
//     missing before a Table exists; for a DataFrame read by gota's ReadCSV,
//     which keeps them, Table.MissingStrings applies csvio's rule).
//
// A gota DataFrame cannot have zero columns: DataFrame returns one whose Err
// is set for a table without columns. Column names are unique and non-empty
// in a Table, so gota's constructor never renames them.

// SeriesType is the gota series type of a column kind.
func SeriesType(k Kind) series.Type {
	switch k {
	case Float:
		return series.Float
	case Int:
		return series.Int
	case Bool:
		return series.Bool
	}
	return series.String
}

// KindOf is the column kind of a gota series type.
func KindOf(t series.Type) (Kind, error) {
	switch t {
	case series.Float:
		return Float, nil
	case series.Int:
		return Int, nil
	case series.Bool:
		return Bool, nil
	case series.String:
		return String, nil
	}
	return 0, fmt.Errorf("unsupported gota series type %q", t)
}

// DataFrame converts the table to a gota DataFrame (see the conversion
// rules above). The result's Err is set when the table has no columns.
func (t *Table) DataFrame() dataframe.DataFrame {
	if len(t.cols) == 0 {
		return dataframe.DataFrame{Err: fmt.Errorf("a gota DataFrame needs at least one column; the table has none")}
	}
	ss := make([]series.Series, len(t.cols))
	for i, c := range t.cols {
		ss[i] = c.Series()
	}
	return dataframe.New(ss...)
}

// Series converts one column to a gota Series named after it.
func (c *Column) Series() series.Series {
	n := c.Len()
	// The series starts as zero values (whose boxing does not allocate) and
	// each cell is set from one reusable element (see cell).
	var s series.Series
	v := &cell{}
	switch c.Kind {
	case Float:
		s = series.New(make([]float64, n), series.Float, c.Name)
		for i, x := range c.Floats {
			v.f = x
			s.Elem(i).Set(v)
		}
	case Int:
		s = series.New(make([]int, n), series.Int, c.Name)
		for i := range n {
			v.i = c.Int(i)
			s.Elem(i).Set(v)
		}
	case Bool:
		s = series.New(c.Bools, series.Bool, c.Name) // bools box without allocating
	default:
		s = series.New(make([]string, n), series.String, c.Name)
		for i := range n {
			if code := c.Code(i); code >= 0 {
				v.s = c.Dict[code] // the text "NaN" stays text: Set(Element) copies it
				s.Elem(i).Set(v)
			}
		}
	}
	for i, m := range c.Missing {
		if m {
			s.Elem(i).Set(nil) // gota marks any unsupported value as NA
		}
	}
	return s
}

// FromDataFrame converts a gota DataFrame to a Table (see the conversion
// rules above). It fails when df.Err is set or a column has an empty or
// repeated name.
func FromDataFrame(df dataframe.DataFrame) (*Table, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("gota dataframe: %w", df.Err)
	}
	names := df.Names()
	types := df.Types()
	n := df.Nrow()
	cols := make([]*Column, len(names))
	for j, name := range names {
		c, err := fromElems(name, types[j], n, func(i int) series.Element { return df.Elem(i, j) })
		if err != nil {
			return nil, err
		}
		cols[j] = c
	}
	t, err := New(cols...)
	if err != nil {
		return nil, fmt.Errorf("gota dataframe: %w", err)
	}
	return t, nil
}

// FromDataFrameColumn converts the named column of df to a Column, without
// the whole-column copy that df.Col makes.
func FromDataFrameColumn(df dataframe.DataFrame, name string) (*Column, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("gota dataframe: %w", df.Err)
	}
	names := df.Names()
	for j, nm := range names {
		if nm == name {
			return fromElems(name, df.Types()[j], df.Nrow(), func(i int) series.Element { return df.Elem(i, j) })
		}
	}
	return nil, &UnknownColumnError{Name: name, Known: names}
}

// FromSeries converts a gota Series to a Column named s.Name.
func FromSeries(s series.Series) (*Column, error) {
	if s.Err != nil {
		return nil, fmt.Errorf("gota series %q: %w", s.Name, s.Err)
	}
	if s.Type() == "" {
		return nil, fmt.Errorf("gota series %q: not initialised (no type)", s.Name)
	}
	return fromElems(s.Name, s.Type(), s.Len(), s.Elem)
}

// fromElems builds a column of n cells of gota type typ from their
// elements.
func fromElems(name string, typ series.Type, n int, elem func(int) series.Element) (*Column, error) {
	kind, err := KindOf(typ)
	if err != nil {
		return nil, fmt.Errorf("gota column %q: %w", name, err)
	}
	c := &Column{Name: name, Kind: kind}
	missing := func(i int) {
		if c.Missing == nil {
			c.Missing = make([]bool, n)
		}
		c.Missing[i] = true
	}
	switch kind {
	case Float:
		c.Floats = make([]float64, n)
		for i := range n {
			e := elem(i)
			if e.IsNA() {
				c.Floats[i] = math.NaN()
				missing(i)
				continue
			}
			c.Floats[i] = e.Float()
		}
	case Int:
		ints := make([]int64, n)
		for i := range n {
			e := elem(i)
			if e.IsNA() {
				missing(i)
				continue
			}
			v, err := e.Int()
			if err != nil {
				return nil, fmt.Errorf("gota column %q row %d: %w", name, i+1, err)
			}
			ints[i] = int64(v)
		}
		c.ints = narrowOwned(ints)
	case Bool:
		c.Bools = make([]bool, n)
		for i := range n {
			e := elem(i)
			if e.IsNA() {
				missing(i)
				continue
			}
			v, err := e.Bool()
			if err != nil {
				return nil, fmt.Errorf("gota column %q row %d: %w", name, i+1, err)
			}
			c.Bools[i] = v
		}
	default:
		codes := make([]int32, n)
		index := make(map[string]int32)
		var dict []string
		for i := range n {
			e := elem(i)
			if e.IsNA() {
				codes[i] = -1
				missing(i)
				continue
			}
			text := e.String()
			code, ok := index[text]
			if !ok {
				code = int32(len(dict))
				index[text] = code
				dict = append(dict, text)
			}
			codes[i] = code
		}
		return NewStringCodesOwned(name, codes, dict, c.Missing), nil
	}
	return c, nil
}
