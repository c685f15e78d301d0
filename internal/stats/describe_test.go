package stats

// Reference values: testdata/numeric_fixtures.json and
// testdata/quantile_fixtures.json, generated with pandas 1.5.3 / numpy 1.24.2 by
//
//	cd /work/main && /usr/bin/python3 internal/stats/testdata/gen_fixtures.py

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tol is the relative tolerance against pandas for describe statistics.
const tol = 1e-12

func TestDescribePandasFixtures(t *testing.T) {
	for _, fx := range loadNumericFixtures(t) {
		cols := fixtureColumns(t, fx.Name, fx.Columns)
		for i, name := range fx.Columns {
			want := fx.Describe[name]
			got := Describe(cols[i])
			if got.Count != want.Count || got.Missing != want.Missing || got.Distinct != want.Distinct {
				t.Errorf("%s/%s: count, missing, distinct = %d, %d, %d; pandas %d, %d, %d",
					fx.Name, name, got.Count, got.Missing, got.Distinct, want.Count, want.Missing, want.Distinct)
			}
			for _, c := range []struct {
				stat      string
				got, want float64
			}{
				{"mean", got.Mean, float64(want.Mean)},
				{"std", got.Std, float64(want.Std)},
				{"min", got.Min, float64(want.Min)},
				{"25%", got.Q25, float64(want.Q25)},
				{"50%", got.Q50, float64(want.Q50)},
				{"75%", got.Q75, float64(want.Q75)},
				{"max", got.Max, float64(want.Max)},
			} {
				if !sameFloat(c.got, c.want, tol, true) {
					t.Errorf("%s/%s %s = %.17g, pandas %.17g", fx.Name, name, c.stat, c.got, c.want)
				}
			}
		}
	}
}

