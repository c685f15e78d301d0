package parquetio

import (
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/parquet-go/bitpack"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"

	"github.com/churnlab/segment/internal/frame"
)

// cursor decodes one column of one file, a column chunk (row group) at a
// time and a page at a time, into colBufs.
type cursor struct {
	f   *pfile
	col *column

	pages *parquet.FilePages
	rg    int   // current row group
	left  int64 // rows of the current chunk not yet decoded
	row   int64 // row of the file (0-based) of the next row to decode

	page parquet.Page
	defs []byte // definition levels of the page (nil for a required column)
	n    int    // rows in the page
	pos  int    // rows of the page already decoded
	vals phys   // the page's non-null values
	vpos int    // values already decoded

	dictSrc parquet.Dictionary // the dictionary strDict was made from
	sdict   *strDict

	tmpI []int64
	tmpF []float64
	tmpB []bool
}

// phys holds the non-null values of a page in their physical type.
type phys struct {
	n     int
	bools []bool
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	i96   []deprecated.Int96
	ba    []byte   // BYTE_ARRAY data; value j is ba[off[j]:off[j+1]]
	off   []uint32 // BYTE_ARRAY offsets, n+1 of them
	fl    []byte   // FIXED_LEN_BYTE_ARRAY data
	size  int      // FIXED_LEN_BYTE_ARRAY length
	idx   []int32  // dictionary indexes (strings only; see cursor.sdict)

	own phys0 // scratch slices reused across pages
}

type phys0 struct {
	bools []bool
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	i96   []deprecated.Int96
	ba    []byte
	off   []uint32
	fl    []byte
}

// strDict is the string dictionary of one column chunk (the library's
// memory, valid until the chunk's pages are closed), with a table mapping its entries to the codes of the
// colBuf being filled (valid where stamp equals that buffer's gen).
type strDict struct {
	data  []byte
	off   []uint32
	remap []int32
	stamp []uint32
}

func (c *cursor) corrupt(format string, args ...any) error {
	return &Error{File: c.f.path, Column: c.col.Name, Msg: fmt.Sprintf("row group %d: corrupt data: ", c.rg) + fmt.Sprintf(format, args...)}
}

// startChunk begins row group rg of the file, reading pages through h.
func (c *cursor) startChunk(h io.ReaderAt, rg int) error {
	c.closeChunk()
	cc, md, err := c.f.chunk(rg, c.col.leaf)
	if err != nil {
		return &Error{File: c.f.path, Column: c.col.Name, Msg: err.Error(), Err: err}
	}
	c.rg = rg
	c.left = c.f.rgRows[rg]
	if md.NumValues != c.left {
		return c.corrupt("the column chunk has %d values, the row group %d rows", md.NumValues, c.left)
	}
	var rowStart int64
	for _, n := range c.f.rgRows[:rg] {
		rowStart += n
	}
	c.row = rowStart
	if err := checkChunk(h, md, c.f.size, c.left, c.col.optional); err != nil {
		return c.corrupt("%v", err)
	}
	c.pages = cc.PagesFrom(h)
	return nil
}

// finishChunk checks that the chunk holds no more rows than its row group.
func (c *cursor) finishChunk() error {
	if c.pos < c.n {
		return c.corrupt("a page holds more values than the row group has rows")
	}
	if c.pages != nil {
		for {
			p, err := c.pages.ReadPage()
			if err == io.EOF {
				break
			}
			if err != nil {
				return c.corrupt("%v", err)
			}
			n := p.NumRows()
			parquet.Release(p)
			if n > 0 {
				return c.corrupt("the column chunk holds more values than the row group has rows")
			}
		}
	}
	c.closeChunk()
	return nil
}

func (c *cursor) closeChunk() {
	c.sdict, c.dictSrc = nil, nil
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	if c.pages != nil {
		c.pages.Close()
		c.pages = nil
	}
	c.n, c.pos, c.defs = 0, 0, nil
}

// take decodes the next n rows of the current chunk into rows [off, off+n)
// of b. n must not exceed c.left.
func (c *cursor) take(b *colBuf, off, n int) error {
	for n > 0 {
		if c.pos == c.n {
			if err := c.loadPage(); err != nil {
				return err
			}
			continue
		}
		k := min(n, c.n-c.pos)
		if err := c.convert(b, off, k); err != nil {
			return err
		}
		c.pos += k
		off += k
		n -= k
		c.row += int64(k)
		c.left -= int64(k)
	}
	return nil
}

// loadPage reads the next page of the chunk.
func (c *cursor) loadPage() error {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	p, err := c.pages.ReadPage()
	if err == io.EOF {
		return c.corrupt("the column chunk ends after %d of %d rows", c.f.rgRows[c.rg]-c.left, c.f.rgRows[c.rg])
	}
	if err != nil {
		var perr *Error
		if errors.As(err, &perr) {
			return err
		}
		return &Error{File: c.f.path, Column: c.col.Name, Msg: fmt.Sprintf("row group %d: corrupt data: %v", c.rg, err), Err: err}
	}
	c.page = p
	n := p.NumRows()
	if n < 0 || n > c.left {
		return c.corrupt("a page holds %d rows, only %d are left in the row group", n, c.left)
	}
	c.n, c.pos, c.vpos = int(n), 0, 0
	c.defs = p.DefinitionLevels()
	present := c.n
	if c.col.optional {
		if len(c.defs) != c.n {
			return c.corrupt("a page has %d definition levels for %d rows", len(c.defs), c.n)
		}
		present = 0
		for _, d := range c.defs {
			if d == 1 {
				present++
			}
		}
	} else if len(c.defs) != 0 {
		return c.corrupt("a page of a required column has definition levels")
	} else {
		c.defs = nil
	}
	if p.RepetitionLevels() != nil && len(p.RepetitionLevels()) > 0 {
		return c.corrupt("a page of a flat column has repetition levels")
	}
	if err := c.loadValues(p, present); err != nil {
		return err
	}
	return nil
}

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
