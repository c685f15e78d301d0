package csvio

import (
	"math"
	"strconv"

	"github.com/churnlab/segment/internal/frame"
)

// colFacts are what the reader learns about a column besides its values:
// its kind, blank and missing cells, numbers out of range, and how many
// cells are numbers (for near-numeric text columns).
type colFacts struct {
	name   string
	kind   kind
	fixed  bool
	blanks int
	nmiss  int
	rows   int

	ovfRow, ovfLine int // first cell beyond the float64 range, row -1 if none
	ovfText         string
	bigInts         int
	bigRow          int
	bigText         string

	nn numStats // rows and lines are the file's
}

// addFacts adds a chunk's facts; base is the row the chunk starts at and
// lines are the chunk's row lines.
func (o *colFacts) addFacts(cb *colBuf, rows, base int, lines []int) {
	o.blanks += cb.blanks
	o.nmiss += len(cb.miss)
	if cb.ovfRow >= 0 && o.ovfRow < 0 {
		o.ovfRow, o.ovfLine, o.ovfText = base+int(cb.ovfRow), lines[cb.ovfRow], cb.ovfText
	}
	if cb.bigInts > 0 {
		if o.bigInts == 0 {
			o.bigRow, o.bigText = base+int(cb.bigRow), cb.bigText
		}
		o.bigInts += cb.bigInts
	}
	o.mergeStats(cb, rows, base, lines)
}

// outCol accumulates one output column over the chunks, in file order.
// Ints are kept in the narrowest type that holds them so far.
type outCol struct {
	colFacts
	ints    *frame.IntBuilder
	floats  []float64
	bools   []bool
	codes   *frame.IntBuilder // string codes, narrowest type
	scratch []int32           // a chunk's codes, remapped
	dict    mergeDict
	missing []bool // nil until a cell is missing
	negZero []int  // rows of an int column written as -0

	texts  textList // non-canonical text of bool and number cells, by row
	bstyle uint8
}

func newFacts(name string, fixed kind) colFacts {
	return colFacts{name: name, kind: kNone, fixed: fixed != kNone, ovfRow: -1}
}

func newOutCol(name string, fixed kind) *outCol {
	return &outCol{colFacts: newFacts(name, fixed)}
}

// merge appends a chunk's column. est is the expected final row count, used
// to size new slices; lines are the chunk's row lines.
func (o *outCol) merge(cb *colBuf, rows, est int, lines []int) {
	base := o.rows
	o.addFacts(cb, rows, base, lines)
	nk := join(o.kind, cb.kind)
	if nk == kString {
		// Bools or numbers, here or in the chunk, turn into their text.
		if o.kind != kString {
			o.toStrings(max(est, base+rows))
		}
		if cb.kind != kString {
			cb.toStrings(rows)
		}
	}
	if nk != o.kind {
		o.promote(nk, max(est, base+rows))
	}
	switch nk {
	case kBool:
		if cb.kind == kBool {
			o.bools = append(o.bools, cb.bools...)
			o.mergeBoolTexts(cb, base)
		} else {
			o.bools = append(o.bools, make([]bool, rows)...)
		}
	case kInt:
		if cb.kind == kInt {
			o.ints.Append(cb.ints...)
			for _, r := range cb.negZero {
				o.negZero = append(o.negZero, base+int(r))
			}
			o.texts.appendShifted(&cb.texts, base)
		} else {
			o.ints.AppendZeros(rows)
		}
	case kFloat:
		switch cb.kind {
		case kFloat:
			o.floats = append(o.floats, cb.floats...)
			o.texts.appendShifted(&cb.texts, base)
		case kInt:
			kept := cb.texts.byRow()
			for r, v := range cb.ints {
				o.floats = append(o.floats, float64(v))
				if v > exact53 || v < -exact53 {
					if _, ok := kept[int32(r)]; !ok {
						o.texts.add(int32(base+r), strconv.AppendInt(nil, v, 10))
					}
				}
			}
			o.texts.appendShifted(&cb.texts, base)
			for _, r := range cb.negZero {
				o.floats[base+int(r)] = math.Copysign(0, -1)
			}
			for _, r := range cb.miss {
				o.floats[base+int(r)] = math.NaN()
			}
		default:
			for range rows {
				o.floats = append(o.floats, math.NaN())
			}
		}
	case kString:
		if cb.kind == kString {
			remap := make([]int32, len(cb.dict.words))
			for i, w := range cb.dict.words {
				remap[i] = o.dict.add(w, cb.dict.hash(i))
			}
			o.scratch = o.scratch[:0]
			for _, c := range cb.codes {
				if c >= 0 {
					c = remap[c]
				}
				o.scratch = append(o.scratch, c)
			}
			frame.AppendInts(o.codes, o.scratch)
		} else {
			o.codes.AppendConst(-1, rows)
		}
	}
	if len(cb.miss) > 0 && o.missing == nil {
		o.missing = make([]bool, base, max(est, base+rows))
	}
	if o.missing != nil {
		o.missing = append(o.missing, make([]bool, rows)...)
		for _, r := range cb.miss {
			o.missing[base+int(r)] = true
		}
	}
	o.rows += rows
}