func TestDescribeSmall(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	for _, tc := range []struct {
		name string
		x    []float64
		want Numeric
	}{
		{"empty", nil, Numeric{Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}},
		{"all missing", []float64{nan, nan}, Numeric{Missing: 2, Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}},
		{"one value", []float64{nan, 3.5}, Numeric{Count: 1, Missing: 1, Mean: 3.5, Std: nan, Min: 3.5, Q25: 3.5, Q50: 3.5, Q75: 3.5, Max: 3.5, Distinct: 1}},
		// pd.Series([1,2,3,4,None]).describe(): std 1.2909944487358056.
		{"1..4", []float64{4, nan, 2, 1, 3}, Numeric{Count: 4, Missing: 1, Mean: 2.5, Std: 1.2909944487358056, Min: 1, Q25: 1.75, Q50: 2.5, Q75: 3.25, Max: 4, Distinct: 4}},
		{"ties and signed zero", []float64{0, math.Copysign(0, -1), 2, 2}, Numeric{Count: 4, Mean: 1, Std: 1.1547005383792515, Min: 0, Q25: 0, Q50: 1, Q75: 2, Max: 2, Distinct: 2}},
		// pd.Series([1, np.inf]).describe(): inf is a value; numpy's lerp
		// gives inf for 25 % and inf - inf*0.5 = NaN for 50 % and 75 %.
		{"infinity", []float64{1, inf}, Numeric{Count: 2, Mean: inf, Std: nan, Min: 1, Q25: inf, Q50: nan, Q75: nan, Max: inf, Distinct: 2}},
	} {
		got := Describe(tc.x)
		if got.Count != tc.want.Count || got.Missing != tc.want.Missing || got.Distinct != tc.want.Distinct {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
		g := []float64{got.Mean, got.Std, got.Min, got.Q25, got.Q50, got.Q75, got.Max}
		w := []float64{tc.want.Mean, tc.want.Std, tc.want.Min, tc.want.Q25, tc.want.Q50, tc.want.Q75, tc.want.Max}
		for i := range g {
			if !sameFloat(g[i], w[i], tol, true) {
				t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestQuantileNumpyFixtures(t *testing.T) {
	var cases []struct {
		Sorted []float64
		Q      []float64
		Want   []float64
	}
	readJSON(t, "quantile_fixtures.json", &cases)
	if len(cases) == 0 {
		t.Fatal("no quantile fixtures")
	}
	for _, c := range cases {
		for i, q := range c.Q {
			// numpy's lerp formula is reproduced, so results are exact.
			if got := Quantile(c.Sorted, q); got != c.Want[i] {
				t.Errorf("Quantile(n=%d, %v) = %.17g, numpy %.17g", len(c.Sorted), q, got, c.Want[i])
			}
		}
	}
}

func TestQuantileBadInput(t *testing.T) {
	for _, tc := range []struct {
		x []float64
		q float64
	}{
		{nil, 0.5}, {[]float64{1, 2}, -0.1}, {[]float64{1, 2}, 1.1}, {[]float64{1, 2}, math.NaN()},
	} {
		if got := Quantile(tc.x, tc.q); !math.IsNaN(got) {
			t.Errorf("Quantile(%v, %v) = %v, want NaN", tc.x, tc.q, got)
		}
	}
}

func TestDescribeDoesNotMutate(t *testing.T) {
	x := []float64{3, math.NaN(), 1, 2, -1}
	for range 10 {
		x = append(x, x...)
	}
	orig := slices.Clone(x)
	Describe(x)
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(orig[i]) {
			t.Fatalf("Describe modified its input at %d", i)
		}
	}
}

// TestDescribeLargeMatchesComparisonSort checks the radix-sort path against
// a plain comparison sort.
func TestDescribeLargeMatchesComparisonSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 50_001)
	for i := range x {
		switch i % 10 {
		case 0:
			x[i] = math.NaN()
		case 1:
			x[i] = float64(rng.IntN(7)) - 3 // ties, zeros
		case 2:
			x[i] = math.Copysign(0, -1)
		default:
			x[i] = rng.NormFloat64() * 1e3
		}
	}
	got := Describe(x)
	var vals []float64
	for _, v := range x {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	distinct := len(slices.CompactFunc(slices.Clone(vals), func(a, b float64) bool { return a == b }))
	if got.Count != len(vals) || got.Missing != len(x)-len(vals) || got.Distinct != distinct {
		t.Errorf("counts %+v, want count %d distinct %d", got, len(vals), distinct)
	}
	for _, c := range []struct {
		q, got float64
	}{{0, got.Min}, {0.25, got.Q25}, {0.5, got.Q50}, {0.75, got.Q75}, {1, got.Max}} {
		if want := Quantile(vals, c.q); c.got != want {
			t.Errorf("q=%v: %v, want %v", c.q, c.got, want)
		}
	}
}

func TestSortFloat64s(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, radixMin - 1, radixMin, 10_000} {
		x := make([]float64, n)
		for i := range x {
			switch rng.IntN(6) {
			case 0:
				x[i] = math.Inf(2*rng.IntN(2) - 1)
			case 1:
				x[i] = math.Copysign(0, float64(2*rng.IntN(2)-1))
			case 2:
				x[i] = math.SmallestNonzeroFloat64 * float64(rng.IntN(5)-2)
			default:
				x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
			}
		}
		want := slices.Clone(x)
		slices.Sort(want)
		got := slices.Clone(x)
		sortFloat64s(got)
		if !slices.Equal(got, want) { // -0 == +0 here
			t.Errorf("n=%d: radix sort differs from slices.Sort", n)
		}
		s := sortFinite(x)
		if len(s.rows) != n-countInf(x) {
			t.Fatalf("n=%d: sortFinite kept %d rows", n, len(s.rows))
		}
		for i := 1; i < len(s.rows); i++ {
			a, b := x[s.rows[i-1]], x[s.rows[i]]
			if a > b || (a == b && s.rows[i-1] > s.rows[i]) {
				t.Fatalf("n=%d: sortFinite not a stable sort at %d", n, i)
			}
			if (s.keys[i-1] == s.keys[i]) != (a == b) {
				t.Fatalf("n=%d: key equality differs from value equality at %d", n, i)
			}
		}
	}
}

func countInf(x []float64) int {
	n := 0
	for _, v := range x {
		if math.IsInf(v, 0) {
			n++
		}
	}
	return n
}

func TestAverageRanks(t *testing.T) {
	// scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]) (method average).
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	want := []float64{4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8}
	if got := averageRanks(x); !slices.Equal(got, want) {
		t.Errorf("averageRanks = %v, want %v", got, want)
	}
	big := make([]float64, 3*radixMin)
	for i := range big {
		big[i] = float64(i % 3) // each value 512 times
	}
	r := averageRanks(big)
	for i, v := range r {
		if want := float64(i%3)*radixMin + (radixMin+1)/2.0; v != want {
			t.Fatalf("rank[%d] = %v, want %v", i, v, want)
		}
	}
}

// TestDescribeInts: DescribeInts gives Describe's statistics of the same
// values as floats, bit for bit: counted (small spans), sorted (wide
// spans), and through floats (sums beyond 2^53), with missing values.
func TestDescribeInts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []struct {
		name string
		gen  func() int64
		n    int
	}{
		{"ages", func() int64 { return 18 + r.Int64N(63) }, 10001},
		{"small negative", func() int64 { return r.Int64N(7) - 3 }, 513},
		{"one value", func() int64 { return 5 }, 100},
		{"single", func() int64 { return -9 }, 1},
		{"wide span", func() int64 { return r.Int64N(1<<40) - 1<<39 }, 5000},
		{"wide, short", func() int64 { return r.Int64N(1<<40) - 1<<39 }, 300},
		{"huge", func() int64 { return r.Int64() }, 2000},
		{"empty", func() int64 { return 0 }, 0},
	}
	for _, tc := range cases {
		for _, withMissing := range []bool{false, true} {
			x := make([]int64, tc.n)
			var missing []bool
			f := make([]float64, tc.n)
			if withMissing {
				missing = make([]bool, tc.n)
			}
			for i := range x {
				x[i] = tc.gen()
				f[i] = float64(x[i])
				if withMissing && r.IntN(5) == 0 {
					missing[i], x[i], f[i] = true, 0, math.NaN()
				}
			}
			want := Describe(f)
			for _, got := range []Numeric{DescribeInts(x, missing), describeNarrow(x, missing)} {
				if !sameNumeric(got, want) {
					t.Errorf("%s (missing %v): DescribeInts %+v\nDescribe     %+v", tc.name, withMissing, got, want)
				}
			}
		}
	}
}

// describeNarrow is DescribeInts on int16 storage when the values fit.
func describeNarrow(x []int64, missing []bool) Numeric {
	y := make([]int16, len(x))
	for i, v := range x {
		if v != int64(int16(v)) {
			return DescribeInts(x, missing)
		}
		y[i] = int16(v)
	}
	return DescribeInts(y, missing)
}

func sameNumeric(a, b Numeric) bool {
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return a.Count == b.Count && a.Missing == b.Missing && a.Distinct == b.Distinct &&
		same(a.Mean, b.Mean) && same(a.Std, b.Std) && same(a.Min, b.Min) && same(a.Q25, b.Q25) &&
		same(a.Q50, b.Q50) && same(a.Q75, b.Q75) && same(a.Max, b.Max)
}

// TestSortFloat64sLikeSlicesSort: the same slice as slices.Sort, bit for bit, with and
// without the values (-0, NaN) that make it fall back to slices.Sort.
func TestSortFloat64sLikeSlicesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 3, 511, 512, 5000} {
		for _, extra := range []float64{1, math.Copysign(0, -1), math.NaN(), math.Inf(-1)} {
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Round(r.NormFloat64()*100) / 4
				if i%97 == 0 {
					x[i] = extra
				}
			}
			want := slices.Clone(x)
			slices.Sort(want)
			got := slices.Clone(x)
			SortFloat64s(got)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Fatalf("n %d, extra %v: position %d is %v, slices.Sort gives %v", n, extra, i, got[i], want[i])
				}
			}
		}
	}
}

