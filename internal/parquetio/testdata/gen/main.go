// Command gen writes the Parquet fixtures of internal/parquetio with a writer
// other than the one the package uses: github.com/xitongsys/parquet-go
// v1.6.2, an independent Go implementation. Run it from the module root:
//
//	go run ./internal/parquetio/testdata/gen -o internal/parquetio/testdata
//
// It is deterministic (fixed seeds, one marshalling goroutine), so running it
// again gives the same bytes. Next to each data fixture it writes the values
// it put there as JSON (*.expected.json), computed here from the Go values
// (dates with time.Time, decimals as exact decimal text), not by the reader
// under test.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xitongsys/parquet-go/parquet"
	"github.com/xitongsys/parquet-go/reader"
	"github.com/xitongsys/parquet-go/source"
	"github.com/xitongsys/parquet-go/types"
	"github.com/xitongsys/parquet-go/writer"

	"github.com/xitongsys/parquet-go-source/buffer"
)

// Row is the schema of xs_types.parquet: every supported type, nulls in every
// kind, dictionary and delta encodings, and three unsupported columns.
type Row struct {
	ID      int64    `parquet:"name=id, type=INT64, encoding=DELTA_BINARY_PACKED"`
	I32     *int32   `parquet:"name=i32, type=INT32"`
	I8      *int32   `parquet:"name=i8, type=INT32, convertedtype=INT_8"`
	U16     int32    `parquet:"name=u16, type=INT32, convertedtype=UINT_16"`
	U32     int32    `parquet:"name=u32, type=INT32, convertedtype=UINT_32"`
	U64     *int64   `parquet:"name=u64, type=INT64, convertedtype=UINT_64"`
	I64Dict *int64   `parquet:"name=i64dict, type=INT64, encoding=PLAIN_DICTIONARY"`
	F32     *float32 `parquet:"name=f32, type=FLOAT"`
	F64     *float64 `parquet:"name=f64, type=DOUBLE"`
	B       *bool    `parquet:"name=b, type=BOOLEAN"`
	S       *string  `parquet:"name=s, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	SPlain  *string  `parquet:"name=s_plain, type=BYTE_ARRAY, convertedtype=UTF8"`
	SDelta  string   `parquet:"name=s_delta, type=BYTE_ARRAY, convertedtype=UTF8, encoding=DELTA_BYTE_ARRAY"`
	JSON    *string  `parquet:"name=json, type=BYTE_ARRAY, convertedtype=JSON"`
	Date    *int32   `parquet:"name=date, type=INT32, convertedtype=DATE"`
	TsMs    *int64   `parquet:"name=ts_ms, type=INT64, convertedtype=TIMESTAMP_MILLIS"`
	TsUs    *int64   `parquet:"name=ts_us, type=INT64, logicaltype=TIMESTAMP, logicaltype.isadjustedtoutc=false, logicaltype.unit=MICROS"`
	TsNs    *int64   `parquet:"name=ts_ns, type=INT64, logicaltype=TIMESTAMP, logicaltype.isadjustedtoutc=true, logicaltype.unit=NANOS"`
	I96     *string  `parquet:"name=int96, type=INT96"`
	TimeMs  *int32   `parquet:"name=time_ms, type=INT32, convertedtype=TIME_MILLIS"`
	DecI32  *int32   `parquet:"name=dec_i32, type=INT32, convertedtype=DECIMAL, scale=2, precision=9"`
	DecI64  *int64   `parquet:"name=dec_i64, type=INT64, convertedtype=DECIMAL, scale=4, precision=18"`
	DecFix  *string  `parquet:"name=dec_fixed, type=FIXED_LEN_BYTE_ARRAY, convertedtype=DECIMAL, scale=3, precision=26, length=12"`
	DecBin  *string  `parquet:"name=dec_bytes, type=BYTE_ARRAY, convertedtype=DECIMAL, scale=5, precision=30"`
	Tags    []string `parquet:"name=tags, type=LIST, valuetype=BYTE_ARRAY, valueconvertedtype=UTF8"`
	Bin     *string  `parquet:"name=bin, type=BYTE_ARRAY"`
	Ival    *string  `parquet:"name=interval, type=FIXED_LEN_BYTE_ARRAY, convertedtype=INTERVAL, length=12"`
}

// expected is what the reader must produce; values are text (as
// frame.Column.Str prints them, floats in any form strconv parses) or null.
type expected struct {
	Rows        int64             `json:"rows"`
	RowGroups   int               `json:"row_groups"`
	Columns     []expColumn       `json:"columns"`
	Unsupported map[string]string `json:"unsupported"`
}

type expColumn struct {
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Type   string    `json:"type"`
	Values []*string `json:"values"`
}

const (
	typesRows  = 60
	groupRows  = 16 // rows per row group: 16, 16, 16, 12
	words      = "Stayed|Churned|Joined|Zürich|東京||12"
	dateOrigin = 1970
)

func main() {
	out := flag.String("o", "internal/parquetio/testdata", "output directory")
	flag.Parse()
	must(os.MkdirAll(*out, 0o755))
	raw, exp := typesFixture()
	must(os.WriteFile(filepath.Join(*out, "xs_types.parquet"), raw, 0o644))
	writeJSON(filepath.Join(*out, "xs_types.expected.json"), exp)

	// Broken files, each for one error.
	must(os.WriteFile(filepath.Join(*out, "bad_csv.parquet"), []byte("Customer ID,Age\n0002-ORFBO,37\n"), 0o644))
	small, _ := smallFile(0, 20)
	must(os.WriteFile(filepath.Join(*out, "bad_truncated.parquet"), small[:len(small)*2/3], 0o644))
	must(os.WriteFile(filepath.Join(*out, "bad_footer_length.parquet"), badFooterLength(small), 0o644))
	must(os.WriteFile(filepath.Join(*out, "bad_page.parquet"), corruptPage(), 0o644))
	must(os.WriteFile(filepath.Join(*out, "bad_utf8.parquet"), badUTF8(), 0o644))

	// A partitioned export: region=.../year=.../part-N.parquet, a _SUCCESS
	// marker and a .crc file that must be skipped.
	part := filepath.Join(*out, "xs_partitioned")
	must(os.RemoveAll(part))
	var pexp []partExpected
	for i, p := range []struct{ region, year string }{{"east", "2023"}, {"east", "2024"}, {"west", "2024"}, {"__HIVE_DEFAULT_PARTITION__", "2024"}} {
		dir := filepath.Join(part, "region="+p.region, "year="+p.year)
		must(os.MkdirAll(dir, 0o755))
		rows := 3 + i
		raw, ids := smallFile(int64(100*i), rows)
		must(os.WriteFile(filepath.Join(dir, "part-0.parquet"), raw, 0o644))
		must(os.WriteFile(filepath.Join(dir, ".part-0.parquet.crc"), []byte("crc"), 0o644))
		pexp = append(pexp, partExpected{Path: "region=" + p.region + "/year=" + p.year + "/part-0.parquet", IDs: ids})
	}
	must(os.WriteFile(filepath.Join(part, "_SUCCESS"), nil, 0o644))
	writeJSON(filepath.Join(*out, "xs_partitioned.expected.json"), pexp)

	// Two files whose column "amount" has different types.
	mis := filepath.Join(*out, "xs_mismatch")
	must(os.RemoveAll(mis))
	must(os.MkdirAll(mis, 0o755))
	a, _ := smallFile(0, 2)
	must(os.WriteFile(filepath.Join(mis, "part-0.parquet"), a, 0o644))
	must(os.WriteFile(filepath.Join(mis, "part-1.parquet"), otherAmount(), 0o644))

	// A directory with no Parquet file, only a marker.
	empty := filepath.Join(*out, "empty_dir")
	must(os.MkdirAll(empty, 0o755))
	must(os.WriteFile(filepath.Join(empty, "_SUCCESS"), nil, 0o644))
}

func typesFixture() ([]byte, expected) {
	rng := rand.New(rand.NewPCG(7, 11))
	wordList := strings.Split(words, "|")
	base := time.Date(2021, 3, 14, 1, 59, 26, 0, time.UTC)
	cols := map[string]*expColumn{}
	var order []string
	add := func(name, kind, typ string) {
		cols[name] = &expColumn{Name: name, Kind: kind, Type: typ}
		order = append(order, name)
	}
	// The types are those the footer holds: xitongsys writes a logical
	// type next to every converted type, and for TIMESTAMP_MILLIS and
	// TIME_MILLIS one with isAdjustedToUTC=false, which takes precedence
	// (so those values are naive, without "Z"). It stores INT96 with
	// microsecond precision, as Spark does.
	add("id", "int", "INT64")
	add("i32", "int", "INT32")
	add("i8", "int", "INT32 INT(8,true)")
	add("u16", "int", "INT32 INT(16,false)")
	add("u32", "int", "INT32 INT(32,false)")
	add("u64", "int", "INT64 INT(64,false)")
	add("i64dict", "int", "INT64")
	add("f32", "float", "FLOAT")
	add("f64", "float", "DOUBLE")
	add("b", "bool", "BOOLEAN")
	add("s", "string", "BYTE_ARRAY STRING")
	add("s_plain", "string", "BYTE_ARRAY STRING")
	add("s_delta", "string", "BYTE_ARRAY STRING")
	add("json", "string", "BYTE_ARRAY JSON")
	add("date", "string", "INT32 DATE")
	add("ts_ms", "string", "INT64 TIMESTAMP(isAdjustedToUTC=false,unit=MILLIS)")
	add("ts_us", "string", "INT64 TIMESTAMP(isAdjustedToUTC=false,unit=MICROS)")
	add("ts_ns", "string", "INT64 TIMESTAMP(isAdjustedToUTC=true,unit=NANOS)")
	add("int96", "string", "INT96")
	add("time_ms", "string", "INT32 TIME(isAdjustedToUTC=false,unit=MILLIS)")
	add("dec_i32", "float", "INT32 DECIMAL(9,2)")
	add("dec_i64", "float", "INT64 DECIMAL(18,4)")
	add("dec_fixed", "float", "FIXED_LEN_BYTE_ARRAY(12) DECIMAL(26,3)")
	add("dec_bytes", "float", "BYTE_ARRAY DECIMAL(30,5)")
	put := func(name string, v *string) { cols[name].Values = append(cols[name].Values, v) }
	str := func(s string) *string { return &s }

	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, new(Row), 1)
	must(err)
	pw.PageSize = 64 // several pages per column chunk
	pw.CompressionType = parquet.CompressionCodec_SNAPPY
	for i := range typesRows {
		null := func(every int) bool { return i%every == every-1 }
		var r Row
		r.ID = int64(i + 1)
		put("id", str(strconv.FormatInt(r.ID, 10)))

		if null(5) {
			put("i32", nil)
		} else {
			v := rng.Int32() - math.MaxInt32/2
			r.I32 = &v
			put("i32", str(strconv.Itoa(int(v))))
		}
		if null(6) {
			put("i8", nil)
		} else {
			v := int32(rng.IntN(256) - 128)
			r.I8 = &v
			put("i8", str(strconv.Itoa(int(v))))
		}
		u16 := uint32(rng.IntN(65536))
		r.U16 = int32(u16)
		put("u16", str(strconv.FormatUint(uint64(u16), 10)))
		u32 := rng.Uint32() | 1<<31 // above MaxInt32: must not read as negative
		r.U32 = int32(u32)
		put("u32", str(strconv.FormatUint(uint64(u32), 10)))
		if null(7) {
			put("u64", nil)
		} else {
			v := rng.Int64()
			r.U64 = &v
			put("u64", str(strconv.FormatInt(v, 10)))
		}
		if null(4) {
			put("i64dict", nil)
		} else {
			v := int64(rng.IntN(5)) * 1000
			r.I64Dict = &v
			put("i64dict", str(strconv.FormatInt(v, 10)))
		}
		if null(8) {
			put("f32", nil)
		} else {
			v := float32(rng.IntN(20000)-10000) / 100 // 0.1-style values a float32 cannot hold exactly
			r.F32 = &v
			put("f32", str(strconv.FormatFloat(float64(v), 'g', -1, 32)))
		}
		switch {
		case null(4):
			put("f64", nil)
		case i == 10: // a NaN is a missing value in a frame
			v := math.NaN()
			r.F64 = &v
			put("f64", nil)
		default:
			v := rng.NormFloat64() * 1e6
			r.F64 = &v
			put("f64", str(strconv.FormatFloat(v, 'g', -1, 64)))
		}
		if null(3) {
			put("b", nil)
		} else {
			v := rng.IntN(2) == 0
			r.B = &v
			put("b", str(strconv.FormatBool(v)))
		}
		if null(9) {
			put("s", nil)
		} else {
			v := wordList[rng.IntN(len(wordList))]
			r.S = &v
			put("s", str(v))
		}
		if null(10) {
			put("s_plain", nil)
		} else {
			v := fmt.Sprintf("cust-%04d", rng.IntN(10000))
			r.SPlain = &v
			put("s_plain", str(v))
		}
		r.SDelta = fmt.Sprintf("prefix-shared-%03d", i/3)
		put("s_delta", str(r.SDelta))
		if null(11) {
			put("json", nil)
		} else {
			v := fmt.Sprintf(`{"color":%q,"n":%d}`, []string{"red", "green", "blue"}[rng.IntN(3)], i)
			r.JSON = &v
			put("json", str(v))
		}
		if null(5) {
			put("date", nil)
		} else {
			day := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365*100))
			v := int32(day.Unix() / 86400)
			r.Date = &v
			put("date", str(day.Format("2006-01-02")))
		}
		ts := base.Add(time.Duration(rng.Int64N(int64(400*24*time.Hour))) - 200*24*time.Hour)
		if null(6) {
			put("ts_ms", nil)
		} else {
			v := ts.UnixMilli()
			r.TsMs = &v
			put("ts_ms", str(iso(time.UnixMilli(v).UTC())))
		}
		if null(7) {
			put("ts_us", nil)
		} else {
			v := ts.UnixMicro() - int64(i%2)*1e6*86400*365*60 // some before 1970
			r.TsUs = &v
			put("ts_us", str(iso(time.UnixMicro(v).UTC())))
		}
		if null(8) {
			put("ts_ns", nil)
		} else {
			v := ts.UnixNano() + int64(i)
			r.TsNs = &v
			put("ts_ns", str(iso(time.Unix(0, v).UTC())+"Z"))
		}
		if null(9) {
			put("int96", nil)
		} else {
			t96 := ts.Add(time.Duration(i) * time.Microsecond)
			v := types.TimeToINT96(t96)
			r.I96 = &v
			put("int96", str(iso(t96.UTC().Truncate(time.Microsecond))))
		}
		if null(10) {
			put("time_ms", nil)
		} else {
			ms := int32(rng.IntN(86400 * 1000))
			r.TimeMs = &ms
			d := time.Duration(ms) * time.Millisecond
			put("time_ms", str(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(d).Format("15:04:05.999999999")))
		}
		if null(5) {
			put("dec_i32", nil)
		} else {
			u := int64(rng.IntN(2_000_000_000) - 1_000_000_000)
			v := int32(u)
			r.DecI32 = &v
			put("dec_i32", str(decimalText(big.NewInt(u), 2)))
		}
		if null(6) {
			put("dec_i64", nil)
		} else {
			u := rng.Int64() - math.MaxInt64/2
			r.DecI64 = &u
			put("dec_i64", str(decimalText(big.NewInt(u), 4)))
		}
		if null(7) {
			put("dec_fixed", nil)
		} else {
			u := randBig(rng, 90)
			u.Sub(u, new(big.Int).Lsh(big.NewInt(1), 89))
			if i%3 == 0 {
				u = big.NewInt(int64(rng.IntN(1e6)) - 5e5) // fits in 8 bytes
			}
			v := string(twos(u, 12))
			r.DecFix = &v
			put("dec_fixed", str(decimalText(u, 3)))
		}
		if null(8) {
			put("dec_bytes", nil)
		} else {
			u := randBig(rng, 1+rng.IntN(99))
			if rng.IntN(2) == 0 {
				u.Neg(u)
			}
			v := string(twos(u, 0))
			r.DecBin = &v
			put("dec_bytes", str(decimalText(u, 5)))
		}
		r.Tags = []string{"a", "b"}[:i%3%2+1]
		bin := string([]byte{0xff, 0x00, byte(i)})
		r.Bin = &bin
		iv := string(make([]byte, 12))
		r.Ival = &iv
		must(pw.Write(r))
		if (i+1)%groupRows == 0 {
			must(pw.Flush(true)) // ends a row group
		}
	}
	must(pw.WriteStop())
	exp := expected{Rows: typesRows, RowGroups: (typesRows + groupRows - 1) / groupRows, Unsupported: map[string]string{
		"tags":     "group LIST",
		"bin":      "BYTE_ARRAY",
		"interval": "FIXED_LEN_BYTE_ARRAY(12) INTERVAL",
	}}
	for _, n := range order {
		exp.Columns = append(exp.Columns, *cols[n])
	}
	return buf.Bytes(), exp
}

// iso is the ISO 8601 text the reader gives timestamps: the fraction with
// trailing zeros removed and no fraction for whole seconds.
func iso(t time.Time) string {
	s := t.Format("2006-01-02T15:04:05")
	if ns := t.Nanosecond(); ns != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%09d", ns), "0")
	}
	return s
}

// decimalText writes u × 10^-scale exactly.
func decimalText(u *big.Int, scale int) string {
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	for len(digits) <= scale {
		digits = "0" + digits
	}
	s := digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}

// twos encodes u as big-endian two's complement, in size bytes (0: the
// fewest that hold it).
func twos(u *big.Int, size int) []byte {
	n := size
	if n == 0 {
		n = (u.BitLen()+8)/8 + 0
	}
	mod := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
	v := new(big.Int).Set(u)
	if v.Sign() < 0 {
		v.Add(v, mod)
	}
	b := v.Bytes()
	if len(b) > n {
		log.Fatalf("%v does not fit %d bytes", u, n)
	}
	return append(make([]byte, n-len(b)), b...)
}

// randBig returns a uniform random integer in [0, 2^bits).
func randBig(rng *rand.Rand, bits int) *big.Int {
	b := make([]byte, (bits+7)/8)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	u := new(big.Int).SetBytes(b)
	return u.Rsh(u, uint(8*len(b)-bits))
}

// Small is the schema of the partitioned files.
type Small struct {
	ID     int64    `parquet:"name=id, type=INT64"`
	Name   *string  `parquet:"name=name, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	Amount *float64 `parquet:"name=amount, type=DOUBLE"`
}

