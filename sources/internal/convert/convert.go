// Package convert applies the shared input.types key to a table read by a
// source whose columns come typed (Parquet, a database): each named column
// is converted to the kind asked for, exactly or with an error naming the
// row and value. The CSV source does not need it: it parses cells as the
// kind asked for.
package convert

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
)

// Types converts the columns of t named in types (column → "int",
// "float", "bool" or "string") and returns the new table; t is not
// modified. Columns of t that types does not name, and names that t does
// not hold (left out by a projection), are ignored. Conversions:
//
//	any → string        the value's text (frame.Column.Format: ints in base 10,
//	                    floats in their shortest round-trip form, true/false)
//	int → float         exact up to 2⁵³, else rounded to the nearest float
//	float → int         whole values only; 2.5 is an error
//	bool → int, float   1 and 0
//	string → int, float, bool   parsed as the CSV reader parses cells
//
// Missing values stay missing. Anything else (int → bool, say) is an
// error naming the column.
func Types(t *frame.Table, types map[string]string) (*frame.Table, error) {
	for _, name := range slices.Sorted(maps.Keys(types)) {
		c := t.Col(name)
		if c == nil {
			continue
		}
		k, err := frame.ParseKind(types[name])
		if err != nil {
			return nil, fmt.Errorf("types: column %q: %v", name, err)
		}
		nc, err := Column(c, k)
		if err != nil {
			return nil, err
		}
		if nc != c {
			if t, err = t.With(nc); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// Column converts one column to kind k (see Types); a column of that kind
// is returned as it is.
func Column(c *frame.Column, k frame.Kind) (*frame.Column, error) {
	if c.Kind == k {
		return c, nil
	}
	n := c.Len()
	bad := func(i int, why string) error {
		return fmt.Errorf("types: column %q row %d: %q %s", c.Name, i+1, c.Format(i), why)
	}
	switch k {
	case frame.String:
		vals := make([]string, n)
		for i := range vals {
			vals[i] = c.Format(i)
		}
		return frame.NewString(c.Name, vals, c.Missing), nil
	case frame.Float:
		out := make([]float64, n)
		for i := range out {
			if c.IsMissing(i) {
				out[i] = math.NaN()
				continue
			}
			switch c.Kind {
			case frame.Int, frame.Bool:
				out[i], _ = c.Value(i)
			case frame.String:
				f, err := strconv.ParseFloat(strings.Trim(c.Dict[c.Code(i)], " \t"), 64)
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return nil, bad(i, "is not a number")
				}
				out[i] = f
			}
		}
		return frame.NewFloat(c.Name, out, c.Missing), nil
	case frame.Int:
		out := make([]int64, n)
		for i := range out {
			if c.IsMissing(i) {
				continue
			}
			switch c.Kind {
			case frame.Float:
				f := c.Floats[i]
				if f != math.Trunc(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
					return nil, bad(i, "is not a whole number that fits an int")
				}
				out[i] = int64(f)
			case frame.Bool:
				if c.Bools[i] {
					out[i] = 1
				}
			case frame.String:
				v, err := strconv.ParseInt(strings.Trim(c.Dict[c.Code(i)], " \t"), 10, 64)
				if err != nil {
					return nil, bad(i, "is not an int")
				}
				out[i] = v
			}
		}
		return frame.NewInt(c.Name, out, c.Missing), nil
	case frame.Bool:
		if c.Kind != frame.String {
			return nil, fmt.Errorf("types: column %q: cannot convert a %s column to bool", c.Name, c.Kind)
		}
		out := make([]bool, n)
		for i := range out {
			if c.IsMissing(i) {
				continue
			}
			switch strings.ToLower(strings.Trim(c.Dict[c.Code(i)], " \t")) {
			case "true":
				out[i] = true
			case "false":
			default:
				return nil, bad(i, "is not true or false")
			}
		}
		return frame.NewBool(c.Name, out, c.Missing), nil
	}
	return nil, fmt.Errorf("types: column %q: unknown kind %v", c.Name, k)
}
