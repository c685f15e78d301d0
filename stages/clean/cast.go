package clean

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Cast changes column types: int (truncates toward zero, like pandas
// astype(int)), float, string or bool.
type Cast map[string]string

// Validate implements Op.
func (c *Cast) Validate(fe *confyaml.FieldErrors, key string) {
	for _, col := range slices.Sorted(maps.Keys(*c)) {
		if _, err := frame.ParseKind((*c)[col]); err != nil {
			fe.Add(confyaml.MapKey(key, col), "%v", err)
		}
	}
}

// CheckColumns implements Op. The id column stays text: a cast of it to
// another type is refused (it would turn "0001" into 1).
func (c *Cast) CheckColumns(s *pipeline.Schema, key string) {
	requireKeys(s, key, *c)
	if id := s.ID(); id != "" {
		if typ, ok := (*c)[id]; ok {
			if k, err := frame.ParseKind(typ); err == nil && k != frame.String {
				s.Errorf(confyaml.MapKey(key, id), "%q is the id column (input.id); ids are kept as text, as they are in the input, so it cannot be cast to %s", id, typ)
			}
		}
	}
}

// Vars implements varsOp.
func (c *Cast) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	for i := range vars {
		if k, ok := (*c)[vars[i].Name]; ok {
			vars[i].Kind, _ = frame.ParseKind(k)
		}
	}
	return vars, true
}

// Apply implements Op: the columns are cast in name order.
func (c *Cast) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	for _, name := range slices.Sorted(maps.Keys(*c)) {
		k, _ := frame.ParseKind((*c)[name])
		col, err := column(t, name)
		if err != nil {
			return nil, err
		}
		nc, err := castColumn(col, k)
		if err != nil {
			return nil, err
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// castColumn converts a column to kind k (a column of that kind is
// returned as it is); the first value that does not convert is an error.
func castColumn(c *frame.Column, k frame.Kind) (*frame.Column, error) {
	return castWith(c, k, nil)
}

// castColumnEach is castColumn for new rows: a value that does not convert
// is reported through bad (row, value as read, reason) and is missing in
// the result.
func castColumnEach(c *frame.Column, k frame.Kind, bad func(i int, value, reason string)) (*frame.Column, error) {
	return castWith(c, k, bad)
}

func castWith(c *frame.Column, k frame.Kind, bad badCell) (*frame.Column, error) {
	if c.Kind == k {
		return c, nil
	}
	switch k {
	case frame.Int:
		return castToInt(c, bad)
	case frame.Float:
		return castToFloat(c, bad)
	case frame.String:
		vals := make([]string, c.Len())
		for i := range vals {
			vals[i] = c.Format(i)
		}
		return frame.NewString(c.Name, vals, c.Missing), nil
	case frame.Bool:
		return castToBool(c, bad)
	}
	return nil, fmt.Errorf("cast %q: unsupported type %s", c.Name, k)
}

// badCell reports a value that does not convert; nil makes it an error.
type badCell func(i int, value, reason string)

// fail reports row i's value: an error without bad, else a call to bad
// (and the row is then missing in the result).
func (bad badCell) fail(missing []bool, i int, value, reason string, err func() error) error {
	if bad == nil {
		return err()
	}
	bad(i, value, reason)
	missing[i] = true
	return nil
}

// castToInt: floats truncate toward zero like pandas astype(int), and a
// missing value is an error (pandas raises too); strings must parse.
func castToInt(c *frame.Column, bad badCell) (*frame.Column, error) {
	if miss := c.NumMissing(); miss > 0 && bad == nil {
		return nil, fmt.Errorf("cast %q to int: %d missing values (first at row %d); fill or drop them first (fillna / dropna)", c.Name, miss, firstMissing(c)+1)
	}
	out := make([]int64, c.Len())
	missing := make([]bool, c.Len())
	for i := range out {
		if c.IsMissing(i) {
			bad(i, "", "missing value (a cast to int needs a value)")
			missing[i] = true
			continue
		}
		switch c.Kind {
		case frame.Float:
			f := c.Floats[i]
			if math.IsInf(f, 0) || f >= 9.2e18 || f <= -9.2e18 {
				if err := bad.fail(missing, i, c.Format(i), "does not fit an int", func() error {
					return fmt.Errorf("cast %q to int: row %d value %g does not fit an int", c.Name, i+1, f)
				}); err != nil {
					return nil, err
				}
				continue
			}
			out[i] = int64(f) // Go conversion truncates toward zero
		case frame.Bool:
			if c.Bools[i] {
				out[i] = 1
			}
		case frame.String:
			s := strings.TrimSpace(c.Dict[c.Code(i)])
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				f, ferr := strconv.ParseFloat(s, 64)
				if ferr != nil || math.IsInf(f, 0) || math.IsNaN(f) {
					if err := bad.fail(missing, i, c.Dict[c.Code(i)], "not a number (cast to int)", func() error {
						return fmt.Errorf("cast %q to int: row %d value %q is not a number", c.Name, i+1, c.Dict[c.Code(i)])
					}); err != nil {
						return nil, err
					}
					continue
				}
				v = int64(f)
			}
			out[i] = v
		}
	}
	return frame.NewInt(c.Name, out, missing), nil
}

// castToFloat: strings must parse; missing values stay missing.
func castToFloat(c *frame.Column, bad badCell) (*frame.Column, error) {
	if c.Kind != frame.String {
		f, err := c.Float64s()
		if err != nil {
			return nil, err
		}
		return frame.NewFloat(c.Name, f, nil), nil
	}
	out := make([]float64, c.Len())
	missing := make([]bool, c.Len())
	for i := range out {
		if c.IsMissing(i) {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Dict[c.Code(i)]), 64)
		if err != nil || math.IsNaN(v) {
			if err := bad.fail(missing, i, c.Dict[c.Code(i)], "not a number (cast to float)", func() error {
				return fmt.Errorf("cast %q to float: row %d value %q is not a number", c.Name, i+1, c.Dict[c.Code(i)])
			}); err != nil {
				return nil, err
			}
			out[i] = math.NaN()
			continue
		}
		out[i] = v
	}
	return frame.NewFloat(c.Name, out, missing), nil
}

