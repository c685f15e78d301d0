package csvio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// render shows a column as "kind: v1|v2|..." with <NA> for missing cells.
func render(c *frame.Column) string {
	cells := make([]string, c.Len())
	for i := range cells {
		if c.IsMissing(i) {
			cells[i] = "<NA>"
		} else {
			cells[i] = c.Format(i)
		}
	}
	return c.Kind.String() + ": " + strings.Join(cells, "|")
}

func renderTable(t *frame.Table) []string {
	var out []string
	for _, c := range t.Columns() {
		out = append(out, c.Name+" "+render(c))
	}
	return out
}

func TestReadEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want []string // "name kind: cells"
	}{
		{"crlf", "a,b\r\n1,x\r\n2,y\r\n", Options{}, []string{"a int: 1|2", "b string: x|y"}},
		{"mixed line ends", "a,b\n1,x\r\n2,y\n", Options{}, []string{"a int: 1|2", "b string: x|y"}},
		{"no final newline", "a,b\n1,x\n2,y", Options{}, []string{"a int: 1|2", "b string: x|y"}},
		{"final CR", "a,b\r\n1,x\r\n2,y\r", Options{}, []string{"a int: 1|2", "b string: x|y"}},
		{"semicolon", "a;b;c\n1,5;2;x\n", Options{}, []string{"a string: 1,5", "b int: 2", "c string: x"}},
		{"tab", "a\tb\n1\t2.5\n", Options{}, []string{"a int: 1", "b float: 2.5"}},
		{"comma wins ties", "a,b;c\n1,2;3\n", Options{}, []string{"a int: 1", "b;c string: 2;3"}},
		{"given delimiter", "a,b|c\n1,2|3\n", Options{Delimiter: '|'}, []string{"a,b string: 1,2", "c int: 3"}},
		{
			"quoted", "name,note\n\"Smith, J\",\"He said \"\"hi\"\"\nbye\"\n\"\",\"\"\"\"\n",
			Options{}, []string{"name string: Smith, J|<NA>", "note string: He said \"hi\"\nbye|\""},
		},
		{"quoted number", "a,b\n\"5\",\" 2.5 \"\n", Options{}, []string{"a int: 5", "b float: 2.5"}},
		{"lenient quotes", "a,b\nx\"y,\"q\"z\"\n", Options{}, []string{"a string: x\"y", "b string: qz\""}},
		{"NA is a string", "a,b\nNA,1\nnull,2\nN/A,3\n", Options{}, []string{"a string: NA|null|N/A", "b int: 1|2|3"}},
		{"NAValues", "a,b\nNA,1\n ? ,?\nx,3\n", Options{NAValues: []string{"?", "NA"}}, []string{"a string: <NA>|<NA>|x", "b int: 1|<NA>|3"}},
		{"blank cells", "a,b,c\n1, ,x\n2,\t,\n", Options{}, []string{"a int: 1|2", "b float: <NA>|<NA>", "c string: x|<NA>"}},
		{"all missing", "a,b\n1,\n2,\n", Options{}, []string{"a int: 1|2", "b float: <NA>|<NA>"}},
		{"bool", "a,b\ntrue,True\nFALSE,false\n,TRUE\n", Options{}, []string{"a bool: true|false|<NA>", "b bool: true|false|true"}},
		{"bool and int", "a\ntrue\n1\n", Options{}, []string{"a string: true|1"}},
		{"bool and float", "a\n2.5\nfalse\n", Options{}, []string{"a string: 2.5|false"}},
		{"int and float", "a\n1\n\n2.5\n-0\n-00\n", Options{}, []string{"a float: 1|2.5|-0|-0"}},
		{"float then ints", "a\n2.5\n-0\n+7\n", Options{}, []string{"a float: 2.5|-0|7"}},
		{"negative zero int", "a\n-0\n3\n", Options{}, []string{"a int: 0|3"}},
		{"leading zeros", "a,b\n0001,007\n0200, 08 \n", Options{}, []string{"a int: 1|200", "b int: 7|8"}},
		{"leading zeros typed", "a\n0001\n0200\n", Options{Types: map[string]frame.Kind{"a": frame.String}}, []string{"a string: 0001|0200"}},
		{"int64 limits", "a\n9223372036854775807\n-9223372036854775808\n", Options{}, []string{"a int: 9223372036854775807|-9223372036854775808"}},
		{"int overflow", "a\n1\n9223372036854775808\n", Options{}, []string{"a float: 1|9223372036854776000"}},
		{"float forms", "a\n1e3\n.5\n5.\n-2.5E-3\n+1\n", Options{}, []string{"a float: 1000|0.5|5|-0.0025|1"}},
		{"nan word", "a\n1.5\nnan\n", Options{}, []string{"a string: 1.5|nan"}},
		{"inf word", "a\n1\nInf\n", Options{}, []string{"a string: 1|Inf"}},
		{"hex and underscores", "a,b\n0x10,1_000\n", Options{}, []string{"a string: 0x10", "b string: 1_000"}},
		{"huge exponent in text", "a\n1e400\nx\n", Options{}, []string{"a string: 1e400|x"}},
		{"strings verbatim", "a\n x \ny\n", Options{}, []string{"a string:  x |y"}},
		{"spaces around numbers", "a,b\n 5 , true\n-3\t,false \n", Options{}, []string{"a int: 5|-3", "b bool: true|false"}},
		{"blank lines", "\n\na\n1\n\n\r\n2\n\n", Options{}, []string{"a int: 1|2"}},
		{"single column", "a\n\"\"\nx\n", Options{}, []string{"a string: <NA>|x"}},
		{"empty last field", "a,b\n1,\n", Options{}, []string{"a int: 1", "b float: <NA>"}},
		{"projection", "a,b,c\n1,x,2.5\n2,y,3\n", Options{Columns: []string{"c", "a"}}, []string{"c float: 2.5|3", "a int: 1|2"}},
		{"projection skips bad cells", "a,b\n1,x\n2,y\n", Options{Columns: []string{"b"}, Types: map[string]frame.Kind{"a": frame.Bool}}, []string{"b string: x|y"}},
		{
			"types", "a,b,c,d\n1,1,true,5\n2,0,false,\n",
			Options{Types: map[string]frame.Kind{"a": frame.Float, "b": frame.String, "c": frame.Bool, "d": frame.Int}},
			[]string{"a float: 1|2", "b string: 1|0", "c bool: true|false", "d int: 5|<NA>"},
		},
		{"types all missing", "a,b\n1,\n", Options{Types: map[string]frame.Kind{"b": frame.String}}, []string{"a int: 1", "b string: <NA>"}},
		{"quoted header", "\"x,y\",\"a \"\"b\"\"\"\n1,2\n", Options{}, []string{"x,y int: 1", "a \"b\" int: 2"}},
		{"header over lines", "\"x\ny\",b\n1,2\n", Options{}, []string{"x\ny int: 1", "b int: 2"}},
		{"unicode", "név,é\nÁrvíztűrő,日本\n", Options{}, []string{"név string: Árvíztűrő", "é string: 日本"}},
		{"dict order", "a\nb\na\nc\nb\n", Options{}, []string{"a string: b|a|c|b"}},
	}
	for _, tc := range tests {
		for _, chunk := range []int{0, 1, 2, 5} {
			res, err := readString(t, tc.in, withChunk(tc.opt, chunk))
			if err != nil {
				t.Errorf("%s (chunk %d): %v", tc.name, chunk, err)
				continue
			}
			if got := renderTable(res.Table); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s (chunk %d):\n got %q\nwant %q", tc.name, chunk, got, tc.want)
			}
		}
	}
}

