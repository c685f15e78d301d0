package csvio

import (
	"bytes"
	"fmt"
	"math"
	"unicode/utf8"
)

// plan is what every worker of one pass needs; it is read-only.
type plan struct {
	file  string
	names []string // all header names, in file order
	delim byte
	proj  []int  // output column → field index in the record
	fixed []kind // output column → kind from Options.Types, kNone to infer
	na    map[string]struct{}
	utf8  bool // check that the data is valid UTF-8

	maxField  int // longest field in bytes
	maxRecord int // longest record in bytes
	block     int // records split before parsing them column by column
}

// chunk is a piece of the file holding whole records.
type chunk struct {
	seq       int
	textRead  int64 // text bytes read from the input when the chunk was cut
	rawRead   int64 // raw (file) bytes read by then
	data      []byte
	buf       []byte // backing buffer to recycle
	firstLine int
	lines     int // line breaks in data: at most lines+1 records
}

// chunkResult holds the parsed columns of one chunk.
type chunkResult struct {
	seq int
	// text and raw bytes read when the chunk was cut: their ratio is the
	// compression ratio, for estimating the rows of a compressed file.
	textRead, rawRead int64
	bytes             int
	rows              int
	blank             int // empty lines
	cols              []colBuf
	lines             []int // line of each row
	err               error
}

// worker parses chunks; its scratch space is reused between chunks.
type worker struct {
	p       *plan
	scratch []byte
	spans   []span // blockRows records × fields
	lines   []int  // line of each record of the block
}

// parse parses a chunk into res. On failure res.err is the error nearest
// the start of the chunk.
func (w *worker) parse(c *chunk, res *chunkResult) {
	p := w.p
	res.seq, res.bytes, res.rows, res.blank, res.err = c.seq, len(c.data), 0, 0, nil
	res.textRead, res.rawRead = c.textRead, c.rawRead
	res.lines = res.lines[:0]
	if cap(res.cols) < len(p.proj) {
		res.cols = make([]colBuf, len(p.proj))
	}
	res.cols = res.cols[:len(p.proj)]
	for k := range res.cols {
		res.cols[k].reset(p.fixed[k], c.lines+1)
	}
	ncols := len(p.names)
	if len(w.spans) < p.block*ncols {
		w.spans = make([]span, p.block*ncols)
		w.lines = make([]int, p.block)
	}
	if p.utf8 && !utf8.Valid(c.data) {
		// Parse the records before the bad one: their errors come first.
		cut, err := w.badUTF8(c)
		if res.err = w.records(c.data[:cut], c.firstLine, res); res.err == nil {
			res.err = err
		}
		return
	}
	if res.err = w.records(c.data, c.firstLine, res); res.err == nil {
		w.fixup(c, res)
		w.numStats(res)
	}
}

// records parses data, whose first record starts on line first, and sets
// res.rows and res.blank.
func (w *worker) records(data []byte, first int, res *chunkResult) error {
	p := w.p
	ncols := len(p.names)
	s := splitter{data: data, delim: p.delim, line: first, limit: ncols}
	row := int32(0)
	for {
		// Split up to blockRows records, then parse the block column by
		// column: each column's kind stays the same over the loop, which
		// keeps branches predictable.
		n, done := 0, false
		var shapeErr error
		for n < p.block {
			off := n * ncols
			s.fields = w.spans[off : off : off+ncols]
			ok, serr := s.next()
			if serr != nil {
				shapeErr = p.unterminated(serr)
				break
			}
			if !ok {
				done = true
				break
			}
			if len(s.fields) != ncols || s.extra > 0 {
				shapeErr = p.ragged(s.recLine, len(s.fields)+s.extra)
				break
			}
			if n := s.pos - s.recStart; n > p.maxField || n > p.maxRecord {
				if n > p.maxRecord {
					shapeErr = recordTooLong(p.file, s.recLine, p.maxRecord, nil)
					break
				}
				if err := p.fieldTooLong(&s, data); err != nil {
					shapeErr = err
					break
				}
			}
			w.lines[n] = s.recLine
			res.lines = append(res.lines, s.recLine)
			n++
		}
		if err := w.parseBlock(data, res, row, n); err != nil {
			return err
		}
		if shapeErr != nil {
			return shapeErr
		}
		row += int32(n)
		if done {
			break
		}
	}
	res.rows, res.blank = int(row), s.blank
	return nil
}

