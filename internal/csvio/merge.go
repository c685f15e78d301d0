package csvio

import (
	"math"

	"github.com/churnlab/segment/internal/frame"
)

// outCol accumulates one output column over the chunks, in file order.
type outCol struct {
	name    string
	kind    kind
	ints    []int64
	floats  []float64
	bools   []bool
	codes   []int32
	dict    []string
	index   map[string]int32
	missing []bool // nil until a cell is missing
	negZero []int  // rows of an int column written as -0
	blanks  int
	rows    int

	// again is set when the column turned out to hold strings but some
	// chunks parsed it as bools or numbers, whose text is gone: a second
	// pass reads the column as strings.
	again bool
}

// merge appends a chunk's column. est is the expected final row count, used
// to size new slices.
func (o *outCol) merge(cb *colBuf, rows, est int) {
	o.blanks += cb.blanks
	if o.again {
		o.rows += rows
		return
	}
	nk := join(o.kind, cb.kind)
	if nk == kString && (o.kind != kString && o.kind != kNone || cb.kind != kString && cb.kind != kNone) {
		*o = outCol{name: o.name, kind: kString, blanks: o.blanks, rows: o.rows + rows, again: true}
		return
	}
	if nk != o.kind {
		o.promote(nk, max(est, o.rows+rows))
	}
	base := o.rows
	switch nk {
	case kBool:
		if cb.kind == kBool {
			o.bools = append(o.bools, cb.bools...)
		} else {
			o.bools = append(o.bools, make([]bool, rows)...)
		}
	case kInt:
		if cb.kind == kInt {
			o.ints = append(o.ints, cb.ints...)
			for _, r := range cb.negZero {
				o.negZero = append(o.negZero, base+int(r))
			}
		} else {
			o.ints = append(o.ints, make([]int64, rows)...)
		}
	case kFloat:
		switch cb.kind {
		case kFloat:
			o.floats = append(o.floats, cb.floats...)
		case kInt:
			for _, v := range cb.ints {
				o.floats = append(o.floats, float64(v))
			}
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
				code, ok := o.index[w]
				if !ok {
					code = int32(len(o.dict))
					o.index[w] = code
					o.dict = append(o.dict, w)
				}
				remap[i] = code
			}
			for _, c := range cb.codes {
				if c >= 0 {
					c = remap[c]
				}
				o.codes = append(o.codes, c)
			}
		} else {
			for range rows {
				o.codes = append(o.codes, -1)
			}
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

// promote widens the accumulated values to kind k (a join of o.kind).
func (o *outCol) promote(k kind, capacity int) {
	n := o.rows
	switch k {
	case kBool:
		o.bools = make([]bool, n, capacity)
	case kInt:
		o.ints = make([]int64, n, capacity)
	case kFloat:
		f := make([]float64, n, capacity)
		if o.kind == kInt {
			for i, v := range o.ints {
				f[i] = float64(v)
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
		o.floats, o.ints, o.negZero = f, nil, nil
	case kString:
		o.codes = make([]int32, n, capacity)
		for i := range o.codes {
			o.codes[i] = -1
		}
		o.index = make(map[string]int32)
	}
	o.kind = k
}

// column builds the frame column. A column with no values is a float column
// of missing values.
func (o *outCol) column() *frame.Column {
	if o.kind == kNone {
		o.promote(kFloat, o.rows)
	}
	c := &frame.Column{Name: o.name}
	switch o.kind {
	case kBool:
		c.Kind, c.Bools = frame.Bool, o.bools
	case kInt:
		c.Kind, c.Ints = frame.Int, o.ints
	case kFloat:
		c.Kind, c.Floats = frame.Float, o.floats
	default:
		c.Kind, c.Codes, c.Dict = frame.String, o.codes, o.dict
		if c.Codes == nil {
			c.Codes = []int32{}
		}
	}
	c.Missing = o.missing
	return c
}
