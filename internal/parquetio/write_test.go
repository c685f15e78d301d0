package parquetio

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// kindsTable has every kind, with missing values, repeated strings, a string
// that looks like a number, an empty string and non-ASCII text.
func kindsTable(t testing.TB, n int) *frame.Table {
	rng := rand.New(rand.NewPCG(1, 2))
	ints := make([]int64, n)
	floats := make([]float64, n)
	bools := make([]bool, n)
	strs := make([]string, n)
	mi, mf, mb, ms := make([]bool, n), make([]bool, n), make([]bool, n), make([]bool, n)
	words := []string{"Stayed", "Churned", "Joined", "", "12", "Zürich", "東京"}
	for i := range n {
		ints[i] = rng.Int64() - math.MaxInt64/2
		floats[i] = rng.NormFloat64() * 1e3
		bools[i] = rng.IntN(2) == 0
		strs[i] = words[rng.IntN(len(words))]
		if i%7 == 3 {
			strs[i] = "id-" + strconv.Itoa(i)
		}
		mi[i], mf[i], mb[i], ms[i] = rng.IntN(9) == 0, rng.IntN(9) == 0, rng.IntN(9) == 0, rng.IntN(9) == 0
	}
	ints[0], floats[0] = math.MinInt64, math.SmallestNonzeroFloat64
	mi[0], mf[0] = false, false
	if n > 1 {
		ints[1], floats[1] = math.MaxInt64, math.Inf(-1)
		mi[1], mf[1] = false, false
	}
	return mustTable(t,
		frame.NewInt("i", ints, mi),
		frame.NewFloat("f", floats, mf),
		frame.NewBool("b", bools, mb),
		frame.NewString("s", strs, ms),
		frame.NewInt("dense", ints, nil),
		frame.NewString("constant", make([]string, n), nil),
	)
}

// TestRoundTrip: every kind with missing values survives a write and a read
// exactly, for both codecs and row groups smaller than, equal to and larger
// than the table.
func TestRoundTrip(t *testing.T) {
	tb := kindsTable(t, 5000)
	for _, opt := range []WriteOptions{
		{},
		{Compression: "zstd", RowGroupRows: 1000},
		{Compression: "snappy", RowGroupRows: 777},
		{Compression: "none", RowGroupRows: 5000},
		{Compression: "gzip", RowGroupRows: 1 << 20},
		{Compression: "lz4", RowGroupRows: 2000},
	} {
		t.Run(opt.Compression+"/"+strconv.Itoa(opt.RowGroupRows), func(t *testing.T) {
			path := writeTemp(t, tb, opt)
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			groups := len(d.files[0].rgRows)
			want := 1
			if opt.RowGroupRows > 0 {
				want = (5000 + opt.RowGroupRows - 1) / opt.RowGroupRows
			}
			if groups != want {
				t.Errorf("%d row groups, want %d", groups, want)
			}
			got, err := d.Read(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			sameTable(t, tb, got)
		})
	}
}

func TestWriteSchemaAndMetadata(t *testing.T) {
	tb := kindsTable(t, 10)
	var buf bytes.Buffer
	meta := map[string]string{"segment.run_id": "2024-03-01T02:00:00Z", "segment.model_sha256": "abc"}
	if err := Write(&buf, tb, WriteOptions{Metadata: meta}); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/m.parquet"
	writeBytes(t, path, buf.Bytes())
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"i:int:INT64 INT(64,true)", "f:float:DOUBLE", "b:bool:BOOLEAN", "s:string:BYTE_ARRAY STRING", "dense:int:INT64 INT(64,true)", "constant:string:BYTE_ARRAY STRING"}
	for i, f := range d.Schema() {
		if got := f.Name + ":" + f.Kind.String() + ":" + f.Type; got != want[i] || !f.Nullable {
			t.Errorf("field %d: %s nullable %v, want %s", i, got, f.Nullable, want[i])
		}
	}
	for k, v := range meta {
		if got, ok := d.files[0].pf.Lookup(k); !ok || got != v {
			t.Errorf("metadata %q = %q, want %q", k, got, v)
		}
	}
}

