package pgio

import (
	"encoding/binary"
	"io"
	"math"

	"github.com/churnlab/segment/internal/frame"
)

// copyEncoder is an io.Reader producing a table as a binary COPY stream
// whose columns are bigint, double precision, boolean and text by kind
// (the staging table's types). Missing cells and NaN are NULL.
type copyEncoder struct {
	cols []*frame.Column
	rows int
	row  int
	buf  []byte
	off  int
	done bool

	// onRows, when set, is called after each filled buffer with the rows
	// encoded so far (tests use it to cancel mid-COPY).
	onRows func(rows int)
}

func newCopyEncoder(t *frame.Table) *copyEncoder {
	e := &copyEncoder{cols: t.Columns(), rows: t.NumRows(), buf: make([]byte, 0, 1<<16)}
	e.buf = append(e.buf, copySignature...)
	e.buf = binary.BigEndian.AppendUint32(e.buf, 0) // flags
	e.buf = binary.BigEndian.AppendUint32(e.buf, 0) // header extension length
	return e
}

func (e *copyEncoder) Read(p []byte) (int, error) {
	for e.off >= len(e.buf) {
		if e.done {
			return 0, io.EOF
		}
		e.fill()
	}
	n := copy(p, e.buf[e.off:])
	e.off += n
	return n, nil
}

// fill encodes rows until the buffer holds about 64 KiB, then the trailer
// after the last row.
func (e *copyEncoder) fill() {
	e.buf = e.buf[:0]
	e.off = 0
	for e.row < e.rows && len(e.buf) < 1<<16 {
		e.buf = e.appendRow(e.buf, e.row)
		e.row++
	}
	if e.row >= e.rows {
		e.buf = binary.BigEndian.AppendUint16(e.buf, 0xFFFF) // trailer: field count -1
		e.done = true
	}
	if e.onRows != nil {
		e.onRows(e.row)
	}
}

func (e *copyEncoder) appendRow(dst []byte, i int) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(e.cols)))
	for _, c := range e.cols {
		if c.IsMissing(i) {
			dst = binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
			continue
		}
		switch c.Kind {
		case frame.Int:
			dst = binary.BigEndian.AppendUint32(dst, 8)
			dst = binary.BigEndian.AppendUint64(dst, uint64(c.Int(i)))
		case frame.Float:
			f := c.Floats[i]
			if math.IsNaN(f) {
				dst = binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
				continue
			}
			dst = binary.BigEndian.AppendUint32(dst, 8)
			dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(f))
		case frame.Bool:
			b := byte(0)
			if c.Bools[i] {
				b = 1
			}
			dst = binary.BigEndian.AppendUint32(dst, 1)
			dst = append(dst, b)
		default:
			s := c.Dict[c.Code(i)]
			dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
			dst = append(dst, s...)
		}
	}
	return dst
}