func withChunk(o Options, size int) Options {
	o.chunkSize = size
	return o
}

func TestReadFacts(t *testing.T) {
	res, err := readString(t, "\xEF\xBB\xBF id , Age ,name\r\n1,2,x\r\n\r\n3,4,\r\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.BOM || res.Delimiter != ',' || res.Rows != 2 || res.Bytes != 35 {
		t.Errorf("BOM %v delimiter %q rows %d bytes %d", res.BOM, res.Delimiter, res.Rows, res.Bytes)
	}
	if want := []string{" id ", " Age "}; !reflect.DeepEqual(res.Trimmed, want) {
		t.Errorf("trimmed %q, want %q", res.Trimmed, want)
	}
	if want := []string{"id", "Age", "name"}; !reflect.DeepEqual(res.Table.Names(), want) {
		t.Errorf("names %q, want %q", res.Table.Names(), want)
	}
	if want := []string{"skipped 1 empty line"}; !reflect.DeepEqual(res.Warnings, want) {
		t.Errorf("warnings %q, want %q", res.Warnings, want)
	}
	// sha256 of the 35 bytes above, from /usr/bin/sha256sum.
	const sum = "2f09ba11bf575577e5406e820b9496118a875885a96bd1d70370f37abd36095f"
	if res.SHA256 != sum {
		t.Errorf("sha256 %s", res.SHA256)
	}
}