// mergeBoolTexts adds a bool chunk's kept texts, and the text of all its
// cells when its letter case differs from the column's.
func (o *outCol) mergeBoolTexts(cb *colBuf, base int) {
	if o.bstyle == caseNone {
		o.bstyle = cb.bstyle
	}
	if cb.bstyle == o.bstyle || cb.bstyle == caseNone {
		o.texts.appendShifted(&cb.texts, base)
		return
	}
	kept := cb.texts.byRow()
	missing := make(map[int32]bool, len(cb.miss))
	for _, r := range cb.miss {
		missing[r] = true
	}
	for r, v := range cb.bools {
		if t, ok := kept[int32(r)]; ok {
			o.texts.add(int32(base+r), t)
		} else if !missing[int32(r)] {
			o.texts.add(int32(base+r), []byte(formatBool(v, cb.bstyle)))
		}
	}
}

// mergeStats adds the chunk to the count of number and other cells.
func (o *colFacts) mergeStats(cb *colBuf, rows, base int, lines []int) {
	if o.fixed {
		return
	}
	switch cb.kind {
	case kInt, kFloat:
		o.nn.num += rows - len(cb.miss)
	case kBool:
		o.nn.non += rows - len(cb.miss)
		if len(o.nn.samples) < maxSamples {
			missing := make(map[int32]bool, len(cb.miss))
			for _, r := range cb.miss {
				missing[r] = true
			}
			kept := cb.texts.byRow()
			for r, v := range cb.bools {
				if len(o.nn.samples) == maxSamples {
					break
				}
				if missing[int32(r)] {
					continue
				}
				t, ok := kept[int32(r)]
				if !ok {
					t = []byte(formatBool(v, cb.bstyle))
				}
				o.nn.samples = append(o.nn.samples, NonNumericCell{Row: base + r + 1, Line: lines[r], Value: string(t)})
			}
		}
	case kString:
		o.nn.num += cb.nn.num
		o.nn.non += cb.nn.non
		for _, s := range cb.nn.samples {
			if len(o.nn.samples) == maxSamples {
				break
			}
			s.Row += base + 1
			o.nn.samples = append(o.nn.samples, s)
		}
	}
}

// toStrings turns the accumulated bools or numbers into their text: the
// kept text of a cell, or else the canonical formatting of its value.
func (o *outCol) toStrings(capacity int) {
	kept := o.texts.byRow()
	codes := make([]int32, o.rows)
	o.dict = mergeDict{}
	var ints []int64
	if o.kind == kInt {
		ints = make([]int64, o.rows)
		for i := range ints {
			ints[i] = o.ints.At(i)
		}
	}
	var buf []byte
	for i := range codes {
		if o.kind == kNone || o.missing != nil && o.missing[i] {
			codes[i] = -1
			continue
		}
		t, ok := kept[int32(i)]
		if !ok {
			buf = formatValue(buf[:0], o.kind, ints, o.floats, o.bools, i, o.bstyle)
			t = buf
		}
		codes[i] = o.dict.addText(t)
	}
	o.codes = frame.NewIntBuilder(capacity)
	frame.AppendInts(o.codes, codes)
	o.ints, o.floats, o.bools, o.negZero = nil, nil, nil, nil
	o.texts = textList{}
	o.kind = kString
}

