package csvio

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/churnlab/segment/internal/frame"
)

// Options controls ReadFile and ReadHeader. The zero value reads a UTF-8 file
// with an auto-detected delimiter, inferring every column's kind.
type Options struct {
	// Delimiter separates fields. 0 detects it from the header line: the
	// most frequent of ',', ';' and '\t' outside quotes, ',' on ties.
	Delimiter rune

	// Encoding of the file: "" or "utf-8" (the default), "latin1"
	// (ISO-8859-1) or "cp1252" (Windows-1252). Other encodings are decoded to
	// UTF-8 while reading.
	Encoding string

	// NAValues lists extra cell values that mean missing. A cell matches when
	// it equals one of them after trimming surrounding spaces and tabs.
	NAValues []string

	// Types fixes the kind of the named columns instead of inferring it.
	Types map[string]frame.Kind

	// Columns, when not empty, selects the columns to keep and their order.
	// The other columns are checked for shape but not parsed.
	Columns []string

	// Progress, when not nil, is called with the number of file bytes read so
	// far and the file size, at most about 20 times a second and once at the
	// end. Calls are never concurrent and each happens before the next, so
	// no locking is needed. It must return quickly.
	Progress func(bytesRead, totalBytes int64)

	chunkSize int // bytes per block; 0 = defaultChunkSize (tests set it)
	workers   int // parsing goroutines; 0 = GOMAXPROCS (tests set it)
}

// Result is a table read from a file, with facts about the file.
type Result struct {
	Table     *frame.Table
	Path      string
	Bytes     int64  // size of the file in bytes
	SHA256    string // hex SHA-256 of the raw file bytes
	Rows      int    // data rows (the header and blank lines excluded)
	Delimiter rune
	BOM       bool     // a UTF-8 byte order mark was stripped
	Trimmed   []string // header names, as written, that had surrounding white space
	Warnings  []string // facts worth telling the user, e.g. blank cells read as missing
}

const defaultChunkSize = 4 << 20

// config is Options checked and prepared for reading.
type config struct {
	delim    byte // 0 = detect
	decoder  encoding.Encoding
	na       map[string]struct{}
	types    map[string]frame.Kind
	columns  []string
	progress func(int64, int64)
	chunk    int
	workers  int
}

func (o *Options) compile() (*config, error) {
	c := &config{types: o.Types, columns: o.Columns, progress: o.Progress, chunk: o.chunkSize, workers: o.workers}
	if c.chunk <= 0 {
		c.chunk = defaultChunkSize
	}
	switch d := o.Delimiter; {
	case d == 0:
	case d == '"' || d == '\n' || d == '\r' || d >= 0x80:
		return nil, fmt.Errorf("csv: delimiter %q is not allowed (use a single ASCII character other than a quote or line break)", d)
	default:
		c.delim = byte(d)
	}
	enc, err := lookupEncoding(o.Encoding)
	if err != nil {
		return nil, err
	}
	c.decoder = enc
	if len(o.NAValues) > 0 {
		c.na = make(map[string]struct{}, len(o.NAValues))
		for _, v := range o.NAValues {
			c.na[strings.Trim(v, " \t")] = struct{}{}
		}
	}
	return c, nil
}

// lookupEncoding returns nil for UTF-8.
func lookupEncoding(name string) (encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return nil, nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		return charmap.ISO8859_1, nil
	case "cp1252", "windows-1252", "windows1252":
		return charmap.Windows1252, nil
	}
	return nil, fmt.Errorf("csv: unknown encoding %q (want utf-8, latin1 or cp1252)", name)
}
