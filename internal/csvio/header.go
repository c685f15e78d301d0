package csvio

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// header is the parsed header record and the bytes read after it.
type header struct {
	names   []string // trimmed
	trimmed []string // names as written, when trimming changed them
	delim   byte
	bom     bool
	line    int    // header line
	next    int    // line of rest[0]
	rest    []byte // bytes read after the header record
	eof     bool   // the reader is exhausted
}

const headerBlock = 64 << 10

// fill reads from rd until len(buf) >= want or the end of the input,
// growing buf when needed.
func fill(rd io.Reader, buf []byte, want int) ([]byte, bool, error) {
	if cap(buf) < want {
		nb := make([]byte, len(buf), want)
		copy(nb, buf)
		buf = nb
	}
	for len(buf) < want {
		n, err := rd.Read(buf[len(buf):want])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

// readHeader reads until the header record is complete and parses it. It
// parses what each read brings, so that a stream whose writer pauses after
// the header is not waited for; size is the first read's size.
func readHeader(rd io.Reader, file string, cfg *config, size int) (*header, error) {
	buf := make([]byte, 0, size)
	eof := false
	for {
		if len(buf) == cap(buf) {
			if len(buf) > cfg.maxRecord {
				return nil, &Error{File: file, Line: 1, Msg: headerTooLong(cfg.maxRecord)}
			}
			buf = slices.Grow(buf, min(len(buf), cfg.maxRecord+1))
		}
		n, err := rd.Read(buf[len(buf):cap(buf)])
		fresh := buf[len(buf) : len(buf)+n]
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			eof = true
		} else if err != nil {
			return nil, readError(file, err)
		}
		if len(buf) == 0 && eof {
			return nil, &Error{File: file, Msg: "file is empty"}
		}
		if !eof && bytes.IndexByte(fresh, '\n') < 0 {
			continue // the header cannot have ended in this read
		}
		h, more, err := parseHeader(buf, eof, file, cfg)
		if more && !eof {
			continue
		}
		if err == nil && len(buf) > cfg.maxRecord && len(buf)-len(h.rest) > cfg.maxRecord {
			return nil, &Error{File: file, Line: 1, Msg: headerTooLong(cfg.maxRecord)}
		}
		return h, err
	}
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// parseHeader parses the header at the start of buf. more reports that the
// header may continue past buf.
func parseHeader(buf []byte, eof bool, file string, cfg *config) (h *header, more bool, err error) {
	h = &header{eof: eof}
	data := buf
	if cfg.decoder == nil && len(data) >= 3 && string(data[:3]) == string(bom) {
		data, h.bom = data[3:], true
	}
	h.delim = cfg.delim
	if h.delim == 0 {
		d, complete := detectDelimiter(data)
		if !complete && !eof {
			return nil, true, nil
		}
		h.delim = d
	}
	s := splitter{data: data, delim: h.delim, line: 1, limit: cfg.maxCols}
	ok, serr := s.next()
	if !eof && (serr != nil || !ok || s.pos == len(data) && data[len(data)-1] != '\n') {
		return nil, true, nil
	}
	if serr != nil {
		return nil, false, &Error{File: file, Line: serr.line,
			Msg: fmt.Sprintf("header: the name of column %d opens a quote that is never closed", serr.field+1)}
	}
	if !ok {
		return nil, false, &Error{File: file, Msg: "has no header row (only blank lines)"}
	}
	h.line, h.next, h.rest = s.recLine, s.line, data[s.pos:]
	if s.extra > 0 {
		return nil, false, &Error{File: file, Line: h.line,
			Msg: fmt.Sprintf("header: %s columns, more than the limit of %s (Options.MaxColumns)", group(int64(len(s.fields)+s.extra)), group(int64(cfg.maxCols)))}
	}
	if s.pos-s.recStart > cfg.maxRecord {
		return nil, false, &Error{File: file, Line: h.line, Msg: headerTooLong(cfg.maxRecord)}
	}
	seen := make(map[string]int, len(s.fields))
	var scratch []byte
	for j, f := range s.fields {
		text := data[f.start:f.end]
		if f.raw {
			scratch = unquote(text, scratch)
			text = scratch
		}
		if len(text) > cfg.maxField {
			return nil, false, &Error{File: file, Line: h.line,
				Msg: fmt.Sprintf("header: the name of column %d is %s bytes long, more than the limit of %s (Options.MaxFieldBytes)", j+1, group(int64(len(text))), group(int64(cfg.maxField)))}
		}
		if cfg.decoder == nil && !utf8.Valid(text) {
			return nil, false, &Error{File: file, Line: h.line,
				Msg: fmt.Sprintf("header: in the name of column %d, %s", j+1, invalidUTF8Msg(text[firstInvalid(text)]))}
		}
		raw := string(text)
		name := strings.TrimSpace(raw)
		if name != raw {
			h.trimmed = append(h.trimmed, raw)
		}
		if name == "" {
			return nil, false, &Error{File: file, Line: h.line, Msg: fmt.Sprintf("header: column %d has an empty name", j+1)}
		}
		if first, dup := seen[name]; dup {
			return nil, false, &Error{File: file, Line: h.line,
				Msg: fmt.Sprintf("header: duplicate column name %q (columns %d and %d)", name, first+1, j+1)}
		}
		seen[name] = j
		h.names = append(h.names, name)
	}
	return h, false, nil
}

// detectDelimiter picks the most frequent of ',', ';' and '\t' outside quotes
// on the first non-blank line, ',' on ties. complete reports that the line
// ended within data.
func detectDelimiter(data []byte) (d byte, complete bool) {
	i := 0
	for i < len(data) && (data[i] == '\n' || data[i] == '\r') {
		i++
	}
	var comma, semi, tab int
	inQuote := false
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				comma++
			}
		case ';':
			if !inQuote {
				semi++
			}
		case '\t':
			if !inQuote {
				tab++
			}
		case '\n':
			if !inQuote {
				complete = true
			}
		}
		if complete {
			break
		}
	}
	switch {
	case semi > comma && semi >= tab:
		return ';', complete
	case tab > comma && tab > semi:
		return '\t', complete
	}
	return ',', complete
}

func headerTooLong(limit int) string {
	return fmt.Sprintf("header: the header record is longer than %s bytes (Options.MaxRecordBytes); is this a CSV file?", group(int64(limit)))
}