func TestWriterBatches(t *testing.T) {
	tb := kindsTable(t, 2500)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, tb.Schema(), WriteOptions{RowGroupRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < 2500; lo += 600 {
		rows := make([]int, 0, 600)
		for i := lo; i < min(lo+600, 2500); i++ {
			rows = append(rows, i)
		}
		if err := w.Write(tb.Take(rows)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/b.parquet"
	writeBytes(t, path, buf.Bytes())
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if g := d.files[0].rgRows; len(g) != 3 || g[0] != 1000 || g[2] != 500 {
		t.Errorf("row groups %v, want [1000 1000 500]", g)
	}
	got, err := d.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, tb, got)

	other := mustTable(t, frame.NewInt("x", []int64{1}, nil))
	if err := w.Write(other); err == nil {
		t.Error("a write after Close must fail")
	}
	w2, _ := NewWriter(&bytes.Buffer{}, tb.Schema(), WriteOptions{})
	if err := w2.Write(other); err == nil {
		t.Error("a table with other columns must be refused")
	}
	if _, err := NewWriter(&bytes.Buffer{}, tb.Schema(), WriteOptions{Compression: "lz5"}); err == nil {
		t.Error("an unknown codec must be refused")
	}
}

func TestWriteEmptyTable(t *testing.T) {
	tb := mustTable(t, frame.NewInt("id", nil, nil), frame.NewString("segment", nil, nil))
	got := readAll(t, writeTemp(t, tb, WriteOptions{}))
	if got.NumRows() != 0 || got.NumCols() != 2 || got.Col("segment").Kind != frame.String {
		t.Errorf("empty table read back as %d×%d", got.NumRows(), got.NumCols())
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/out.parquet"
	tb := kindsTable(t, 100)
	if err := WriteFile(path, tb, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	sameTable(t, tb, readAll(t, path))
	// A failing write leaves the previous file in place and no temporary file.
	if err := WriteFile(path, tb, WriteOptions{Compression: "bogus"}); err == nil {
		t.Fatal("bad codec accepted")
	}
	sameTable(t, tb, readAll(t, path))
	if entries, _ := readDirNames(dir); len(entries) != 1 {
		t.Errorf("directory holds %v after a failed write", entries)
	}
}

// TestRoundTripDictionaryFallback: a string column with more distinct values
// than a 1 MiB dictionary holds is written as dictionary pages followed by
// plain pages in the same column chunk, and reads back exactly (Read and
// Scan, batches crossing the switch).
func TestRoundTripDictionaryFallback(t *testing.T) {
	const n = 150_000
	ids := make([]string, n)
	cat := make([]string, n)
	for i := range ids {
		ids[i] = "customer-" + strconv.Itoa(i*7919%n)
		cat[i] = []string{"a", "b", "c"}[i%3]
	}
	tb := mustTable(t, frame.NewString("id", ids, nil), frame.NewString("cat", cat, nil))
	path := writeTemp(t, tb, WriteOptions{RowGroupRows: 100_000})
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, md, _ := d.files[0].chunk(0, 0)
	var dict, plain bool
	for _, e := range md.Encoding {
		dict = dict || e.String() == "RLE_DICTIONARY"
		plain = plain || e.String() == "PLAIN"
	}
	if !dict || !plain {
		t.Errorf("id chunk encodings %v, want dictionary and plain pages", md.Encoding)
	}
	got, err := d.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, tb, got)
	var parts []*frame.Table
	if err := d.Scan(context.Background(), nil, 30_001, func(b *frame.Table) error { parts = append(parts, b); return nil }); err != nil {
		t.Fatal(err)
	}
	sameValues(t, tb, concat(t, parts))
}

// TestFileWriter: batches streamed into a FileWriter appear at the path only
// on Commit; Abort leaves the previous file.
func TestFileWriter(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/results.parquet"
	tb := kindsTable(t, 300)
	fw, err := CreateFile(path, tb.Schema(), WriteOptions{RowGroupRows: 128, Metadata: map[string]string{"run_id": "r1"}})
	if err != nil {
		t.Fatal(err)
	}
	for lo := 0; lo < 300; lo += 100 {
		rows := make([]int, 100)
		for i := range rows {
			rows[i] = lo + i
		}
		if err := fw.Write(tb.Take(rows)); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatal("the file exists before Commit")
		}
	}
	if err := fw.Commit(); err != nil {
		t.Fatal(err)
	}
	sameTable(t, tb, readAll(t, path))

	fw, err = CreateFile(path, tb.Schema(), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(tb); err != nil {
		t.Fatal(err)
	}
	if err := fw.Abort(); err != nil {
		t.Fatal(err)
	}
	sameTable(t, tb, readAll(t, path))
	if names, _ := readDirNames(dir); len(names) != 1 {
		t.Errorf("directory holds %v", names)
	}
}

func TestCheck(t *testing.T) {
	d, err := Open("testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Check([]string{"id", "s", "date"}); err != nil {
		t.Error(err)
	}
	if err := d.Check([]string{"tags"}); err == nil || !strings.Contains(err.Error(), "group LIST") {
		t.Errorf("Check(tags) = %v", err)
	}
}

// TestDamagedLZ4: a damaged LZ4_RAW page is an error, not a process killed
// by parquet-go's unbounded retry (see checkChunk).
func TestDamagedLZ4(t *testing.T) {
	tb := kindsTable(t, 3000)
	var buf bytes.Buffer
	if err := Write(&buf, tb, WriteOptions{Compression: "lz4"}); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	path := t.TempDir() + "/lz4.parquet"
	writeBytes(t, path, raw)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, md, _ := d.files[0].chunk(0, 1) // column "f": random doubles
	mid := md.DataPageOffset + md.TotalCompressedSize/2
	for i := mid; i < mid+64; i++ {
		raw[i] ^= 0x5a
	}
	writeBytes(t, path, raw)
	d, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Read(context.Background(), []string{"f"})
	if err == nil || !strings.Contains(err.Error(), `column "f": row group 0: corrupt data`) {
		t.Errorf("damaged LZ4 page: %v", err)
	}
}
