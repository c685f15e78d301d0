package csvio

import (
	"fmt"
	"math"
	"slices"
	"strconv"
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

	texts  textList // bool and number cells whose text is not canonical (see texts.go)
	bstyle uint8    // letter case of the canonical bool text

	ovfRow  int32 // first row whose number overflows a float64, or -1
	ovfText string

	bigInts int   // integers beyond int64 read as floats
	bigRow  int32 // the first of them
	bigText string

	nn numStats // for a string column: how many cells are numbers
}

// numStats counts the cells of a string column that are numbers and those
// that are not, with the first few of the latter.
type numStats struct {
	num, non int
	samples  []NonNumericCell // Row and Line relative to the chunk until merged
}

// maxSamples is how many non-numeric cells a near-numeric column lists.
const maxSamples = 5

func (c *colBuf) reset(k kind, hint int) {
	c.kind, c.fixed, c.hint = k, k != kNone, hint
	c.ints, c.floats, c.bools, c.codes = c.ints[:0], c.floats[:0], c.bools[:0], c.codes[:0]
	c.dict.reset()
	c.miss, c.negZero = c.miss[:0], c.negZero[:0]
	c.blanks, c.strFrom = 0, -1
	c.texts.reset()
	c.bstyle = caseNone
	c.ovfRow, c.ovfText = -1, ""
	c.bigInts, c.bigRow, c.bigText = 0, -1, ""
	c.nn = numStats{samples: c.nn.samples[:0]}
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

// intsToFloats turns an int column into a float column. Ints too large to
// be a float64 exactly keep their text.
func (c *colBuf) intsToFloats() {
	c.floats = slices.Grow(c.floats[:0], c.hint)
	var kept map[int32][]byte
	for i, v := range c.ints {
		c.floats = append(c.floats, float64(v))
		if v > exact53 || v < -exact53 {
			if kept == nil {
				kept = c.texts.byRow()
				if kept == nil {
					kept = map[int32][]byte{}
				}
			}
			if _, ok := kept[int32(i)]; !ok {
				c.texts.add(int32(i), strconv.AppendInt(nil, v, 10))
			}
		}
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
		if v, ok, canon := parseFloatC(t); ok {
			return c.addFloat(v, canon, cell, t, row)
		}
	case kInt:
		if v, neg, ok := parseInt(t); ok {
			c.addInt(v, neg, cell, t, row)
			return nil
		}
		if !c.fixed {
			if v, ok, canon := parseFloatC(t); ok {
				c.intsToFloats()
				return c.addFloat(v, canon, cell, t, row)
			}
		}
	case kBool:
		if v, ok := parseBool(t); ok {
			c.addBool(v, cell, t, row)
			return nil
		}
	case kNone:
		if v, ok := parseBool(t); ok {
			c.start(kBool, row)
			c.addBool(v, cell, t, row)
			return nil
		}
		if v, neg, ok := parseInt(t); ok {
			c.start(kInt, row)
			c.addInt(v, neg, cell, t, row)
			return nil
		}
		if v, ok, canon := parseFloatC(t); ok {
			c.start(kFloat, row)
			return c.addFloat(v, canon, cell, t, row)
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

// addFloat appends a parsed float cell. t is the trimmed cell.
func (c *colBuf) addFloat(v float64, canon bool, cell, t []byte, row int32) error {
	c.floats = append(c.floats, v)
	if canon && len(t) == len(cell) {
		return nil
	}
	if !c.fixed {
		c.texts.add(row, cell)
	}
	if math.IsInf(v, 0) {
		if c.fixed {
			return overflowErr(t)
		}
		if c.ovfRow < 0 {
			c.ovfRow, c.ovfText = row, string(t)
		}
		return nil
	}
	if isDigits(t) {
		if _, _, ok := parseInt(t); !ok {
			if c.bigInts == 0 {
				c.bigRow, c.bigText = row, clip(t)
			}
			c.bigInts++
		}
	}
	return nil
}

func (c *colBuf) addInt(v int64, neg bool, cell, t []byte, row int32) {
	if neg && v == 0 {
		c.negZero = append(c.negZero, row)
	}
	c.ints = append(c.ints, v)
	if !c.fixed && (len(t) != len(cell) || !canonInt(t)) {
		c.texts.add(row, cell)
	}
}

func (c *colBuf) addBool(v bool, cell, t []byte, row int32) {
	c.bools = append(c.bools, v)
	bc := boolCase(t)
	if c.bstyle == caseNone {
		c.bstyle = bc
	}
	if !c.fixed && (bc == caseNone || bc != c.bstyle || len(t) != len(cell)) {
		c.texts.add(row, cell)
	}
}

// overflowErr is the message for a number beyond the float64 range.
func overflowErr(t []byte) error {
	return fmt.Errorf("%s is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values", clip(t))
}

// clip shortens a long cell for a message: its first 24 bytes and its length.
func clip(t []byte) string {
	if len(t) <= 40 {
		return string(t)
	}
	return fmt.Sprintf("%s… (%s bytes)", t[:24], group(int64(len(t))))
}

// isDigits reports whether b is an optional sign and decimal digits.
func isDigits(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, d := range b {
		if d < '0' || d > '9' {
			return false
		}
	}
	return true
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
			v, ok, canon := parseFloatC(data[f.start:f.end])
			if !ok || !canon {
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
			b := data[f.start:f.end]
			v, neg, ok := parseInt(b)
			if !ok || neg && v == 0 || !canonInt(b) {
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
			b := data[f.start:f.end]
			v, ok := parseBool(b)
			if !ok || c.bstyle == caseNone || boolCase(b) != c.bstyle {
				return r
			}
			c.bools = append(c.bools, v)
		}
	}
	return r
}
