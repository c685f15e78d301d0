package parquetio

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go/format"

	"github.com/churnlab/segment/internal/frame"
)

// convert decodes k rows of the current page into rows [off, off+k) of b.
func (c *cursor) convert(b *colBuf, off, k int) error {
	var defs []byte
	if c.defs != nil {
		defs = c.defs[c.pos : c.pos+k]
	}
	present := k
	if defs != nil {
		present = 0
		for _, d := range defs {
			if d == 1 {
				present++
			}
		}
	}
	if c.col.conv == cNull {
		for i := range k {
			b.setMissing(off + i)
		}
		c.vpos += present
		return nil
	}
	switch b.kind {
	case frame.Int:
		dst := b.ints[off : off+k]
		src := dst
		if defs != nil {
			c.tmpI = grow(c.tmpI, present)
			src = c.tmpI
		}
		if j, err := c.intVals(src); err != nil {
			return &Error{File: c.f.path, Row: c.rowOf(defs, j), Column: c.col.Name, Msg: err.Error()}
		}
		if defs != nil {
			scatter(b, off, dst, defs, src)
		}
	case frame.Float:
		dst := b.floats[off : off+k]
		src := dst
		if defs != nil {
			c.tmpF = grow(c.tmpF, present)
			src = c.tmpF
		}
		c.floatVals(src)
		if defs != nil {
			scatter(b, off, dst, defs, src)
		}
		for i, x := range dst {
			if x != x && (b.missing == nil || !b.missing[off+i]) {
				b.setMissing(off + i)
			}
		}
	case frame.Bool:
		dst := b.bools[off : off+k]
		src := dst
		if defs != nil {
			c.tmpB = grow(c.tmpB, present)
			src = c.tmpB
		}
		copy(src, c.vals.bools[c.vpos:c.vpos+present])
		c.vpos += present
		if defs != nil {
			scatter(b, off, dst, defs, src)
		}
	default:
		if i, err := c.strings(b, off, k, defs); err != nil {
			return &Error{File: c.f.path, Row: c.row + int64(i) + 1, Column: c.col.Name, Msg: err.Error()}
		}
	}
	return nil
}

// rowOf returns the 1-based file row of the j-th non-null value of the
// current range.
func (c *cursor) rowOf(defs []byte, j int) int64 {
	if defs == nil {
		return c.row + int64(j) + 1
	}
	for i, d := range defs {
		if d == 1 {
			if j == 0 {
				return c.row + int64(i) + 1
			}
			j--
		}
	}
	return c.row + 1
}

// scatter spreads the non-null values src over dst following the definition
// levels, marking the other rows missing.
func scatter[T any](b *colBuf, off int, dst []T, defs []byte, src []T) {
	// Walk backwards so that src may share dst's memory.
	j := len(src)
	for i := len(defs) - 1; i >= 0; i-- {
		if defs[i] == 1 {
			j--
			dst[i] = src[j]
		} else {
			b.setMissing(off + i)
		}
	}
}

// intVals converts the next len(dst) values to int64. On error it returns
// the index of the bad value.
func (c *cursor) intVals(dst []int64) (int, error) {
	v, p := &c.vals, c.vpos
	switch c.col.conv {
	case cInt32:
		for i, x := range v.i32[p : p+len(dst)] {
			dst[i] = int64(x)
		}
	case cUint32:
		for i, x := range v.i32[p : p+len(dst)] {
			dst[i] = int64(uint32(x))
		}
	case cInt64:
		copy(dst, v.i64[p:p+len(dst)])
	case cUint64:
		for i, x := range v.i64[p : p+len(dst)] {
			if x < 0 {
				return i, fmt.Errorf("unsigned value %d does not fit a signed 64-bit integer", uint64(x))
			}
			dst[i] = x
		}
	}
	c.vpos += len(dst)
	return 0, nil
}

