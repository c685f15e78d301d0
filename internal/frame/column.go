package frame

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the storage type of a column.
type Kind uint8

// Column kinds, ordered from the narrowest to the widest for type inference.
const (
	Bool Kind = iota
	Int
	Float
	String
)

var kindNames = [...]string{Bool: "bool", Int: "int", Float: "float", String: "string"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind converts a config type name ("int", "float", "bool", "string")
// to a Kind.
func ParseKind(s string) (Kind, error) {
	switch s {
	case "bool", "boolean":
		return Bool, nil
	case "int", "integer", "int64":
		return Int, nil
	case "float", "float64", "number":
		return Float, nil
	case "string", "str", "text":
		return String, nil
	}
	return 0, fmt.Errorf("unknown type %q (want int, float, bool or string)", s)
}

// Numeric reports whether the kind holds numbers (int or float).
func (k Kind) Numeric() bool { return k == Int || k == Float }

// Column is one named, typed column. Exactly one of the value slices is used,
// chosen by Kind. A Column must not be modified once it is part of a Table.
type Column struct {
	Name string
	Kind Kind

	Floats []float64 // Kind Float; NaN at missing rows
	Bools  []bool    // Kind Bool; false at missing rows
	Dict   []string  // Kind String: distinct values, in order of first appearance

	// ints holds Kind Int's values (0 at missing rows) in the narrowest
	// integer type that holds them all; read them with Int, Int64s or
	// IntSlice, build them with NewInt, NewIntOwned or an IntBuilder.
	ints intStore
	// codes holds Kind String's indexes into Dict (-1 at missing rows),
	// also in the narrowest integer type: one byte per row for up to 128
	// distinct values. Read them with Code, Codes32 or CodeSlice, build
	// them with NewString, NewStringCodes or NewStringCodesOwned.
	codes intStore

	// Missing is nil when no cell is missing; otherwise len(Missing) equals
	// the column length and Missing[i] reports whether row i is missing.
	Missing []bool
}

// Len returns the number of rows.
func (c *Column) Len() int {
	switch c.Kind {
	case Float:
		return len(c.Floats)
	case Int:
		return c.ints.len()
	case Bool:
		return len(c.Bools)
	default:
		return c.codes.len()
	}
}

// IsMissing reports whether row i is missing.
func (c *Column) IsMissing(i int) bool { return c.Missing != nil && c.Missing[i] }

// NumMissing counts the missing rows.
func (c *Column) NumMissing() int {
	n := 0
	for _, m := range c.Missing {
		if m {
			n++
		}
	}
	return n
}

// Value returns row i as float64 for numeric and bool columns (true = 1).
// ok is false when the row is missing or the column holds strings.
func (c *Column) Value(i int) (v float64, ok bool) {
	if c.IsMissing(i) {
		return math.NaN(), false
	}
	switch c.Kind {
	case Float:
		return c.Floats[i], true
	case Int:
		return float64(c.ints.at(i)), true
	case Bool:
		if c.Bools[i] {
			return 1, true
		}
		return 0, true
	}
	return math.NaN(), false
}

// Float64s returns the column as a new float64 slice with NaN at missing
// rows. Bool columns give 0/1. It fails for string columns.
func (c *Column) Float64s() ([]float64, error) {
	out := make([]float64, c.Len())
	switch c.Kind {
	case Float:
		copy(out, c.Floats)
	case Int:
		c.intsAsFloat64(out)
	case Bool:
		for i, v := range c.Bools {
			if v {
				out[i] = 1
			}
		}
	default:
		return nil, fmt.Errorf("column %q is a string column, not numeric", c.Name)
	}
	for i, m := range c.Missing {
		if m {
			out[i] = math.NaN()
		}
	}
	return out, nil
}

// Str returns row i as a string ("" for missing). String columns give their
// value; numbers are formatted like Format.
func (c *Column) Str(i int) string {
	if c.IsMissing(i) {
		return ""
	}
	return c.Format(i)
}

// Format renders row i for output: floats in the shortest form that
// round-trips, ints in base 10, bools as "true"/"false". Missing gives "".
func (c *Column) Format(i int) string {
	if c.IsMissing(i) {
		return ""
	}
	switch c.Kind {
	case Float:
		return FormatFloat(c.Floats[i])
	case Int:
		return strconv.FormatInt(c.ints.at(i), 10)
	case Bool:
		return strconv.FormatBool(c.Bools[i])
	default:
		return c.Dict[c.codes.at(i)]
	}
}

// FormatFloat writes f in the shortest representation that parses back to
// the same float64, without an exponent for ordinary magnitudes.
func FormatFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Take returns a new column holding the given rows, in order.
func (c *Column) Take(rows []int) *Column {
	out := &Column{Name: c.Name, Kind: c.Kind}
	switch c.Kind {
	case Float:
		out.Floats = make([]float64, len(rows))
		for j, i := range rows {
			out.Floats[j] = c.Floats[i]
		}
	case Int:
		out.ints = c.ints.take(rows)
	case Bool:
		out.Bools = make([]bool, len(rows))
		for j, i := range rows {
			out.Bools[j] = c.Bools[i]
		}
	default:
		out.codes = c.codes.take(rows)
		out.Dict = c.Dict
	}
	if c.Missing != nil {
		miss := make([]bool, len(rows))
		any := false
		for j, i := range rows {
			if c.Missing[i] {
				miss[j] = true
				any = true
			}
		}
		if any {
			out.Missing = miss
		}
	}
	return out
}

// Renamed returns a shallow copy of the column under a new name. The value
// slices are shared, which is safe because columns are immutable.
func (c *Column) Renamed(name string) *Column {
	cp := *c
	cp.Name = name
	return &cp
}

// Distinct counts the distinct non-missing values.
func (c *Column) Distinct() int {
	switch c.Kind {
	case String:
		seen := make([]bool, len(c.Dict))
		n := 0
		for i := range c.codes.len() {
			if code := c.codes.at(i); code >= 0 && !seen[code] {
				seen[code] = true
				n++
			}
		}
		return n
	case Bool:
		var t, f bool
		for i, v := range c.Bools {
			if c.IsMissing(i) {
				continue
			}
			if v {
				t = true
			} else {
				f = true
			}
		}
		n := 0
		if t {
			n++
		}
		if f {
			n++
		}
		return n
	case Int:
		return c.distinctInts()
	default:
		seen := make(map[float64]struct{})
		for _, v := range c.Floats {
			if !math.IsNaN(v) {
				seen[v] = struct{}{}
			}
		}
		return len(seen)
	}
}
