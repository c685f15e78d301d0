package frame

import (
	"math"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// TestDataFrameRoundTrip: Table → gota → Table keeps values and missing cells.
func TestDataFrameRoundTrip(t *testing.T) {
	tb := sample(t)
	df := tb.DataFrame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if r, c := df.Dims(); r != 3 || c != 4 {
		t.Fatalf("dims %d×%d", r, c)
	}
	back, err := FromDataFrame(df)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range tb.Names() {
		a, b := tb.Col(name), back.Col(name)
		if a.Kind != b.Kind {
			t.Errorf("%s: kind %v → %v", name, a.Kind, b.Kind)
		}
		for i := 0; i < tb.NumRows(); i++ {
			if a.IsMissing(i) != b.IsMissing(i) || a.Str(i) != b.Str(i) {
				t.Errorf("%s row %d: %q/%v → %q/%v", name, i, a.Str(i), a.IsMissing(i), b.Str(i), b.IsMissing(i))
			}
		}
	}
}

// The tests below pin down the gota v0.12.0 behaviours that made segment
// keep its own table (see doc.go). If one starts failing, gota changed and
// the reasoning in doc.go and the README should be revisited.

func TestGotaPitfallMeanWithMissing(t *testing.T) {
	s := series.New([]float64{1, 2, math.NaN()}, series.Float, "x")
	if !math.IsNaN(s.Mean()) {
		t.Errorf("gota Mean with a missing value = %v; it used to be NaN", s.Mean())
	}
	x, _ := NewFloat("x", []float64{1, 2, math.NaN()}, nil).Float64s()
	sum, n := 0.0, 0
	for _, v := range x {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if sum/float64(n) != 1.5 {
		t.Error("non-missing mean")
	}
}

func TestGotaPitfallDescribeMedian(t *testing.T) {
	df := dataframe.New(series.New([]float64{1, 2, 3, math.NaN()}, series.Float, "x"))
	desc := df.Describe()
	var median float64
	for i, stat := range desc.Col("column").Records() {
		if stat == "median" {
			median = desc.Col("x").Elem(i).Float()
		}
	}
	// pandas: median of 1, 2, 3 (NaN skipped) is 2.
	if median == 2 {
		t.Errorf("gota Describe median with a missing value is now correct (%v)", median)
	}
}

func TestGotaPitfallFilterNotEqualDropsNA(t *testing.T) {
	s := series.New([]string{"Stayed", "Churned", "Joined"}, series.String, "status")
	s.Elem(2).Set(nil) // NA
	df := dataframe.New(s)
	got := df.Filter(dataframe.F{Colname: "status", Comparator: series.Neq, Comparando: "Churned"})
	// segment's rule is the same (a comparison with a missing value is false,
	// != included) but written down and applied to every operator; gota's
	// Filter does it silently.
	if got.Nrow() != 1 {
		t.Errorf("gota Filter(!=) kept %d rows; it used to drop the NA row and keep 1", got.Nrow())
	}
}

func TestGotaPitfallRecordsRoundFloats(t *testing.T) {
	df := dataframe.New(series.New([]float64{0.1234567891, 0.1234567892}, series.Float, "x"))
	recs := df.Records()
	if recs[1][0] != recs[2][0] {
		t.Errorf("gota Records no longer rounds floats: %q vs %q", recs[1][0], recs[2][0])
	}
}

func TestGotaPitfallReadCSVKeepsBlanksAndBOM(t *testing.T) {
	df := dataframe.ReadCSV(strings.NewReader("\ufeffid, Name\n1,\n2,x\n"))
	names := df.Names()
	if names[0] == "id" || names[1] == "Name" {
		t.Errorf("gota ReadCSV now strips the BOM or header spaces: %q", names)
	}
	if df.Col(names[1]).Elem(0).IsNA() {
		t.Error("gota ReadCSV now reads a blank string cell as NA")
	}
}

// The pitfalls below are the ones the clean stage's gota engine
// (stages/clean, engine: gota) corrects around; README's library section
// lists how.

func TestGotaPitfallNaNTextIsNA(t *testing.T) {
	s := series.New([]string{"NaN", "x"}, series.String, "s")
	if !s.Elem(0).IsNA() {
		t.Error(`gota no longer reads the string "NaN" as NA`)
	}
	// Setting from an element keeps the text (what TextElement relies on).
	s.Elem(0).Set(TextElement("NaN"))
	if s.Elem(0).IsNA() || s.Elem(0).String() != "NaN" {
		t.Error(`gota's Set(Element) no longer keeps the text "NaN"`)
	}
}

func TestGotaPitfallStringNABecomesText(t *testing.T) {
	s := series.New([]string{"a", "b"}, series.String, "s")
	s.Elem(1).Set(nil)
	// Re-typing a series, Map and Rapply all go through Set(Element), which
	// turns a string NA into the value "NaN".
	for name, got := range map[string]series.Series{
		"New(Series)": series.New(s, series.String, "s"),
		"Map":         s.Map(func(e series.Element) series.Element { return e }),
	} {
		if e := got.Elem(1); e.IsNA() || e.String() != "NaN" {
			t.Errorf("gota %s now keeps a string NA as NA", name)
		}
	}
	n := series.New([]int{1, 2}, series.Int, "n")
	n.Elem(1).Set(nil)
	if e := series.New(n, series.String, "n").Elem(1); e.IsNA() {
		t.Error("gota now keeps an int NA as NA when re-typed to string")
	}
}

func TestGotaPitfallConversions(t *testing.T) {
	f := series.New([]float64{1.5, 0.1234567891}, series.Float, "f")
	if got := series.New(f, series.String, "f").Records(); got[0] != "1.500000" || got[1] != "0.123457" {
		t.Errorf("gota float → string now gives %q", got)
	}
	s := series.New([]string{" 3", "3.7", "abc", "Inf"}, series.String, "s")
	i := series.New(s, series.Int, "s")
	if !i.Elem(0).IsNA() || !i.Elem(1).IsNA() || !i.Elem(2).IsNA() {
		t.Errorf("gota string → int now parses padded or decimal text, or rejects: %v", i.Records())
	}
	x := series.New(s, series.Float, "s")
	if !x.Elem(0).IsNA() || !x.Elem(2).IsNA() || !math.IsInf(x.Elem(3).Float(), 1) {
		t.Errorf("gota string → float changed: %v", x.Records())
	}
	b := series.New(series.New([]int{0, 1, 2}, series.Int, "n"), series.Bool, "n")
	if !b.Elem(2).IsNA() {
		t.Error("gota int → bool now maps 2 to a value; it used to give NA")
	}
}

func TestGotaPitfallMedianQuantileWithMissing(t *testing.T) {
	s := series.New([]float64{1, 2, 3, math.NaN()}, series.Float, "x")
	if m := s.Median(); m == 2 {
		t.Errorf("gota Median skips NA now (%v)", m)
	}
	// Without missing values the middle pair is averaged as (a+b)·0.5, as
	// pandas' median() does; pandas' quantile(0.5), which segment's fillna
	// median follows, interpolates: 1.05 vs 1.0499999999999998 for [0.2, 1.9]
	// (/usr/bin/python3, pandas 1.5.3).
	if m := series.New([]float64{0.2, 1.9}, series.Float, "x").Median(); m != 1.05 {
		t.Errorf("gota Median of [0.2, 1.9] is now %v; it used to be 1.05", m)
	}
	// Quantile: gonum's Empirical, not linear interpolation. Over 1..4 the
	// linear 0.5 quantile (numpy, pandas) is 2.5.
	q := series.New([]float64{1, 2, 3, 4}, series.Float, "x").Quantile(0.5)
	if q == 2.5 {
		t.Error("gota Quantile now interpolates linearly")
	}
}

func TestGotaPitfallCompareConvertsOperand(t *testing.T) {
	df := dataframe.New(series.New([]int{3, 4}, series.Int, "n"))
	got := df.Filter(dataframe.F{Colname: "n", Comparator: series.Greater, Comparando: 3.5})
	// 3.5 becomes the int 3: both rows would pass n > 3; only 4 > 3.5.
	if got.Nrow() != 1 {
		t.Errorf("gota Filter(n > 3.5) on ints kept %d rows; it used to truncate 3.5 to 3 and keep 1", got.Nrow())
	}
}

func TestGotaPitfallRenameSequential(t *testing.T) {
	df := dataframe.New(series.New([]int{1}, series.Int, "a"), series.New([]int{2}, series.Int, "b"))
	// Swapping a and b one Rename at a time cannot work: the first leaves
	// two columns named b (Rename does not check), the next copy renames
	// them b_0 and b_1, and the second Rename finds the first.
	got := df.Rename("b", "a").Rename("a", "b")
	if n := got.Names(); n[0] != "a" || n[1] != "b_1" {
		t.Errorf("gota Rename swap now gives %q; it used to give [a b_1]", n)
	}
}

func TestGotaPitfallCopies(t *testing.T) {
	df := dataframe.New(series.New([]int{1, 2}, series.Int, "a"))
	// Col returns a copy: setting it leaves the frame alone ...
	df.Col("a").Elem(0).Set(9)
	if df.Elem(0, 0).Float() != 1 {
		t.Error("gota Col no longer copies")
	}
	// ... but SetNames and Set change every DataFrame value sharing the
	// columns.
	alias := df
	if err := alias.SetNames("z"); err != nil || df.Names()[0] != "z" {
		t.Errorf("gota SetNames no longer changes shared frames: %q", df.Names())
	}
}

func TestGotaPitfallDuplicateNamesRenamed(t *testing.T) {
	df := dataframe.New(series.New([]int{1}, series.Int, "x"))
	got := df.CBind(dataframe.New(series.New([]int{2}, series.Int, "x")))
	if n := got.Names(); n[0] != "x_0" || n[1] != "x_1" {
		t.Errorf("gota CBind with a repeated name now gives %q; it used to rename to x_0, x_1", n)
	}
	if all := df.Drop([]string{"x"}); all.Err == nil {
		t.Error("gota now allows a DataFrame without columns")
	}
}

func TestGotaPitfallGroupBy(t *testing.T) {
	df := dataframe.New(series.New([]float64{0.1234567891, 0.1234567892}, series.Float, "x"))
	if g := df.GroupBy("x"); g.Err != nil || len(g.GetGroups()) != 1 {
		t.Error("gota GroupBy no longer merges floats equal to 6 decimals")
	}
	s := series.New([]string{"a", "b"}, series.String, "s")
	s.Elem(1).Set(nil)
	if g := dataframe.New(s).GroupBy("s"); g.Err == nil {
		t.Error("gota GroupBy now accepts NA keys")
	}
}
