package kproto

import (
	"math"
	"math/rand/v2"
)

// table is a small mixed data set for tests.
type table struct {
	n, p    int
	num     []float64
	cat     [][]int32
	weights []float64
}

// randomTable draws n rows: p numeric features from a mixture of a few
// Gaussian groups, len(cards) categorical features with the given
// cardinalities (codes correlated with the group), optional missing codes
// and optional weights ("int" = 1..4, "float" = uniform 0.25..3).
func randomTable(seed uint64, n, p int, cards []int, missing float64, weights string) table {
	rng := rand.New(rand.NewPCG(seed, 77))
	groups := 1 + rng.IntN(4)
	t := table{n: n, p: p, num: make([]float64, n*p), cat: make([][]int32, len(cards))}
	centre := make([]float64, groups*p)
	for i := range centre {
		centre[i] = rng.NormFloat64() * 2
	}
	g := make([]int, n)
	for i := range g {
		g[i] = rng.IntN(groups)
		for f := 0; f < p; f++ {
			t.num[i*p+f] = centre[g[i]*p+f] + rng.NormFloat64()
		}
	}
	for c, card := range cards {
		t.cat[c] = make([]int32, n)
		for i := range t.cat[c] {
			v := int32(rng.IntN(card))
			if rng.Float64() < 0.5 {
				v = int32(g[i] % card)
			}
			if rng.Float64() < missing {
				v = -1
			}
			t.cat[c][i] = v
		}
	}
	switch weights {
	case "int":
		t.weights = make([]float64, n)
		for i := range t.weights {
			t.weights[i] = float64(1 + rng.IntN(4))
		}
	case "float":
		t.weights = make([]float64, n)
		for i := range t.weights {
			t.weights[i] = 0.25 + 2.75*rng.Float64()
		}
	}
	return t
}

func (t table) wt(i int) float64 {
	if t.weights == nil {
		return 1
	}
	return t.weights[i]
}

func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}
