package featcheck

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

// standardize returns the z-scores of the columns (population std), as
// the standard scaler does.
func standardize(X []float64, n, d int, w []float64) []float64 {
	v := variances(X, n, d)
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += X[i*d+j] / float64(n)
		}
	}
	Z := make([]float64, n*d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			Z[i*d+j] = (X[i*d+j] - mean[j]) / math.Sqrt(v[j]) * w[j]
		}
	}
	return Z
}

// table returns n rows: two normal columns, then a 3-level one-hot.
func table(n int) ([]float64, []string) {
	rng := rand.New(rand.NewPCG(1, 2))
	X := make([]float64, 0, n*5)
	for i := 0; i < n; i++ {
		level := i % 3
		X = append(X, rng.NormFloat64(), 10+3*rng.NormFloat64(), b(level == 0), b(level == 1), b(level == 2))
	}
	return X, []string{"Tenure", "Revenue", "Contract_Month", "Contract_One year", "Contract_Two year"}
}

func b(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

func TestDominantDummies(t *testing.T) {
	const tol = 1e-9
	n := 3000
	X, names := table(n)
	ones := []float64{1, 1, 1, 1, 1}
	got := Check(X, standardize(X, n, 5, ones), n, 5, names, Options{Scale: "standard"})
	if len(got) != 1 || got[0].Kind != result.CheckDominantDummies {
		t.Fatalf("got %+v", got)
	}
	c := got[0]
	// Standardised, each column has variance 1: the dummies hold 3/5; the
	// fair share of one categorical column among 2 numeric ones is 1/3, so
	// w² = (1/3·2)/((2/3)·3) = 1/3, w = 0.58.
	if math.Abs(c.Share-0.6) > tol || c.Weights["Contract_Two year"] != 0.58 || len(c.Weights) != 3 || len(c.Columns) != 3 {
		t.Errorf("share %v weights %v columns %v", c.Share, c.Weights, c.Columns)
	}
	want := "0/1 (one-hot) features hold 60% of the feature variance after standard scaling (Contract_* (3 columns) 60%), so the segments will mostly follow them; give them smaller weights, e.g. weights: {Contract_Month: 0.58, Contract_One year: 0.58, Contract_Two year: 0.58} (0.58 each brings them to 33%, one feature's share per categorical column), or use fewer of them"
	if c.Text != want {
		t.Errorf("text\n %q\nwant\n %q", c.Text, want)
	}
	// With the suggested weights the dummies hold about a third: no warning.
	w := []float64{1, 1, 0.58, 0.58, 0.58}
	if got := Check(X, standardize(X, n, 5, w), n, 5, names, Options{}); len(got) != 0 {
		t.Errorf("weighted: %+v", got)
	}
	// One 0/1 column next to one numeric one holds its fair half: no warning.
	two := make([]float64, 0, 2*n)
	for i := 0; i < n; i++ {
		two = append(two, X[i*5], X[i*5+2])
	}
	if got := Check(two, standardize(two, n, 2, ones), n, 2, []string{"Tenure", "Married"}, Options{}); len(got) != 0 {
		t.Errorf("fair share: %+v", got)
	}
}

// TestDummiesMinMax: after min-max scaling a 0/1 column (variance 0.25)
// outweighs two uniform ones (1/12 each).
func TestDummiesMinMax(t *testing.T) {
	n := 1200
	Z := make([]float64, 0, 3*n)
	for i := 0; i < n; i++ {
		Z = append(Z, float64(i%101)/100, float64((i*7)%101)/100, b(i%2 == 0))
	}
	got := Check(Z, Z, n, 3, []string{"a", "b", "Partner"}, Options{Scale: "minmax"})
	if len(got) != 1 || got[0].Share < 0.59 || got[0].Share > 0.61 || !strings.Contains(got[0].Text, "after minmax scaling (Partner 60%)") {
		t.Errorf("got %+v", got)
	}
}

func TestNearDuplicates(t *testing.T) {
	n := 2000
	rng := rand.New(rand.NewPCG(3, 4))
	X := make([]float64, 0, 4*n)
	for i := 0; i < n; i++ {
		x := rng.NormFloat64()
		X = append(X, x, 2*x+0.1*rng.NormFloat64(), rng.NormFloat64(), -x)
	}
	names := []string{"Total Charges", "Total Revenue", "Age", "Savings"}
	got := Check(X, X, n, 4, names, Options{})
	if len(got) != 3 {
		t.Fatalf("got %+v", got)
	}
	// |r| = 1 first (Total Charges, Savings), then the ≈ 0.999 pairs.
	if got[0].Columns[0] != "Total Charges" || got[0].Columns[1] != "Savings" || got[0].R != -1 ||
		got[0].Text != "features Total Charges and Savings are near-duplicates (r = -1.00): k-means counts the same information twice; keep one of them" {
		t.Errorf("first %+v", got[0])
	}
	for _, c := range got {
		if c.Kind != result.CheckNearDuplicate || math.Abs(c.R) < 0.95 || strings.Contains(strings.Join(c.Columns, ","), "Age") {
			t.Errorf("%+v", c)
		}
	}
	if got := Check(X, X, n, 4, names, Options{NearDuplicate: 0.99999999}); len(got) != 1 {
		t.Errorf("a stricter limit: %+v", got)
	}
	if Check(X[:4], X[:4], 1, 4, names, Options{}) != nil {
		t.Error("one row")
	}
}
