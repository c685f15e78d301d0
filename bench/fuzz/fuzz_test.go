// Package fuzz holds fuzz targets for packages whose own folders belong to
// other parts of the code (the model file, the expression compiler); the
// others sit beside their code (internal/confyaml, internal/csvio, stages).
// run.sh runs them all. It has no code but these tests.
package fuzz

import (
	"bytes"
	"context"
	"math"
	"os"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/rowexpr"
)

// FuzzModelParse: any bytes given as model.json are a model that passes
// its checks or an error naming the file — never a panic — and an accepted
// model writes out and reads back.
func FuzzModelParse(f *testing.F) {
	for _, p := range []string{"testdata/model.json"} { // a tiny run's model.json
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"schema_version": 1}`))
	f.Add([]byte(`{"schema_version": 1, "k": 2, "features": ["a"], "centers_scaled": [[0], [1]]}`))
	f.Add([]byte(`{"schema_version": "1"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := model.Parse("model.json", b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		var out bytes.Buffer
		if err := m.Write(&out); err != nil {
			return // e.g. a value JSON cannot hold; not a crash
		}
		if _, err := model.Parse("model.json", out.Bytes()); err != nil {
			t.Fatalf("an accepted model does not read back: %v\n%s", err, out.Bytes())
		}
	})
}

// fuzzTable has a column of each kind, with missing cells.
func fuzzTable() *frame.Table {
	nan := math.NaN()
	t, err := frame.New(
		frame.NewFloat("x", []float64{1.5, nan, -2, 0}, nil),
		frame.NewInt("n", []int64{1, 2, 3, 4}, []bool{false, true, false, false}),
		frame.NewInt("i", []int64{0, -1, 7, 1 << 40}, nil),
		frame.NewBool("b", []bool{true, false, true, false}, []bool{false, false, true, false}),
		frame.NewString("s", []string{"a", "", "Churned", "b c"}, []bool{false, true, false, false}),
		frame.NewString("Customer Status", []string{"Stayed", "Churned", "Joined", "x"}, nil),
	)
	if err != nil {
		panic(err)
	}
	return t
}

// FuzzRowexpr: any expression either compiles against the table's columns
// or is refused with an error; a compiled one filters and derives over
// every row (missing cells included) without a panic.
func FuzzRowexpr(f *testing.F) {
	for _, s := range []string{
		"x > 1", "n / i", "i % 0", "round(x, 2) + fill(n, 0)", "is_missing(s) or s contains 'a'",
		"`Customer Status` != \"Churned\"", "log(x) * sqrt(i)", "s matches '['", "b ? x : -x",
		"pow(x, i)", "i * i * i", "max(x, n, i)", "len(s) > 2", "int(x)", "[1,2][i]", "s[i]",
	} {
		f.Add(s)
	}
	t := fuzzTable()
	vars := rowexpr.VarsOf(t)
	f.Fuzz(func(tt *testing.T, src string) {
		p, err := rowexpr.Compile(src, vars)
		if err != nil {
			return
		}
		ctx := context.Background()
		if p.ResultKind() == frame.Bool {
			_, _ = p.Filter(ctx, t)
		}
		_, _ = p.Derive(ctx, t, "d")
	})
}