// castToBool: numbers are true when not 0, strings must parse as
// true/false; missing values stay missing.
func castToBool(c *frame.Column, bad badCell) (*frame.Column, error) {
	out := make([]bool, c.Len())
	missing := make([]bool, c.Len())
	copy(missing, c.Missing)
	for i := range out {
		if c.IsMissing(i) {
			continue
		}
		switch c.Kind {
		case frame.Int:
			out[i] = c.Int(i) != 0
		case frame.Float:
			out[i] = c.Floats[i] != 0
		case frame.String:
			b, err := strconv.ParseBool(strings.TrimSpace(c.Dict[c.Code(i)]))
			if err != nil {
				if err := bad.fail(missing, i, c.Dict[c.Code(i)], "not true/false (cast to bool)", func() error {
					return fmt.Errorf("cast %q to bool: row %d value %q is not true/false", c.Name, i+1, c.Dict[c.Code(i)])
				}); err != nil {
					return nil, err
				}
				continue
			}
			out[i] = b
		}
	}
	return frame.NewBool(c.Name, out, missing), nil
}

// firstMissing is the index of the first missing value, -1 when none.
func firstMissing(c *frame.Column) int {
	for i, m := range c.Missing {
		if m {
			return i
		}
	}
	return -1
}

// Freeze implements Freezer.
func (c *Cast) Freeze(*frame.Table) (Op, error) { return c, nil }

// restrict implements replayer: only the needed columns are cast.
func (c *Cast) restrict(need map[string]bool, _ []string) (Op, []string) {
	return restrictMap(*c, need, func(m map[string]string) Op { r := Cast(m); return &r })
}

// replay implements replayOp: a value that does not convert (or is missing,
// for int) is recorded and missing.
func (c *Cast) replay(_ context.Context, t *frame.Table, x *replayCtx) (*frame.Table, error) {
	for _, name := range slices.Sorted(maps.Keys(*c)) {
		k, _ := frame.ParseKind((*c)[name])
		col, err := column(t, name)
		if err != nil {
			return nil, err
		}
		nc, err := castColumnEach(col, k, func(i int, value, reason string) { x.problem(i, name, value, reason) })
		if err != nil {
			return nil, err
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return t, nil
}
