package spill

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/frame"
)

// encoding is how a column's values are stored.
type encoding uint8

const (
	encInt     encoding = iota // offsets from base, width bytes each
	encDecimal                 // floats as (base + offset) / 10^scale
	encFloat                   // raw IEEE 754 bits, 8 bytes each
	encBool                    // one bit per row
	encString                  // dictionary, then code+1 (0: missing) in width bytes
)

// maxScale is the largest number of decimal places the decimal encoding
// tries.
const maxScale = 9

var pow10 = func() [maxScale + 1]float64 {
	var p [maxScale + 1]float64
	p[0] = 1
	for i := 1; i <= maxScale; i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// encoder holds scratch space reused across columns.
type encoder struct {
	buf  []byte
	ints []int64
}

// column encodes c and returns its bytes (valid until the next call) and
// extent (without its offset and length).
func (e *encoder) column(c *frame.Column) ([]byte, extent) {
	n := c.Len()
	e.buf = e.buf[:0]
	var ext extent
	if c.Missing != nil {
		for _, m := range c.Missing {
			if m {
				ext.missing = true
				break
			}
		}
	}
	if ext.missing {
		e.buf = appendBits(e.buf, n, func(i int) bool { return c.Missing[i] })
	}
	switch c.Kind {
	case frame.Bool:
		ext.enc = encBool
		e.buf = appendBits(e.buf, n, func(i int) bool { return c.Bools[i] && !c.IsMissing(i) })
	case frame.Int:
		ext.enc = encInt
		vals := e.scratch(n)
		for i := range n {
			v := c.Int(i)
			if c.IsMissing(i) {
				v = 0
			}
			vals[i] = v
		}
		e.buf, ext.base, ext.width = appendOffsets(e.buf, vals, c.Missing)
	case frame.Float:
		if s, ok := e.decimal(c); ok {
			ext.enc, ext.scale = encDecimal, uint8(s)
			e.buf, ext.base, ext.width = appendOffsets(e.buf, e.ints, c.Missing)
			break
		}
		ext.enc = encFloat
		for _, v := range c.Floats {
			e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
		}
	default:
		ext.enc = encString
		start := len(e.buf)
		for _, w := range c.Dict {
			e.buf = binary.AppendUvarint(e.buf, uint64(len(w)))
			e.buf = append(e.buf, w...)
		}
		ext.dict, ext.dictLen = len(c.Dict), int64(len(e.buf)-start)
		ext.width = widthFor(uint64(len(c.Dict)))
		for i := range n {
			e.buf = appendUint(e.buf, uint64(c.Code(i)+1), ext.width)
		}
	}
	return e.buf, ext
}

func (e *encoder) scratch(n int) []int64 {
	if cap(e.ints) < n {
		e.ints = make([]int64, n)
	}
	e.ints = e.ints[:n]
	return e.ints
}

// decimal finds the fewest decimal places s such that every non-missing
// value of the float column c is m/10^s exactly for an integer m, leaving
// the integers (0 at missing rows) in e.ints.
func (e *encoder) decimal(c *frame.Column) (int, bool) {
	vals := e.scratch(c.Len())
	const limit = 1 << 53
scales:
	for s := 0; s <= maxScale; s++ {
		p := pow10[s]
		for i, v := range c.Floats {
			if c.IsMissing(i) {
				vals[i] = 0
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || (v == 0 && math.Signbit(v)) {
				return 0, false // only the raw encoding keeps these
			}
			m := math.Round(v * p)
			if !(math.Abs(m) < limit) || m/p != v {
				continue scales
			}
			vals[i] = int64(m)
		}
		return s, true
	}
	return 0, false
}

// appendOffsets appends vals as offsets from their minimum over the
// non-missing rows, in the narrowest width that holds them.
func appendOffsets(buf []byte, vals []int64, missing []bool) ([]byte, int64, uint8) {
	lo, hi, any := int64(0), int64(0), false
	for i, v := range vals {
		if missing != nil && missing[i] {
			continue
		}
		if !any {
			lo, hi, any = v, v, true
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	w := widthFor(uint64(hi) - uint64(lo))
	if w == 0 {
		return buf, lo, 0
	}
	for i, v := range vals {
		var u uint64
		if missing == nil || !missing[i] {
			u = uint64(v) - uint64(lo)
		}
		buf = appendUint(buf, u, w)
	}
	return buf, lo, w
}

// widthFor is the number of bytes (0, 1, 2, 4 or 8) that holds max.
func widthFor(max uint64) uint8 {
	switch {
	case max == 0:
		return 0
	case max <= math.MaxUint8:
		return 1
	case max <= math.MaxUint16:
		return 2
	case max <= math.MaxUint32:
		return 4
	}
	return 8
}

func appendUint(buf []byte, u uint64, w uint8) []byte {
	switch w {
	case 1:
		return append(buf, byte(u))
	case 2:
		return binary.LittleEndian.AppendUint16(buf, uint16(u))
	case 4:
		return binary.LittleEndian.AppendUint32(buf, uint32(u))
	case 8:
		return binary.LittleEndian.AppendUint64(buf, u)
	}
	return buf
}

func readUint(b []byte, i int, w uint8) uint64 {
	switch w {
	case 1:
		return uint64(b[i])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b[2*i:]))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b[4*i:]))
	case 8:
		return binary.LittleEndian.Uint64(b[8*i:])
	}
	return 0
}

