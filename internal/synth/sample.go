package synth

import (
	"math"
	"math/rand/v2"
)

// Second PCG seed words, one per generator, so that Churn and Engagement
// draw unrelated streams from the same user seed.
const (
	churnStream      = 0x6368_7572_6e5f_7631 // "churn_v1"
	engagementStream = 0x656e_6761_6765_7631 // "engagev1"
)

func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// logistic is 1/(1+e^-x).
func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// linear returns c[0] + Σ c[i+1]·x[i].
func linear(c []float64, x ...float64) float64 {
	s := c[0]
	for i, v := range x {
		s += c[i+1] * v
	}
	return s
}

// cumTable is a cumulative distribution over 0..len-1 whose last entry is 1.
type cumTable []float64

// newCumFloat normalises non-negative weights into a cumTable.
func newCumFloat(w []float64) cumTable {
	var tot float64
	for _, v := range w {
		tot += v
	}
	c := make(cumTable, len(w))
	var s float64
	for i, v := range w {
		s += v
		c[i] = s / tot
	}
	c[len(c)-1] = 1
	return c
}

// newCumInt is newCumFloat for integer counts.
func newCumInt(w []int) cumTable {
	f := make([]float64, len(w))
	for i, v := range w {
		f[i] = float64(v)
	}
	return newCumFloat(f)
}

// pick draws an index with the table's probabilities.
func (c cumTable) pick(r *rand.Rand) int {
	u := r.Float64()
	lo, hi := 0, len(c)-1
	for lo < hi { // first i with u < c[i]
		m := int(uint(lo+hi) >> 1)
		if u < c[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
