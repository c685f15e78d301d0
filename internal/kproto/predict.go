package kproto

import (
	"fmt"
	"math"
)

// Model is a frozen set of prototypes: what segment predict, drift
// matching and a SQL export need. Codes follow the training data's
// dictionaries: a category the model never saw must be given a code no
// mode uses (for example the dictionary's length); it then mismatches
// every prototype.
type Model struct {
	K, P, Q   int
	Gamma     float64
	Missing   MissingPolicy
	Centroids []float64 // K×P
	Modes     []int32   // K×Q, -1 = the missing category
}

// Dissimilarity is the k-prototypes distance between two mixed points:
// Σ (a_f − b_f)² + γ × (number of categorical features that differ).
// Use it to match prototypes across runs (drift, stable IDs).
func Dissimilarity(numA, numB []float64, catA, catB []int32, gamma float64) float64 {
	return protoDist(numA, numB, catA, catB, gamma)
}

// Distance returns the dissimilarity between prototypes i of m and j of o
// under m's γ (both models must have the same features).
func (m *Model) Distance(i int, o *Model, j int) float64 {
	return protoDist(m.Centroids[i*m.P:i*m.P+m.P], o.Centroids[j*o.P:j*o.P+o.P],
		m.Modes[i*m.Q:i*m.Q+m.Q], o.Modes[j*o.Q:j*o.Q+o.Q], m.Gamma)
}

// Predict assigns n new rows (num n×P row-major, scaled like the training
// data; cat[c][i] codes, -1 missing) to their nearest prototypes, the
// lowest index among equal costs, exactly as Fit labels its rows. It
// returns the labels and Σ w_i × cost_i (weights nil = 1). Rows with NaN
// numbers, or missing categories under MissingError, are errors naming the
// row and feature.
func (m *Model) Predict(num []float64, n int, cat [][]int32, weights []float64) ([]int32, float64, error) {
	if err := m.check(num, n, cat, weights); err != nil {
		return nil, 0, err
	}
	codes := make([]int32, n*m.Q)
	for c, col := range cat {
		for i, v := range col {
			codes[i*m.Q+c] = v + 1
		}
	}
	mode := make([]int32, len(m.Modes))
	for i, v := range m.Modes {
		mode[i] = v + 1
	}
	labels := make([]int32, n)
	cost := assign(num, codes, n, m.P, m.Q, m.Centroids, mode, m.K, m.Gamma, weights, resolveWorkers(0), labels)
	return labels, cost, nil
}

func (m *Model) check(num []float64, n int, cat [][]int32, weights []float64) error {
	if len(m.Centroids) != m.K*m.P || len(m.Modes) != m.K*m.Q || m.K < 1 || !(m.Gamma >= 0) {
		return fmt.Errorf("k-prototypes model: inconsistent (k = %d, %d numeric and %d categorical values, gamma %v)", m.K, len(m.Centroids), len(m.Modes), m.Gamma)
	}
	if len(num) != n*m.P || len(cat) != m.Q {
		return fmt.Errorf("k-prototypes predict: got %d numeric values and %d categorical features, want %d×%d and %d", len(num), len(cat), n, m.P, m.Q)
	}
	if weights != nil && len(weights) != n {
		return fmt.Errorf("k-prototypes predict: %d weights for %d rows", len(weights), n)
	}
	for i, v := range num {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("k-prototypes predict: row %d, numeric feature %d is %v", i/m.P, i%m.P, v)
		}
	}
	for c, col := range cat {
		if len(col) != n {
			return fmt.Errorf("k-prototypes predict: categorical feature %d has %d rows, want %d", c, len(col), n)
		}
		for i, v := range col {
			if v < -1 || (v == -1 && m.Missing == MissingError) {
				return fmt.Errorf("k-prototypes predict: row %d, categorical feature %d is missing (code %d); the model was fitted with missing categories as errors", i, c, v)
			}
		}
	}
	return nil
}

// assign writes each row's nearest prototype into labels and returns the
// weighted cost summed in fixed chunk order. codes and mode are shifted.
func assign(x []float64, codes []int32, n, p, q int, cent []float64, mode []int32, k int, gamma float64, w []float64, workers int, labels []int32) float64 {
	part := make([]float64, numChunks(n))
	forChunks(n, workers, func(c, lo, hi int) {
		var sum float64
		for i := lo; i < hi; i++ {
			xi, ai := x[i*p:i*p+p], codes[i*q:i*q+q]
			best, bestD := 0, math.Inf(1)
			for j := 0; j < k; j++ {
				d := protoDist(xi, cent[j*p:j*p+p], ai, mode[j*q:j*q+q], gamma)
				if j == 0 || d < bestD {
					best, bestD = j, d
				}
			}
			labels[i] = int32(best)
			if w != nil {
				sum += float64(w[i] * bestD)
			} else {
				sum += bestD
			}
		}
		part[c] = sum
	})
	var total float64
	for _, v := range part {
		total += v
	}
	return total
}

// Cost returns Σ_i w_i × cost(row i, prototype labels[i]) for any
// labelling (weights nil = 1), summed in row order. It is the k-prototypes
// objective; tests use it to check Fit.
func (m *Model) Cost(num []float64, n int, cat [][]int32, labels []int32, weights []float64) float64 {
	x := make([]float64, m.P)
	a := make([]int32, m.Q)
	var total float64
	for i := 0; i < n; i++ {
		copy(x, num[i*m.P:i*m.P+m.P])
		for c := range a {
			a[c] = cat[c][i]
		}
		j := int(labels[i])
		d := protoDist(x, m.Centroids[j*m.P:j*m.P+m.P], a, m.Modes[j*m.Q:j*m.Q+m.Q], m.Gamma)
		if weights != nil {
			d *= weights[i]
		}
		total += d
	}
	return total
}
