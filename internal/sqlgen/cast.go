package sqlgen

import (
	"fmt"

	"github.com/churnlab/segment/internal/frame"
)

// The texts a cast from text accepts, after the surrounding white space is
// trimmed: whole numbers (strconv.ParseInt), decimal numbers
// (strconv.ParseFloat, without its hexadecimal, Inf and NaN forms), and
// strconv.ParseBool's true and false.
const (
	intPattern    = `[+-]?[0-9]+`
	numberPattern = `[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?`
)

var (
	trueTexts  = []string{"1", "t", "T", "TRUE", "true", "True"}
	falseTexts = []string{"0", "f", "F", "FALSE", "false", "False"}
)

// maxIntFloat is the magnitude from which a float does not fit an int in a
// cast (predict's bound).
const maxIntFloat = 9.2e18

// castColumn converts the value x of column c to kind to as predict's cast
// step does (castWith): the converted column and the checks for values
// the cast cannot convert (reasons 'column "c": …').
func (q *Query) castColumn(x string, c Column, to frame.Kind) (Out, []Check, error) {
	o := Out{Column: Column{Name: c.Name, Kind: to}}
	d := q.d
	col := fmt.Sprintf("column %q: ", c.Name)
	if c.Kind == to {
		o.SQL = x
		return o, nil, nil
	}
	switch to {
	case frame.Int:
		missing := Check{Cond: x + " IS NULL", Reason: col + "missing value (a cast to int needs a value)"}
		switch c.Kind {
		case frame.Float:
			fits := d.Abs(x) + " < " + d.Float(maxIntFloat)
			o.SQL = "CASE WHEN " + fits + " THEN " + d.Cast(d.Trunc(x), frame.Int) + " END"
			return o, []Check{missing, {Cond: "NOT (" + fits + ")", Reason: col + "does not fit an int"}}, nil
		case frame.Bool:
			o.SQL = "CASE WHEN " + x + " THEN 1 WHEN NOT " + x + " THEN 0 END"
			return o, []Check{missing}, nil
		case frame.String:
			t := d.TrimSpace(x)
			isInt, err := d.FullMatch(t, intPattern)
			if err != nil {
				return Out{}, nil, fmt.Errorf("cast %q from text to int: %w", c.Name, err)
			}
			isNum, _ := d.FullMatch(t, numberPattern)
			o.SQL = "CASE WHEN " + isInt + " THEN " + d.Cast(t, frame.Int) +
				" WHEN " + isNum + " THEN " + d.Cast(d.Trunc(d.parseDouble(x)), frame.Int) + " END"
			return o, []Check{missing, {Cond: "NOT (" + isInt + " OR " + isNum + ")", Reason: col + "not a number (cast to int)"}}, nil
		}
	case frame.Float:
		switch c.Kind {
		case frame.Int:
			o.SQL = d.Cast(x, frame.Float)
			return o, nil, nil
		case frame.Bool:
			o.SQL = "CASE WHEN " + x + " THEN " + d.Float(1) + " WHEN NOT " + x + " THEN " + d.Float(0) + " END"
			return o, nil, nil
		case frame.String:
			t := d.TrimSpace(x)
			isNum, err := d.FullMatch(t, numberPattern)
			if err != nil {
				return Out{}, nil, fmt.Errorf("cast %q from text to float: %w", c.Name, err)
			}
			o.SQL = "CASE WHEN " + isNum + " THEN " + d.parseDouble(x) + " END"
			return o, []Check{{Cond: x + " IS NOT NULL AND NOT " + isNum, Reason: col + "not a number (cast to float)"}}, nil
		}
	case frame.String:
		switch c.Kind {
		case frame.Int:
			o.SQL = d.Cast(x, frame.String)
			return o, nil, nil
		case frame.Bool:
			o.SQL = "CASE WHEN " + x + " THEN 'true' WHEN NOT " + x + " THEN 'false' END"
			return o, nil, nil
		case frame.Float:
			return Out{}, nil, notExpressible("cast %q from float to string: SQL engines write floats as text differently from predict (shortest round-trip digits, no exponent for ordinary magnitudes)", c.Name)
		}
	case frame.Bool:
		switch c.Kind {
		case frame.Int, frame.Float:
			o.SQL = "(" + x + " <> 0)"
			return o, nil, nil
		case frame.String:
			t := d.TrimSpace(x)
			in := func(list []string) string {
				s := "("
				for i, v := range list {
					if i > 0 {
						s += ", "
					}
					s += d.mustString(v)
				}
				return s + ")"
			}
			o.SQL = "CASE WHEN " + t + " IN " + in(trueTexts) + " THEN TRUE WHEN " + t + " IN " + in(falseTexts) + " THEN FALSE END"
			all := append(append([]string(nil), trueTexts...), falseTexts...)
			return o, []Check{{Cond: x + " IS NOT NULL AND " + t + " NOT IN " + in(all), Reason: col + "not true/false (cast to bool)"}}, nil
		}
	}
	return Out{}, nil, fmt.Errorf("cast %q: from %s to %s is not supported", c.Name, c.Kind, to)
}
