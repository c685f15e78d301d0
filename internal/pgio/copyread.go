package pgio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// copySignature starts every binary COPY stream.
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// copyParser decodes a binary COPY stream (the "binary format" of the COPY
// documentation: a signature, flags and header extension, then per tuple an
// int16 field count and per field an int32 length, -1 for NULL, and the
// value's bytes, and a trailer of field count -1). It is an io.Writer for
// pgconn.CopyTo, so rows are decoded as the messages arrive; data may be
// split anywhere, pieces that do not finish a tuple are kept until the next
// write.
type copyParser struct {
	b       *builder
	ncols   int
	header  bool // the header has been read
	done    bool // the trailer has been read
	pending []byte
	spans   [][2]int32 // offsets of the current tuple's values (start, length; length -1 = NULL)

	// batch, when > 0, makes the parser call flush after that many rows.
	batch int
	flush func() error
}

func newCopyParser(b *builder, ncols int) *copyParser {
	return &copyParser{b: b, ncols: ncols, spans: make([][2]int32, ncols)}
}

func (p *copyParser) Write(data []byte) (int, error) {
	n := len(data)
	buf := data
	if len(p.pending) > 0 {
		p.pending = append(p.pending, data...)
		buf = p.pending
	}
	used, err := p.parse(buf)
	if err != nil {
		return 0, err
	}
	rest := buf[used:]
	if len(p.pending) > 0 {
		// buf is p.pending: move the rest to its front.
		p.pending = p.pending[:copy(p.pending, rest)]
	} else {
		p.pending = append(p.pending[:0], rest...)
	}
	return n, nil
}

// parse decodes every complete piece of buf and returns the bytes used.
func (p *copyParser) parse(buf []byte) (int, error) {
	pos := 0
	if !p.header {
		if len(buf) < len(copySignature)+8 {
			return 0, nil
		}
		if !bytes.Equal(buf[:len(copySignature)], copySignature) {
			return 0, errors.New("the server's COPY output does not start with the binary COPY signature")
		}
		pos = len(copySignature)
		flags := binary.BigEndian.Uint32(buf[pos:])
		if flags&(1<<16) != 0 {
			return 0, errors.New("the server's binary COPY output has OIDs, which segment does not read")
		}
		ext := int(binary.BigEndian.Uint32(buf[pos+4:]))
		if len(buf) < pos+8+ext {
			return 0, nil
		}
		pos += 8 + ext
		p.header = true
	}
	for !p.done {
		if len(buf)-pos < 2 {
			return pos, nil
		}
		nf := int(int16(binary.BigEndian.Uint16(buf[pos:])))
		if nf == -1 {
			p.done = true
			if pos+2 != len(buf) {
				return 0, errAfterTrailer
			}
			return pos + 2, nil
		}
		if nf != p.ncols {
			return 0, fmt.Errorf("the server sent a row with %d values, the query describes %d columns", nf, p.ncols)
		}
		q := pos + 2
		complete := true
		for j := range nf {
			if len(buf)-q < 4 {
				complete = false
				break
			}
			l := int(int32(binary.BigEndian.Uint32(buf[q:])))
			q += 4
			if l < 0 {
				p.spans[j] = [2]int32{int32(q), -1}
				continue
			}
			if len(buf)-q < l {
				complete = false
				break
			}
			p.spans[j] = [2]int32{int32(q), int32(l)}
			q += l
		}
		if !complete {
			return pos, nil
		}
		for j := range nf {
			s := p.spans[j]
			if s[1] < 0 {
				if err := p.b.value(j, nil, true); err != nil {
					return 0, err
				}
				continue
			}
			if err := p.b.value(j, buf[s[0]:s[0]+s[1]:s[0]+s[1]], false); err != nil {
				return 0, err
			}
		}
		p.b.endRow()
		pos = q
		if p.batch > 0 && p.b.rows >= p.batch {
			if err := p.flush(); err != nil {
				return 0, err
			}
		}
	}
	if pos != len(buf) {
		return 0, errAfterTrailer
	}
	return pos, nil
}

var errAfterTrailer = errors.New("the server sent data after the end of the binary COPY output")