// TestDescribeIntegral: whole-number floats are described by counting,
// with the statistics of the sorting path bit for bit; -0, fractions and
// wide spans take the sorting path.
func TestDescribeIntegral(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, tc := range []struct {
		name string
		gen  func() float64
		fast bool
	}{
		{"tenure", func() float64 { return float64(1 + r.IntN(72)) }, true},
		{"negative", func() float64 { return float64(r.IntN(2001) - 1000) }, true},
		{"zip codes", func() float64 { return float64(90000 + r.IntN(6000)) }, true},
		{"large offset", func() float64 { return 1e12 + float64(r.IntN(50)) }, true},
		{"fractions", func() float64 { return float64(r.IntN(100)) / 4 }, false},
		{"wide", func() float64 { return float64(r.Int64N(1 << 40)) }, false},
		{"negative zero", func() float64 { return math.Copysign(0, float64(r.IntN(2)*2-1)) }, false},
	} {
		x := make([]float64, 3000)
		for i := range x {
			x[i] = tc.gen()
			if i%11 == 0 {
				x[i] = math.NaN()
			}
		}
		_, fast := describeIntegral(x)
		if fast != tc.fast {
			t.Errorf("%s: counting path %v, want %v", tc.name, fast, tc.fast)
		}
		if got, want := Describe(x), describeSorted(x); !sameNumeric(got, want) {
			t.Errorf("%s: %+v\nsorted: %+v", tc.name, got, want)
		}
	}
}
