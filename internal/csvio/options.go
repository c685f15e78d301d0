package csvio

import (
	"fmt"
	"maps"
	"math"
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

	// TextColumns are read as text, byte for byte as in the file, and
	// never go through type inference: an id column where "0001" must stay
	// "0001" and 20-digit ids must not become floats. A name listed here
	// and in Types with another kind is an error.
	TextColumns []string

	// AllText reads every column not in Types as text, byte for byte as in
	// the file, with no type inference (empty cells and NAValues are still
	// missing). segment predict reads raw rows this way and brings each
	// column to the type the training run read it as.
	AllText bool

	// Columns, when not empty, selects the columns to keep and their order.
	// The other columns are checked for shape but not parsed.
	Columns []string

	// Progress, when not nil, is called with the number of file bytes read so
	// far and the file size (0 when unknown: a pipe), at most about 20 times
	// a second and once at the end of each pass (Scan without a schema makes
	// two). Calls are never concurrent and each happens before the next, so
	// no locking is needed, but they may come from another goroutine. It
	// must return quickly.
	Progress func(bytesRead, totalBytes int64)

	// Limits that stop hostile or wrong input early, with an error naming
	// the line, instead of letting it take all memory. 0 means the
	// default; a negative value means no limit.
	//
	// MaxRecordBytes bounds one record: a line, or the lines of a record
	// whose quoted fields hold line breaks. Default 16 MiB: a file with no
	// line break in its first 16 MiB (a binary file, /dev/zero) is not a
	// table, and a real record that long is beyond any customer table.
	MaxRecordBytes int
	// MaxFieldBytes bounds one field. Default 1 MiB: eight times Python's
	// csv module default (128 KiB), 32 times Excel's cell limit (32,767
	// characters).
	MaxFieldBytes int
	// MaxColumns bounds the header's width. Default 16,384, Excel's
	// column limit; each column costs the reader memory before any row.
	MaxColumns int

	// TempDir is where Reader.Scan spools a stream that it must read
	// twice (see Scan); "" means os.TempDir().
	TempDir string

	chunkSize int // bytes per block; 0 = defaultChunkSize (tests set it)
	workers   int // parsing goroutines; 0 = GOMAXPROCS (tests set it)
}

// Default limits; see Options.
const (
	DefaultMaxRecordBytes = 16 << 20
	DefaultMaxFieldBytes  = 1 << 20
	DefaultMaxColumns     = 16384
)

// Result is a table read from a file, with facts about the file.
type Result struct {
	Table       *frame.Table // nil after Reader.Scan, which hands out batches
	Path        string
	Bytes       int64  // size of the file in bytes, as stored (compressed)
	SHA256      string // hex SHA-256 of the raw file bytes, as stored (compressed)
	Compression string // "gzip", "zstd", or "" for none
	Encoding    string // "utf-8", "latin1", "cp1252", or "utf-16le" etc. when a byte order mark said so
	Rows        int    // data rows (the header and blank lines excluded)
	Delimiter   rune
	BOM         bool     // a byte order mark was stripped
	CR          bool     // lines end in CR alone (classic Mac OS); read as line breaks
	Trimmed     []string // header names, as written, that had surrounding white space
	Warnings    []string // facts worth telling the user, e.g. blank cells read as missing

	// NearNumeric lists, by column name, the columns read as text although
	// nearly all their cells are numbers (see NearNumeric).
	NearNumeric map[string]*NearNumeric
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
	encName  string

	maxRecord, maxField, maxCols int
	tempDir                      string
	allText                      bool
}

func limit(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return math.MaxInt
	}
	return v
}

func (o *Options) compile() (*config, error) {
	c := &config{columns: o.Columns, progress: o.Progress, chunk: o.chunkSize, workers: o.workers, tempDir: o.TempDir,
		maxRecord: limit(o.MaxRecordBytes, DefaultMaxRecordBytes), maxField: limit(o.MaxFieldBytes, DefaultMaxFieldBytes),
		maxCols: limit(o.MaxColumns, DefaultMaxColumns)}
	if c.chunk <= 0 {
		c.chunk = defaultChunkSize
	}
	c.types = o.Types
	c.allText = o.AllText
	if len(o.TextColumns) > 0 {
		c.types = maps.Clone(o.Types)
		if c.types == nil {
			c.types = make(map[string]frame.Kind, len(o.TextColumns))
		}
		for _, n := range o.TextColumns {
			if k, ok := c.types[n]; ok && k != frame.String {
				return nil, fmt.Errorf("csv: column %q is a text column and has the type %v", n, k)
			}
			c.types[n] = frame.String
		}
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
	c.encName = encodingName(enc)
	if len(o.NAValues) > 0 {
		c.na = make(map[string]struct{}, len(o.NAValues))
		for _, v := range o.NAValues {
			c.na[strings.Trim(v, " \t")] = struct{}{}
		}
	}
	return c, nil
}

func encodingName(e encoding.Encoding) string {
	switch e {
	case charmap.ISO8859_1:
		return "latin1"
	case charmap.Windows1252:
		return "cp1252"
	}
	return "utf-8"
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