// TestSecondPass builds a file whose column "code" holds numbers for a
// while and text later, and "flag" holds bools then an int, so that with
// small blocks some chunks parse them as numbers and a second pass is needed.
func TestSecondPass(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,code,flag,amount\n")
	for i := range 300 {
		code := fmt.Sprintf("%05d", i)
		if i == 250 {
			code = "A0250"
		}
		if i%7 == 0 {
			code = " "
		}
		flag := []string{"true", "false", ""}[i%3]
		if i == 299 {
			flag = "1"
		}
		amount := fmt.Sprint(i)
		if i == 280 {
			amount = "2.5"
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s\n", i, code, flag, amount)
	}
	in := b.String()
	typed, err := readString(t, in, Options{Types: map[string]frame.Kind{"code": frame.String, "flag": frame.String}})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 1, 64, 500, 1000} {
		for _, workers := range []int{1, 2} {
			res, err := readString(t, in, Options{chunkSize: size, workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			tb := res.Table
			if tb.Col("code").Kind != frame.String || tb.Col("flag").Kind != frame.String || tb.Col("amount").Kind != frame.Float {
				t.Fatalf("chunk %d: kinds %v", size, tb.Schema())
			}
			if d := diffTables(typed.Table, tb); d != "" {
				t.Errorf("chunk %d workers %d: %s", size, workers, d)
			}
			code := tb.Col("code")
			if code.Str(1) != "00001" || code.Str(250) != "A0250" || code.Dict[0] != "00001" || code.NumMissing() != 43 {
				t.Errorf("chunk %d: code %q %q dict %q missing %d", size, code.Str(1), code.Str(250), code.Dict[:2], code.NumMissing())
			}
			if w := []string{`column "code": 43 cells holding only spaces read as missing`}; !reflect.DeepEqual(res.Warnings, w) {
				t.Errorf("chunk %d: warnings %q", size, res.Warnings)
			}
			if got := tb.Col("amount").Floats[280]; got != 2.5 {
				t.Errorf("amount[280] = %v", got)
			}
		}
	}
}

func TestGOMAXPROCS(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	old := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(old)
	one, err := ReadFile(context.Background(), path, Options{chunkSize: 50000})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(2)
	two, err := ReadFile(context.Background(), path, Options{chunkSize: 50000})
	if err != nil {
		t.Fatal(err)
	}
	if d := diffTables(one.Table, two.Table); d != "" {
		t.Error(d)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := readString(t, "a\n1\n", Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(path, []byte(strings.Repeat("a,b\n", 100000)), 0o644)
	if _, err := ReadFile(ctx, path, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	// Cancel after the header, from the first progress call.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err := ReadFile(ctx, path, Options{chunkSize: 1000, workers: 2, Progress: func(n, total int64) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during the read: %v", err)
	}
}

func TestProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.csv")
	content := "a,b\n" + strings.Repeat("1,2\n", 50000)
	os.WriteFile(path, []byte(content), 0o644)
	var last, total int64
	calls := 0
	_, err := ReadFile(context.Background(), path, Options{chunkSize: 4096, Progress: func(n, tot int64) {
		if n < last {
			t.Errorf("progress went back from %d to %d", last, n)
		}
		last, total = n, tot
		calls++
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 1 || last != int64(len(content)) || total != int64(len(content)) {
		t.Errorf("%d calls, last %d of %d, want %d", calls, last, total, len(content))
	}
}

func TestReadHeader(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	names, delim, err := ReadHeader(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 38 || names[0] != "Customer ID" || names[37] != "Churn Reason" || delim != ',' {
		t.Errorf("%d names %q…%q, delimiter %q", len(names), names[0], names[len(names)-1], delim)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "h.csv")
	os.WriteFile(p, []byte("\xEF\xBB\xBF a ;\"b;c\"\n1;2\n"), 0o644)
	names, delim, err = ReadHeader(p, Options{})
	if err != nil || !reflect.DeepEqual(names, []string{"a", "b;c"}) || delim != ';' {
		t.Errorf("got %q %q %v", names, delim, err)
	}
	// A header longer than the first read block.
	long := strings.Repeat("column_with_a_long_name_", 5000)
	os.WriteFile(p, []byte("x,"+long+"\n1,2\n"), 0o644)
	names, _, err = ReadHeader(p, Options{})
	if err != nil || len(names) != 2 || names[1] != long {
		t.Errorf("long header: %d names, %v", len(names), err)
	}
	if _, _, err := ReadHeader("testdata/bad/duplicate_header.csv", Options{}); err == nil ||
		err.Error() != `testdata/bad/duplicate_header.csv line 1: header: duplicate column name "Age" (columns 2 and 4)` {
		t.Errorf("duplicate: %v", err)
	}
	if _, _, err := ReadHeader("testdata/bad/header_only.csv", Options{}); err != nil {
		t.Errorf("a header without rows is fine for ReadHeader: %v", err)
	}
}

// TestInputsNotMutated checks that ReadFile leaves the options alone.
func TestInputsNotMutated(t *testing.T) {
	opt := Options{
		NAValues: []string{" ? ", "NA"},
		Types:    map[string]frame.Kind{"b": frame.String},
		Columns:  []string{"b", "a"},
	}
	if _, err := readString(t, "a,b\n1,?\n", opt); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(opt.NAValues, []string{" ? ", "NA"}) || !reflect.DeepEqual(opt.Columns, []string{"b", "a"}) ||
		!reflect.DeepEqual(opt.Types, map[string]frame.Kind{"b": frame.String}) {
		t.Errorf("options changed: %+v", opt)
	}
}