type partExpected struct {
	Path string  `json:"path"`
	IDs  []int64 `json:"ids"`
}

func smallFile(start int64, rows int) ([]byte, []int64) {
	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, new(Small), 1)
	must(err)
	var ids []int64
	for i := range rows {
		id := start + int64(i)
		name := fmt.Sprintf("n%d", id%3)
		amount := float64(id) / 4
		r := Small{ID: id, Name: &name, Amount: &amount}
		if i == 1 {
			r.Name, r.Amount = nil, nil
		}
		must(pw.Write(r))
		ids = append(ids, id)
	}
	must(pw.WriteStop())
	return buf.Bytes(), ids
}

// otherAmount has the columns of Small with amount as INT64.
func otherAmount() []byte {
	type other struct {
		ID     int64   `parquet:"name=id, type=INT64"`
		Name   *string `parquet:"name=name, type=BYTE_ARRAY, convertedtype=UTF8"`
		Amount int64   `parquet:"name=amount, type=INT64"`
	}
	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, new(other), 1)
	must(err)
	must(pw.Write(other{ID: 9, Amount: 3}))
	must(pw.WriteStop())
	return buf.Bytes()
}

// badFooterLength claims a footer longer than the file.
func badFooterLength(raw []byte) []byte {
	b := append([]byte(nil), raw...)
	n := len(b)
	b[n-8], b[n-7], b[n-6], b[n-5] = 0xff, 0xff, 0xff, 0x00
	return b
}

