package parquetio

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// lz4Chunk builds a column chunk of one LZ4_RAW data page from a header and
// a body.
func lz4Chunk(t *testing.T, h format.PageHeader, body []byte) ([]byte, *format.ColumnMetaData) {
	t.Helper()
	hb, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	chunk := append(hb, body...)
	return chunk, &format.ColumnMetaData{Codec: format.Lz4Raw, DataPageOffset: 0, TotalCompressedSize: int64(len(chunk))}
}

// TestCheckChunkLZ4: pages that decompress to the declared size pass; a damaged
// block or a wrong declared size is an error (parquet-go itself would retry
// with ever larger buffers until the process runs out of memory).
func TestCheckChunkLZ4(t *testing.T) {
	plain := bytes.Repeat([]byte("customer segment "), 200)
	comp := make([]byte, lz4.CompressBlockBound(len(plain)))
	n, err := lz4.CompressBlock(plain, comp, nil)
	if err != nil || n == 0 {
		t.Fatal(n, err)
	}
	comp = comp[:n]
	header := func(c, u int) format.PageHeader {
		return format.PageHeader{Type: format.DataPage, CompressedPageSize: int32(c), UncompressedPageSize: int32(u)}
	}
	good, md := lz4Chunk(t, header(len(comp), len(plain)), comp)
	if err := checkChunk(bytes.NewReader(good), md, int64(len(good)), 1000, false); err != nil {
		t.Errorf("valid page: %v", err)
	}
	damaged := append([]byte(nil), comp...)
	for i := len(damaged) / 2; i < len(damaged); i++ {
		damaged[i] = 0xff
	}
	for name, tc := range map[string]struct {
		h    format.PageHeader
		body []byte
	}{
		"damaged block":   {header(len(damaged), len(plain)), damaged},
		"size too small":  {header(len(comp), len(plain)-1), comp},
		"size too large":  {header(len(comp), len(plain)+100), comp},
		"absurd size":     {header(len(comp), 1<<31-1), comp},
		"body past chunk": {header(len(comp)+10, len(plain)), comp},
	} {
		chunk, md := lz4Chunk(t, tc.h, tc.body)
		err := checkChunk(bytes.NewReader(chunk), md, int64(len(chunk)), 1000, false)
		if err == nil || !strings.Contains(err.Error(), "page 0") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCheckChunkHeaders: SNAPPY length prefixes must match the header, and
// headers must not claim more values or bytes than the chunk can hold.
func TestCheckChunkHeaders(t *testing.T) {
	plain := bytes.Repeat([]byte("abcdefgh"), 100)
	comp, err := parquet.Snappy.Encode(nil, plain)
	if err != nil {
		t.Fatal(err)
	}
	dataPage := func(c, u int, values int32) format.PageHeader {
		h := format.PageHeader{Type: format.DataPage, CompressedPageSize: int32(c), UncompressedPageSize: int32(u)}
		h.DataPageHeader = thrift.New(format.DataPageHeader{NumValues: values})
		return h
	}
	snappyChunk := func(h format.PageHeader, body []byte) ([]byte, *format.ColumnMetaData) {
		chunk, md := lz4Chunk(t, h, body)
		md.Codec = format.Snappy
		return chunk, md
	}
	good, md := snappyChunk(dataPage(len(comp), len(plain), 100), comp)
	if err := checkChunk(bytes.NewReader(good), md, int64(len(good)), 100, false); err != nil {
		t.Errorf("valid page: %v", err)
	}
	for name, tc := range map[string]struct {
		h    format.PageHeader
		rows int64
		want string
	}{
		"prefix differs":  {dataPage(len(comp), len(plain)+1, 100), 100, "the SNAPPY block says 800 bytes, the header 801"},
		"too many values": {dataPage(len(comp), len(plain), 101), 100, "more values (101) than the row group has rows (100)"},
		"huge page":       {dataPage(len(comp), 1<<31-1, 100), 100, "uncompressed bytes"},
		"negative size":   {dataPage(-1, len(plain), 100), 100, "-1 compressed"},
	} {
		chunk, md := snappyChunk(tc.h, comp)
		err := checkChunk(bytes.NewReader(chunk), md, int64(len(chunk)), tc.rows, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	// A chunk that claims to extend past the file.
	md.TotalCompressedSize = int64(len(good)) + 1
	if err := checkChunk(bytes.NewReader(good), md, int64(len(good)), 100, false); err == nil || !strings.Contains(err.Error(), "outside the file") {
		t.Errorf("chunk past the file: %v", err)
	}
}

// TestCheckChunkRuns: run-length streams that decode to far more values than
// the page holds are refused (parquet-go would allocate them: 2³¹ values per
// run).
func TestCheckChunkRuns(t *testing.T) {
	huge := binary.AppendUvarint(nil, uint64(1<<31-1)<<1) // one RLE run of 2³¹−1 values
	v1 := func(enc format.Encoding, body []byte) format.PageHeader {
		h := format.PageHeader{Type: format.DataPage, CompressedPageSize: int32(len(body)), UncompressedPageSize: int32(len(body))}
		h.DataPageHeader = thrift.New(format.DataPageHeader{NumValues: 8, Encoding: enc, DefinitionLevelEncoding: format.RLE})
		return h
	}
	uncompressed := func(h format.PageHeader, body []byte) ([]byte, *format.ColumnMetaData) {
		chunk, md := lz4Chunk(t, h, body)
		md.Codec = format.Uncompressed
		return chunk, md
	}
	levels := func(runs []byte) []byte {
		return append(binary.LittleEndian.AppendUint32(nil, uint32(len(runs))), runs...)
	}
	for name, tc := range map[string]struct {
		body     []byte
		enc      format.Encoding
		optional bool
		want     string
	}{
		"dictionary indexes": {append([]byte{1}, append(huge, 1)...), format.RLEDictionary, false, "dictionary indexes: runs of 2147483647 values"},
		"definition levels":  {levels(append(huge, 1)), format.Plain, true, "definition levels: runs of 2147483647 values"},
		"booleans":           {levels(append(huge, 1)), format.RLE, false, "booleans: runs of"},
		"delta":              {binary.AppendUvarint(binary.AppendUvarint(binary.AppendUvarint(nil, 128), 4), 1<<31), format.DeltaBinaryPacked, false, "claims 2147483648 values"},
	} {
		chunk, md := uncompressed(v1(tc.enc, tc.body), tc.body)
		err := checkChunk(bytes.NewReader(chunk), md, int64(len(chunk)), 8, tc.optional)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	// Runs that fit pass.
	ok := append([]byte{1}, append(binary.AppendUvarint(nil, 8<<1), 1)...)
	chunk, md := uncompressed(v1(format.RLEDictionary, ok), ok)
	if err := checkChunk(bytes.NewReader(chunk), md, int64(len(chunk)), 8, false); err != nil {
		t.Errorf("valid runs: %v", err)
	}
}
