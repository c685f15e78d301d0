package csvio

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// refRead is a slow, row-by-row reading of data with the package's typing
// rules written independently with regular expressions and strconv. It
// returns the table rendered like renderTable, or nil when data is not a
// valid file for it (errors are compared elsewhere).
func refRead(data string, delim byte) []string {
	recs, err := splitAll([]byte(data), delim)
	if err != nil || len(recs) < 2 {
		return nil
	}
	names := recs[0].fields
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	body := recs[1:]
	for _, r := range body {
		if len(r.fields) != len(names) {
			return nil
		}
	}
	intRE := regexp.MustCompile(`^[+-]?[0-9]+$`)
	floatRE := regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	kindOf := func(t string) string {
		switch {
		case strings.EqualFold(t, "true") || strings.EqualFold(t, "false"):
			return "bool"
		case intRE.MatchString(t):
			if _, err := strconv.ParseInt(t, 10, 64); err == nil {
				return "int"
			}
			return "float"
		case floatRE.MatchString(t):
			return "float"
		}
		return "string"
	}
	var out []string
	for j, name := range names {
		kind := ""
		for _, r := range body {
			t := strings.Trim(r.fields[j], " \t")
			if t == "" {
				continue
			}
			k := kindOf(t)
			switch {
			case kind == "" || kind == k:
				kind = k
			case kind == "int" && k == "float" || kind == "float" && k == "int":
				kind = "float"
			default:
				kind = "string"
			}
		}
		if kind == "" {
			kind = "float"
		}
		cells := make([]string, len(body))
		for i, r := range body {
			t := strings.Trim(r.fields[j], " \t")
			switch {
			case t == "":
				cells[i] = "<NA>"
			case kind == "bool":
				cells[i] = strconv.FormatBool(strings.EqualFold(t, "true"))
			case kind == "int":
				v, _ := strconv.ParseInt(t, 10, 64)
				cells[i] = strconv.FormatInt(v, 10)
			case kind == "float":
				v, _ := strconv.ParseFloat(t, 64)
				cells[i] = frame.FormatFloat(v)
			default:
				cells[i] = r.fields[j]
			}
		}
		out = append(out, name+" "+kind+": "+strings.Join(cells, "|"))
	}
	return out
}

var randomCells = []string{"", " ", "\t", "1", "-0", "0001", "+3", " 7 ", "2.5", "-1e3", ".5", "5.", "true", "FALSE",
	"x", "NA", "nan", "Inf", "0x1", "9223372036854775808", "-9223372036854775808", "\"q,r\"", "\"a\"\"b\"",
	"\"multi\nline\"", "\"5\"", "\" \"", "abc def", "y\"z", "1.0000000000000000001", "123456789012345678"}

// randomCSV builds a file of random cells from randomCells.
func randomCSV(rng *rand.Rand, delim byte) string {
	var b strings.Builder
	ncols := 1 + rng.IntN(4)
	eol := func() string {
		if rng.IntN(2) == 0 {
			return "\r\n"
		}
		return "\n"
	}
	for j := range ncols {
		if j > 0 {
			b.WriteByte(delim)
		}
		fmt.Fprintf(&b, "c%d", j)
	}
	b.WriteString(eol())
	// Each column draws from a few cell kinds, so that many columns end up
	// numeric and some turn into strings late.
	pools := make([][]string, ncols)
	for j := range pools {
		for range 1 + rng.IntN(3) {
			pools[j] = append(pools[j], randomCells[rng.IntN(len(randomCells))])
		}
	}
	rows := 1 + rng.IntN(60)
	for i := range rows {
		for j := range ncols {
			if j > 0 {
				b.WriteByte(delim)
			}
			p := pools[j]
			c := p[0]
			if i > rows/2 || rng.IntN(8) == 0 {
				c = p[rng.IntN(len(p))]
			}
			if ncols == 1 && (c == "" || c == " " || c == "\t") {
				c = "\"\""
			}
			b.WriteString(c)
		}
		if i < rows-1 || rng.IntN(2) == 0 {
			b.WriteString(eol())
		}
		if rng.IntN(20) == 0 {
			b.WriteString(eol())
		}
	}
	return b.String()
}

// TestReadRandom compares ReadFile with refRead on random files, for
// several block sizes.
func TestReadRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 400 {
		delim := byte(',')
		if iter%3 == 0 {
			delim = ';'
		}
		in := randomCSV(rng, delim)
		if strings.Contains(in, "\t") && delim == ',' && strings.Count(in[:strings.IndexByte(in, '\n')], "\t") > 0 {
			continue
		}
		want := refRead(in, delim)
		if want == nil {
			t.Fatalf("reference rejects %q", in)
		}
		for _, size := range []int{0, 1, 16, 100} {
			res, err := readString(t, in, Options{chunkSize: size, Delimiter: rune(delim)})
			if err != nil {
				t.Fatalf("%q (chunk %d): %v", in, size, err)
			}
			if got := renderTable(res.Table); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q (chunk %d):\n got %q\nwant %q", in, size, got, want)
			}
		}
	}
}