// corruptPage writes a one-column file and overwrites the middle of its
// first data page (snappy-compressed) with 0xFF bytes.
func corruptPage() []byte {
	type one struct {
		Note string `parquet:"name=note, type=BYTE_ARRAY, convertedtype=UTF8"`
	}
	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, new(one), 1)
	must(err)
	for i := range 200 {
		must(pw.Write(one{Note: fmt.Sprintf("note number %d about customer %d", i, i*7919%1000)}))
	}
	must(pw.WriteStop())
	raw := buf.Bytes()
	pr, err := reader.NewParquetReader(mustBuffer(raw), nil, 1)
	must(err)
	md := pr.Footer.RowGroups[0].Columns[0].MetaData
	start, size := md.DataPageOffset, md.TotalCompressedSize
	pr.ReadStop()
	b := append([]byte(nil), raw...)
	for i := start + size/3; i < start+size/3+24; i++ {
		b[i] = 0xff
	}
	return b
}

// badUTF8 writes a UTF8 column holding an invalid byte in row 3.
func badUTF8() []byte {
	type one struct {
		ID   int64   `parquet:"name=id, type=INT64"`
		Name *string `parquet:"name=name, type=BYTE_ARRAY, convertedtype=UTF8"`
	}
	var buf bytes.Buffer
	pw, err := writer.NewParquetWriterFromWriter(&buf, new(one), 1)
	must(err)
	for i, s := range []string{"ok", "fine", "caf\xe9", "good"} {
		s := s
		must(pw.Write(one{ID: int64(i + 1), Name: &s}))
	}
	must(pw.WriteStop())
	return buf.Bytes()
}

func mustBuffer(b []byte) source.ParquetFile {
	f, err := buffer.NewBufferFile(b)
	must(err)
	return f
}

// writeJSON writes v compactly, breaking lines only between the elements
// of top-level arrays and objects, so diffs stay readable.
func writeJSON(path string, v any) {
	b, err := json.MarshalIndent(v, "", "\t")
	must(err)
	var out bytes.Buffer
	must(json.Compact(&out, b))
	s := out.String()
	s = strings.ReplaceAll(s, "},{", "},\n{")
	must(os.WriteFile(path, []byte(s+"\n"), 0o644))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
