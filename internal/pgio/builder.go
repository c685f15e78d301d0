package pgio

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/frame"
)

// colBuf collects one column's values for the current batch.
type colBuf struct {
	name string
	typ  string // PostgreSQL type name, for errors
	t    pgType
	kind frame.Kind

	ints   []int64
	floats []float64
	bools  []bool
	codes  []int32
	dict   *strDict
	nulls  []int32 // rows of this batch that are missing
}

// builder turns decoded rows into frame tables, batch by batch, and hashes
// every row in the canonical encoding on the way.
type builder struct {
	cols    []colBuf
	rows    int // rows in the current batch
	total   int64
	hash    *rowHasher
	enc     []byte // the current row's canonical encoding
	scratch []byte // text of dates, timestamps and uuids
	hint    int    // expected rows per batch, for preallocation
}

func newBuilder(cols []Column, hint int) *builder {
	b := &builder{cols: make([]colBuf, len(cols)), hint: hint}
	names := make([]string, len(cols))
	kinds := make([]frame.Kind, len(cols))
	for i, c := range cols {
		b.cols[i] = colBuf{name: c.Name, typ: c.Type, t: c.t, kind: c.Kind}
		names[i], kinds[i] = c.Name, c.Kind
	}
	b.hash = newRowHasher(names, kinds)
	b.reset()
	return b
}

// reset starts a new batch with fresh slices (the previous batch's table
// owns the old ones).
func (b *builder) reset() {
	b.rows = 0
	for i := range b.cols {
		c := &b.cols[i]
		c.nulls = nil
		switch c.kind {
		case frame.Int:
			c.ints = make([]int64, 0, b.hint)
		case frame.Float:
			c.floats = make([]float64, 0, b.hint)
		case frame.Bool:
			c.bools = make([]bool, 0, b.hint)
		default:
			c.codes = make([]int32, 0, b.hint)
			c.dict = &strDict{}
		}
	}
}

// valueError names the column, row and type of a value that could not be
// decoded.
func (b *builder) valueError(j int, msg string) error {
	c := &b.cols[j]
	return fmt.Errorf("column %q (%s), row %d: %s", c.name, c.typ, b.total+1, msg)
}

// value adds column j of the current row; null marks SQL NULL.
func (b *builder) value(j int, v []byte, null bool) error {
	c := &b.cols[j]
	if null {
		c.nulls = append(c.nulls, int32(b.rows))
		switch c.kind {
		case frame.Int:
			c.ints = append(c.ints, 0)
		case frame.Float:
			c.floats = append(c.floats, math.NaN())
		case frame.Bool:
			c.bools = append(c.bools, false)
		default:
			c.codes = append(c.codes, -1)
		}
		b.enc = encNull(b.enc)
		return nil
	}
	if n := c.t.fixedLen(); n >= 0 && len(v) != n {
		return b.valueError(j, fmt.Sprintf("binary value of %d bytes, want %d", len(v), n))
	}
	switch c.t {
	case tInt2:
		x := int64(be16(v))
		c.ints = append(c.ints, x)
		b.enc = encInt(b.enc, x)
	case tInt4:
		x := int64(be32(v))
		c.ints = append(c.ints, x)
		b.enc = encInt(b.enc, x)
	case tInt8:
		x := be64(v)
		c.ints = append(c.ints, x)
		b.enc = encInt(b.enc, x)
	case tFloat4:
		b.addFloat(c, float4To64(uint32(be32(v))))
	case tFloat8:
		b.addFloat(c, math.Float64frombits(uint64(be64(v))))
	case tNumeric:
		f, err := decodeNumeric(v)
		if err != nil {
			return b.valueError(j, err.Error())
		}
		b.addFloat(c, f)
	case tBool:
		x := v[0] != 0
		c.bools = append(c.bools, x)
		b.enc = encBool(b.enc, x)
	case tText:
		b.addString(c, v)
	case tUUID:
		b.scratch = appendUUID(b.scratch[:0], v)
		b.addString(c, b.scratch)
	case tDate:
		b.scratch = appendDate(b.scratch[:0], be32(v))
		b.addString(c, b.scratch)
	case tTimestamp, tTimestamptz:
		b.scratch = appendTimestamp(b.scratch[:0], be64(v), c.t == tTimestamptz)
		b.addString(c, b.scratch)
	default:
		return b.valueError(j, "unsupported type")
	}
	return nil
}

// addFloat adds a float; NaN is a missing value in a frame table.
func (b *builder) addFloat(c *colBuf, f float64) {
	if math.IsNaN(f) {
		c.nulls = append(c.nulls, int32(b.rows))
		c.floats = append(c.floats, math.NaN())
		b.enc = encNull(b.enc)
		return
	}
	c.floats = append(c.floats, f)
	b.enc = encFloat(b.enc, f)
}

func (b *builder) addString(c *colBuf, s []byte) {
	c.codes = append(c.codes, c.dict.code(s))
	b.enc = encString(b.enc, s)
}

// endRow finishes the current row.
func (b *builder) endRow() {
	b.hash.row(b.enc)
	b.enc = b.enc[:0]
	b.rows++
	b.total++
}

// table returns the current batch as a table and starts a new batch.
func (b *builder) table() (*frame.Table, error) {
	cols := make([]*frame.Column, len(b.cols))
	for i := range b.cols {
		c := &b.cols[i]
		col := &frame.Column{Name: c.name, Kind: c.kind}
		switch c.kind {
		case frame.Int:
		case frame.Float:
			col.Floats = c.floats
		case frame.Bool:
			col.Bools = c.bools
		default:
			col.Dict = c.dict.words
			if col.Dict == nil {
				col.Dict = []string{}
			}
		}
		if len(c.nulls) > 0 {
			col.Missing = make([]bool, b.rows)
			for _, r := range c.nulls {
				col.Missing[r] = true
			}
		}
		switch c.kind {
		case frame.Int:
			col = frame.NewIntOwned(c.name, c.ints, col.Missing)
		case frame.String:
			col = frame.NewStringCodesOwned(c.name, c.codes, col.Dict, col.Missing)
		}
		cols[i] = col
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	b.reset()
	return t, nil
}
