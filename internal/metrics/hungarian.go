package metrics

import "math"

// Hungarian solves the rectangular linear assignment problem: it matches each
// row of cost (previous segments) to a distinct column (new segments) so that
// the total cost is minimal, and returns the column of each row and that
// total. When there are more rows than columns, the unmatched rows get −1;
// when there are more columns, some columns stay unused. To maximise a
// similarity, pass its negation.
//
// The algorithm is the O(r²·c) shortest-augmenting-path form of Kuhn–Munkres
// with dual potentials (Jonker–Volgenant style) for r ≤ c rows and columns;
// a matrix with more rows than columns is solved transposed. Ties are broken
// deterministically (the lowest column index wins). The total is the sum of
// the chosen entries in row order.
//
// An empty matrix gives an empty assignment and 0. It returns (nil, NaN) if
// the rows have different lengths, an entry is not finite, or the entries are
// so large (near ±1e308) that differences of them overflow.
func Hungarian(cost [][]float64) ([]int, float64) {
	r := len(cost)
	if r == 0 {
		return []int{}, 0
	}
	c := len(cost[0])
	for _, row := range cost {
		if len(row) != c {
			return nil, math.NaN()
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, math.NaN()
			}
		}
	}
	assign := make([]int, r)
	for i := range assign {
		assign[i] = -1
	}
	if c == 0 {
		return assign, 0
	}
	if r <= c {
		rowOf := assignRows(r, c, func(i, j int) float64 { return cost[i][j] })
		if rowOf == nil {
			return nil, math.NaN()
		}
		for j, i := range rowOf {
			if i >= 0 {
				assign[i] = j
			}
		}
	} else {
		rowOf := assignRows(c, r, func(i, j int) float64 { return cost[j][i] })
		if rowOf == nil {
			return nil, math.NaN()
		}
		for j, i := range rowOf {
			if i >= 0 {
				assign[j] = i
			}
		}
	}
	var total float64
	for i, j := range assign {
		if j >= 0 {
			total += cost[i][j]
		}
	}
	return assign, total
}

// assignRows solves the n×m assignment problem with n ≤ m for the costs
// at(i, j) and returns, for each column, its row or −1. It returns nil if
// the arithmetic overflowed.
func assignRows(n, m int, at func(i, j int) float64) []int {
	// 1-based potentials and matching, column 0 is a virtual start column.
	u := make([]float64, n+1)
	v := make([]float64, m+1)
	p := make([]int, m+1) // p[j]: row matched to column j, 0 if none
	way := make([]int, m+1)
	minv := make([]float64, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = math.Inf(1)
			used[j] = false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			delta := math.Inf(1)
			j1 := 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := at(i0-1, j-1) - u[i0] - v[j]; cur < minv[j] {
					minv[j] = cur
					way[j] = j0
				}
				if minv[j] < delta {
					delta = minv[j]
					j1 = j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			if j1 == 0 {
				// Only possible if the reduced costs overflowed to ±Inf.
				return nil
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rowOf := make([]int, m)
	for j := 1; j <= m; j++ {
		rowOf[j-1] = p[j] - 1
	}
	return rowOf
}
