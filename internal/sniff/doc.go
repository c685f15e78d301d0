// Package sniff tells from the first bytes of a file what it holds: a
// compressed stream (gzip, zstd, bzip2, xz, lz4), an archive or office file
// (zip, xlsx, docx, pptx, ods, xls, tar), a columnar or database file
// (Parquet, Arrow, SQLite), a PDF, text in UTF-16 or UTF-32, other binary
// data, or text.
//
// Detect looks only at magic bytes and, for text versus binary, at NUL and
// control bytes in the sample; it never decodes the data. The result has a
// short format name for configs and logs ("gzip", "parquet", "xlsx") and a
// description for messages ("an Excel workbook (xlsx)"), so a reader can
// answer a wrong input with what it looks like instead of a decoding error
// further down:
//
//	data/x.csv: is a Parquet file, not CSV text; set input.format: parquet
//
// Text is the default: a sample without NUL bytes and with few control
// bytes is text whatever its encoding (UTF-8, Latin-1 and Windows-1252 all
// look alike here), so a legacy-encoded CSV is never called binary.
//
// The formats with weak magic (Parquet's "PAR1", PDF's "%PDF-") also need
// binary-looking bytes or a version to follow, so a CSV whose header starts
// with those letters stays text. ByExtension maps a file name to the format
// its extension suggests, for callers that fall back to it.
package sniff
