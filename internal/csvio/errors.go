package csvio

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/sniff"
)

// Error is a problem with the content of a CSV file, located as precisely as
// known. Line is a 1-based physical line of the file, 0 when not applicable;
// Column is a header name, "" when not applicable.
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
	Err    error // underlying error, if any, for errors.Is and errors.As
}

// Error formats the error as `FILE line N, column "X": message`, leaving out
// the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Column != "" {
		if e.Line > 0 {
			b.WriteString(", ")
		} else if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("column ")
		b.WriteString(strconv.Quote(e.Column))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// FormatError is an input that is not CSV text: compressed data other than
// gzip and zstd, an archive, a spreadsheet, a Parquet file, binary data.
// Format and Description come from package sniff; Inside names the
// compression it was found in, if any.
type FormatError struct {
	File        string
	Format      sniff.Format
	Description string
	Inside      sniff.Format
}

// Error reads like
//
//	data/x.csv: is a Parquet file, not CSV text; set input.format: parquet
func (e *FormatError) Error() string {
	what := e.Description
	if e.Inside != "" {
		what = sniff.Describe(e.Inside) + " holding " + what
	}
	return fmt.Sprintf("%s: is %s, not CSV text; %s", e.File, what, e.Advice())
}

// Advice says what to do with the file.
func (e *FormatError) Advice() string {
	switch e.Format {
	case sniff.Parquet:
		return "set input.format: parquet"
	case sniff.Gzip, sniff.Zstd:
		return "decompress it once first (segment reads one level of gzip or zstd itself)"
	case sniff.Bzip2, sniff.XZ, sniff.LZ4:
		return "decompress it first (segment reads gzip and zstd itself)"
	case sniff.XLSX, sniff.XLS, sniff.ODS:
		return "save the sheet as CSV (UTF-8) first"
	case sniff.Zip, sniff.Tar:
		return "extract the CSV file from it first"
	case sniff.SQLite:
		return "export the table as CSV first"
	case sniff.Arrow:
		return "convert it to Parquet or CSV first"
	case sniff.DOCX, sniff.PPTX, sniff.PDF:
		return "export the table as CSV first"
	}
	return "it holds NUL or control bytes; check input.path"
}