// appendBits appends n bits, bit(i) at bit i%8 of byte i/8.
func appendBits(buf []byte, n int, bit func(i int) bool) []byte {
	for i := 0; i < n; i += 8 {
		var b byte
		for j := 0; j < 8 && i+j < n; j++ {
			if bit(i + j) {
				b |= 1 << j
			}
		}
		buf = append(buf, b)
	}
	return buf
}

func bitAt(b []byte, i int) bool { return b[i>>3]&(1<<(i&7)) != 0 }

// decodeColumn rebuilds a column of rows rows from its bytes.
func decodeColumn(name string, kind frame.Kind, ext extent, rows int, data []byte) (*frame.Column, error) {
	var missing []bool
	if ext.missing {
		nb := (rows + 7) / 8
		if len(data) < nb {
			return nil, fmt.Errorf("short missing bitmap")
		}
		missing = make([]bool, rows)
		for i := range missing {
			missing[i] = bitAt(data, i)
		}
		data = data[nb:]
	}
	need := func(n int) error {
		if len(data) < n {
			return fmt.Errorf("short data: %d bytes, want %d", len(data), n)
		}
		return nil
	}
	switch ext.enc {
	case encBool:
		if err := need((rows + 7) / 8); err != nil {
			return nil, err
		}
		vals := make([]bool, rows)
		for i := range vals {
			vals[i] = bitAt(data, i)
		}
		return newBool(name, vals, missing), nil
	case encInt:
		if err := need(rows * int(ext.width)); err != nil {
			return nil, err
		}
		vals := make([]int64, rows)
		for i := range vals {
			if missing != nil && missing[i] {
				continue
			}
			vals[i] = int64(uint64(ext.base) + readUint(data, i, ext.width))
		}
		return newInt(name, vals, missing), nil
	case encDecimal:
		if err := need(rows * int(ext.width)); err != nil {
			return nil, err
		}
		vals := make([]float64, rows)
		p := pow10[ext.scale]
		for i := range vals {
			if missing != nil && missing[i] {
				vals[i] = math.NaN()
				continue
			}
			m := int64(uint64(ext.base) + readUint(data, i, ext.width))
			if ext.scale == 0 {
				vals[i] = float64(m)
			} else {
				vals[i] = float64(m) / p
			}
		}
		return newFloat(name, vals, missing), nil
	case encFloat:
		if err := need(rows * 8); err != nil {
			return nil, err
		}
		vals := make([]float64, rows)
		for i := range vals {
			vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		return newFloat(name, vals, missing), nil
	case encString:
		dict := make([]string, ext.dict)
		pos := 0
		for k := range dict {
			l, n := binary.Uvarint(data[pos:])
			if n <= 0 || pos+n+int(l) > len(data) {
				return nil, fmt.Errorf("bad dictionary entry %d", k)
			}
			pos += n
			dict[k] = string(data[pos : pos+int(l)])
			pos += int(l)
		}
		data = data[pos:]
		if err := need(rows * int(ext.width)); err != nil {
			return nil, err
		}
		codes := make([]int32, rows)
		for i := range codes {
			codes[i] = int32(readUint(data, i, ext.width)) - 1
		}
		return newString(name, codes, dict, missing), nil
	}
	_ = kind
	return nil, fmt.Errorf("unknown encoding %d", ext.enc)
}
