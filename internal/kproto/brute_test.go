package kproto

import (
	"math"
	"slices"
	"testing"
)

// partitionPrototypes returns the optimal prototypes of a partition:
// weighted means and weighted modes (lowest code among ties), and
// whether every cluster is non-empty.
func partitionPrototypes(t table, labels []int32, k int) (cent []float64, modes []int32, ok bool) {
	pl := &plain{t: t, k: k, q: len(t.cat), labels: labels,
		cent: make([]float64, k*t.p), modes: make([]int32, k*len(t.cat))}
	for j := 0; j < k; j++ {
		if pl.empty(j) {
			return nil, nil, false
		}
	}
	pl.update()
	return pl.cent, pl.modes, true
}

// bruteOptimum enumerates all k^n labellings with no empty cluster and
// returns the lowest k-prototypes cost (means and modes are the optimal
// prototypes of a fixed partition, so this is the global optimum).
func bruteOptimum(t table, k int, gamma float64) float64 {
	labels := make([]int32, t.n)
	best := math.Inf(1)
	for {
		if cent, modes, ok := partitionPrototypes(t, labels, k); ok {
			best = min(best, refCost(t, labels, cent, modes, gamma))
		}
		i := 0
		for ; i < t.n; i++ {
			labels[i]++
			if int(labels[i]) < k {
				break
			}
			labels[i] = 0
		}
		if i == t.n {
			return best
		}
	}
}

// TestBruteForceOptimum enumerates every partition of tiny tables (n ≤ 9,
// k = 2 and 3) and checks (1) that the best of 64 restarts reaches the
// global optimum cost with either initialisation, and (2) the fixed-point
// conditions of the result: every label is the nearest prototype (lowest
// index among ties) and, when Stationary, the prototypes are the weighted
// means and modes of the labelled clusters.
func TestBruteForceOptimum(t *testing.T) {
	const tol = 1e-9
	stationary := 0
	for seed := uint64(1); seed <= 12; seed++ {
		weights := []string{"", "int", "float"}[seed%3]
		tb := randomTable(100+seed, 6+int(seed%4), 1+int(seed%2), []int{2, 3}[:1+seed%2], 0, weights)
		for k := 2; k <= 3; k++ {
			for _, init := range []InitMethod{InitCao, InitHuang} {
				opt := Options{K: k, NInit: 64, Init: init, Seed: seed, Weights: tb.weights}
				res, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, opt)
				if err != nil {
					t.Fatal(err)
				}
				opt2 := bruteOptimum(tb, k, res.Gamma)
				if relDiff(res.Cost, opt2) > tol {
					t.Errorf("seed %d k %d %v: best of 64 restarts %v, global optimum %v", seed, k, init, res.Cost, opt2)
				}
				pl := &plain{t: tb, k: k, q: len(tb.cat), gamma: res.Gamma, cent: res.Centroids, modes: res.Modes}
				for i := 0; i < tb.n; i++ {
					if j, _ := pl.nearest(i); int32(j) != res.Labels[i] {
						t.Errorf("seed %d k %d %v: row %d labelled %d, nearest prototype %d", seed, k, init, i, res.Labels[i], j)
					}
				}
				if !res.Stationary {
					continue
				}
				stationary++
				cent, modes, ok := partitionPrototypes(tb, res.Labels, k)
				if !ok || !slices.Equal(modes, res.Modes) {
					t.Errorf("seed %d k %d %v: modes %v, modes of the labelled clusters %v", seed, k, init, res.Modes, modes)
				}
				for i, v := range cent {
					if math.Abs(v-res.Centroids[i]) > tol*(1+math.Abs(v)) {
						t.Errorf("seed %d k %d %v: centroid %v, mean of the labelled cluster %v", seed, k, init, res.Centroids, cent)
						break
					}
				}
			}
		}
	}
	if stationary < 40 {
		t.Errorf("only %d of 48 results were stationary; the fixed-point check barely ran", stationary)
	}
	t.Logf("fixed-point conditions checked on %d of 48 results", stationary)
}

