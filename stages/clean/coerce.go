package clean

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
)

// coerce brings the raw columns to their types at fit time (the model's
// transform columns), so that every step sees what it saw in training. A
// text column is parsed cell by cell as internal/csvio parses a typed
// column (surrounding spaces and tabs allowed around numbers and bools):
// int (also a whole number written as a decimal, "3.0"), float (no NaN,
// Inf or out-of-range values), bool (true/false in any letter case) or
// string (the cell as it is). A cell that does not parse is a problem of
// its row and is missing from then on. A typed column must have its fit
// type (an int column may stand for a float one).
func (p *Plan) coerce(raw *frame.Table, res *ReplayResult) (*frame.Table, error) {
	cols := make([]*frame.Column, 0, len(p.Read))
	for _, name := range p.Read {
		c := raw.Col(name)
		if c == nil {
			return nil, fmt.Errorf("the input has no column %q", name)
		}
		spec, _ := p.r.tr.Column(name)
		kind, err := spec.Kind()
		if err != nil {
			return nil, err
		}
		out, err := coerceColumn(c, kind, res)
		if err != nil {
			return nil, err
		}
		cols = append(cols, out)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("the model's features need no input column (was model.json edited?)")
	}
	return frame.New(cols...)
}

// coerceColumn converts c to kind; problems are recorded in res by row.
func coerceColumn(c *frame.Column, kind frame.Kind, res *ReplayResult) (*frame.Column, error) {
	switch {
	case c.Kind == kind:
		return c, nil
	case c.Kind == frame.Int && kind == frame.Float:
		f, err := c.Float64s()
		if err != nil {
			return nil, err
		}
		return frame.NewFloat(c.Name, f, c.Missing), nil
	case c.Kind != frame.String:
		return nil, fmt.Errorf("column %q holds %ss, but %ss when the model was fitted", c.Name, c.Kind, kind)
	}
	if kind == frame.String {
		return c, nil
	}
	// Parse each distinct text once.
	type parsed struct {
		f  float64
		i  int64
		b  bool
		ok bool
	}
	dict := make([]parsed, len(c.Dict))
	for code, s := range c.Dict {
		var p parsed
		switch kind {
		case frame.Int:
			p.i, p.ok = parseIntCell(s)
		case frame.Float:
			p.f, p.ok = model.ParseNumber(s)
		case frame.Bool:
			p.b, p.ok = parseBoolCell(s)
		}
		dict[code] = p
	}
	n := c.Len()
	missing := make([]bool, n)
	var (
		floats []float64
		ints   []int64
		bools  []bool
	)
	switch kind {
	case frame.Int:
		ints = make([]int64, n)
	case frame.Float:
		floats = make([]float64, n)
	case frame.Bool:
		bools = make([]bool, n)
	}
	for i := range c.Len() {
		code := c.Code(i)
		if code < 0 {
			missing[i] = true
			continue
		}
		p := dict[code]
		if !p.ok {
			missing[i] = true
			res.Problems = append(res.Problems, model.Problem{Row: res.Rows[i], Column: c.Name, Value: c.Dict[code], Reason: notA(kind, c.Dict[code])})
			continue
		}
		switch kind {
		case frame.Int:
			ints[i] = p.i
		case frame.Float:
			floats[i] = p.f
		case frame.Bool:
			bools[i] = p.b
		}
	}
	switch kind {
	case frame.Int:
		return frame.NewInt(c.Name, ints, missing), nil
	case frame.Float:
		return frame.NewFloat(c.Name, floats, missing), nil
	}
	return frame.NewBool(c.Name, bools, missing), nil
}

// notA says what a cell s that did not parse as kind should have been.
func notA(kind frame.Kind, s string) string {
	switch kind {
	case frame.Int:
		if _, ok := model.ParseNumber(s); ok {
			return "not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)"
		}
	case frame.Bool:
		return "not true or false (the column held true/false when the model was fitted)"
	}
	return "not a number"
}

// parseIntCell reads an int as internal/csvio does (optional sign, decimal
// digits that fit an int64, surrounding spaces and tabs), and also a whole
// number written as a decimal ("3.0", "1e3").
func parseIntCell(s string) (int64, bool) {
	t := strings.Trim(s, " \t")
	if t == "" || strings.ContainsAny(t, "_xXoObB") {
		return 0, false
	}
	if v, err := strconv.ParseInt(t, 10, 64); err == nil {
		return v, true
	}
	f, ok := model.ParseNumber(t)
	if !ok || f != math.Trunc(f) || math.Abs(f) >= 9.2e18 {
		return 0, false
	}
	return int64(f), true
}

// parseBoolCell reads true or false in any letter case, as internal/csvio
// does.
func parseBoolCell(s string) (bool, bool) {
	switch strings.ToLower(strings.Trim(s, " \t")) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}
