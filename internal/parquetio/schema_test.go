package parquetio

import (
	"bytes"
	"context"
	"math"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"

	"github.com/churnlab/segment/internal/frame"
)

// TestTypeMapping covers every branch of the type mapping with schema
// elements as writers produce them: logical types, legacy converted types
// alone, and combinations that are invalid or unsupported.
func TestTypeMapping(t *testing.T) {
	phys := func(p format.Type) thrift.Null[format.Type] { return thrift.New(p) }
	cv := func(c deprecated.ConvertedType) thrift.Null[deprecated.ConvertedType] { return thrift.New(c) }
	lt := func(v format.LogicalTypeValue) format.LogicalType { return format.LogicalType{Value: v} }
	ms := format.TimeUnit{Value: &format.MilliSeconds{}}
	us := format.TimeUnit{Value: &format.MicroSeconds{}}
	ns := format.TimeUnit{Value: &format.NanoSeconds{}}
	for _, tc := range []struct {
		el   format.SchemaElement
		kind frame.Kind
		conv conv
		unit int64
		utc  bool
		bad  bool
		typ  string
	}{
		{el: format.SchemaElement{Type: phys(format.Boolean)}, kind: frame.Bool, conv: cBool, typ: "BOOLEAN"},
		{el: format.SchemaElement{Type: phys(format.Int32)}, kind: frame.Int, conv: cInt32, typ: "INT32"},
		{el: format.SchemaElement{Type: phys(format.Int64)}, kind: frame.Int, conv: cInt64, typ: "INT64"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.IntType{BitWidth: 8, IsSigned: false})}, kind: frame.Int, conv: cUint32, typ: "INT32 INT(8,false)"},
		{el: format.SchemaElement{Type: phys(format.Int64), LogicalType: lt(&format.IntType{BitWidth: 64, IsSigned: false})}, kind: frame.Int, conv: cUint64, typ: "INT64 INT(64,false)"},
		{el: format.SchemaElement{Type: phys(format.Int32), ConvertedType: cv(deprecated.Int16)}, kind: frame.Int, conv: cInt32, typ: "INT32 INT_16"},
		{el: format.SchemaElement{Type: phys(format.Int32), ConvertedType: cv(deprecated.Uint32)}, kind: frame.Int, conv: cUint32, typ: "INT32 UINT_32"},
		{el: format.SchemaElement{Type: phys(format.Int64), ConvertedType: cv(deprecated.Uint64)}, kind: frame.Int, conv: cUint64, typ: "INT64 UINT_64"},
		{el: format.SchemaElement{Type: phys(format.Int64), ConvertedType: cv(deprecated.Int32)}, bad: true, typ: "INT64 INT_32"},
		{el: format.SchemaElement{Type: phys(format.Float)}, kind: frame.Float, conv: cFloat32, typ: "FLOAT"},
		{el: format.SchemaElement{Type: phys(format.Double)}, kind: frame.Float, conv: cDouble, typ: "DOUBLE"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), LogicalType: lt(&format.StringType{})}, kind: frame.String, conv: cString, typ: "BYTE_ARRAY STRING"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), LogicalType: lt(&format.EnumType{})}, kind: frame.String, conv: cString, typ: "BYTE_ARRAY ENUM"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), LogicalType: lt(&format.JsonType{})}, kind: frame.String, conv: cString, typ: "BYTE_ARRAY JSON"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), ConvertedType: cv(deprecated.UTF8)}, kind: frame.String, conv: cString, typ: "BYTE_ARRAY UTF8"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), ConvertedType: cv(deprecated.Enum)}, kind: frame.String, conv: cString, typ: "BYTE_ARRAY ENUM"},
		{el: format.SchemaElement{Type: phys(format.ByteArray), LogicalType: lt(&format.BsonType{})}, bad: true, typ: "BYTE_ARRAY BSON"},
		{el: format.SchemaElement{Type: phys(format.ByteArray)}, bad: true, typ: "BYTE_ARRAY"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.DateType{})}, kind: frame.String, conv: cDate, typ: "INT32 DATE"},
		{el: format.SchemaElement{Type: phys(format.Int32), ConvertedType: cv(deprecated.Date)}, kind: frame.String, conv: cDate, typ: "INT32 DATE"},
		{el: format.SchemaElement{Type: phys(format.Int64), LogicalType: lt(&format.TimestampType{IsAdjustedToUTC: true, Unit: ms})}, kind: frame.String, conv: cTimestamp, unit: 1e6, utc: true, typ: "INT64 TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS)"},
		{el: format.SchemaElement{Type: phys(format.Int64), LogicalType: lt(&format.TimestampType{Unit: ns})}, kind: frame.String, conv: cTimestamp, unit: 1, typ: "INT64 TIMESTAMP(isAdjustedToUTC=false,unit=NANOS)"},
		{el: format.SchemaElement{Type: phys(format.Int64), ConvertedType: cv(deprecated.TimestampMillis)}, kind: frame.String, conv: cTimestamp, unit: 1e6, utc: true, typ: "INT64 TIMESTAMP_MILLIS"},
		{el: format.SchemaElement{Type: phys(format.Int64), ConvertedType: cv(deprecated.TimestampMicros)}, kind: frame.String, conv: cTimestamp, unit: 1e3, utc: true, typ: "INT64 TIMESTAMP_MICROS"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.TimestampType{Unit: ms})}, bad: true, typ: "INT32 TIMESTAMP(isAdjustedToUTC=false,unit=MILLIS)"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.TimeType{Unit: ms})}, kind: frame.String, conv: cTime, unit: 1e6, typ: "INT32 TIME(isAdjustedToUTC=false,unit=MILLIS)"},
		{el: format.SchemaElement{Type: phys(format.Int64), LogicalType: lt(&format.TimeType{Unit: us})}, kind: frame.String, conv: cTime, unit: 1e3, typ: "INT64 TIME(isAdjustedToUTC=false,unit=MICROS)"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.TimeType{Unit: ns})}, bad: true, typ: "INT32 TIME(isAdjustedToUTC=false,unit=NANOS)"},
		{el: format.SchemaElement{Type: phys(format.Int64), ConvertedType: cv(deprecated.TimeMicros)}, kind: frame.String, conv: cTime, unit: 1e3, utc: true, typ: "INT64 TIME_MICROS"},
		{el: format.SchemaElement{Type: phys(format.Int96)}, kind: frame.String, conv: cInt96, typ: "INT96"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.DecimalType{Scale: 2, Precision: 9})}, kind: frame.Float, conv: cDecimal, typ: "INT32 DECIMAL(9,2)"},
		{el: format.SchemaElement{Type: phys(format.FixedLenByteArray), TypeLength: thrift.New[int32](16), ConvertedType: cv(deprecated.Decimal), Scale: thrift.New[int32](4), Precision: thrift.New[int32](38)}, kind: frame.Float, conv: cDecimal, typ: "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,4)"},
		{el: format.SchemaElement{Type: phys(format.FixedLenByteArray), TypeLength: thrift.New[int32](16), LogicalType: lt(&format.UUIDType{})}, bad: true, typ: "FIXED_LEN_BYTE_ARRAY(16) UUID"},
		{el: format.SchemaElement{Type: phys(format.FixedLenByteArray), TypeLength: thrift.New[int32](2), LogicalType: lt(&format.Float16Type{})}, bad: true, typ: "FIXED_LEN_BYTE_ARRAY(2) FLOAT16"},
		{el: format.SchemaElement{Type: phys(format.Int32), LogicalType: lt(&format.NullType{})}, kind: frame.Float, conv: cNull, typ: "INT32 NULL"},
		{el: format.SchemaElement{Type: phys(format.Int32), RepetitionType: thrift.New(format.Repeated)}, bad: true, typ: "repeated INT32"},
	} {
		c := &column{}
		c.Type = describe(&tc.el, false)
		mapLeaf(c, &tc.el)
		if c.Type != tc.typ {
			t.Errorf("%s: described as %q", tc.typ, c.Type)
		}
		if tc.bad {
			if c.Unsupported == "" {
				t.Errorf("%s: accepted as %v", tc.typ, c.Kind)
			}
			continue
		}
		if c.Unsupported != "" || c.Kind != tc.kind || c.conv != tc.conv || c.unit != tc.unit || c.utc != tc.utc {
			t.Errorf("%s: %v conv %d unit %d utc %v (%q), want %v conv %d unit %d utc %v", tc.typ, c.Kind, c.conv, c.unit, c.utc, c.Unsupported, tc.kind, tc.conv, tc.unit, tc.utc)
		}
	}
}

