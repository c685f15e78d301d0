package csvio

import (
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"

	"github.com/churnlab/segment/internal/sniff"
)

// newDecompressor returns a reader of the decompressed data of r and a
// function that releases it. Both readers accept several concatenated
// streams (members or frames) and check each one's checksum.
//
// gzip uses klauspost/pgzip. Measured in BenchmarkGzip (41 MB of CSV read
// into a table; bench/ingest/README.md), pgzip and klauspost/compress/gzip
// cost the same CPU (≈ 290-300 ms, compress/gzip ≈ 325 ms), and pgzip had
// the lowest wall time: it inflates on a goroutine of its own, ahead of the
// goroutine that hashes the raw bytes and cuts the text into chunks, so
// decompression overlaps with cutting as well as with parsing.
func newDecompressor(f sniff.Format, r io.Reader) (io.Reader, func(), error) {
	if f == sniff.Zstd {
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(false))
		if err != nil {
			return nil, nil, err
		}
		return d, d.Close, nil
	}
	return gzipReader(r)
}

// gzipReader is the gzip implementation in use (benchmarks swap it).
var gzipReader = pgzipReader

// pgzipReader reads gzip with klauspost/pgzip, which decompresses on a
// goroutine of its own with read-ahead blocks.
func pgzipReader(r io.Reader) (io.Reader, func(), error) {
	z, err := pgzip.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	return z, func() { z.Close() }, nil
}
