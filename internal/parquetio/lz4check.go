package parquetio

import (
	"bufio"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// maxPageBytes bounds the uncompressed size a page header may declare.
const maxPageBytes = 1 << 30

// checkLZ4 decompresses every page of an LZ4_RAW column chunk into a buffer
// of the size its header declares, before the library reads the chunk.
// parquet-go v0.32.1 retries a failed LZ4 block with a buffer twice as large,
// without limit, so one damaged page would exhaust memory and kill the
// process instead of returning an error.
func checkLZ4(r io.ReaderAt, md *format.ColumnMetaData, size int64) error {
	start := md.DataPageOffset
	if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
		start = md.DictionaryPageOffset
	}
	n := md.TotalCompressedSize
	if start < 0 || n < 0 || start > size || n > size-start {
		return fmt.Errorf("the column chunk (%d bytes at offset %d) lies outside the file", n, start)
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, start, n), 64<<10)
	var proto thrift.CompactProtocol
	dec := thrift.NewDecoder(proto.NewReader(br))
	var body, out []byte
	for page := 0; ; page++ {
		if _, err := br.Peek(1); err == io.EOF {
			return nil
		}
		var h format.PageHeader
		if err := dec.Decode(&h); err != nil {
			return fmt.Errorf("page %d: reading the page header: %w", page, err)
		}
		csize, usize := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
		if csize < 0 || csize > n || usize < 0 || usize > maxPageBytes {
			return fmt.Errorf("page %d: header declares %d compressed and %d uncompressed bytes", page, csize, usize)
		}
		body = grow(body, int(csize))
		if _, err := io.ReadFull(br, body); err != nil {
			return fmt.Errorf("page %d: %w", page, err)
		}
		levels := int64(0)
		if h.DataPageHeaderV2.Valid {
			v := h.DataPageHeaderV2.V
			if v.IsCompressed.Valid && !v.IsCompressed.V {
				continue
			}
			levels = int64(v.RepetitionLevelsByteLength) + int64(v.DefinitionLevelsByteLength)
			if levels < 0 || levels > csize || levels > usize {
				return fmt.Errorf("page %d: levels of %d bytes in a page of %d", page, levels, csize)
			}
		}
		out = grow(out, int(usize-levels))
		k, err := lz4.UncompressBlock(body[levels:], out)
		if err != nil || int64(k) != usize-levels {
			return fmt.Errorf("page %d does not decompress (LZ4_RAW) to the %d bytes its header declares", page, usize-levels)
		}
	}
}
