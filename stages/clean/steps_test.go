package clean

// Reference values: testdata/reference.json, made with pandas 1.5.3 by
//   /usr/bin/python3 stages/clean/testdata/gen_reference.py > stages/clean/testdata/reference.json

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
)

const mavenPath = "../../../shared/datasets/telecom_customer_churn.csv"

type reference struct {
	FillnaGBMeanSum        float64          `json:"fillna_gb_mean_sum"`
	FillnaGBMedian         float64          `json:"fillna_gb_median"`
	FillnaLDMedianSum      float64          `json:"fillna_ld_median_sum"`
	FillnaInternetTypeMode string           `json:"fillna_internet_type_mode"`
	ClipLo                 float64          `json:"clip_mc_lo"`
	ClipHi                 float64          `json:"clip_mc_hi"`
	ClipSum                float64          `json:"clip_mc_sum"`
	CastRevenueIntSum      int64            `json:"cast_revenue_int_sum"`
	CastMonthlyIntSum      int64            `json:"cast_monthly_int_sum"`
	DropnaAll              int              `json:"dropna_all_rows"`
	DropnaSubset           int              `json:"dropna_subset_rows"`
	DropnaHowAll           int              `json:"dropna_how_all_rows"`
	DedupeCityContract     int              `json:"dedupe_city_contract_rows"`
	DedupeProjection       int              `json:"dedupe_projection_rows"`
	DedupeLastFirstIndex   int              `json:"dedupe_projection_last_first_index"`
	OnehotColumns          []string         `json:"onehot_columns"`
	OnehotSums             map[string]int64 `json:"onehot_sums"`
	OnehotDropFirst        []string         `json:"onehot_drop_first_columns"`
	FilterNePandas         int              `json:"filter_ne_pandas_rows"`
	FilterNeNonMissing     int              `json:"filter_ne_nonmissing_rows"`
}

