package kmeans

import (
	"fmt"
	"math"
	"runtime"
)

// Assign labels each row of the n×d matrix X with its nearest centre among
// the k row-major centres (ties → lowest index) and returns the labels with
// the inertia Σ_i ‖x_i − c_{label_i}‖², summed in fixed chunk order. The
// result is deterministic and identical to Fit's Labels and Inertia when
// given Fit's Centers. X and centers are not modified.
func Assign(X []float64, n, d int, centers []float64, k int) ([]int32, float64, error) {
	if err := checkMatrix(X, n, d); err != nil {
		return nil, 0, err
	}
	if k < 1 {
		return nil, 0, fmt.Errorf("kmeans: k = %d, must be ≥ 1", k)
	}
	if len(centers) != k*d {
		return nil, 0, fmt.Errorf("kmeans: len(centers) = %d, want k*d = %d", len(centers), k*d)
	}
	for i, v := range centers {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("kmeans: centre %d feature %d is %v", i/d, i%d, v)
		}
	}
	labels, inertia := assignInto(X, n, d, centers, k, runtime.GOMAXPROCS(0), make([]int32, n), nil)
	return labels, inertia, nil
}

// AssignWeighted is Assign with sample weights: the labels are the same,
// the inertia is Σ_i w_i ‖x_i − c_{label_i}‖², identical to Fit's Inertia
// with Options.Weights = w when given Fit's Centers. w must hold n finite
// weights ≥ 0; nil (or all 1) gives Assign's result.
func AssignWeighted(X []float64, n, d int, centers []float64, k int, w []float64) ([]int32, float64, error) {
	if w != nil {
		if len(w) != n {
			return nil, 0, fmt.Errorf("kmeans: len(w) = %d, want one weight per row, n = %d", len(w), n)
		}
		for i, v := range w {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return nil, 0, fmt.Errorf("kmeans: weight of row %d is %v, must be finite and ≥ 0", i, v)
			}
		}
		if allOnes(w) {
			w = nil
		}
	}
	if w == nil {
		return Assign(X, n, d, centers, k)
	}
	labels, _, err := Assign(X, n, d, centers, k)
	if err != nil {
		return nil, 0, err
	}
	_, inertia := assignInto(X, n, d, centers, k, runtime.GOMAXPROCS(0), labels, w)
	return labels, inertia, nil
}

// assignInto is Assign without validation, writing into labels; with
// weights w (nil = unit) the inertia is weighted.
func assignInto(X []float64, n, d int, centers []float64, k, workers int, labels []int32, w []float64) ([]int32, float64) {
	part := make([]float64, numChunks(n))
	forChunks(n, workers, func(c, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			b, d1, _ := nearest2(X[i*d:i*d+d], centers, k)
			labels[i] = int32(b)
			if w == nil {
				s += d1
			} else {
				s += float64(w[i] * d1)
			}
		}
		part[c] = s
	})
	return labels, sumInOrder(part)
}
