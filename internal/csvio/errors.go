package csvio

import (
	"strconv"
	"strings"
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
