package stats

// The fixtures in testdata were generated with pandas 1.5.3 and numpy 1.24.2:
//
//	cd /work/main && /usr/bin/python3 internal/stats/testdata/gen_fixtures.py

import (
	"math"
	"testing"
)

type numericFixture struct {
	Name     string
	Rows     int
	Columns  []string
	Describe map[string]struct {
		Count, Missing, Distinct           int
		Mean, Std, Min, Q25, Q50, Q75, Max jsonFloat
	}
	Pearson  [][]jsonFloat
	Spearman [][]jsonFloat
	N        [][]int
}

func loadNumericFixtures(t testing.TB) []numericFixture {
	var fx []numericFixture
	readJSON(t, "numeric_fixtures.json", &fx)
	if len(fx) != 3 {
		t.Fatalf("numeric fixtures: got %d datasets, want 3", len(fx))
	}
	return fx
}

// fixtureColumns builds the columns a fixture was computed from, the way
// gen_fixtures.py builds them.
func fixtureColumns(t testing.TB, name string, columns []string) [][]float64 {
	t.Helper()
	var tb *table
	switch name {
	case "maven":
		tb = loadCSV(t, "telecom_customer_churn.csv")
	case "ibm":
		tb = loadCSV(t, "WA_Fn-UseC_-Telco-Customer-Churn.csv")
	case "seed":
		tb = loadCSV(t, "telecom_customer_churn.csv")
		st := tb.col(t, "Customer Status")
		tb = tb.filter(func(r []string) bool { return r[st] != "Churned" })
	default:
		t.Fatalf("unknown fixture %q", name)
	}
	cols := make([][]float64, len(columns))
	for i, c := range columns {
		cols[i] = tb.floats(t, c)
		if name == "seed" && c == "Total Revenue" {
			for r, v := range cols[i] {
				cols[i][r] = math.Trunc(v) // pandas astype(int)
			}
		}
	}
	return cols
}

func TestFixtureLoaderSanity(t *testing.T) {
	for _, fx := range loadNumericFixtures(t) {
		cols := fixtureColumns(t, fx.Name, fx.Columns)
		if got := len(cols[0]); got != fx.Rows {
			t.Errorf("%s: loaded %d rows, pandas had %d", fx.Name, got, fx.Rows)
		}
	}
}