func loadMaven(t testing.TB) (*frame.Table, reference) {
	t.Helper()
	if _, err := os.Stat(mavenPath); err != nil {
		t.Skipf("Maven churn table not found at %s", mavenPath)
	}
	res, err := csvio.ReadFile(context.Background(), mavenPath, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return res.Table, ref
}

func run(t *testing.T, tb *frame.Table, op Op) *frame.Table {
	t.Helper()
	var prog *rowexpr.Program
	if e, ok := op.(exprOp); ok {
		var err error
		if prog, err = rowexpr.Compile(e.expression(), rowexpr.VarsOf(tb)); err != nil {
			t.Fatal(err)
		}
	}
	out, err := op.Apply(context.Background(), tb, prog)
	if err != nil {
		t.Fatalf("%T: %v", op, err)
	}
	return out
}

func sum(t *testing.T, c *frame.Column) float64 {
	t.Helper()
	x, err := c.Float64s()
	if err != nil {
		t.Fatal(err)
	}
	s := 0.0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
		}
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestStepsMatchPandas(t *testing.T) {
	tb, ref := loadMaven(t)

	fill := run(t, tb, &Fillna{
		"Avg Monthly GB Download":           {Method: "mean"},
		"Avg Monthly Long Distance Charges": {Method: "median"},
		"Internet Type":                     {Method: "mode"},
	})
	if got := sum(t, fill.Col("Avg Monthly GB Download")); !near(got, ref.FillnaGBMeanSum) {
		t.Errorf("fillna mean: sum %v, pandas %v", got, ref.FillnaGBMeanSum)
	}
	if got := sum(t, fill.Col("Avg Monthly Long Distance Charges")); !near(got, ref.FillnaLDMedianSum) {
		t.Errorf("fillna median: sum %v, pandas %v", got, ref.FillnaLDMedianSum)
	}
	it := fill.Col("Internet Type")
	if it.NumMissing() != 0 || it.Str(2) != ref.FillnaInternetTypeMode && tb.Col("Internet Type").IsMissing(2) {
		t.Errorf("fillna mode: %d missing", it.NumMissing())
	}
	lo, hi := 0.01, 0.99
	clipped := run(t, tb, &Clip{"Monthly Charge": {LowerQuantile: &lo, UpperQuantile: &hi}})
	mc, _ := clipped.Col("Monthly Charge").Float64s()
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range mc {
		mn, mx = math.Min(mn, v), math.Max(mx, v)
	}
	if mn != ref.ClipLo || mx != ref.ClipHi || !near(sum(t, clipped.Col("Monthly Charge")), ref.ClipSum) {
		t.Errorf("clip: [%v, %v] sum %v; pandas [%v, %v] sum %v", mn, mx, sum(t, clipped.Col("Monthly Charge")), ref.ClipLo, ref.ClipHi, ref.ClipSum)
	}

	cast := run(t, tb, &Cast{"Total Revenue": "int", "Monthly Charge": "int"})
	for name, want := range map[string]int64{"Total Revenue": ref.CastRevenueIntSum, "Monthly Charge": ref.CastMonthlyIntSum} {
		c := cast.Col(name)
		var s int64
		for _, v := range c.Int64s() {
			s += v
		}
		if c.Kind != frame.Int || s != want {
			t.Errorf("cast %s: kind %v sum %d, pandas astype(int) %d", name, c.Kind, s, want)
		}
	}

	for _, tc := range []struct {
		d    Dropna
		want int
	}{
		{Dropna{How: "any"}, ref.DropnaAll},
		{Dropna{Columns: []string{"Internet Type", "Avg Monthly Long Distance Charges"}, How: "any"}, ref.DropnaSubset},
		{Dropna{Columns: []string{"Internet Type", "Multiple Lines"}, How: "all"}, ref.DropnaHowAll},
	} {
		d := tc.d
		if got := run(t, tb, &d).NumRows(); got != tc.want {
			t.Errorf("dropna %+v: %d rows, pandas %d", tc.d, got, tc.want)
		}
	}

	if got := run(t, tb, &Dedupe{Columns: []string{"City", "Contract"}, Keep: "first"}).NumRows(); got != ref.DedupeCityContract {
		t.Errorf("dedupe by keys: %d rows, pandas %d", got, ref.DedupeCityContract)
	}
	proj, _ := tb.Select("Gender", "Married", "Contract", "Number of Referrals")
	if got := run(t, proj, &Dedupe{Keep: "first"}).NumRows(); got != ref.DedupeProjection {
		t.Errorf("dedupe whole rows: %d rows, pandas %d", got, ref.DedupeProjection)
	}
	// keep: last keeps the last row of each group; rows stay in table order.
	last := run(t, proj.Take(seq(proj.NumRows())), &Dedupe{Keep: "last"})
	if last.NumRows() != ref.DedupeProjection {
		t.Errorf("dedupe keep last: %d rows", last.NumRows())
	}

	oh := run(t, tb, &Onehot{Columns: []string{"Contract", "Internet Type"}, PrefixSep: "_", MaxLevels: 50})
	names := oh.Names()
	if got := strings.Join(names[len(names)-len(ref.OnehotColumns):], "|"); got != strings.Join(ref.OnehotColumns, "|") {
		t.Errorf("onehot columns %s, pandas %s", got, strings.Join(ref.OnehotColumns, "|"))
	}
	for name, want := range ref.OnehotSums {
		if got := sum(t, oh.Col(name)); got != float64(want) {
			t.Errorf("onehot %s sum %v, pandas %d", name, got, want)
		}
	}
	oh1 := run(t, tb, &Onehot{Columns: []string{"Contract"}, DropFirst: true, PrefixSep: "_", MaxLevels: 50})
	n1 := oh1.Names()
	if got := strings.Join(n1[len(n1)-2:], "|"); got != strings.Join(ref.OnehotDropFirst, "|") || oh1.Has("Contract") {
		t.Errorf("onehot drop_first: %s", got)
	}

	// The documented difference from pandas: != with a missing value is false.
	f := Filter("`Internet Type` != \"DSL\"")
	if got := run(t, tb, &f).NumRows(); got != ref.FilterNeNonMissing {
		t.Errorf("filter !=: %d rows, want %d (pandas keeps the %d missing rows: %d)", got, ref.FilterNeNonMissing, ref.FilterNePandas-ref.FilterNeNonMissing, ref.FilterNePandas)
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestStepErrors(t *testing.T) {
	tb, _ := frame.New(
		frame.NewFloat("x", []float64{1.5, math.NaN()}, nil),
		frame.NewString("s", []string{"a", "b"}, nil),
	)
	for _, tc := range []struct {
		op   Op
		want string
	}{
		{&Cast{"x": "int"}, `cast "x" to int: 1 missing values (first at row 2); fill or drop them first`},
		{&Cast{"s": "float"}, `cast "s" to float: row 1 value "a" is not a number`},
		{&Fillna{"s": {Method: "mean"}}, `mean needs a numeric column`},
		{&Fillna{"x": {Value: "zero"}}, `cannot fill the float column with the text "zero"`},
		{&Clip{"s": {}}, `clip "s": the column holds strings`},
		{&Onehot{Columns: []string{"s"}, PrefixSep: "_", MaxLevels: 1}, `more than max_levels 1`},
	} {
		_, err := tc.op.Apply(context.Background(), tb, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: err %v, want %q", tc.op, err, tc.want)
		}
	}
}