// TestLogicalTypesValues writes annotated columns with parquet-go and checks
// the text and numbers they read as.
func TestLogicalTypesValues(t *testing.T) {
	schema := parquet.NewSchema("t", orderedGroup{fields: []parquet.Field{
		namedField{parquet.Optional(parquet.Enum()), "enum"},
		namedField{parquet.Optional(parquet.Date()), "date"},
		namedField{parquet.Optional(parquet.TimestampAdjusted(parquet.Millisecond, true)), "ts_utc"},
		namedField{parquet.Optional(parquet.TimestampAdjusted(parquet.Nanosecond, false)), "ts_local"},
		namedField{parquet.Optional(parquet.TimeAdjusted(parquet.Nanosecond, false)), "time"},
		namedField{parquet.Optional(parquet.Decimal(2, 9, parquet.Int32Type)), "dec"},
		namedField{parquet.Optional(parquet.Uint(8)), "u8"},
		namedField{parquet.Optional(parquet.Leaf(parquet.FloatType)), "f32"},
	}})
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema)
	at := time.Date(1969, 12, 31, 23, 59, 59, 250_000_000, time.UTC)
	rows := []parquet.Row{
		{
			parquet.ByteArrayValue([]byte("RED")).Level(0, 1, 0),
			parquet.Int32Value(-1).Level(0, 1, 1),
			parquet.Int64Value(at.UnixMilli()).Level(0, 1, 2),
			parquet.Int64Value(at.UnixNano()+1).Level(0, 1, 3),
			parquet.Int64Value(int64(13*time.Hour+45*time.Minute+6*time.Second+500)).Level(0, 1, 4),
			parquet.Int32Value(-12345).Level(0, 1, 5),
			parquet.Int32Value(255).Level(0, 1, 6),
			parquet.FloatValue(0.1).Level(0, 1, 7),
		},
		{
			parquet.NullValue().Level(0, 0, 0), parquet.NullValue().Level(0, 0, 1), parquet.NullValue().Level(0, 0, 2),
			parquet.NullValue().Level(0, 0, 3), parquet.NullValue().Level(0, 0, 4), parquet.NullValue().Level(0, 0, 5),
			parquet.NullValue().Level(0, 0, 6), parquet.NullValue().Level(0, 0, 7),
		},
	}
	if _, err := w.WriteRows(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/l.parquet"
	writeBytes(t, path, buf.Bytes())
	got := readAll(t, path)
	want := map[string]string{
		"enum":     "RED",
		"date":     "1969-12-31",
		"ts_utc":   "1969-12-31T23:59:59.25Z",
		"ts_local": "1969-12-31T23:59:59.250000001",
		"time":     "13:45:06.0000005",
		"dec":      "-123.45",
		"u8":       "255",
		"f32":      "0.1",
	}
	for name, w := range want {
		c := got.Col(name)
		if c.Str(0) != w || !c.IsMissing(1) {
			t.Errorf("%s: %q (second row missing %v), want %q", name, c.Str(0), c.IsMissing(1), w)
		}
	}
	if got.Col("f32").Floats[0] != 0.1 || got.Col("dec").Floats[0] != -123.45 {
		t.Error("float values are not the decimal text's float64")
	}

	// A NULL-typed column reads as missing floats, whatever its pages hold.
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c := d.files[0].cols["u8"]
	c.conv, c.Kind = cNull, frame.Float
	d.fields[6].Kind = frame.Float
	null, err := d.Read(context.Background(), []string{"u8"})
	if err != nil {
		t.Fatal(err)
	}
	if col := null.Col("u8"); col.Kind != frame.Float || col.NumMissing() != 2 || !math.IsNaN(col.Floats[0]) {
		t.Errorf("NULL column read as %v with %d missing", col.Kind, col.NumMissing())
	}
}

