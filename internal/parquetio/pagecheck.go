package parquetio

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
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
//     large, without limit);
//   - run-length encoded definition levels, dictionary indexes or booleans
//     whose runs add up to far more values than the page holds, and
//     DELTA_* encodings whose header claims so (the library allocates the
//     declared count, up to 2³¹ values per run).
//
// It reads each page once more and decompresses it (a fraction of the cost
// of decoding it).
func checkChunk(r io.ReaderAt, md *format.ColumnMetaData, size, rows int64, optional bool) error {
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
		if h.DataPageHeader.Valid || h.DataPageHeaderV2.Valid {
			body = grow(body, int(csize))
			if _, err := r.ReadAt(body, start+bodyAt); err != nil && err != io.EOF {
				return fmt.Errorf("page %d: %w", page, err)
			}
			if err := checkRuns(&h, md.Codec, body, levels, compressed, optional, &out); err != nil {
				return fmt.Errorf("page %d: %w", page, err)
			}
		}
		off = bodyAt + csize
	}
	return nil
}

// checkRuns bounds the value counts of a data page's run-length and delta
// encoded sections by the page's number of values. Sections it cannot parse
// are left to the library, which reports them.
func checkRuns(h *format.PageHeader, codec format.CompressionCodec, body []byte, levels int64, compressed, optional bool, scratch *[]byte) error {
	var nv int64
	var enc format.Encoding
	var data []byte
	decompress := func(b []byte) ([]byte, bool) {
		if !compressed || codec == format.Uncompressed {
			return b, true
		}
		out, err := parquet.LookupCompressionCodec(codec).Decode((*scratch)[:0], b)
		if err != nil {
			return nil, false
		}
		*scratch = out
		return out, true
	}
	limit := func(n int64) int64 { return 2*n + 1024 }
	if h.DataPageHeader.Valid {
		v := h.DataPageHeader.V
		nv, enc = int64(v.NumValues), v.Encoding
		var ok bool
		if data, ok = decompress(body); !ok {
			return nil
		}
		if optional && v.DefinitionLevelEncoding == format.RLE {
			if len(data) < 4 {
				return nil
			}
			n := int64(binary.LittleEndian.Uint32(data))
			if n > int64(len(data)-4) {
				return nil
			}
			if err := checkHybrid(data[4:4+n], 1, limit(nv)); err != nil {
				return fmt.Errorf("definition levels: %w", err)
			}
			data = data[4+n:]
		}
	} else {
		v := h.DataPageHeaderV2.V
		nv, enc = int64(v.NumValues), v.Encoding
		rep := int64(v.RepetitionLevelsByteLength)
		if rep < 0 || rep > levels || levels > int64(len(body)) {
			return nil
		}
		if optional {
			if err := checkHybrid(body[rep:levels], 1, limit(nv)); err != nil {
				return fmt.Errorf("definition levels: %w", err)
			}
		}
		var ok bool
		if data, ok = decompress(body[levels:]); !ok {
			return nil
		}
	}
	switch enc {
	case format.PlainDictionary, format.RLEDictionary:
		if len(data) < 1 || data[0] > 32 {
			return nil
		}
		if err := checkHybrid(data[1:], int(data[0]), limit(nv)); err != nil {
			return fmt.Errorf("dictionary indexes: %w", err)
		}
	case format.RLE: // booleans: a 4-byte length, then the runs
		if len(data) < 4 {
			return nil
		}
		n := int64(binary.LittleEndian.Uint32(data))
		if n > int64(len(data)-4) {
			return nil
		}
		if err := checkHybrid(data[4:4+n], 1, limit(nv)); err != nil {
			return fmt.Errorf("booleans: %w", err)
		}
	case format.DeltaBinaryPacked, format.DeltaLengthByteArray, format.DeltaByteArray:
		// The header: block size, mini-blocks per block, total values.
		for k, rest := 0, data; k < 3; k++ {
			u, m := binary.Uvarint(rest)
			if m <= 0 {
				return nil
			}
			if k == 2 && int64(u) > limit(nv) || u > 1<<40 {
				return fmt.Errorf("a delta-encoded section claims %d values in a page of %d", u, nv)
			}
			rest = rest[m:]
		}
	}
	return nil
}

// checkHybrid adds up the runs of an RLE/bit-packed hybrid stream and fails
// when they exceed limit values.
func checkHybrid(src []byte, bitWidth int, limit int64) error {
	var total int64
	for i := 0; i < len(src); {
		u, n := binary.Uvarint(src[i:])
		if n <= 0 {
			return nil
		}
		i += n
		count := int64(u >> 1)
		if u>>1 > 1<<40 {
			count = 1 << 40
		}
		if u&1 == 1 { // bit-packed groups of 8 values
			total += 8 * count
			i += int(min(count*int64(bitWidth), int64(len(src))))
		} else {
			total += count
			i += (bitWidth + 7) / 8
		}
		if total > limit {
			return fmt.Errorf("runs of %d values where the page holds at most %d", total, limit)
		}
	}
	return nil
}
