package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// realChurnPath is the real Maven file, relative to this package.
var realChurnPath = filepath.Join("..", "..", "..", "shared", "datasets", "telecom_customer_churn.csv")

// table is a parsed CSV: header plus records.
type table struct {
	header []string
	rows   [][]string
	index  map[string]int
}

func parseTable(t testing.TB, data []byte) *table {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(data))
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("generated CSV does not parse: %v", err)
	}
	tb := &table{header: recs[0], rows: recs[1:], index: map[string]int{}}
	for i, h := range tb.header {
		tb.index[h] = i
	}
	return tb
}

// col returns column name as strings.
func (tb *table) col(t testing.TB, name string) []string {
	t.Helper()
	j, ok := tb.index[name]
	if !ok {
		t.Fatalf("no column %q", name)
	}
	out := make([]string, len(tb.rows))
	for i, r := range tb.rows {
		out[i] = r[j]
	}
	return out
}

// floats parses column name; blanks become NaN.
func (tb *table) floats(t testing.TB, name string) []float64 {
	t.Helper()
	s := tb.col(t, name)
	out := make([]float64, len(s))
	for i, v := range s {
		if v == "" {
			out[i] = math.NaN()
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s row %d: %q is not a number", name, i+1, v)
		}
		out[i] = f
	}
	return out
}

// cents parses a money string ("65.6", "-4", "0.38") exactly into cents.
func cents(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, errors.New("more than 2 decimals")
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, err
	}
	c := 100*w + f
	if neg {
		c = -c
	}
	return c, nil
}

// pearson is the sample Pearson correlation of x and y (two-pass).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// readJSON loads a testdata fixture.
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// generate runs gen into memory.
func generate(t testing.TB, gen func(io.Writer, int, uint64) error, rows int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gen(&buf, rows, seed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// failWriter accepts n bytes, then fails.
type failWriter struct{ n int }

var errFail = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errFail
	}
	w.n -= len(p)
	return len(p), nil
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
