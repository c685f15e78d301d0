package pgio

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// sample is a small table with every kind, missing cells, an empty string,
// a non-ASCII string, infinities and extreme ints.
func sample(t *testing.T) *frame.Table {
	t.Helper()
	tb, err := frame.New(
		frame.NewInt("id", []int64{1, math.MinInt64, math.MaxInt64, 0}, []bool{false, false, false, true}),
		frame.NewFloat("x", []float64{1.5, math.NaN(), math.Inf(-1), math.Copysign(0, -1)}, nil),
		frame.NewBool("b", []bool{true, false, true, false}, []bool{false, false, true, false}),
		frame.NewString("s", []string{"a", "", "héllo \"q\"\n", "a"}, []bool{false, false, false, true}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

var sampleCols = []Column{
	{Name: "id", Kind: frame.Int, Type: "bigint", Supported: true, t: tInt8},
	{Name: "x", Kind: frame.Float, Type: "double precision", Supported: true, t: tFloat8},
	{Name: "b", Kind: frame.Bool, Type: "boolean", Supported: true, t: tBool},
	{Name: "s", Kind: frame.String, Type: "text", Supported: true, t: tText},
}

// TestCopyRoundTrip encodes a table as the writer does and decodes it as the
// reader does, with the stream cut into pieces of every size from 1 byte.
func TestCopyRoundTrip(t *testing.T) {
	want := sample(t)
	stream, err := io.ReadAll(newCopyEncoder(want))
	if err != nil {
		t.Fatal(err)
	}
	for size := 1; size <= len(stream); size++ {
		b := newBuilder(sampleCols, 0)
		p := newCopyParser(b, len(sampleCols))
		for off := 0; off < len(stream); off += size {
			if _, err := p.Write(stream[off:min(off+size, len(stream))]); err != nil {
				t.Fatalf("pieces of %d: %v", size, err)
			}
		}
		if !p.done {
			t.Fatalf("pieces of %d: no trailer", size)
		}
		got, err := b.table()
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, "round trip", want, got)
		if math.Signbit(got.Col("x").Floats[3]) != true {
			t.Fatal("-0 lost its sign")
		}
		o, s := b.hash.finish()
		if wo, ws := HashTable(want); o != wo || s != ws {
			t.Fatalf("pieces of %d: digests differ from HashTable", size)
		}
	}
}

func TestCopyParserErrors(t *testing.T) {
	good, _ := io.ReadAll(newCopyEncoder(sample(t)))
	for _, c := range []struct {
		name   string
		stream []byte
		want   string
	}{
		{"bad signature", append([]byte("PGCOPX\n\xff\r\n\x00"), good[11:]...), "does not start with the binary COPY signature"},
		{"oids", func() []byte { b := bytes.Clone(good); b[12] = 1; return b }(), "has OIDs"},
		{"field count", func() []byte { b := bytes.Clone(good); b[20] = 3; return b }(), "row with 3 values, the query describes 4 columns"},
		{"data after trailer", append(bytes.Clone(good), 0), "data after the end"},
	} {
		b := newBuilder(sampleCols, 0)
		_, err := newCopyParser(b, 4).Write(c.stream)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// A value whose length does not fit its type: int8 bytes for an integer column.
	cols := append([]Column(nil), sampleCols...)
	cols[0].t, cols[0].Type = tInt4, "integer"
	_, err := newCopyParser(newBuilder(cols, 0), 4).Write(good)
	if want := `column "id" (integer), row 1: binary value of 8 bytes, want 4`; err == nil || err.Error() != want {
		t.Errorf("length mismatch: %v, want %q", err, want)
	}
}