// toStrings turns a chunk's bools or numbers into text (see outCol.toStrings).
func (c *colBuf) toStrings(rows int) {
	if c.kind == kString {
		return
	}
	kept := c.texts.byRow()
	missing := make(map[int32]bool, len(c.miss))
	for _, r := range c.miss {
		missing[r] = true
	}
	c.dict.reset()
	c.codes = c.codes[:0]
	var buf []byte
	for i := range rows {
		if c.kind == kNone || missing[int32(i)] {
			c.codes = append(c.codes, -1)
			continue
		}
		t, ok := kept[int32(i)]
		if !ok {
			buf = formatValue(buf[:0], c.kind, c.ints, c.floats, c.bools, i, c.bstyle)
			t = buf
		}
		c.codes = append(c.codes, c.dict.code(t))
	}
	c.ints, c.floats, c.bools, c.negZero = c.ints[:0], c.floats[:0], c.bools[:0], c.negZero[:0]
	c.texts.reset()
	c.kind = kString
}

// formatValue appends the canonical text of row i.
func formatValue(dst []byte, k kind, ints []int64, floats []float64, bools []bool, i int, style uint8) []byte {
	switch k {
	case kInt:
		return strconv.AppendInt(dst, ints[i], 10)
	case kFloat:
		return strconv.AppendFloat(dst, floats[i], 'f', -1, 64)
	case kBool:
		return append(dst, formatBool(bools[i], style)...)
	}
	return dst
}

// promote widens the accumulated values to kind k (a join of o.kind).
func (o *outCol) promote(k kind, capacity int) {
	n := o.rows
	switch k {
	case kBool:
		o.bools = make([]bool, n, capacity)
	case kInt:
		o.ints = frame.NewIntBuilder(capacity)
		o.ints.AppendZeros(n)
	case kFloat:
		f := make([]float64, n, capacity)
		if o.kind == kInt {
			kept := o.texts.byRow()
			for i := range n {
				v := o.ints.At(i)
				f[i] = float64(v)
				if v > exact53 || v < -exact53 {
					if _, ok := kept[int32(i)]; !ok {
						o.texts.add(int32(i), strconv.AppendInt(nil, v, 10))
					}
				}
			}
			for _, r := range o.negZero {
				f[r] = math.Copysign(0, -1)
			}
		}
		for i, m := range o.missing {
			if m || o.kind == kNone {
				f[i] = math.NaN()
			}
		}
		if o.missing == nil && o.kind == kNone {
			for i := range f {
				f[i] = math.NaN()
			}
		}
		o.floats, o.ints, o.negZero = f, nil, nil
	case kString:
		o.codes = frame.NewIntBuilder(capacity)
		o.codes.AppendConst(-1, n)
		o.dict = mergeDict{}
	}
	o.kind = k
}

// column builds the frame column. A column with no values is a float column
// of missing values.
func (o *outCol) column() *frame.Column {
	if o.kind == kNone {
		o.promote(kFloat, o.rows)
	}
	if o.kind == kInt {
		return o.ints.Column(o.name, o.missing)
	}
	if o.kind == kString {
		return o.codes.StringColumn(o.name, o.dict.words, o.missing)
	}
	c := &frame.Column{Name: o.name}
	switch o.kind {
	case kBool:
		c.Kind, c.Bools = frame.Bool, o.bools
	case kFloat:
		c.Kind, c.Floats = frame.Float, o.floats
	}
	c.Missing = o.missing
	return c
}
