package parquetio

import (
	"fmt"

	"github.com/parquet-go/bitpack"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// loadValues extracts the page's non-null values, expanding dictionary
// indexes for every type but strings.
func (c *cursor) loadValues(p parquet.Page, present int) error {
	v := &c.vals
	own := v.own
	*v = phys{n: present, own: own}
	data := p.Data()
	dict := p.Dictionary()
	if c.col.conv == cNull {
		return nil // values, if any, are ignored: every row is missing
	}
	if dict != nil {
		if data.Kind() != encoding.Int32 {
			return c.corrupt("dictionary indexes of kind %v", data.Kind())
		}
		idx := data.Int32()
		if len(idx) != present {
			return c.corrupt("a page has %d values for %d non-null rows", len(idx), present)
		}
		if c.col.conv == cString {
			if err := c.useStrDict(dict); err != nil {
				return err
			}
			nd := int32(len(c.sdict.remap))
			for _, i := range idx {
				if uint32(i) >= uint32(nd) {
					return c.corrupt("dictionary index %d out of range (%d entries)", i, nd)
				}
			}
			v.idx = idx
			return nil
		}
		return c.expand(dict.Page().Data(), idx)
	}
	return c.plain(data, present)
}

// plain takes the values of a page that is not dictionary-encoded.
func (c *cursor) plain(data encoding.Values, present int) error {
	v := &c.vals
	count := -1
	switch c.col.phys {
	case format.Boolean:
		if data.Kind() != encoding.Boolean {
			break
		}
		bits := data.Boolean()
		if int64(len(bits)) < int64(bitpack.ByteCount(uint(present))) {
			return c.corrupt("a page has %d bytes of booleans for %d values", len(bits), present)
		}
		v.own.bools = grow(v.own.bools, present)
		for i := range present {
			v.own.bools[i] = bits[i>>3]>>(i&7)&1 != 0
		}
		v.bools, count = v.own.bools[:present], present
	case format.Int32:
		if data.Kind() == encoding.Int32 {
			v.i32 = data.Int32()
			count = len(v.i32)
		}
	case format.Int64:
		if data.Kind() == encoding.Int64 {
			v.i64 = data.Int64()
			count = len(v.i64)
		}
	case format.Int96:
		if data.Kind() == encoding.Int96 {
			v.i96 = data.Int96()
			count = len(v.i96)
		}
	case format.Float:
		if data.Kind() == encoding.Float {
			v.f32 = data.Float()
			count = len(v.f32)
		}
	case format.Double:
		if data.Kind() == encoding.Double {
			v.f64 = data.Double()
			count = len(v.f64)
		}
	case format.ByteArray:
		if data.Kind() == encoding.ByteArray {
			v.ba, v.off = data.ByteArray()
			count = len(v.off) - 1
			if count >= 0 {
				if err := checkOffsets(v.off, len(v.ba)); err != nil {
					return c.corrupt("%v", err)
				}
			}
		}
	case format.FixedLenByteArray:
		if data.Kind() == encoding.FixedLenByteArray {
			v.fl, v.size = data.FixedLenByteArray()
			if v.size > 0 {
				count = len(v.fl) / v.size
			}
		}
	}
	if count != present {
		if count < 0 {
			return c.corrupt("page values of kind %v for a %s column", data.Kind(), c.col.phys)
		}
		return c.corrupt("a page has %d values for %d non-null rows", count, present)
	}
	return nil
}

func checkOffsets(off []uint32, n int) error {
	if len(off) == 0 {
		return fmt.Errorf("byte array without offsets")
	}
	prev := off[0]
	for _, o := range off {
		if o < prev || int64(o) > int64(n) {
			return fmt.Errorf("byte array offsets out of order or past the data")
		}
		prev = o
	}
	return nil
}

// expand looks up dictionary indexes for non-string columns, giving plain
// values.
func (c *cursor) expand(dv encoding.Values, idx []int32) error {
	v := &c.vals
	n := len(idx)
	check := func(size int) error {
		for _, i := range idx {
			if uint32(i) >= uint32(size) {
				return c.corrupt("dictionary index %d out of range (%d entries)", i, size)
			}
		}
		return nil
	}
	switch {
	case c.col.phys == format.Int32 && dv.Kind() == encoding.Int32:
		d := dv.Int32()
		if err := check(len(d)); err != nil {
			return err
		}
		v.own.i32 = grow(v.own.i32, n)
		for j, i := range idx {
			v.own.i32[j] = d[i]
		}
		v.i32 = v.own.i32[:n]
	case c.col.phys == format.Int64 && dv.Kind() == encoding.Int64:
		d := dv.Int64()
		if err := check(len(d)); err != nil {
			return err
		}
		v.own.i64 = grow(v.own.i64, n)
		for j, i := range idx {
			v.own.i64[j] = d[i]
		}
		v.i64 = v.own.i64[:n]
	case c.col.phys == format.Int96 && dv.Kind() == encoding.Int96:
		d := dv.Int96()
		if err := check(len(d)); err != nil {
			return err
		}
		v.own.i96 = grow(v.own.i96, n)
		for j, i := range idx {
			v.own.i96[j] = d[i]
		}
		v.i96 = v.own.i96[:n]
	case c.col.phys == format.Float && dv.Kind() == encoding.Float:
		d := dv.Float()
		if err := check(len(d)); err != nil {
			return err
		}
		v.own.f32 = grow(v.own.f32, n)
		for j, i := range idx {
			v.own.f32[j] = d[i]
		}
		v.f32 = v.own.f32[:n]
	case c.col.phys == format.Double && dv.Kind() == encoding.Double:
		d := dv.Double()
		if err := check(len(d)); err != nil {
			return err
		}
		v.own.f64 = grow(v.own.f64, n)
		for j, i := range idx {
			v.own.f64[j] = d[i]
		}
		v.f64 = v.own.f64[:n]
	case c.col.phys == format.Boolean && dv.Kind() == encoding.Boolean:
		bits := dv.Boolean()
		if err := check(len(bits) * 8); err != nil {
			return err
		}
		v.own.bools = grow(v.own.bools, n)
		for j, i := range idx {
			v.own.bools[j] = bits[i>>3]>>(i&7)&1 != 0
		}
		v.bools = v.own.bools[:n]
	case c.col.phys == format.ByteArray && dv.Kind() == encoding.ByteArray:
		data, off := dv.ByteArray()
		if len(off) == 0 {
			return c.corrupt("empty byte array dictionary")
		}
		if err := checkOffsets(off, len(data)); err != nil {
			return c.corrupt("%v", err)
		}
		if err := check(len(off) - 1); err != nil {
			return err
		}
		v.own.ba, v.own.off = v.own.ba[:0], append(v.own.off[:0], 0)
		for _, i := range idx {
			v.own.ba = append(v.own.ba, data[off[i]:off[i+1]]...)
			v.own.off = append(v.own.off, uint32(len(v.own.ba)))
		}
		v.ba, v.off = v.own.ba, v.own.off
	case c.col.phys == format.FixedLenByteArray && dv.Kind() == encoding.FixedLenByteArray:
		data, size := dv.FixedLenByteArray()
		if size <= 0 {
			return c.corrupt("fixed-length values of size %d", size)
		}
		if err := check(len(data) / size); err != nil {
			return err
		}
		v.own.fl = v.own.fl[:0]
		for _, i := range idx {
			v.own.fl = append(v.own.fl, data[int(i)*size:int(i+1)*size]...)
		}
		v.fl, v.size = v.own.fl, size
	default:
		return c.corrupt("a dictionary of kind %v for a %s column", dv.Kind(), c.col.phys)
	}
	return nil
}

// useStrDict makes the chunk's string dictionary current, copying it once.
func (c *cursor) useStrDict(d parquet.Dictionary) error {
	if c.dictSrc == d && c.sdict != nil {
		return nil
	}
	dv := d.Page().Data()
	if dv.Kind() != encoding.ByteArray {
		return c.corrupt("a dictionary of kind %v for a string column", dv.Kind())
	}
	data, off := dv.ByteArray()
	if len(off) == 0 {
		off = []uint32{0}
	}
	if err := checkOffsets(off, len(data)); err != nil {
		return c.corrupt("%v", err)
	}
	// The library's dictionary stays valid until the chunk's pages are
	// closed, and closeChunk drops sdict first; values are copied out when
	// they are interned.
	n := len(off) - 1
	c.sdict = &strDict{data: data, off: off, remap: make([]int32, n), stamp: make([]uint32, n)}
	c.dictSrc = d
	return nil
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}
