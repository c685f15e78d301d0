package csvio

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
)

// WriteCSV writes t as comma-separated values with a header row and LF line
// ends. Fields holding a comma, quote, CR or LF are quoted with doubled
// quotes (RFC 4180). Missing cells are written empty, floats with
// frame.FormatFloat and bools as true/false. t is not modified.
//
// Reading the output back with ReadFile gives the same table when every
// string value is non-blank, every string column holds at least one value
// that is not a number or bool, and floats are finite; a float column whose
// values are all whole numbers reads back as an int column.
func WriteCSV(w io.Writer, t *frame.Table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cols := t.Columns()
	var line []byte
	for j, c := range cols {
		if j > 0 {
			line = append(line, ',')
		}
		line = appendField(line, c.Name)
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return err
	}
	for i := range t.NumRows() {
		line = line[:0]
		for j, c := range cols {
			if j > 0 {
				line = append(line, ',')
			}
			if c.IsMissing(i) {
				continue
			}
			switch c.Kind {
			case frame.Float:
				line = append(line, frame.FormatFloat(c.Floats[i])...)
			case frame.Int:
				line = strconv.AppendInt(line, c.Int(i), 10)
			case frame.Bool:
				line = strconv.AppendBool(line, c.Bools[i])
			default:
				if code := c.Code(i); code >= 0 {
					line = appendField(line, c.Dict[code])
				}
			}
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendField appends s, quoted when it holds a comma, quote or line break.
func appendField(dst []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}
