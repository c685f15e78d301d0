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
