package csvio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

type record struct {
	line   int
	fields []string
}

// splitAll splits data with one splitter.
func splitAll(data []byte, delim byte) ([]record, *splitError) {
	s := splitter{data: data, delim: delim, line: 1}
	return collect(&s, data)
}

func collect(s *splitter, data []byte) ([]record, *splitError) {
	var out []record
	var scratch []byte
	for {
		ok, err := s.next()
		if err != nil {
			return out, err
		}
		if !ok {
			return out, nil
		}
		r := record{line: s.recLine}
		for _, f := range s.fields {
			b := data[f.start:f.end]
			if f.raw {
				scratch = unquote(b, scratch)
				b = scratch
			}
			r.fields = append(r.fields, string(b))
		}
		out = append(out, r)
	}
}

// splitChunked cuts data into blocks of about size bytes the way the
// reader does and splits each block separately.
func splitChunked(data []byte, delim byte, size int) ([]record, *splitError) {
	var out []record
	pos, line := 0, 1
	for pos < len(data) {
		cut, want := 0, size
		for {
			end := min(pos+want, len(data))
			if end == len(data) {
				cut = end
				break
			}
			if c := lastRecordEnd(data[pos:end], delim); c > 0 {
				cut = pos + c
				break
			}
			want *= 2
		}
		s := splitter{data: data[pos:cut], delim: delim, line: line}
		recs, err := collect(&s, data[pos:cut])
		out = append(out, recs...)
		if err != nil {
			return out, err
		}
		line += bytes.Count(data[pos:cut], nl)
		pos = cut
	}
	return out, nil
}

// stdSplit splits with encoding/csv; it normalises CRLF inside quoted fields.
func stdSplit(data []byte, delim byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(delim)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

var splitCases = []string{
	"a,b\n1,2\n",
	"a,b\r\n1,2\r\n",
	"a,b\n1,2",
	"a,b\n1,2\r",
	"\n\na\n\r\n\nb\n",
	"\"a,b\",c\n\"x\ny\",\"z\"\"w\"\n",
	"\"\"\"\",\"\"\n",
	"a,\"b\r\nc\"\r\nd,e\r\n",
	"a\"b,c\"d\n",
	"\"a\"b,c\n\"x\"\"\"y,z\n",
	"a,b,\n,,\n",
	"\r\r\n\ra\n",
	"x\"\ny\n\"z\n",
	"\"a\n\nb\"\n\n\"c\"\n",
	"a;\"b;c\";d\n",
	"a,\"unterminated\nline\n",
	"\"",
	"\"\"",
	",",
	"\"a\"\r",
	"\"a\"\rb\n",
}

// TestSplitChunked checks that cutting blocks at lastRecordEnd never
// changes the records or their line numbers, for every block size.
func TestSplitChunked(t *testing.T) {
	for _, c := range splitCases {
		for _, delim := range []byte{',', ';'} {
			whole, werr := splitAll([]byte(c), delim)
			for size := 1; size <= len(c)+1; size++ {
				got, gerr := splitChunked([]byte(c), delim, size)
				if !reflect.DeepEqual(got, whole) || (gerr == nil) != (werr == nil) || gerr != nil && *gerr != *werr {
					t.Errorf("%q delim %q size %d:\n got %v %v\nwant %v %v", c, delim, size, got, gerr, whole, werr)
				}
			}
		}
	}
}

func TestSplitRecords(t *testing.T) {
	tests := []struct {
		in   string
		want string // records as line:[fields]
	}{
		{"a,b\n1,2\n", `1:["a" "b"] 2:["1" "2"]`},
		{"\n\na\n\r\n\nb\n", `3:["a"] 6:["b"]`},
		{"\"x\ny\",\"z\"\"w\"\nq,r", `1:["x\ny" "z\"w"] 3:["q" "r"]`},
		{"a\"b,c\"d\n", `1:["a\"b" "c\"d"]`},
		{"\"a\"b,c\n", `1:["ab" "c"]`},
		{"\"a\"b\"c,d\n", `1:["ab\"c" "d"]`},
		{"a,b,\n", `1:["a" "b" ""]`},
		{"a,\"b\r\nc\"\r\n", `1:["a" "b\r\nc"]`},
		{"\"a\"\r", `1:["a"]`},
		{"\"a\"\rb\n", `1:["a\rb"]`},
		{"a\rb\n", `1:["a\rb"]`},
	}
	for _, tc := range tests {
		recs, err := splitAll([]byte(tc.in), ',')
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var parts []string
		for _, r := range recs {
			parts = append(parts, fmt.Sprintf("%d:%q", r.line, r.fields))
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	if _, err := splitAll([]byte("a,b\n1,\"x\ny\nz"), ','); err == nil || *err != (splitError{line: 2, field: 1}) {
		t.Errorf("unterminated: %+v", err)
	}
}

// FuzzSplit compares the record splitter with encoding/csv on inputs both
// accept, and checks that block cutting never changes the records.
func FuzzSplit(f *testing.F) {
	for _, c := range splitCases {
		f.Add([]byte(c), uint8(3), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8, semi bool) {
		delim := byte(',')
		if semi {
			delim = ';'
		}
		whole, werr := splitAll(data, delim)
		got, gerr := splitChunked(data, delim, int(size)+1)
		if !reflect.DeepEqual(got, whole) || (gerr == nil) != (werr == nil) {
			t.Fatalf("chunked split differs:\n got %v %v\nwant %v %v", got, gerr, whole, werr)
		}
		std, serr := stdSplit(data, delim)
		if werr != nil {
			if serr == nil {
				t.Fatalf("we report an unterminated quote, encoding/csv accepts: %q", std)
			}
			return
		}
		if serr != nil {
			return // encoding/csv is stricter (bare quotes, text after a closing quote)
		}
		if len(std) != len(whole) {
			t.Fatalf("%d records, encoding/csv %d:\n%v\n%q", len(whole), len(std), whole, std)
		}
		for i, r := range whole {
			norm := make([]string, len(r.fields))
			for j, s := range r.fields {
				norm[j] = strings.ReplaceAll(s, "\r\n", "\n")
			}
			if !reflect.DeepEqual(norm, std[i]) {
				t.Fatalf("record %d: %q, encoding/csv %q", i, norm, std[i])
			}
		}
	})
}