// expand repeats row i weights[i] times (integer weights), keeping the
// copies next to each other.
func expand(t table) (table, []int) {
	var e table
	e.p = t.p
	e.cat = make([][]int32, len(t.cat))
	var from []int
	for i := 0; i < t.n; i++ {
		for r := 0; r < int(t.weights[i]); r++ {
			from = append(from, i)
			e.num = append(e.num, t.num[i*t.p:i*t.p+t.p]...)
			for c := range t.cat {
				e.cat[c] = append(e.cat[c], t.cat[c][i])
			}
		}
	}
	e.n = len(from)
	return e, from
}

// TestWeightsEqualRepeatedRows checks integer weights against repeating
// rows: the same default γ; the same global optimum (brute force on both
// tables); and, from the same start prototypes, the same labels, cost and
// prototypes from Fit (the sweep moves a weighted row as a whole, the
// copies one after another; with adjacent copies the result is the same
// unless a cluster empties).
func TestWeightsEqualRepeatedRows(t *testing.T) {
	const tol = 1e-12
	for seed := uint64(1); seed <= 6; seed++ {
		tb := randomTable(200+seed, 6, 2, []int{3, 2}, 0, "int")
		for i := range tb.weights {
			tb.weights[i] = float64(1 + int(tb.weights[i])%2)
		}
		ex, from := expand(tb)
		for k := 2; k <= 3; k++ {
			opt := Options{K: k, NInit: 16, Init: InitHuang, Seed: seed, Weights: tb.weights}
			rw, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Weights = nil
			rx, err := Fit(t.Context(), ex.num, ex.n, ex.p, ex.cat, opt)
			if err != nil {
				t.Fatal(err)
			}
			if relDiff(rw.Gamma, rx.Gamma) > tol {
				t.Errorf("seed %d: default gamma weighted %v, repeated %v", seed, rw.Gamma, rx.Gamma)
			}
			bw, bx := bruteOptimum(tb, k, rw.Gamma), bruteOptimum(ex, k, rw.Gamma)
			if relDiff(bw, bx) > tol {
				t.Errorf("seed %d k %d: global optimum weighted %v, repeated rows %v", seed, k, bw, bx)
			}
			// Same start for both: the weighted fit's best prototypes.
			start := &Prototypes{Centroids: rw.Centroids, Modes: rw.Modes}
			sw, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, Options{K: k, NInit: 1, Start: start, Weights: tb.weights, Gamma: rw.Gamma})
			if err != nil {
				t.Fatal(err)
			}
			sx, err := Fit(t.Context(), ex.num, ex.n, ex.p, ex.cat, Options{K: k, NInit: 1, Start: start, Gamma: rw.Gamma})
			if err != nil {
				t.Fatal(err)
			}
			for r, i := range from {
				if sx.Labels[r] != sw.Labels[i] {
					t.Fatalf("seed %d k %d: repeated row %d (row %d) labelled %d, weighted row %d", seed, k, r, i, sx.Labels[r], sw.Labels[i])
				}
			}
			if relDiff(sw.Cost, sx.Cost) > tol || !slices.Equal(sw.Modes, sx.Modes) {
				t.Errorf("seed %d k %d: weighted cost %v modes %v, repeated %v %v", seed, k, sw.Cost, sw.Modes, sx.Cost, sx.Modes)
			}
			for i := range sw.Centroids {
				if math.Abs(sw.Centroids[i]-sx.Centroids[i]) > tol*(1+math.Abs(sx.Centroids[i])) {
					t.Errorf("seed %d k %d: centroids %v vs %v", seed, k, sw.Centroids, sx.Centroids)
					break
				}
			}
			if !slices.Equal(sw.Weights, floatSizes(sx.Sizes)) {
				t.Errorf("seed %d k %d: weighted cluster weights %v, repeated sizes %v", seed, k, sw.Weights, sx.Sizes)
			}
		}
	}
}

func floatSizes(s []int) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}
