package stats

// Reference values: testdata/numeric_fixtures.json, generated with pandas
// 1.5.3 (DataFrame.corr() and .corr(method="spearman")) by
//
//	cd /work/main && /usr/bin/python3 internal/stats/testdata/gen_fixtures.py

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// corrTol is the absolute tolerance on correlation coefficients.
const corrTol = 1e-12

func TestCorrPandasFixtures(t *testing.T) {
	for _, fx := range loadNumericFixtures(t) {
		cols := fixtureColumns(t, fx.Name, fx.Columns)
		for _, method := range []string{"pearson", "spearman"} {
			want := fx.Pearson
			if method == "spearman" {
				want = fx.Spearman
			}
			r, n, err := Corr(cols, method)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := range fx.Columns {
				for j := range fx.Columns {
					w := float64(want[i][j])
					if !sameFloat(r[i][j], w, corrTol, false) {
						t.Errorf("%s %s r[%s][%s] = %.17g, pandas %.17g", fx.Name, method, fx.Columns[i], fx.Columns[j], r[i][j], w)
					}
					if d := math.Abs(r[i][j] - w); d > worst {
						worst = d
					}
					if n[i][j] != fx.N[i][j] {
						t.Errorf("%s n[%s][%s] = %d, want %d", fx.Name, fx.Columns[i], fx.Columns[j], n[i][j], fx.N[i][j])
					}
				}
			}
			t.Logf("%s %s: max |r - pandas| = %.3g", fx.Name, method, worst)
		}
	}
}

// TestCorrSeedTable checks the published values of the seed table (not
// churned Maven customers, Total Revenue truncated to int).
func TestCorrSeedTable(t *testing.T) {
	names := []string{"Age", "Number of Dependents", "Zip Code", "Number of Referrals", "Tenure in Months", "Total Revenue"}
	cols := fixtureColumns(t, "seed", names)
	r, n, err := Corr(cols, "pearson")
	if err != nil {
		t.Fatal(err)
	}
	const age, dep, ref, ten, rev = 0, 1, 3, 4, 5
	for _, tc := range []struct {
		i, j int
		want float64
	}{
		{ten, rev, 0.825361},
		{ref, ten, 0.263234},
		{dep, ref, 0.244435},
		{ref, rev, 0.219543},
		{age, dep, -0.108764},
	} {
		if got := math.Round(r[tc.i][tc.j]*1e6) / 1e6; got != tc.want {
			t.Errorf("r[%s][%s] = %.6f, want %.6f", names[tc.i], names[tc.j], r[tc.i][tc.j], tc.want)
		}
		if n[tc.i][tc.j] != 5174 {
			t.Errorf("n[%s][%s] = %d, want 5174", names[tc.i], names[tc.j], n[tc.i][tc.j])
		}
	}
}

func TestCorrSmall(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	for _, tc := range []struct {
		name   string
		method string
		cols   [][]float64
		want   [][]float64
		wantN  [][]int
	}{
		{
			// pd.DataFrame({'a':[1,2,3,4],'b':[2,4,6,9]}).corr()
			name: "pearson", method: "pearson",
			cols:  [][]float64{{1, 2, 3, 4}, {2, 4, 6, 9}},
			want:  [][]float64{{1, 0.9943767126843689}, {0.9943767126843689, 1}},
			wantN: [][]int{{4, 4}, {4, 4}},
		},
		{
			// Pairwise-complete rows; Inf is missing as in pandas' isfinite mask.
			// pd.DataFrame({'a':[1,2,nan,4,5],'b':[2,1,3,inf,7]}).replace(inf,nan).corr()
			name: "pairwise", method: "pearson",
			cols:  [][]float64{{1, 2, nan, 4, 5}, {2, 1, 3, inf, 7}},
			want:  [][]float64{{1, 0.9215506405654281}, {0.9215506405654281, 1}},
			wantN: [][]int{{4, 3}, {3, 4}},
		},
		{
			// pd.DataFrame({'a':[1,1,1],'b':[1,2,3],'c':[nan,nan,5]}).corr()
			name: "constant and too short", method: "pearson",
			cols:  [][]float64{{1, 1, 1}, {1, 2, 3}, {nan, nan, 5}},
			want:  [][]float64{{nan, nan, nan}, {nan, 1, nan}, {nan, nan, nan}},
			wantN: [][]int{{3, 3, 1}, {3, 3, 1}, {1, 1, 1}},
		},
		{
			// Constant only over the complete pairs.
			// pd.DataFrame({'a':[1,1,2],'b':[5,6,nan]}).corr('spearman')
			name: "constant over pairs", method: "spearman",
			cols:  [][]float64{{1, 1, 2}, {5, 6, nan}},
			want:  [][]float64{{1, nan}, {nan, 1}},
			wantN: [][]int{{3, 2}, {2, 2}},
		},
		{
			// pd.DataFrame({'a':[1,2,2,4,5],'b':[5,3,3,1,2]}).corr('spearman')
			name: "spearman ties", method: "spearman",
			cols:  [][]float64{{1, 2, 2, 4, 5}, {5, 3, 3, 1, 2}},
			want:  [][]float64{{1, -0.8947368421052632}, {-0.8947368421052632, 1}},
			wantN: [][]int{{5, 5}, {5, 5}},
		},
		{
			// Re-ranking within the pair: ranks of a over rows 0,1,3.
			// pd.DataFrame({'a':[10,20,30,40],'b':[3,1,nan,2]}).corr('spearman')
			name: "spearman rerank", method: "spearman",
			cols:  [][]float64{{10, 20, 30, 40}, {3, 1, nan, 2}},
			want:  [][]float64{{1, -0.5}, {-0.5, 1}},
			wantN: [][]int{{4, 3}, {3, 3}},
		},
		{name: "no columns", method: "pearson", cols: nil, want: [][]float64{}, wantN: [][]int{}},
	} {
		r, n, err := Corr(tc.cols, tc.method)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(r) != len(tc.want) {
			t.Fatalf("%s: %d rows, want %d", tc.name, len(r), len(tc.want))
		}
		for i := range tc.want {
			for j := range tc.want[i] {
				if !sameFloat(r[i][j], tc.want[i][j], corrTol, false) || n[i][j] != tc.wantN[i][j] {
					t.Errorf("%s: r=%v n=%v, want %v %v", tc.name, r, n, tc.want, tc.wantN)
				}
			}
		}
	}
}

