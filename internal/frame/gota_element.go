package frame

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-gota/gota/series"
)

// TextElement returns a gota string element holding s as a value, never NA.
// gota's Set reads the plain string "NaN" as NA, so the only way to store
// the text "NaN" in a gota string series is to set an element from another
// element: s.Elem(i).Set(frame.TextElement("NaN")). Comparisons and
// conversions behave as gota's own string elements do.
func TextElement(s string) series.Element { return &textElement{s} }

// textElement implements series.Element for a non-missing string.
type textElement struct{ s string }

var _ series.Element = (*textElement)(nil)

// Set stores v's text: a string as it is, an element by its String() (an
// NA element gives "NaN", as gota's own string elements do), numbers as
// gota formats them.
func (e *textElement) Set(v any) {
	switch x := v.(type) {
	case string:
		e.s = x
	case series.Element:
		e.s = x.String()
	case int:
		e.s = strconv.Itoa(x)
	case float64:
		e.s = strconv.FormatFloat(x, 'f', 6, 64)
	case bool:
		e.s = strconv.FormatBool(x)
	}
}

func (e *textElement) Eq(o series.Element) bool        { return !o.IsNA() && e.s == o.String() }
func (e *textElement) Neq(o series.Element) bool       { return !o.IsNA() && e.s != o.String() }
func (e *textElement) Less(o series.Element) bool      { return !o.IsNA() && e.s < o.String() }
func (e *textElement) LessEq(o series.Element) bool    { return !o.IsNA() && e.s <= o.String() }
func (e *textElement) Greater(o series.Element) bool   { return !o.IsNA() && e.s > o.String() }
func (e *textElement) GreaterEq(o series.Element) bool { return !o.IsNA() && e.s >= o.String() }
func (e *textElement) Copy() series.Element            { return &textElement{e.s} }
func (e *textElement) Val() series.ElementValue        { return e.s }
func (e *textElement) String() string                  { return e.s }
func (e *textElement) Int() (int, error)               { return strconv.Atoi(e.s) }
func (e *textElement) IsNA() bool                      { return false }
func (e *textElement) Type() series.Type               { return series.String }

func (e *textElement) Float() float64 {
	f, err := strconv.ParseFloat(e.s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func (e *textElement) Bool() (bool, error) {
	switch strings.ToLower(e.s) {
	case "true", "t", "1":
		return true, nil
	case "false", "f", "0":
		return false, nil
	}
	return false, fmt.Errorf("can't convert String %q to bool", e.s)
}

// cell is a reusable series.Element holding one value of a column's kind.
// gota's Set(Element) copies the value out of the element it is given, so
// filling a series through one cell avoids boxing every value into an
// interface (an allocation per float, per large int and per string).
type cell struct {
	f float64
	i int64
	b bool
	s string
}

var _ series.Element = (*cell)(nil)

// Set is not used: a cell is a source for gota's Set, never a target.
func (c *cell) Set(any) {}

func (c *cell) Eq(series.Element) bool        { return false }
func (c *cell) Neq(series.Element) bool       { return false }
func (c *cell) Less(series.Element) bool      { return false }
func (c *cell) LessEq(series.Element) bool    { return false }
func (c *cell) Greater(series.Element) bool   { return false }
func (c *cell) GreaterEq(series.Element) bool { return false }
func (c *cell) Copy() series.Element          { cp := *c; return &cp }
func (c *cell) Val() series.ElementValue      { return nil }
func (c *cell) String() string                { return c.s }
func (c *cell) Int() (int, error)             { return int(c.i), nil }
func (c *cell) Float() float64                { return c.f }
func (c *cell) Bool() (bool, error)           { return c.b, nil }
func (c *cell) IsNA() bool                    { return false }
func (c *cell) Type() series.Type             { return "" }
