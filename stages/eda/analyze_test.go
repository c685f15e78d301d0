package eda

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

const tol = 1e-12

// smallTable has one column of every kind and every alert's trigger:
//
//	id      string, unique
//	Plan    string, constant "Gold"
//	Flag    bool, 3 of 10 true
//	Score   int 1…10
//	Double  float = 2·Score + tiny noise  (near-duplicate of Score)
//	Spend   float, 4 of 10 missing      (high missing share)
//	Fixed   int, constant 7             (left out of the correlation)
//	Note    string, 10 distinct          (high cardinality with min_distinct 5)
func smallTable(t *testing.T) *frame.Table {
	t.Helper()
	ids := make([]string, 10)
	notes := make([]string, 10)
	score := make([]int64, 10)
	double := make([]float64, 10)
	fixed := make([]int64, 10)
	plan := make([]string, 10)
	flag := make([]bool, 10)
	for i := range 10 {
		ids[i] = fmt.Sprintf("C%02d", i)
		notes[i] = fmt.Sprintf("note %d", i)
		score[i] = int64(i + 1)
		double[i] = 2*float64(i+1) + 0.01*float64(i%3)
		fixed[i] = 7
		plan[i] = "Gold"
		flag[i] = i%3 == 0 && i < 9
	}
	nan := math.NaN()
	spend := []float64{10, nan, 30, 5, nan, 60, nan, 20, nan, 100}
	tab, err := frame.New(
		frame.NewString("id", ids, nil),
		frame.NewString("Plan", plan, nil),
		frame.NewBool("Flag", flag, nil),
		frame.NewInt("Score", score, nil),
		frame.NewFloat("Double", double, nil),
		frame.NewFloat("Spend", spend, nil),
		frame.NewInt("Fixed", fixed, nil),
		frame.NewString("Note", notes, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestSummarize(t *testing.T) {
	tab := smallTable(t)
	sum, err := Summarize(context.Background(), tab, "id")
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(sum, func(s result.ColumnSummary) string { return s.Column + ":" + s.Type + ":" + s.Role }); !slices.Equal(got,
		[]string{"id:string:id", "Plan:string:", "Flag:bool:", "Score:int:", "Double:float:", "Spend:float:", "Fixed:int:", "Note:string:"}) {
		t.Fatalf("columns %q", got)
	}
	id := sum[0]
	if id.Count != 10 || id.Distinct != 10 || id.Top != "" || id.IsNumeric() {
		t.Errorf("id summary %+v", id)
	}
	if p := sum[1]; p.Count != 10 || p.Distinct != 1 || p.Top != "Gold" || p.Freq != 10 {
		t.Errorf("Plan summary %+v", p)
	}
	// Bool as 0/1: 3 of 10 true. pandas: Series([1,0,0,1,0,0,1,0,0,0]).describe()
	if f := sum[2]; !f.IsNumeric() || f.Mean != 0.3 || f.Min != 0 || f.Max != 1 || f.Q75 != 0.75 || f.Distinct != 2 {
		t.Errorf("Flag summary %+v", f)
	}
	// Score 1…10: mean 5.5, std sqrt(55/6), quartiles 3.25, 5.5, 7.75.
	s := sum[3]
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"mean", s.Mean, 5.5}, {"std", s.Std, math.Sqrt(55.0 / 6)}, {"min", s.Min, 1}, {"25%", s.Q25, 3.25},
		{"50%", s.Q50, 5.5}, {"75%", s.Q75, 7.75}, {"max", s.Max, 10}} {
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("Score %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if sp := sum[5]; sp.Count != 6 || sp.Missing != 4 || sp.MissingShare != 0.4 || sp.Q50 != 25 {
		t.Errorf("Spend summary %+v", sp)
	}
	if n := sum[7]; n.Distinct != 10 || n.Top != "note 0" || n.Freq != 1 {
		t.Errorf("Note summary %+v", n)
	}
}

func TestCorrColumnsAndExclusion(t *testing.T) {
	tab := smallTable(t)
	names, err := CorrColumns(tab, nil, "id")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Flag", "Score", "Double", "Spend", "Fixed"}; !slices.Equal(names, want) {
		t.Fatalf("default columns %q, want %q", names, want)
	}
	corr, err := Correlate(tab, names, "pearson")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Flag", "Score", "Double", "Spend"}; !slices.Equal(corr.Columns, want) {
		t.Errorf("correlated %q, want %q", corr.Columns, want)
	}
	if len(corr.Excluded) != 1 || corr.Excluded[0] != (result.ExcludedColumn{Column: "Fixed", Reason: "constant (every value is 7)"}) {
		t.Errorf("excluded %+v", corr.Excluded)
	}
	// Score–Spend over the 6 rows where Spend is present.
	r, n, ok := corr.At("Score", "Spend")
	if !ok || n != 6 {
		t.Fatalf("Score–Spend n = %d", n)
	}
	// /usr/bin/python3 -c 'import numpy as np; print(repr(np.corrcoef([1,3,4,6,8,10], [10,30,5,60,20,100])[0,1]))'
	const want = 0.728784195181118
	if math.Abs(r-want) > tol {
		t.Errorf("Score–Spend r = %.17g, want %.17g", r, want)
	}

	if _, err := CorrColumns(tab, []string{"Score", "Note"}, "id"); err == nil || !strings.Contains(err.Error(), `column "Note" holds text`) {
		t.Errorf("string column: %v", err)
	}
	if _, err := CorrColumns(tab, []string{"Score", "Nope"}, "id"); err == nil || !strings.Contains(err.Error(), `"Nope"`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := Correlate(tab, []string{"Score", "Fixed"}, "pearson"); err == nil ||
		!strings.Contains(err.Error(), `1 of 2 qualify; "Fixed" is constant (every value is 7)`) {
		t.Errorf("one column left: %v", err)
	}
}

func TestAlerts(t *testing.T) {
	tab := smallTable(t)
	cfg := NewConfig().(*Config)
	cfg.Alerts.HighCardinality.MinDistinct = 5
	a, err := Analyze(context.Background(), tab, "id", cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := texts(a.Result.Alerts, func(x result.Alert) string { return x.Kind + ": " + x.Text })
	want := []string{
		`constant: Plan is constant (every value is "Gold").`,
		`constant: Fixed is constant (every value is 7); it is left out of the correlation.`,
		`missing: Spend is missing in 4 of 10 rows (40.0%).`,
		`near_duplicate: Score and Double are near-duplicates (r = 1.00, n = 10); consider keeping only one of them.`,
		`high_cardinality: Note has 10 distinct values in 10 non-missing rows (100.0%); it behaves like an identifier or free text, not a category.`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("alerts:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if w := a.Warnings; len(w) != 1 || w[0] != `column "Fixed" is constant (every value is 7); left out of the correlation` {
		t.Errorf("warnings %q", w)
	}
	// The id column is never flagged for cardinality.
	for _, al := range a.Result.Alerts {
		if slices.Contains(al.Columns, "id") {
			t.Errorf("alert on the id: %s", al.Text)
		}
	}
}

func TestUndefinedPairAlert(t *testing.T) {
	nan := math.NaN()
	tab, err := frame.New(
		frame.NewFloat("x", []float64{1, 2, nan, nan, 5}, nil),
		frame.NewFloat("y", []float64{nan, nan, 3, 4, 1}, nil),
		frame.NewFloat("z", []float64{1, 3, 2, 5, 4}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(context.Background(), tab, "", NewConfig().(*Config))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, al := range a.Result.Alerts {
		if al.Kind == result.AlertUndefinedPair {
			got = append(got, al.Text)
		}
	}
	want := []string{"The correlation of x and y is undefined (n = 1): fewer than 2 rows have both values."}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q", got)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], `"x" and "y" is undefined (n = 1)`) {
		t.Errorf("warnings %q", a.Warnings)
	}
	if c := a.Heatmap.Cells[0][1]; c.Text != "n/a" {
		t.Errorf("NaN cell text %q", c.Text)
	}
	// NaN is null in eda.json (and the alert has no value).
	var b strings.Builder
	if err := writeJSON(&b, a.Result); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"r": [
      [
        1,
        null,`) || !strings.Contains(b.String(), `"count": 1,
      "value": null`) {
		t.Errorf("eda.json:\n%s", b.String())
	}
}

// Analyze does not modify the table, and gives the same result with one
// and with several threads.
func TestAnalyzeDeterministicAndPure(t *testing.T) {
	tab := smallTable(t)
	snapshot := func() []string {
		var out []string
		for _, c := range tab.Columns() {
			for i := range c.Len() {
				out = append(out, c.Format(i))
			}
			out = append(out, fmt.Sprint(c.Missing))
		}
		return out
	}
	before := snapshot()
	cfg := NewConfig().(*Config)
	run := func(procs int) string {
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		a, err := Analyze(context.Background(), tab, "id", cfg)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := writeJSON(&b, a.Result); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	one, many := run(1), run(4)
	if one != many {
		t.Errorf("GOMAXPROCS 1 and 4 differ")
	}
	if !slices.Equal(before, snapshot()) {
		t.Errorf("table modified")
	}
	// Numeric statistics for numeric columns only; NaN as null.
	if !strings.Contains(one, `"column": "Score",
      "type": "int",
      "count": 10,
      "missing": 0,
      "missing_share": 0,
      "distinct": 10,
      "mean": 5.5,`) || strings.Count(one, `"mean"`) != 5 {
		t.Errorf("eda.json summary:\n%s", one)
	}
}

func TestAnalyzeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, smallTable(t), "id", NewConfig().(*Config)); err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestTooFewNumericColumns(t *testing.T) {
	tab, err := frame.New(
		frame.NewString("id", []string{"a", "b"}, nil),
		frame.NewString("City", []string{"X", "Y"}, nil),
		frame.NewInt("Age", []int64{30, 40}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Analyze(context.Background(), tab, "id", NewConfig().(*Config))
	if err == nil || !strings.Contains(err.Error(), "correlation needs at least 2 numeric columns besides the id; the table has 1 (Age)") {
		t.Fatalf("got %v", err)
	}
}
