package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

// tricky is a CSV with a BOM, blank lines (LF and CRLF), CRLF line ends, a
// quoted field spanning lines, doubled quotes, text after a closing quote,
// an empty first field and a quote inside an unquoted field.
const tricky = "\xEF\xBB\xBFid,note,v\r\n" + // line 1: header
	"a,plain,1\r\n" + // line 2: row 0
	"\n" + // line 3: blank
	"b,\"two\nlines\",2\n" + // lines 4-5: row 1
	"\r\n" + // line 6: blank CRLF
	"c,\"say \"\"hi\"\"\",3\n" + // line 7: row 2
	",\"q\"tail,4\n" + // line 8: row 3
	"e,it\"s,5\n" + // line 9: row 4
	"f,\"a\n\nb\",6" // lines 10-12: row 5, no final line break

func TestRecordLines(t *testing.T) {
	lines, err := recordLines(strings.NewReader(tricky), ',')
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 4, 7, 8, 9, 10}
	if !slices.Equal(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
	if _, err := recordLines(strings.NewReader("a"), '"'); err == nil {
		t.Error("a quote delimiter was accepted")
	}
}

// TestRecordLinesMatchCSVIO: for every data row of the tricky file, csvio
// reports a bad cell in that row at the line RecordLines gives.
func TestRecordLinesMatchCSVIO(t *testing.T) {
	dir := t.TempDir()
	for _, delim := range []byte{',', ';', '\t'} {
		src := strings.ReplaceAll(tricky, ",", string(delim))
		base := filepath.Join(dir, fmt.Sprintf("ok-%d.csv", delim))
		if err := os.WriteFile(base, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		lines, err := RecordLines(base, delim)
		if err != nil {
			t.Fatal(err)
		}
		res, err := csvio.ReadFile(context.Background(), base, csvio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != res.Table.NumRows() {
			t.Fatalf("delim %q: %d lines for %d rows", delim, len(lines), res.Table.NumRows())
		}
		for r := range lines {
			// Break row r's value "v" (r+1) and let csvio locate it.
			bad := src
			for _, end := range []string{"\r\n", "\n"} {
				v := fmt.Sprintf("%c%d%s", delim, r+1, end)
				bad = strings.Replace(bad, v, fmt.Sprintf("%cx%s", delim, end), 1)
			}
			if last := fmt.Sprintf("%c%d", delim, r+1); bad == src && strings.HasSuffix(src, last) {
				bad = strings.TrimSuffix(src, last) + fmt.Sprintf("%cx", delim)
			}
			if bad == src {
				t.Fatalf("row %d: could not break the value", r)
			}
			path := filepath.Join(dir, fmt.Sprintf("bad-%d-%d.csv", delim, r))
			if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := csvio.ReadFile(context.Background(), path, csvio.Options{Types: map[string]frame.Kind{"v": frame.Int}})
			var ce *csvio.Error
			if !errors.As(err, &ce) {
				t.Fatalf("row %d: got %v", r, err)
			}
			if ce.Line != lines[r] {
				t.Errorf("delim %q row %d: csvio says line %d, RecordLines %d", delim, r, ce.Line, lines[r])
			}
		}
	}
}