func TestNumberConversions(t *testing.T) {
	for _, tc := range []struct {
		u     int64
		scale int32
		want  float64
	}{
		{12345, 2, 123.45},
		{-1, 3, -0.001},
		{1 << 60, 4, 115292150460684.6976},
		{7, 0, 7},
		{5, -3, 5000},
		{123456789012345678, 25, 1.23456789012345678e-8},
	} {
		if got := decimalInt(tc.u, tc.scale); got != tc.want {
			t.Errorf("decimalInt(%d, %d) = %v, want %v", tc.u, tc.scale, got, tc.want)
		}
	}
	// 16-byte two's complement: -1 and -(2^100) / 10^5.
	minus1 := bytes.Repeat([]byte{0xff}, 16)
	if got := decimalBytes(minus1, 2); got != -0.01 {
		t.Errorf("decimalBytes(-1) = %v", got)
	}
	big := make([]byte, 16)
	big[3] = 0xf0 // -(2^100) in 16 bytes: 0xFFFFFFF0 00…
	big[0], big[1], big[2] = 0xff, 0xff, 0xff
	if got, want := decimalBytes(big, 5), -1.2676506002282294e25; got != want {
		t.Errorf("decimalBytes(-2^100) = %v, want %v", got, want)
	}
	for _, f := range []float32{0.1, 1.0 / 3, 16777217, -2.5e-30, float32(math.Inf(1))} {
		want := float64(f)
		if f == 0.1 {
			want = 0.1
		} else if f == 1.0/3 {
			want = 0.33333334
		} else if f == -2.5e-30 {
			want = -2.5e-30
		}
		if got := widen32(f); got != want {
			t.Errorf("widen32(%v) = %v, want %v", f, got, want)
		}
	}
}
