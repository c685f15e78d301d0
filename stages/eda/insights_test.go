package eda

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

// matrix builds a correlation from the upper triangle given as
// "A-B" → r; the diagonal is 1 and every n is n0 unless listed in ns.
func matrix(cols []string, upper map[string]float64, n0 int, ns map[string]int) *result.Correlation {
	k := len(cols)
	c := &result.Correlation{Method: "pearson", Columns: cols, Excluded: []result.ExcludedColumn{}}
	c.R = make([][]float64, k)
	c.N = make([][]int, k)
	for i := range k {
		c.R[i] = make([]float64, k)
		c.N[i] = make([]int, k)
		for j := range k {
			c.N[i][j] = n0
		}
		c.R[i][i] = 1
	}
	for i := range k {
		for j := i + 1; j < k; j++ {
			key := cols[i] + "-" + cols[j]
			r, ok := upper[key]
			if !ok {
				panic("missing " + key)
			}
			c.R[i][j], c.R[j][i] = r, r
			if n, ok := ns[key]; ok {
				c.N[i][j], c.N[j][i] = n, n
			}
		}
	}
	return c
}

func texts[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func insightTexts(in []result.Insight) []string {
	return texts(in, func(x result.Insight) string { return x.Text })
}

func TestStrength(t *testing.T) {
	th := NewConfig().(*Config).Thresholds
	for _, c := range []struct {
		r    float64
		want string
	}{
		{1, Strong}, {0.6, Strong}, {-0.6, Strong}, {0.5999999, Moderate}, {0.4, Moderate},
		{-0.4, Moderate}, {0.3999, Weak}, {0.2, Weak}, {-0.2, Weak}, {0.1999, VeryWeak}, {0, VeryWeak},
	} {
		if got := th.Strength(c.r); got != c.want {
			t.Errorf("Strength(%v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestInsightsWording(t *testing.T) {
	c := matrix([]string{"A", "B", "C", "D"}, map[string]float64{
		"A-B": 0.9, "A-C": -0.5, "A-D": 0.1, "B-C": -0.45, "B-D": -0.05, "C-D": 0.3,
	}, 1200, map[string]int{"A-D": 90, "B-C": 1100})
	cfg := NewConfig().(*Config)
	cfg.Several = 2
	got := Insights(c, cfg)
	want := []string{
		"Strong positive correlation between A and B (r = 0.90, n = 1,200); the strongest positive pair.",
		"Moderate negative correlation between A and C (r = -0.50, n = 1,200); the strongest negative pair.",
		"Moderate negative correlation between B and C (r = -0.45, n = 1,100).",
		"Weak positive correlation between C and D (r = 0.30, n = 1,200).",
		"C is negatively correlated with 2 of the 3 other columns: A (r = -0.50) and B (r = -0.45); n = 1,100 to 1,200.",
	}
	if g := insightTexts(got); !slices.Equal(g, want) {
		t.Fatalf("insights:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
	first := got[0]
	if first.Kind != result.InsightPair || !first.Strongest || first.Strength != Strong || first.Direction != "positive" ||
		len(first.Pairs) != 1 || first.Pairs[0] != (result.PairStat{A: "A", B: "B", R: 0.9, N: 1200}) {
		t.Errorf("first insight %+v", first)
	}
	if got[2].Strongest {
		t.Errorf("B-C marked strongest")
	}
	last := got[4]
	if last.Kind != result.InsightNegativeWithSeveral || last.Column != "C" || len(last.Pairs) != 2 ||
		last.Pairs[0].B != "A" || last.Pairs[1].B != "B" || last.Strength != Moderate {
		t.Errorf("negative-with-several insight %+v", last)
	}

	// Several 3: C has only 2 negative partners; 0 turns it off.
	for _, s := range []int{3, 0} {
		cfg.Several = s
		if got := Insights(c, cfg); len(got) != 4 {
			t.Errorf("several=%d: %d insights, want 4", s, len(got))
		}
	}
}

// The strongest negative pair is listed even when it is very weak and the
// limit is reached: it replaces the weakest other pair.
func TestInsightsStrongestAlwaysListed(t *testing.T) {
	c := matrix([]string{"A", "B", "C", "D"}, map[string]float64{
		"A-B": 0.9, "A-C": 0.8, "A-D": 0.05, "B-C": 0.7, "B-D": 0.02, "C-D": -0.1,
	}, 4720, nil)
	cfg := NewConfig().(*Config)
	cfg.MaxInsights = 2
	want := []string{
		"Strong positive correlation between A and B (r = 0.90, n = 4,720); the strongest positive pair.",
		"Very weak negative correlation between C and D (r = -0.10, n = 4,720); the strongest negative pair.",
	}
	if g := insightTexts(Insights(c, cfg)); !slices.Equal(g, want) {
		t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
	cfg.MaxInsights = 8
	if g := insightTexts(Insights(c, cfg)); len(g) != 4 || g[3] != want[1] {
		t.Fatalf("max 8: %q", g)
	}
}

// Equal |r| keeps matrix order; NaN and exact zeros are never insights.
func TestInsightsTiesAndNaN(t *testing.T) {
	c := matrix([]string{"A", "B", "C"}, map[string]float64{
		"A-B": math.NaN(), "A-C": -0.5, "B-C": 0.5,
	}, 10, nil)
	got := insightTexts(Insights(c, NewConfig().(*Config)))
	want := []string{
		"Moderate negative correlation between A and C (r = -0.50, n = 10); the strongest negative pair.",
		"Moderate positive correlation between B and C (r = 0.50, n = 10); the strongest positive pair.",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q", got)
	}
	z := matrix([]string{"A", "B"}, map[string]float64{"A-B": 0}, 10, nil)
	if got := Insights(z, NewConfig().(*Config)); len(got) != 0 {
		t.Fatalf("r = 0 gave %q", insightTexts(got))
	}
}

// Insights does not modify the matrix.
func TestInsightsDoNotMutate(t *testing.T) {
	c := matrix([]string{"A", "B", "C"}, map[string]float64{"A-B": 0.3, "A-C": -0.7, "B-C": 0.65}, 10, nil)
	before := matrix([]string{"A", "B", "C"}, map[string]float64{"A-B": 0.3, "A-C": -0.7, "B-C": 0.65}, 10, nil)
	Insights(c, NewConfig().(*Config))
	Alerts(nil, c, 10, NewConfig().(*Config))
	for i := range c.R {
		if !slices.Equal(c.R[i], before.R[i]) || !slices.Equal(c.N[i], before.N[i]) {
			t.Fatalf("row %d changed", i)
		}
	}
	if !slices.Equal(c.Columns, before.Columns) {
		t.Fatal("columns changed")
	}
}
