package parquetio

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// maxPageBytes bounds the uncompressed size a page header may declare.
const maxPageBytes = 1 << 30

// checkChunk walks the page headers of a column chunk before parquet-go
// decodes it, and refuses pages that would make the library allocate
// without bound on a damaged file, which kills the process (a Go
// out-of-memory error cannot be recovered):
//
//   - a header declaring more than 1 GiB uncompressed, more values than the
//     row group has rows, or a body running past the chunk;
//   - a SNAPPY body whose own length prefix differs from the header (the
//     decoder allocates what the prefix says, up to 4 GiB);
//   - an LZ4_RAW body that does not decompress to the declared size
//     (parquet-go v0.32.1 retries a failed LZ4 block with a buffer twice as
//     large, without limit).
//
// It reads the headers (a few hundred bytes per page) and, for LZ4_RAW
// chunks only, decompresses every page once more.
func checkChunk(r io.ReaderAt, md *format.ColumnMetaData, size, rows int64) error {
	start := md.DataPageOffset
	if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
		start = md.DictionaryPageOffset
	}
	n := md.TotalCompressedSize
	if start < 0 || n < 0 || start > size || n > size-start {
		return fmt.Errorf("the column chunk (%d bytes at offset %d) lies outside the file", n, start)
	}
	var proto thrift.CompactProtocol
	var win, body, out []byte
	var values int64
	for off, page := int64(0), 0; off < n; page++ {
		// The header is at most a few hundred bytes unless it carries
		// statistics; read a window and widen it until the header fits.
		var h format.PageHeader
		hlen := 0
		for w := int64(512); ; w *= 8 {
			k := min(w, n-off)
			win = grow(win, int(k))
			if _, err := r.ReadAt(win, start+off); err != nil && err != io.EOF {
				return fmt.Errorf("page %d: %w", page, err)
			}
			pr := proto.NewReaderFromBytes(win)
			h = format.PageHeader{}
			err := thrift.NewDecoder(pr).Decode(&h)
			if err == nil {
				hlen = pr.BytesRead()
				break
			}
			if k == n-off || w >= 16<<20 {
				return fmt.Errorf("page %d: reading the page header: %w", page, err)
			}
		}
		csize, usize := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
		bodyAt := off + int64(hlen)
		if csize < 0 || csize > n-bodyAt || usize < 0 || usize > maxPageBytes {
			return fmt.Errorf("page %d: the header declares %d compressed and %d uncompressed bytes in a column chunk of %d", page, csize, usize, n)
		}
		levels, compressed := int64(0), true
		switch {
		case h.DataPageHeader.Valid:
			values += int64(h.DataPageHeader.V.NumValues)
		case h.DataPageHeaderV2.Valid:
			v := h.DataPageHeaderV2.V
			values += int64(v.NumValues)
			compressed = !v.IsCompressed.Valid || v.IsCompressed.V
			levels = int64(v.RepetitionLevelsByteLength) + int64(v.DefinitionLevelsByteLength)
			if levels < 0 || levels > csize || levels > usize {
				return fmt.Errorf("page %d: levels of %d bytes in a page of %d", page, levels, csize)
			}
		case h.DictionaryPageHeader.Valid:
			if nv := int64(h.DictionaryPageHeader.V.NumValues); nv < 0 || nv > 8*usize+8 {
				return fmt.Errorf("page %d: a dictionary of %d values in %d bytes", page, nv, usize)
			}
		}
		if values > rows {
			return fmt.Errorf("page %d: the pages hold more values (%d) than the row group has rows (%d)", page, values, rows)
		}
		if compressed && md.Codec == format.Snappy && csize > levels {
			var head [binary.MaxVarintLen64]byte
			k := min(int64(len(head)), csize-levels)
			if _, err := r.ReadAt(head[:k], start+bodyAt+levels); err != nil && err != io.EOF {
				return fmt.Errorf("page %d: %w", page, err)
			}
			if dlen, m := binary.Uvarint(head[:k]); m <= 0 || int64(dlen) != usize-levels {
				return fmt.Errorf("page %d: the SNAPPY block says %d bytes, the header %d", page, dlen, usize-levels)
			}
		}
		if compressed && md.Codec == format.Lz4Raw {
			body = grow(body, int(csize-levels))
			if _, err := r.ReadAt(body, start+bodyAt+levels); err != nil && err != io.EOF {
				return fmt.Errorf("page %d: %w", page, err)
			}
			out = grow(out, int(usize-levels))
			k, err := lz4.UncompressBlock(body, out)
			if err != nil || int64(k) != usize-levels {
				return fmt.Errorf("page %d does not decompress (LZ4_RAW) to the %d bytes its header declares", page, usize-levels)
			}
		}
		off = bodyAt + csize
	}
	return nil
}
