package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteForce returns the minimum total cost over all assignments of
// min(r, c) rows to distinct columns (every row when r ≤ c, every column
// when r > c).
func bruteForce(cost [][]float64) float64 {
	r, c := len(cost), len(cost[0])
	best := math.Inf(1)
	used := make([]bool, c)
	var rec func(i, assigned int, total float64)
	rec = func(i, assigned int, total float64) {
		if i == r {
			if assigned == min(r, c) {
				best = min(best, total)
			}
			return
		}
		// Leave row i unassigned if there are spare rows.
		if r-i-1 >= min(r, c)-assigned {
			rec(i+1, assigned, total)
		}
		for j := 0; j < c; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, assigned+1, total+cost[i][j])
				used[j] = false
			}
		}
	}
	rec(0, 0, 0)
	return best
}

func TestHungarianBruteForce(t *testing.T) {
	const tol = 1e-9
	rng := rand.New(rand.NewPCG(17, 1))
	for trial := 0; trial < 600; trial++ {
		r, c := 1+rng.IntN(6), 1+rng.IntN(6)
		cost := make([][]float64, r)
		for i := range cost {
			cost[i] = make([]float64, c)
			for j := range cost[i] {
				if trial%3 == 0 {
					cost[i][j] = float64(rng.IntN(4)) // many ties
				} else {
					cost[i][j] = 200*rng.Float64() - 100
				}
			}
		}
		orig := make([][]float64, r)
		for i := range cost {
			orig[i] = slices.Clone(cost[i])
		}
		assign, total := Hungarian(cost)
		want := bruteForce(cost)
		if math.Abs(total-want) > tol*math.Max(1, math.Abs(want)) {
			t.Fatalf("trial %d, %d×%d: total %v, brute force %v\n%v", trial, r, c, total, want, cost)
		}
		if len(assign) != r {
			t.Fatalf("trial %d: %d assignments for %d rows", trial, len(assign), r)
		}
		seen := make(map[int]bool)
		unassigned := 0
		var sum float64
		for i, j := range assign {
			if j == -1 {
				unassigned++
				continue
			}
			if j < 0 || j >= c || seen[j] {
				t.Fatalf("trial %d: invalid assignment %v", trial, assign)
			}
			seen[j] = true
			sum += cost[i][j]
		}
		if unassigned != max(0, r-c) || sum != total {
			t.Fatalf("trial %d: %d unassigned (want %d), sum %v, total %v", trial, unassigned, max(0, r-c), sum, total)
		}
		for i := range cost {
			if !slices.Equal(cost[i], orig[i]) {
				t.Fatalf("trial %d: cost mutated", trial)
			}
		}
	}
}

func TestHungarianHand(t *testing.T) {
	// Classic 3×3: the optimum is 0→1, 1→0, 2→2 with cost 1 + 2 + 2 = 5.
	assign, total := Hungarian([][]float64{{4, 1, 3}, {2, 0, 5}, {3, 2, 2}})
	if !slices.Equal(assign, []int{1, 0, 2}) || total != 5 {
		t.Errorf("got %v, %v; want [1 0 2], 5", assign, total)
	}
	// More rows than columns: segment 1 has no successor.
	assign, total = Hungarian([][]float64{{0.1, 0.9}, {0.5, 0.6}, {0.8, 0.2}})
	if !slices.Equal(assign, []int{0, -1, 1}) || math.Abs(total-0.3) > 1e-15 {
		t.Errorf("got %v, %v; want [0 -1 1], 0.3", assign, total)
	}
	// More columns than rows: a new segment appears.
	assign, total = Hungarian([][]float64{{5, 1, 9}, {2, 8, 7}})
	if !slices.Equal(assign, []int{1, 0}) || total != 3 {
		t.Errorf("got %v, %v; want [1 0], 3", assign, total)
	}
	// Maximising overlap: pass the negated counts.
	assign, total = Hungarian([][]float64{{-50, -3}, {-2, -45}})
	if !slices.Equal(assign, []int{0, 1}) || total != -95 {
		t.Errorf("got %v, %v; want [0 1], -95", assign, total)
	}
}

func TestHungarianEdgeCases(t *testing.T) {
	if a, total := Hungarian(nil); a == nil || len(a) != 0 || total != 0 {
		t.Errorf("empty: %v, %v", a, total)
	}
	if a, total := Hungarian([][]float64{{}, {}}); !slices.Equal(a, []int{-1, -1}) || total != 0 {
		t.Errorf("no columns: %v, %v", a, total)
	}
	for name, cost := range map[string][][]float64{
		"ragged": {{1, 2}, {3}},
		"NaN":    {{1, math.NaN()}, {3, 4}},
		"Inf":    {{1, 2}, {math.Inf(1), 4}},
		"huge":   {{math.MaxFloat64, -math.MaxFloat64}, {-math.MaxFloat64, math.MaxFloat64}},
	} {
		a, total := Hungarian(cost)
		if name == "huge" && a != nil {
			// Overflow may or may not occur; if solved, it must be optimal.
			if !slices.Equal(a, []int{1, 0}) {
				t.Errorf("%s: %v, %v", name, a, total)
			}
			continue
		}
		if a != nil || !math.IsNaN(total) {
			t.Errorf("%s: %v, %v; want nil, NaN", name, a, total)
		}
	}
}

func BenchmarkHungarian50(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	cost := make([][]float64, 50)
	for i := range cost {
		cost[i] = make([]float64, 50)
		for j := range cost[i] {
			cost[i][j] = rng.Float64()
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Hungarian(cost)
	}
}
