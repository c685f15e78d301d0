package csvio

import (
	"fmt"
	"math"
	"slices"
)

// kind is a column's kind while reading. kNone means no value seen yet.
type kind int8

const (
	kNone kind = iota
	kBool
	kInt
	kFloat
	kString
)

// join is the narrowest kind holding the values of both kinds.
func join(a, b kind) kind {
	switch {
	case a == b || b == kNone:
		return a
	case a == kNone:
		return b
	case (a == kInt && b == kFloat) || (a == kFloat && b == kInt):
		return kFloat
	}
	return kString
}

// colBuf is one column of a chunk. Missing rows hold a placeholder value
// (0, NaN, false or -1) and are listed in miss.
type colBuf struct {
	kind    kind
	fixed   bool
	ints    []int64
	floats  []float64
	bools   []bool
	codes   []int32
	dict    strDict
	miss    []int32 // missing rows
	negZero []int32 // rows of an int column written as -0
	blanks  int     // non-empty cells holding only spaces or tabs
	hint    int     // capacity to reserve: the most rows the chunk can have

	// A column that turned into strings at row strFrom, after holding
	// bools or numbers, gets the text of the earlier rows in fixup.
	strFrom int32
}

func (c *colBuf) reset(k kind, hint int) {
	c.kind, c.fixed, c.hint = k, k != kNone, hint
	c.ints, c.floats, c.bools, c.codes = c.ints[:0], c.floats[:0], c.bools[:0], c.codes[:0]
	c.dict.reset()
	c.miss, c.negZero = c.miss[:0], c.negZero[:0]
	c.blanks, c.strFrom = 0, -1
	c.reserve()
}

// reserve makes room for hint values of the column's kind.
func (c *colBuf) reserve() {
	switch c.kind {
	case kBool:
		c.bools = slices.Grow(c.bools, c.hint-len(c.bools))
	case kInt:
		c.ints = slices.Grow(c.ints, c.hint-len(c.ints))
	case kFloat:
		c.floats = slices.Grow(c.floats, c.hint-len(c.floats))
	case kString:
		c.codes = slices.Grow(c.codes, c.hint-len(c.codes))
	}
}

func (c *colBuf) code(b []byte) int32 { return c.dict.code(b) }

func (c *colBuf) addMissing(row int32) {
	c.miss = append(c.miss, row)
	switch c.kind {
	case kBool:
		c.bools = append(c.bools, false)
	case kInt:
		c.ints = append(c.ints, 0)
	case kFloat:
		c.floats = append(c.floats, math.NaN())
	case kString:
		c.codes = append(c.codes, -1)
	}
}

// start gives a column of kind kNone the kind k, with placeholders for the
// rows (all missing) before row.
func (c *colBuf) start(k kind, row int32) {
	c.kind = k
	c.reserve()
	switch k {
	case kBool:
		c.bools = append(c.bools, make([]bool, row)...)
	case kInt:
		c.ints = append(c.ints, make([]int64, row)...)
	case kFloat:
		for range row {
			c.floats = append(c.floats, math.NaN())
		}
	case kString:
		for range row {
			c.codes = append(c.codes, -1)
		}
	}
}

// intsToFloats turns an int column into a float column.
func (c *colBuf) intsToFloats() {
	c.floats = slices.Grow(c.floats[:0], c.hint)
	for _, v := range c.ints {
		c.floats = append(c.floats, float64(v))
	}
	for _, r := range c.negZero {
		c.floats[r] = math.Copysign(0, -1)
	}
	for _, r := range c.miss {
		c.floats[r] = math.NaN()
	}
	c.ints, c.negZero = c.ints[:0], c.negZero[:0]
	c.kind = kFloat
}

// toString turns a bool or number column into a string column from row on;
// fixup fills in the earlier rows.
func (c *colBuf) toString(row int32) {
	c.kind = kString
	c.strFrom = row
	c.reserve()
	for range row {
		c.codes = append(c.codes, -1)
	}
}

