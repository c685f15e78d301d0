// Package csvio reads CSV input into typed frame.Tables and writes tables
// back as CSV.
//
// # Reading once
//
// Open opens the input — a file, a FIFO or pipe (/dev/stdin, the shell's
// <(zcat f.gz) as /dev/fd/N), or standard input as "-" — looks at its first
// bytes, and reads only as far as the header, so the column names can be
// checked (Reader.Header) before any row is read. The rows then come from
// the same stream: Reader.ReadAll builds the whole table, Reader.Scan hands
// it out in batches. Nothing is read twice, so a stream works like a file.
// ReadFile is Open, ReadAll and Close; ReadHeader is Open, Header and Close
// (on a stream it consumes what it reads).
//
// What the input is comes from its magic bytes (package sniff), not its
// name. gzip and zstd are decompressed on the way (gzip with klauspost/pgzip,
// zstd with klauspost/compress; several concatenated members or frames are
// fine); a truncated or corrupt stream is an error naming the file, e.g.
//
//	data/x.csv.gz: is truncated: the gzip stream ends early after 1,048,576 bytes
//
// and never a shorter table. UTF-16 and UTF-32 text with a byte order mark
// is decoded. Anything else that is not text is a *FormatError saying what
// it is, instead of a decoding error:
//
//	data/x.csv: is a Parquet file, not CSV text; set input.format: parquet
//	data/x.csv: is an Excel workbook (xlsx), not CSV text; save the sheet as CSV (UTF-8) first
//	data/x.csv: is binary data, not CSV text; it holds NUL or control bytes; check input.path
//
// Result.Bytes and Result.SHA256 are those of the raw (compressed) bytes,
// as stored; Result.Compression says "gzip" or "zstd".
//
// Opening never waits for a FIFO's writer: paths are opened non-blocking,
// so Go's poller waits for the data, and cancelling the context (SIGTERM in
// the command) ends Open, ReadAll or Scan at once with ctx.Err().
//
// # Parallel parsing
//
// One goroutine reads the text in 4 MB blocks (hashing the raw bytes with
// SHA-256 on the way), cuts every block after its last complete record,
// tracking quotes, and hands the pieces to one worker per CPU. A worker
// splits 256 records at a time into fields and then parses them column by
// column: numbers without allocating (floats correctly rounded, exactly as
// strconv.ParseFloat), strings into a dictionary per column. The pieces are
// merged in file order, so the result does not depend on GOMAXPROCS or the
// block size. Unselected columns (Options.Columns) are split but never
// parsed.
//
// A column can turn out to hold text after earlier pieces parsed it as
// numbers or bools. Their text is not read again: the canonical text of a
// value (strconv.FormatInt, FormatFloat 'f' -1 of at most 15 significant
// digits, true/false in the column's letter case) is written back from it,
// and the few cells whose text differs ("007", "1.50", "+5", " 5 ", "1e3")
// keep their text on the side until the column's kind is final. So every
// text cell is exactly the file's, and a stream is never read twice. The
// extra memory is the text of those non-canonical number cells (none in the
// shipped data sets; about 13 bytes plus the text per cell otherwise).
//
// # Format
//
// The first non-blank record is the header. A UTF-8 byte order mark is
// stripped and header names are trimmed of surrounding white space. Records
// follow RFC 4180: a field that starts with a double quote may contain
// delimiters, line breaks and doubled quotes (""); lines end in LF or CRLF, and
// the last line may lack its line break. A file whose first line ends in a
// lone CR (classic Mac OS) is read with every lone CR as a line break
// (Result.CR; a line break inside a quoted field then reads as LF).
// Leniently, like pandas, a quote inside an unquoted field is an ordinary
// character, and text after a closing quote is appended to the field. Empty
// lines are skipped. Line numbers in errors are physical lines of the file,
// counting from 1 for the first line.
//
// # Limits
//
// Hostile or wrong input ends with an error naming the line, never by
// exhausting memory: a record (a line, or the lines of a record with quoted
// line breaks) longer than Options.MaxRecordBytes (16 MiB), a field longer
// than MaxFieldBytes (1 MiB), a header wider than MaxColumns (16,384). A
// file with no line break, such as /dev/zero or a 50 MB single line, stops
// after 16 MiB (/dev/zero sooner, as binary data). Memory while reading is
// the table plus the read-ahead (a few 4 MB blocks per worker); Scan keeps
// only the read-ahead and one batch.
//
// Scan without types for every column runs Infer first and reads the rows
// again (a stream through a spool file). Reader.ScanReset reads a regular
// file once instead: the kinds come from the blocks as they are parsed (a
// column all missing so far waits, ints widen to floats, any kind reads
// as text in a text column), and when a block needs a kind the batches
// already handed out cannot hold, it calls the caller's reset and starts
// over as Scan does (scan.go).
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
// parse as that kind is an error. Options.TextColumns are always text, byte
// for byte: an id column, where "0001" stays "0001" and 20-digit ids do not
// become floats.
//
// A number beyond the float64 range (1e309, -1e309, an integer of 400
// digits) in a numeric column is an error with its line, column and value,
// never ±Inf: it is reported once the whole file is read, when the column is
// known to be numeric (in a text column it is text). Integers beyond int64
// in a float column are read as floats with a warning that they were
// rounded.
//
// A column that is text only because of a few stray cells ("N/A", "$12",
// "1,234") is reported in Result.NearNumeric when at least 90 % of its
// non-missing cells are numbers, with the first such cells; its String
// method says which rows broke the numbers and suggests input.na_values.
//
// # Errors
//
// Problems with the content are *Error values such as
//
//	data/churn.csv line 57: row has 37 fields, the header has 38
//	data/churn.csv line 12, column "Zip Code": cannot parse "9O210" as int (types override)
//	data/churn.csv line 3, column "b": 1e309 is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values
//	data/churn.csv line 2: a record longer than 16,777,216 bytes (Options.MaxRecordBytes); is this a CSV file, or does a quote open a field that is never closed?
//
// where line is the physical line of the file: a row error in a record that
// spans lines names its first line, an invalid byte or an unclosed quote the
// line it is on. When a file has several problems, the one nearest the start
// is reported (a number out of range comes after the rest of the file was
// read). A file that cannot be opened gives the error of os.Open, e.g.
// "open data/x.csv: no such file or directory".
package csvio
