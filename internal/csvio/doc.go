// Package csvio reads CSV files into typed frame.Tables and writes them back.
//
// ReadFile is a parallel, byte-level reader. One goroutine reads the file in
// 4 MB blocks (hashing the raw bytes with SHA-256 on the way and decoding
// them when an encoding is set), cuts every block after its last complete
// record, tracking quotes, and hands the pieces to one worker per CPU. A
// worker splits 256 records at a time into fields and then parses them column
// by column: numbers without allocating (floats correctly rounded, exactly as
// strconv.ParseFloat), strings into a dictionary per column. The pieces are
// merged in file order into preallocated columns, so the result does not
// depend on GOMAXPROCS or the block size. When a column turns out to hold
// text after some pieces parsed it as numbers, whose text is gone, the file
// is read a second time for that column only; this is rare. Unselected
// columns are split but never parsed.
//
// # Format
//
// The first non-blank record is the header. A UTF-8 byte order mark is
// stripped and header names are trimmed of surrounding white space. Records
// follow RFC 4180: a field that starts with a double quote may contain
// delimiters, line breaks and doubled quotes (""); lines end in LF or CRLF, and
// the last line may lack its line break. Leniently, like pandas, a quote inside
// an unquoted field is an ordinary character, and text after a closing quote
// is appended to the field. Empty lines are skipped. Line numbers in errors are
// physical lines of the file, counting from 1 for the first line.
//
// # Missing values
//
// Empty cells and cells holding only spaces or tabs are missing in every
// column, as are cells that equal one of Options.NAValues after trimming.
// Words such as "NA", "null" or "N/A" are ordinary strings unless listed.
//
// # Types
//
// Each column gets the narrowest kind that holds every non-missing cell of the
// whole file: bool (true/false in any letter case), int (optional sign and
// decimal digits that fit an int64; "0001" is 1), float (decimal and exponent
// forms; not "NaN", "Inf", hexadecimal or underscores), otherwise string. A mix
// of ints and floats is float; bools mixed with anything else are strings. A
// column whose cells are all missing is a float column of missing values.
// Surrounding spaces are allowed around numbers and bools. Strings are kept
// verbatim and stored with a dictionary in order of first appearance.
// Options.Types fixes the kind of a column instead; a cell that does not
// parse as that kind is an error.
//
// # Errors
//
// Problems with the content are *Error values such as
//
//	data/churn.csv line 57: row has 37 fields, the header has 38
//	data/churn.csv line 12, column "Zip Code": cannot parse "9O210" as int (types override)
//
// where line is the physical line of the file: a row error in a record that
// spans lines names its first line, an invalid byte or an unclosed quote the
// line it is on. When a file has several problems, the one nearest the start
// is reported. A file that cannot be opened gives the error
// of os.Open, e.g. "open data/x.csv: no such file or directory".
package csvio