func TestCorrErrors(t *testing.T) {
	if _, _, err := Corr([][]float64{{1, 2}, {1}}, "pearson"); err == nil {
		t.Error("no error for unequal column lengths")
	}
	if _, _, err := Corr([][]float64{{1, 2}}, "kendall"); err == nil {
		t.Error("no error for unknown method")
	}
}

// randomColumns returns k columns of n rows, correlated, with ties, and
// with missing values in the columns listed in holes.
func randomColumns(k, n int, seed uint64, holes ...int) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 99))
	cols := make([][]float64, k)
	base := make([]float64, n)
	for i := range base {
		base[i] = rng.NormFloat64()
	}
	for c := range cols {
		cols[c] = make([]float64, n)
		for i := range n {
			v := float64(c%3)*base[i] + rng.NormFloat64()
			if c%4 == 3 {
				v = math.Round(v * 2) // ties
			}
			cols[c][i] = 1000*float64(c) + v
		}
	}
	for _, c := range holes {
		for i := range n {
			if rng.IntN(10) == 0 {
				cols[c][i] = math.NaN()
			}
		}
	}
	return cols
}

// naiveCorr is a direct transcription of pandas' nancorr (Welford) for
// one pair; Spearman uses rank data computed independently.
func naivePearson(x, y []float64) float64 {
	var nobs, mx, my, sxx, syy, sxy float64
	for i := range x {
		if !isFinite(x[i]) || !isFinite(y[i]) {
			continue
		}
		nobs++
		dx, dy := x[i]-mx, y[i]-my
		mx += dx / nobs
		my += dy / nobs
		sxx += (x[i] - mx) * dx
		syy += (y[i] - my) * dy
		sxy += (x[i] - mx) * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

func naiveRanks(x []float64) []float64 {
	r := make([]float64, len(x))
	for i := range x {
		less, eq := 0, 0
		for j := range x {
			if x[j] < x[i] {
				less++
			} else if x[j] == x[i] {
				eq++
			}
		}
		r[i] = float64(less) + float64(eq+1)/2
	}
	return r
}

func TestCorrAgainstNaive(t *testing.T) {
	cols := randomColumns(6, 800, 5, 1, 2, 4)
	for _, method := range []string{"pearson", "spearman"} {
		r, _, err := Corr(cols, method)
		if err != nil {
			t.Fatal(err)
		}
		for i := range cols {
			for j := range cols {
				if i == j {
					continue
				}
				var px, py []float64
				for row := range cols[i] {
					if isFinite(cols[i][row]) && isFinite(cols[j][row]) {
						px = append(px, cols[i][row])
						py = append(py, cols[j][row])
					}
				}
				if method == "spearman" {
					px, py = naiveRanks(px), naiveRanks(py)
				}
				if want := naivePearson(px, py); !sameFloat(r[i][j], want, corrTol, false) {
					t.Errorf("%s r[%d][%d] = %.17g, naive %.17g", method, i, j, r[i][j], want)
				}
			}
		}
	}
}

func TestCorrDeterministicAcrossGOMAXPROCS(t *testing.T) {
	cols := randomColumns(7, 20_000, 11, 2, 5)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, method := range []string{"pearson", "spearman"} {
		runtime.GOMAXPROCS(1)
		r1, n1, _ := Corr(cols, method)
		runtime.GOMAXPROCS(4)
		r4, n4, _ := Corr(cols, method)
		for i := range r1 {
			for j := range r1[i] {
				if math.Float64bits(r1[i][j]) != math.Float64bits(r4[i][j]) || n1[i][j] != n4[i][j] {
					t.Fatalf("%s: result depends on GOMAXPROCS at [%d][%d]", method, i, j)
				}
			}
		}
	}
}

func TestCorrDoesNotMutate(t *testing.T) {
	cols := randomColumns(4, 2000, 3, 1)
	orig := make([][]float64, len(cols))
	for i := range cols {
		orig[i] = slices.Clone(cols[i])
	}
	for _, method := range []string{"pearson", "spearman"} {
		if _, _, err := Corr(cols, method); err != nil {
			t.Fatal(err)
		}
	}
	for i := range cols {
		for j := range cols[i] {
			if math.Float64bits(cols[i][j]) != math.Float64bits(orig[i][j]) {
				t.Fatalf("Corr modified column %d row %d", i, j)
			}
		}
	}
}
