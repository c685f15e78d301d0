package frame_test

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

const mavenPath = "../../../shared/datasets/telecom_customer_churn.csv"

// maven reads the Maven churn table, skipping the test when it is absent.
func maven(t *testing.T) *frame.Table {
	t.Helper()
	if _, err := os.Stat(mavenPath); err != nil {
		t.Skipf("Maven churn table not found at %s", mavenPath)
	}
	res, err := csvio.ReadFile(context.Background(), mavenPath, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Table
}

// checkCells compares a table with a gota DataFrame cell by cell: names,
// types, NA ⇔ missing, and values exactly (floats by bits).
func checkCells(t *testing.T, tb *frame.Table, df dataframe.DataFrame) {
	t.Helper()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if r, c := df.Dims(); r != tb.NumRows() || c != tb.NumCols() {
		t.Fatalf("dims %d×%d, table %d×%d", r, c, tb.NumRows(), tb.NumCols())
	}
	types := df.Types()
	for j, c := range tb.Columns() {
		if df.Names()[j] != c.Name || types[j] != frame.SeriesType(c.Kind) {
			t.Fatalf("column %d: %q %s, table %q %s", j, df.Names()[j], types[j], c.Name, c.Kind)
		}
		bad := 0
		for i := range c.Len() {
			e := df.Elem(i, j)
			ok := e.IsNA() == c.IsMissing(i)
			if ok && !e.IsNA() {
				switch c.Kind {
				case frame.Float:
					ok = math.Float64bits(e.Float()) == math.Float64bits(c.Floats[i])
				case frame.Int:
					v, err := e.Int()
					ok = err == nil && int64(v) == c.Int(i)
				case frame.Bool:
					v, err := e.Bool()
					ok = err == nil && v == c.Bools[i]
				default:
					ok = e.String() == c.Format(i)
				}
			}
			if !ok && bad < 5 {
				t.Errorf("column %q row %d: gota %q (NA %v), table %q (missing %v)", c.Name, i+1, e.String(), e.IsNA(), c.Format(i), c.IsMissing(i))
				bad++
			}
		}
	}
}

// TestDataFrameMaven: the Maven table → gota → table keeps every cell, type
// and missing value, and gota's view of it equals the table's.
func TestDataFrameMaven(t *testing.T) {
	tb := maven(t)
	kinds := map[frame.Kind]int{}
	intMissing := 0
	for _, c := range tb.Columns() {
		kinds[c.Kind]++
		if c.Kind == frame.Int && c.Missing != nil {
			intMissing++
		}
	}
	// The table exercises every kind but bool, and ints with missing values.
	if kinds[frame.Float] == 0 || kinds[frame.Int] == 0 || kinds[frame.String] == 0 || intMissing == 0 {
		t.Fatalf("the Maven table no longer covers the cases: kinds %v, int columns with missing values %d", kinds, intMissing)
	}
	df := tb.DataFrame()
	checkCells(t, tb, df)
	back, err := frame.FromDataFrame(df)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(back, tb); err != nil {
		t.Error(err)
	}
	// And once more from gota's side: the DataFrame made from the table
	// made from the DataFrame is the same DataFrame.
	checkCells(t, back, back.DataFrame())
}

// edge holds the cells gota's own constructors get wrong or that sit at the
// limits of each type.
func edge(t *testing.T) *frame.Table {
	t.Helper()
	tb, err := frame.New(
		frame.NewString("s", []string{"NaN", "", "x", "NaN", "nan", " NaN ", "1.5"}, []bool{false, false, false, false, false, false, true}),
		frame.NewFloat("f", []float64{0.1234567891, 0.1234567892, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 5e-324, math.NaN()}, nil),
		frame.NewInt("i", []int64{math.MaxInt64, math.MinInt64, 0, -1, 7, 0, 3}, []bool{false, false, true, false, false, true, false}),
		frame.NewBool("b", []bool{true, false, false, true, false, true, false}, []bool{false, false, true, false, false, false, false}),
		frame.NewString("allmissing", make([]string, 7), []bool{true, true, true, true, true, true, true}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestDataFrameEdgeCells(t *testing.T) {
	tb := edge(t)
	df := tb.DataFrame()
	checkCells(t, tb, df)
	if e := df.Elem(0, 0); e.IsNA() || e.String() != "NaN" {
		t.Errorf(`the text "NaN" became NA in gota`)
	}
	back, err := frame.FromDataFrame(df)
	if err != nil {
		t.Fatal(err)
	}
	if err := frame.Equal(back, tb); err != nil {
		t.Error(err)
	}
	// A gota DataFrame that went through its own row and column
	// operations converts as well.
	sub := df.Subset([]int{6, 0, 3}).Select([]string{"i", "s", "f"})
	got, err := frame.FromDataFrame(sub)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := tb.Take([]int{6, 0, 3}).Select("i", "s", "f")
	if err := frame.Equal(got, want); err != nil {
		t.Error(err)
	}
}

func TestDataFrameEmpty(t *testing.T) {
	tb, _ := frame.New(frame.NewFloat("x", nil, nil), frame.NewString("s", nil, nil))
	back, err := frame.FromDataFrame(tb.DataFrame())
	if err != nil || back.NumRows() != 0 || back.NumCols() != 2 || back.Col("s").Kind != frame.String {
		t.Errorf("zero rows: %v, %v", back, err)
	}
	none, _ := frame.New()
	if df := none.DataFrame(); df.Err == nil {
		t.Error("a table without columns must give a DataFrame with Err set")
	}
	if _, err := frame.FromDataFrame(dataframe.DataFrame{Err: os.ErrInvalid}); err == nil {
		t.Error("FromDataFrame must report df.Err")
	}
}

func TestFromSeries(t *testing.T) {
	s := series.New([]string{"a", "", "b"}, series.String, "name")
	s.Elem(2).Set(nil)
	s.Elem(0).Set(frame.TextElement("NaN"))
	c, err := frame.FromSeries(s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "name" || c.Kind != frame.String || c.Str(0) != "NaN" || c.IsMissing(0) || c.IsMissing(1) || c.Str(1) != "" || !c.IsMissing(2) {
		t.Errorf("string series: %+v", c)
	}
	n := series.New([]int{1, 2, 3}, series.Int, "n")
	n.Elem(1).Set(nil)
	c, err = frame.FromSeries(n)
	if err != nil || c.Kind != frame.Int || !c.IsMissing(1) || c.Int(2) != 3 {
		t.Errorf("int series with NA: %+v %v", c, err)
	}
	if _, err := frame.FromSeries(series.Series{Name: "zero"}); err == nil {
		t.Error("a zero Series must be an error")
	}
	if _, err := frame.FromSeries(series.Series{Name: "bad", Err: os.ErrInvalid}); err == nil {
		t.Error("a Series with Err must be an error")
	}
}

func TestFromDataFrameColumn(t *testing.T) {
	tb := edge(t)
	df := tb.DataFrame()
	c, err := frame.FromDataFrameColumn(df, "i")
	if err != nil {
		t.Fatal(err)
	}
	one, _ := frame.New(c)
	want, _ := tb.Select("i")
	if err := frame.Equal(one, want); err != nil {
		t.Error(err)
	}
	if _, err := frame.FromDataFrameColumn(df, "ii"); err == nil || err.Error() != `unknown column "ii" (did you mean "i"?)` {
		t.Errorf("unknown column: %v", err)
	}
}

func TestKinds(t *testing.T) {
	for _, k := range []frame.Kind{frame.Bool, frame.Int, frame.Float, frame.String} {
		if got, err := frame.KindOf(frame.SeriesType(k)); err != nil || got != k {
			t.Errorf("%s → %s → %s (%v)", k, frame.SeriesType(k), got, err)
		}
	}
	if _, err := frame.KindOf("complex"); err == nil {
		t.Error("unknown gota type accepted")
	}
}

func TestEqual(t *testing.T) {
	a := edge(t)
	if err := frame.Equal(a, a); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		b    *frame.Column
		want string
	}{
		{frame.NewFloat("f", []float64{0.1234567891, 0.1234567892, 0, math.Inf(1), math.Inf(-1), 5e-324, math.NaN()}, nil), `column "f" row 3: -0, want 0`},
		{frame.NewInt("i", []int64{math.MaxInt64, math.MinInt64, 0, -1, 7, 0, 3}, nil), `column "i" row 3: missing, want "0"`},
		{frame.NewFloat("i", make([]float64, 7), nil), `column "i" is int, want float`},
	} {
		b, err := a.With(tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if err := frame.Equal(a, b); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
	short, _ := a.Select("s", "f")
	if err := frame.Equal(a, short); err == nil {
		t.Error("different columns compare equal")
	}
}

// TestMissingStrings: a DataFrame read by gota's ReadCSV keeps blank cells
// as values; MissingStrings applies segment's CSV rule to the converted
// table.
func TestMissingStrings(t *testing.T) {
	df := dataframe.ReadCSV(strings.NewReader("id,s,n\n1,,1\n2, \t,2\n3,NA,3\n4, NA ,4\n5,x,5\n6,NaN,6\n"),
		dataframe.DetectTypes(false), dataframe.DefaultType(series.String))
	tb, err := frame.FromDataFrame(df)
	if err != nil {
		t.Fatal(err)
	}
	// gota's ReadCSV reads "NA" and "NaN" as NA, but neither blank cells nor
	// " NA ".
	if s := tb.Col("s"); s.NumMissing() != 2 || !s.IsMissing(2) || !s.IsMissing(5) {
		t.Fatalf("gota read %d missing cells", s.NumMissing())
	}
	got := tb.MissingStrings([]string{" NA"})
	s := got.Col("s")
	for i, want := range []bool{true, true, true, true, false, true} {
		if s.IsMissing(i) != want {
			t.Errorf("row %d %q: missing %v, want %v", i+1, tb.Col("s").Str(i), s.IsMissing(i), want)
		}
	}
	if got.Col("id") != tb.Col("id") || got.NumRows() != 6 || tb.Col("s").NumMissing() != 2 {
		t.Error("unchanged columns must be shared and the input left alone")
	}
}
