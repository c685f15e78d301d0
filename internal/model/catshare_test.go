package model

import (
	"math"
	"strings"
	"testing"
)

// TestCategoricalPSI: the PSI of a categorical feature over the training
// categories, the missing category and the unseen ones, by hand.
func TestCategoricalPSI(t *testing.T) {
	const tol = 1e-12
	m := &Model{CategoricalFeatures: []string{"plan"}, Categories: [][]string{{"a", "b"}}}
	train := []int32{0, 0, 1, 1, 1, -1, 0, 1}
	sh, err := CategorySharesOf(train, 2)
	if err != nil || len(sh) != 3 || sh[0] != 3.0/8 || sh[1] != 4.0/8 || sh[2] != 1.0/8 {
		t.Fatalf("shares %v, %v", sh, err)
	}
	if _, err := CategorySharesOf([]int32{0, 2}, 2); err == nil {
		t.Error("an unseen code in the training codes was accepted")
	}
	if _, ok := m.CategoricalPSI(0, train); ok {
		t.Error("PSI without stored shares")
	}
	m.CategoryShares = [][]float64{sh}
	if psi, ok := m.CategoricalPSI(0, train); !ok || psi != 0 {
		t.Errorf("PSI of the training codes = %v, %v; want 0", psi, ok)
	}
	// 6 rows: a ×3, b ×1, missing ×1, unseen (code 2) ×1.
	term := func(a, e float64) float64 { return (a - e) * math.Log(a/e) }
	want := term(3.0/6, 3.0/8) + term(1.0/6, 4.0/8) + term(1.0/6, 1.0/8) + term(1.0/6, 1e-4)
	if psi, ok := m.CategoricalPSI(0, []int32{0, 0, 0, 1, -1, 2}); !ok || math.Abs(psi-want) > tol {
		t.Errorf("PSI = %v, want %v", psi, want)
	}
}

func TestValidateShares(t *testing.T) {
	base := func() *Model {
		return &Model{CategoricalFeatures: []string{"plan"}, Categories: [][]string{{"a", "b"}}, CategoryShares: [][]float64{{0.5, 0.5, 0}}}
	}
	if err := base().validateShares(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		shares [][]float64
		want   string
	}{
		{[][]float64{{0.5, 0.5}}, `category_shares of "plan": 2 categories need 3 shares (the last for the missing category), got 2`},
		{[][]float64{{0.5, 0.5, 0}, {1}}, `1 categorical features but 2 category_shares lists`},
		{[][]float64{{0.5, 0.6, -0.1}}, `category_shares of "plan": share 2 is -0.1, want 0…1`},
		{[][]float64{{0.5, 0.4, 0}}, `category_shares of "plan": shares sum to 0.9, want 1`},
	} {
		m := base()
		m.CategoryShares = tc.shares
		if err := m.validateShares(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.shares, err, tc.want)
		}
	}
}
