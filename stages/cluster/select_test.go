package cluster

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestKJSON(t *testing.T) {
	for _, tc := range []struct {
		k          K
		json, text string
	}{{K{Auto: true}, `"auto"`, "auto"}, {K{Value: 4}, `4`, "4"}} {
		b, err := json.Marshal(tc.k)
		if err != nil || string(b) != tc.json || tc.k.String() != tc.text {
			t.Errorf("%#v: JSON %s (%v), String %q", tc.k, b, err, tc.k.String())
		}
	}
}

func TestKsAndWeights(t *testing.T) {
	c := NewConfig().(*Config)
	c.Features = []string{"a", "b", "c"}
	if got := c.ks(); !slices.Equal(got, []int{2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("auto ks %v", got)
	}
	c.K = K{Value: 12}
	c.Elbow = &Range{1, 4}
	if got := c.ks(); !slices.Equal(got, []int{1, 2, 3, 4, 12}) {
		t.Errorf("fixed ks with elbow %v", got)
	}
	c.K = K{Value: 3}
	if got := c.ks(); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("fixed ks inside elbow %v", got)
	}
	if c.weights() != nil {
		t.Error("weights without a weights map")
	}
	c.Weights = map[string]float64{"c": 2}
	if got := c.weights(); !slices.Equal(got, []float64{1, 1, 2}) {
		t.Errorf("weights %v", got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults with features do not validate: %v", err)
	}
	if s := uint64(3); c.seed(7) != 7 || func() uint64 { c.Seed = &s; return c.seed(7) }() != 3 {
		t.Error("seed precedence")
	}
}

// TestCheckConstant and featureMatrix on a hand-made matrix.
func TestCheckConstant(t *testing.T) {
	X := []float64{1, 5, 2, 5, 3, 5}
	if err := checkConstant(X, 3, 2, []string{"a", "b"}); err == nil ||
		err.Error() != `feature "b" has the same value (5) in all 3 rows (zero variance); it cannot separate segments: remove it from features` {
		t.Errorf("got %v", err)
	}
	if err := checkConstant(X[:2], 1, 2, []string{"a", "b"}); err != nil {
		t.Errorf("one row: %v", err)
	}
}
