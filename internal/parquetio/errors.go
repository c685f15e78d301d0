package parquetio

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
)

// Error is a problem with a Parquet file or directory, located as precisely
// as known. Row counts from 1 within File; 0 means not applicable. Column is
// a column name, "" when not applicable.
type Error struct {
	File   string
	Row    int64
	Column string
	Msg    string
	Err    error // underlying error, if any, for errors.Is and errors.As
}

// Error formats the error as `FILE row N, column "X": message`, leaving out
// the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("row ")
		b.WriteString(strconv.FormatInt(e.Row, 10))
	}
	if e.Column != "" {
		if e.Row > 0 {
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

// PanicError is the underlying error of an *Error made from a panic inside
// the Parquet library, which happens on some damaged files.
type PanicError struct {
	Value any
	Stack string
}

func (p *PanicError) Error() string { return fmt.Sprintf("parquet library panic: %v", p.Value) }

// guard runs fn and turns a panic into an *Error naming the file (and column
// when known), so a damaged file never crashes the process.
func guard(file, col string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			pe := &PanicError{Value: r, Stack: string(debug.Stack())}
			err = &Error{File: file, Column: col, Msg: fmt.Sprintf("cannot decode the file, it is probably corrupt (%v)", r), Err: pe}
		}
	}()
	return fn()
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.FormatInt(n, 10) + " " + word + "s"
}