// floatVals converts the next len(dst) values to float64.
func (c *cursor) floatVals(dst []float64) {
	v, p := &c.vals, c.vpos
	switch c.col.conv {
	case cDouble:
		copy(dst, v.f64[p:p+len(dst)])
	case cFloat32:
		for i, x := range v.f32[p : p+len(dst)] {
			dst[i] = widen32(x)
		}
	case cDecimal:
		s := c.col.scale
		switch c.col.phys {
		case format.Int32:
			for i, x := range v.i32[p : p+len(dst)] {
				dst[i] = decimalInt(int64(x), s)
			}
		case format.Int64:
			for i, x := range v.i64[p : p+len(dst)] {
				dst[i] = decimalInt(x, s)
			}
		case format.ByteArray:
			for i := range dst {
				dst[i] = decimalBytes(v.ba[v.off[p+i]:v.off[p+i+1]], s)
			}
		case format.FixedLenByteArray:
			for i := range dst {
				j := (p + i) * v.size
				dst[i] = decimalBytes(v.fl[j:j+v.size], s)
			}
		}
	}
	c.vpos += len(dst)
}

// strings decodes k rows of a string column. On error it returns the row
// offset in the range.
func (c *cursor) strings(b *colBuf, off, k int, defs []byte) (int, error) {
	v := &c.vals
	codes := b.codes[off : off+k]
	missing := func(i int) bool {
		if defs != nil && defs[i] != 1 {
			b.setMissing(off + i)
			return true
		}
		return false
	}
	switch c.col.conv {
	case cString:
		if v.idx != nil {
			d := c.sdict
			for i := range codes {
				if missing(i) {
					continue
				}
				e := v.idx[c.vpos]
				c.vpos++
				if d.stamp[e] == b.gen {
					codes[i] = d.remap[e]
					continue
				}
				s := d.data[d.off[e]:d.off[e+1]]
				code, ok := b.internBytes(s)
				if !ok {
					return i, invalidUTF8(s)
				}
				d.stamp[e], d.remap[e] = b.gen, code
				codes[i] = code
			}
			return 0, nil
		}
		if !b.sized {
			// Writers store strings plainly when their dictionary grew too
			// big, i.e. for columns of mostly distinct values (ids): size
			// the index for the rest of the chunk instead of growing it.
			b.sized = true
			b.index.reserve(b.dict, int(min(int64(len(b.codes)-off), c.left)))
		}
		for i := range codes {
			if missing(i) {
				continue
			}
			s := v.ba[v.off[c.vpos]:v.off[c.vpos+1]]
			c.vpos++
			code, ok := b.internBytes(s)
			if !ok {
				return i, invalidUTF8(s)
			}
			codes[i] = code
		}
	case cDate:
		for i := range codes {
			if missing(i) {
				continue
			}
			codes[i] = b.internKey(int64(v.i32[c.vpos]), formatDate)
			c.vpos++
		}
	case cTimestamp:
		f := timestampFormatter(c.col.unit, c.col.utc)
		for i := range codes {
			if missing(i) {
				continue
			}
			codes[i] = b.internKey(v.i64[c.vpos], f)
			c.vpos++
		}
	case cTime:
		f := timeFormatter(c.col.unit, c.col.utc)
		for i := range codes {
			if missing(i) {
				continue
			}
			var x int64
			if c.col.phys == format.Int32 {
				x = int64(v.i32[c.vpos])
			} else {
				x = v.i64[c.vpos]
			}
			c.vpos++
			codes[i] = b.internKey(x, f)
		}
	case cInt96:
		for i := range codes {
			if missing(i) {
				continue
			}
			codes[i] = b.intern96(v.i96[c.vpos])
			c.vpos++
		}
	}
	return 0, nil
}

func invalidUTF8(s []byte) error {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	return fmt.Errorf("invalid UTF-8 (byte 0x%02X at offset %d of the value) in a string column", s[min(i, len(s)-1)], i)
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// widen32 converts a FLOAT to float64 through its shortest decimal form, the
// text a CSV export of the value would hold, so 0.1f becomes 0.1.
func widen32(f float32) float64 {
	x := float64(f)
	if x == math.Trunc(x) || math.IsInf(x, 0) || x != x {
		return x
	}
	var buf [32]byte
	return parseFloat(appendFloat32(buf[:0], f))
}