// blockRows is the number of records split before they are parsed column
// by column; their spans and text stay in the CPU cache. Wide files use
// fewer, so that the spans of a block take at most blockSpans.
const (
	blockRows  = 256
	blockSpans = 64 << 10
)

func blockFor(ncols int) int { return max(1, min(blockRows, blockSpans/max(1, ncols))) }

// fieldTooLong reports the first field of the record just split that is
// longer than the limit.
func (p *plan) fieldTooLong(s *splitter, data []byte) error {
	for j, f := range s.fields {
		if f.end-f.start > p.maxField {
			line := s.recLine + bytes.Count(data[s.recStart:f.start], nl)
			return &Error{File: p.file, Line: line, Column: p.names[j],
				Msg: fmt.Sprintf("a field of %s bytes, longer than the limit of %s (Options.MaxFieldBytes)", group(int64(f.end-f.start)), group(int64(p.maxField)))}
		}
	}
	return nil
}

// parseBlock adds the n records split into w.spans, which start at row
// row0 of the chunk. On errors it reports the one of the earliest row.
func (w *worker) parseBlock(data []byte, res *chunkResult, row0 int32, n int) error {
	p := w.p
	ncols := len(p.names)
	var first error
	limit := n
	for k, j := range p.proj {
		col := &res.cols[k]
		for r := 0; r < limit; r++ {
			if p.na == nil {
				if r = col.fast(data, w.spans[r*ncols+j:], ncols, r, limit); r == limit {
					break
				}
			}
			f := w.spans[r*ncols+j]
			cell := data[f.start:f.end]
			if f.raw {
				w.scratch = unquote(cell, w.scratch)
				cell = w.scratch
			}
			if err := col.add(cell, row0+int32(r), p); err != nil {
				first = &Error{File: p.file, Line: w.lines[r], Column: p.names[j], Msg: err.Error()}
				limit = r // only an earlier row can beat this error
				break
			}
		}
	}
	return first
}

// fixup gives the columns that turned into strings part way through the
// chunk the text of their earlier rows, keeping the dictionary in order of
// first appearance.
func (w *worker) fixup(c *chunk, res *chunkResult) {
	p := w.p
	var todo []int
	upto := int32(0)
	for k := range res.cols {
		if f := res.cols[k].strFrom; f >= 0 {
			todo = append(todo, k)
			upto = max(upto, f)
		}
	}
	if len(todo) == 0 {
		return
	}
	fresh := make([]colBuf, len(todo))
	for i := range fresh {
		fresh[i].reset(kString, 0)
	}
	s := splitter{data: c.data, delim: p.delim, line: c.firstLine}
	for row := int32(0); row < upto; row++ {
		s.next() // the records were read without error before
		for i, k := range todo {
			col := &res.cols[k]
			if row >= col.strFrom {
				continue
			}
			f := s.fields[p.proj[k]]
			cell := c.data[f.start:f.end]
			if f.raw {
				w.scratch = unquote(cell, w.scratch)
				cell = w.scratch
			}
			if p.missing(cell) {
				col.codes[row] = -1
			} else {
				col.codes[row] = fresh[i].code(cell)
			}
		}
	}
	for i, k := range todo {
		col, nw := &res.cols[k], &fresh[i]
		col.texts.reset()
		col.ovfRow, col.bigInts = -1, 0
		remap := make([]int32, len(col.dict.words))
		for j := range remap {
			remap[j] = -1
		}
		for r := col.strFrom; r < int32(len(col.codes)); r++ {
			old := col.codes[r]
			if old < 0 {
				continue
			}
			if remap[old] < 0 {
				remap[old] = nw.code([]byte(col.dict.words[old]))
			}
			col.codes[r] = remap[old]
		}
		col.dict, nw.dict = nw.dict, col.dict
		col.ints, col.floats, col.bools, col.negZero = col.ints[:0], col.floats[:0], col.bools[:0], col.negZero[:0]
		col.strFrom = -1
	}
}