// add parses one cell (already unquoted) of row.
func (c *colBuf) add(cell []byte, row int32, p *plan) error {
	t := cell
	if len(t) > 0 && (isBlank(t[0]) || isBlank(t[len(t)-1])) {
		t = trim(t)
		if len(t) == 0 {
			c.blanks++
		}
	}
	if len(t) == 0 {
		c.addMissing(row)
		return nil
	}
	if p.na != nil {
		if _, ok := p.na[string(t)]; ok {
			c.addMissing(row)
			return nil
		}
	}
	switch c.kind {
	case kString:
		c.codes = append(c.codes, c.code(cell))
		return nil
	case kFloat:
		if v, ok := parseFloat(t); ok {
			c.floats = append(c.floats, v)
			return nil
		}
	case kInt:
		if v, neg, ok := parseInt(t); ok {
			if neg && v == 0 {
				c.negZero = append(c.negZero, row)
			}
			c.ints = append(c.ints, v)
			return nil
		}
		if !c.fixed {
			if v, ok := parseFloat(t); ok {
				c.intsToFloats()
				c.floats = append(c.floats, v)
				return nil
			}
		}
	case kBool:
		if v, ok := parseBool(t); ok {
			c.bools = append(c.bools, v)
			return nil
		}
	case kNone:
		if v, ok := parseBool(t); ok {
			c.start(kBool, row)
			c.bools = append(c.bools, v)
			return nil
		}
		if v, neg, ok := parseInt(t); ok {
			c.start(kInt, row)
			if neg && v == 0 {
				c.negZero = append(c.negZero, row)
			}
			c.ints = append(c.ints, v)
			return nil
		}
		if v, ok := parseFloat(t); ok {
			c.start(kFloat, row)
			c.floats = append(c.floats, v)
			return nil
		}
		c.start(kString, row)
		c.codes = append(c.codes, c.code(cell))
		return nil
	}
	if c.fixed {
		return fmt.Errorf("cannot parse %q as %s (types override)", cell, kindName(c.kind))
	}
	c.toString(row)
	c.codes = append(c.codes, c.code(cell))
	return nil
}

func kindName(k kind) string {
	switch k {
	case kBool:
		return "bool"
	case kInt:
		return "int"
	case kFloat:
		return "float"
	}
	return "string"
}

// fast adds the cells spans[0], spans[stride], ... of rows r, r+1, ... up
// to limit while they are plain values of the column's kind: not quoted
// with escapes, not blank, no surrounding spaces. It returns the first row
// it did not add, which add then handles. It must not be used with
// NAValues, which may look like values.
func (c *colBuf) fast(data []byte, spans []span, stride, r, limit int) int {
	i := 0
	switch c.kind {
	case kString:
		for ; r < limit; r, i = r+1, i+stride {
			f := spans[i]
			if f.raw || f.end == f.start || isBlank(data[f.start]) || isBlank(data[f.end-1]) {
				return r
			}
			c.codes = append(c.codes, c.dict.code(data[f.start:f.end]))
		}
	case kFloat:
		for ; r < limit; r, i = r+1, i+stride {
			f := spans[i]
			if f.raw {
				return r
			}
			v, ok := parseFloat(data[f.start:f.end])
			if !ok {
				return r
			}
			c.floats = append(c.floats, v)
		}
	case kInt:
		for ; r < limit; r, i = r+1, i+stride {
			f := spans[i]
			if f.raw {
				return r
			}
			v, neg, ok := parseInt(data[f.start:f.end])
			if !ok || neg && v == 0 {
				return r
			}
			c.ints = append(c.ints, v)
		}
	case kBool:
		for ; r < limit; r, i = r+1, i+stride {
			f := spans[i]
			if f.raw {
				return r
			}
			v, ok := parseBool(data[f.start:f.end])
			if !ok {
				return r
			}
			c.bools = append(c.bools, v)
		}
	}
	return r
}
