package csvio

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// span locates one field of a record inside a chunk: data[start:end].
type span struct {
	start, end int
	raw        bool // data[start:end] is quoted text that needs unquote
}

// splitter cuts a chunk, which starts at a record boundary, into records.
type splitter struct {
	data   []byte
	delim  byte
	pos    int    // next byte to read
	line   int    // physical line of data[pos]
	fields []span // fields of the current record

	recLine  int // line the current record starts on
	recStart int // offset of the current record
	blank    int // empty lines skipped so far

	// limit, when > 0, is the most fields kept in fields; further fields
	// of the record are only counted in extra.
	limit int
	extra int
}

// keep reports whether one more field fits in fields, counting it in
// s.extra when not.
func (s *splitter) keep(n int) bool {
	if s.limit > 0 && n >= s.limit {
		s.extra++
		return false
	}
	return true
}

// splitError is an unterminated quoted field: field is its 0-based position
// in the record and line the line of its opening quote.
type splitError struct {
	line, field int
}

// next reads the record at s.pos into s.fields, skipping empty lines. It
// returns false at the end of the data.
func (s *splitter) next() (bool, *splitError) {
	data, n, delim := s.data, len(s.data), s.delim
	pos := s.pos
	for pos < n {
		c := data[pos]
		if c == '\n' {
			pos++
			s.line++
			s.blank++
			continue
		}
		if c == '\r' && (pos+1 == n || data[pos+1] == '\n') {
			pos++
			if pos == n {
				break
			}
			continue
		}
		break
	}
	if pos >= n {
		s.pos = n
		return false, nil
	}
	s.recLine, s.recStart = s.line, pos
	s.extra = 0
	fields := s.fields[:0]
	for {
		if pos < n && data[pos] == '"' {
			sp, next, err := s.quoted(pos, len(fields))
			if err != nil {
				s.fields = fields
				return false, err
			}
			if s.keep(len(fields)) {
				fields = append(fields, sp)
			}
			if next < 0 { // the record ended
				s.fields = fields
				return true, nil
			}
			pos = next
			continue
		}
		i := s.fieldEnd(pos)
		if i < n && data[i] == delim {
			if s.keep(len(fields)) {
				fields = append(fields, span{start: pos, end: i})
			}
			pos = i + 1
			continue
		}
		end := i
		if end > pos && data[end-1] == '\r' {
			end--
		}
		if s.keep(len(fields)) {
			fields = append(fields, span{start: pos, end: end})
		}
		if i < n {
			s.line++
			i++
		}
		s.pos = i
		s.fields = fields
		return true, nil
	}
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// fieldEnd returns the offset of the first delimiter or LF at or after pos,
// or len(s.data). It tests eight bytes at a time: in x = w ^ (c * lows) a
// zero byte marks c, and (x - lows) &^ x & highs sets the high bit of the
// lowest zero byte (higher bits may be false alarms, but only the lowest
// is used).
func (s *splitter) fieldEnd(pos int) int {
	data := s.data
	dm := uint64(s.delim) * lows
	const nm = uint64('\n') * lows
	i := pos
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		x, y := w^dm, w^nm
		if t := ((x - lows) &^ x & highs) | ((y - lows) &^ y & highs); t != 0 {
			return i + bits.TrailingZeros64(t)>>3
		}
	}
	for ; i < len(data); i++ {
		if c := data[i]; c == s.delim || c == '\n' {
			return i
		}
	}
	return i
}

// quoted reads the quoted field whose opening quote is at data[pos]. next is
// the offset of the following field, or -1 when the record ended (s.pos and
// s.line are then updated).
func (s *splitter) quoted(pos, field int) (sp span, next int, err *splitError) {
	data, n, delim := s.data, len(s.data), s.delim
	raw := false
	q := pos + 1
	var end int
	for {
		k := bytes.IndexByte(data[q:], '"')
		if k < 0 {
			return span{}, 0, &splitError{line: s.line, field: field}
		}
		k += q
		if k+1 < n && data[k+1] == '"' {
			raw = true
			q = k + 2
			continue
		}
		end = k
		break
	}
	s.line += bytes.Count(data[pos+1:end], nl)
	i := end + 1
	switch {
	case i == n:
		s.pos = n
		return span{pos + 1, end, raw}, -1, nil
	case data[i] == delim:
		return span{pos + 1, end, raw}, i + 1, nil
	case data[i] == '\n':
		s.pos, s.line = i+1, s.line+1
		return span{pos + 1, end, raw}, -1, nil
	case data[i] == '\r' && i+1 == n:
		s.pos = n
		return span{pos + 1, end, raw}, -1, nil
	case data[i] == '\r' && data[i+1] == '\n':
		s.pos, s.line = i+2, s.line+1
		return span{pos + 1, end, raw}, -1, nil
	}
	// Text after the closing quote belongs to the field, like in pandas.
	j := i
	for j < n && data[j] != delim && data[j] != '\n' {
		j++
	}
	if j < n && data[j] == delim {
		return span{pos + 1, j, true}, j + 1, nil
	}
	e := j
	if data[e-1] == '\r' {
		e--
	}
	if j < n {
		s.line++
		j++
	}
	s.pos = j
	return span{pos + 1, e, true}, -1, nil
}

var nl = []byte{'\n'}

// unquote decodes the text of a raw span: "" is one quote, a lone quote
// closes the quoted part and the rest is literal. dst is reused.
func unquote(raw, dst []byte) []byte {
	dst = dst[:0]
	in := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if in && c == '"' {
			if i+1 < len(raw) && raw[i+1] == '"' {
				dst = append(dst, '"')
				i++
				continue
			}
			in = false
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// lastRecordEnd returns the offset just past the last line break in data that
// ends a record (one outside quoted fields), or -1 when data holds no
// complete record. data must start at a record boundary.
func lastRecordEnd(data []byte, delim byte) int {
	n := len(data)
	last := -1
	from := 0   // start of the current stretch outside quotes
	search := 0 // where to look for the next quote
	for {
		k := bytes.IndexByte(data[search:], '"')
		if k < 0 {
			if j := bytes.LastIndexByte(data[from:], '\n'); j >= 0 {
				return from + j + 1
			}
			return last
		}
		k += search
		if k > 0 && data[k-1] != delim && data[k-1] != '\n' {
			search = k + 1 // a literal quote inside an unquoted field
			continue
		}
		if j := bytes.LastIndexByte(data[from:k], '\n'); j >= 0 {
			last = from + j + 1
		}
		q := k + 1
		for {
			m := bytes.IndexByte(data[q:], '"')
			if m < 0 {
				return last
			}
			m += q
			if m+1 == n {
				return last // cannot tell a closing quote from an escaped one yet
			}
			if data[m+1] == '"' {
				q = m + 2
				continue
			}
			from, search = m+1, m+1
			break
		}
	}
}