// missing reports whether an (unquoted) cell is missing.
func (p *plan) missing(cell []byte) bool {
	t := trim(cell)
	if len(t) == 0 {
		return true
	}
	if p.na != nil {
		_, ok := p.na[string(t)]
		return ok
	}
	return false
}

func (p *plan) ragged(line, got int) error {
	return &Error{File: p.file, Line: line,
		Msg: fmt.Sprintf("row has %s, the header has %d", plural(got, "field"), len(p.names))}
}

func (p *plan) unterminated(e *splitError) error {
	col := ""
	if e.field < len(p.names) {
		col = p.names[e.field]
	}
	return &Error{File: p.file, Line: e.line, Column: col,
		Msg: "quoted field is never closed (a \" opens it on this line and no matching \" follows)"}
}

// badUTF8 locates the first invalid UTF-8 byte of the chunk. It returns
// the offset of the record holding it and the error to report when the
// records before are fine: the invalid byte, or an unclosed quote that
// opens before it.
func (w *worker) badUTF8(c *chunk) (int, error) {
	p := w.p
	off := firstInvalid(c.data)
	s := splitter{data: c.data, delim: p.delim, line: c.firstLine}
	for {
		ok, serr := s.next()
		if serr != nil {
			return s.recStart, p.unterminated(serr)
		}
		if !ok {
			break // not reached: the invalid byte is in some record
		}
		if s.pos <= off && s.pos < len(c.data) {
			continue
		}
		col := ""
		for j, f := range s.fields {
			if f.end > off && j < len(p.names) {
				col = p.names[j]
				break
			}
		}
		line := s.recLine + bytes.Count(c.data[s.recStart:off], nl)
		return s.recStart, &Error{File: p.file, Line: line, Column: col, Msg: invalidUTF8Msg(c.data[off])}
	}
	return len(c.data), &Error{File: p.file, Msg: invalidUTF8Msg(c.data[off])}
}

func invalidUTF8Msg(b byte) string {
	return fmt.Sprintf("invalid UTF-8 byte 0x%02X; the file is not UTF-8: set input.encoding: cp1252 (or latin1) to decode it", b)
}

// firstInvalid returns the offset of the first byte that is not part of a
// valid UTF-8 sequence, or -1.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// numStats counts, for every inferred string column of the chunk, the
// cells that are numbers and those that are not, keeping the first few of
// the latter. Numbers are classified once per dictionary word.
func (w *worker) numStats(res *chunkResult) {
	for k := range res.cols {
		col := &res.cols[k]
		if col.kind != kString || col.fixed {
			continue
		}
		isNum := make([]bool, len(col.dict.words))
		any := false
		for i, word := range col.dict.words {
			isNum[i] = isNumber([]byte(word))
			any = any || isNum[i]
		}
		st := &col.nn
		for r, code := range col.codes {
			if code < 0 {
				continue
			}
			if isNum[code] {
				st.num++
				continue
			}
			st.non++
			if len(st.samples) < maxSamples {
				st.samples = append(st.samples, NonNumericCell{Row: r, Line: res.lines[r], Value: col.dict.words[code]})
			} else if !any {
				st.non += countNonMissing(col.codes[r+1:])
				break
			}
		}
	}
}

func countNonMissing(codes []int32) int {
	n := 0
	for _, c := range codes {
		if c >= 0 {
			n++
		}
	}
	return n
}

// isNumber reports whether a cell reads as a finite int or float.
func isNumber(b []byte) bool {
	t := trim(b)
	if len(t) == 0 {
		return false
	}
	if _, _, ok := parseInt(t); ok {
		return true
	}
	v, ok := parseFloat(t)
	return ok && !math.IsInf(v, 0)
}
