package csvio

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// nearFile has a "Total Charges" column of 100 numbers but for the given
// cells (row → text), and a text column.
func nearFile(bad map[int]string) string {
	var b strings.Builder
	b.WriteString("id,Total Charges,plan\n")
	for i := 1; i <= 100; i++ {
		v := fmt.Sprintf("%d.5", i)
		if s, ok := bad[i]; ok {
			v = s
		}
		fmt.Fprintf(&b, "%d,%s,p%d\n", i, v, i%3)
	}
	return b.String()
}

func TestNearNumeric(t *testing.T) {
	in := nearFile(map[int]string{34: "N/A", 61: "\"$12\"", 80: "N/A", 99: "\"1,234\""})
	for _, chunk := range []int{0, 1, 50, 300} {
		res, err := readString(t, in, Options{chunkSize: chunk, workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if k := res.Table.Col("Total Charges").Kind; k != frame.String {
			t.Fatalf("kind %v", k)
		}
		nn := res.NearNumeric["Total Charges"]
		want := &NearNumeric{Column: "Total Charges", Numbers: 96, Others: 4, First: []NonNumericCell{
			{Row: 34, Line: 35, Value: "N/A"}, {Row: 61, Line: 62, Value: "$12"}, {Row: 80, Line: 81, Value: "N/A"}, {Row: 99, Line: 100, Value: "1,234"}}}
		if !reflect.DeepEqual(nn, want) || len(res.NearNumeric) != 1 {
			t.Fatalf("chunk %d: got %+v (of %d)", chunk, nn, len(res.NearNumeric))
		}
		const msg = `column "Total Charges" is text because 4 of its 100 values are not numbers: row 34: "N/A"; row 61: "$12"; row 80: "N/A"; row 99: "1,234"; ` +
			`treat them as missing with input.na_values: ["N/A", "$12", "1,234"], or fix them in the file`
		if got := nn.String(); got != msg {
			t.Errorf("chunk %d:\n got %s\nwant %s", chunk, got, msg)
		}
	}
	// With na_values the column is numeric and nothing is reported.
	res, err := readString(t, nearFile(map[int]string{34: "N/A"}), Options{NAValues: []string{"N/A"}})
	if err != nil || res.Table.Col("Total Charges").Kind != frame.Float || res.NearNumeric != nil {
		t.Errorf("na_values: %v %v", err, res.NearNumeric)
	}
}

func TestNearNumericRule(t *testing.T) {
	bad := map[int]string{}
	for i := 1; i <= 10; i++ {
		bad[i*9] = fmt.Sprintf("x%d", i)
	}
	// 10 of 100 cells are text: 90 % numbers, still near-numeric.
	res, err := readString(t, nearFile(bad), Options{chunkSize: 40})
	if err != nil {
		t.Fatal(err)
	}
	nn := res.NearNumeric["Total Charges"]
	if nn == nil || nn.Others != 10 || len(nn.First) != maxSamples {
		t.Fatalf("10 %%: %+v", nn)
	}
	if !strings.Contains(nn.String(), `row 45: "x5" and 5 more; treat them as missing`) {
		t.Errorf("message %s", nn)
	}
	bad[95] = "x11"
	res, _ = readString(t, nearFile(bad), Options{})
	if res.NearNumeric != nil {
		t.Errorf("11 %%: %+v", res.NearNumeric)
	}
	// One stray cell; a bool among numbers; a fixed string column.
	res, _ = readString(t, "a,b,c\n1,2,3\ntrue,x,4\n", Options{Types: map[string]frame.Kind{"c": frame.String}})
	if res.NearNumeric != nil {
		t.Errorf("50 %%: %+v", res.NearNumeric)
	}
	var b strings.Builder
	b.WriteString("a\n")
	for i := range 30 {
		fmt.Fprintf(&b, "%d\n", i)
	}
	b.WriteString("TRUE\n")
	res, _ = readString(t, b.String(), Options{chunkSize: 16})
	nn = res.NearNumeric["a"]
	if nn == nil || nn.String() != `column "a" is text because 1 of its 31 values is not a number: row 31: "TRUE"; treat it as missing with input.na_values: ["TRUE"], or fix it in the file` {
		t.Errorf("bool: %v", nn)
	}
}

// TestTextColumns: an id column is text byte for byte, never inferred.
func TestTextColumns(t *testing.T) {
	in := "id,n\n0001,1\n00020,2\n12345678901234567890,3\n 7 ,4\n,5\n-0,6\n1e3,7\n"
	for _, chunk := range []int{0, 1, 9} {
		res, err := readString(t, in, Options{TextColumns: []string{"id"}, chunkSize: chunk})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"id string: 0001|00020|12345678901234567890| 7 |<NA>|-0|1e3", "n int: 1|2|3|4|5|6|7"}
		if got := renderTable(res.Table); !reflect.DeepEqual(got, want) || res.NearNumeric != nil {
			t.Errorf("chunk %d: got %q, near-numeric %v", chunk, got, res.NearNumeric)
		}
	}
	// Inferred, the same column is a float column and the big id rounds:
	// the warning says so.
	res, err := readString(t, "id\n0001\n12345678901234567890\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := renderTable(res.Table); !reflect.DeepEqual(got, []string{"id float: 1|12345678901234567000"}) {
		t.Errorf("inferred: %q", got)
	}
	if want := []string{`column "id": 1 integer beyond the int64 range read as floats, rounded to about 16 significant digits (first on row 2: 12345678901234567890)`}; !reflect.DeepEqual(res.Warnings, want) {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// TestTextAfterNumbers: a column that reads as numbers or bools for a
// while and then turns into text keeps every cell's text byte for byte,
// whatever the chunking, without reading the file again.
func TestTextAfterNumbers(t *testing.T) {
	forms := []string{"1", "1.50", "+5", "007", " 5 ", "1e3", "-0", "-0.0", "0.1", ".5", "5.", "9007199254740993",
		"12345678901234567890", "-9223372036854775808", "123456789012345.6", "1234567890123456.7", "3.14159265358979312", "0", "100", "-2.5"}
	bools := []string{"true", "True", "TRUE", "false", " False", "tRuE", "FALSE"}
	var b strings.Builder
	b.WriteString("num,bool,int\n")
	for i := range 400 {
		fmt.Fprintf(&b, "%s,%s,%s\n", forms[i%len(forms)], bools[i%len(bools)], forms[(i*7)%len(forms)])
	}
	b.WriteString("text,text,x\n")
	in := b.String()
	typed, err := readString(t, in, Options{TextColumns: []string{"num", "bool", "int"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int{0, 1, 7, 64, 1000} {
		for _, workers := range []int{1, 2} {
			res, err := readString(t, in, Options{chunkSize: chunk, workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if d := diffTables(typed.Table, res.Table); d != "" {
				t.Errorf("chunk %d workers %d: %s", chunk, workers, d)
			}
		}
	}
}

func TestCanonicalFloat(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "29.85", "0.1", "100", "123456789012345", "0.000123", "-2.5", "1234567.125", "99999999999999.9"} {
		v, ok, canon := parseFloatC([]byte(s))
		if !ok || !canon {
			t.Errorf("%s: ok %v canon %v", s, ok, canon)
		}
		if got := string(formatValue(nil, kFloat, nil, []float64{v}, nil, 0, 0)); got != s {
			t.Errorf("%s formats as %s", s, got)
		}
	}
	for _, s := range []string{"+1", "01", "1.0", "1.", ".5", "1e3", "1234567890123456", "-00", "0.10"} {
		if _, ok, canon := parseFloatC([]byte(s)); !ok || canon {
			t.Errorf("%s: ok %v canon %v, want not canonical", s, ok, canon)
		}
	}
}
