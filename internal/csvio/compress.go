package csvio

import (
	"io"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"

	"github.com/churnlab/segment/internal/sniff"
)

// newDecompressor returns a reader of the decompressed data of r and a
// function that releases it. Both readers accept several concatenated
// streams (members or frames) and check each one's checksum.
//
// gzip uses klauspost/compress/gzip: on this machine it decompressed a
// gzip'd CSV fastest of compress/gzip, klauspost/compress/gzip and
// klauspost/pgzip (see bench/ingest/README.md); pgzip's read-ahead goroutines
// win nothing here because the reader already decompresses on its own
// goroutine while the workers parse.
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
var gzipReader = func(r io.Reader) (io.Reader, func(), error) {
	z, err := kgzip.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	return z, func() { z.Close() }, nil
}

// pgzipReader reads gzip with klauspost/pgzip, which decompresses on a
// goroutine of its own with read-ahead blocks (measured against the
// others in BenchmarkGzip).
func pgzipReader(r io.Reader) (io.Reader, func(), error) {
	z, err := pgzip.NewReader(r)
	if err != nil {
		return nil, nil, err
	}
	return z, func() { z.Close() }, nil
}
