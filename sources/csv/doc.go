// Package csv is the `csv` input source: CSV text from a file, a
// gzip- or zstd-compressed file (by magic bytes, whatever the name), a
// FIFO or pipe (/dev/stdin, the shell's <(zcat f.gz)) or standard input
// (path: "-"), read with internal/csvio.
//
// The source opens its input once: Open reads as far as the header, the
// column check reads the names from it, and Read or Scan read the rows
// from the same stream, so standard input and pipes are read exactly once.
// A regular file is reopened when the columns to read are a projection
// (only they are parsed) or when it is scanned again; a stream is parsed
// whole and then projected, and can be read once. The source is a
// pipeline.ResetScanner: ScanReset reads an untyped file once, starting
// over (after the caller's reset) only when a column's kind changes after
// batches went out.
//
// Its keys (delimiter, encoding, na_values) are written in the input
// block beside the shared ones; see config.go and docs/config.md.
package csv
