package metrics

import (
	"math"
	"math/big"
)

// AdjustedRand returns the adjusted Rand index between two labellings of the
// same rows, as sklearn.metrics.adjusted_rand_score. Labels are arbitrary
// int32 values (they need not be in [0, k)); only the partitions matter. The
// index is 1 for identical partitions (up to renaming), close to 0 for
// independent ones and can be negative.
//
// Pair counts are computed exactly with integers and combined with the same
// floating-point steps as sklearn, so the results agree bit for bit. As in
// sklearn, the index is 1 when the pair confusion matrix has no off-diagonal
// counts (for example both labellings put every row in one cluster, or both
// in singletons, or there are fewer than two rows). It returns NaN if
// len(a) != len(b).
func AdjustedRand(a, b []int32) float64 {
	if len(a) != len(b) {
		return math.NaN()
	}
	sumSquares, sumRow, sumCol := pairSums(a, b)
	return adjustedRandSums(int64(len(a)), sumSquares, sumRow, sumCol)
}

// AdjustedRandTable is AdjustedRand from the contingency table of the two
// labellings (counts[i][j]: the rows labelled i by the first and j by the
// second, e.g. TransitionMatrix's), bit for bit: the index depends on the
// labels only through it. Rows and columns without counts are allowed.
func AdjustedRandTable(counts [][]int) float64 {
	var n int64
	var cells, rowSum, colSum []int64
	for _, row := range counts {
		var r int64
		for j, c := range row {
			for len(colSum) <= j {
				colSum = append(colSum, 0)
			}
			cells = append(cells, int64(c))
			r += int64(c)
			colSum[j] += int64(c)
		}
		rowSum = append(rowSum, r)
		n += r
	}
	return adjustedRandSums(n, sumOfSquares(cells), sumOfSquares(rowSum), sumOfSquares(colSum))
}

// adjustedRandSums is the index of n rows from the sums of squares of the
// contingency table's cells, row totals and column totals.
func adjustedRandSums(n int64, sumSquares, sumRow, sumCol *big.Int) float64 {
	// sklearn.metrics.cluster.pair_confusion_matrix: [[tn, fp], [fn, tp]].
	bn := big.NewInt(n)
	tp := new(big.Int).Sub(sumSquares, bn)
	fp := new(big.Int).Sub(sumCol, sumSquares)
	fn := new(big.Int).Sub(sumRow, sumSquares)
	tn := new(big.Int).Mul(bn, bn)
	tn.Sub(tn, fp).Sub(tn, fn).Sub(tn, sumSquares)
	if fn.Sign() == 0 && fp.Sign() == 0 {
		return 1
	}
	num := new(big.Int).Mul(tp, tn)
	num.Sub(num, new(big.Int).Mul(fn, fp))
	den := new(big.Int).Mul(new(big.Int).Add(tp, fn), new(big.Int).Add(fn, tn))
	den.Add(den, new(big.Int).Mul(new(big.Int).Add(tp, fp), new(big.Int).Add(fp, tn)))
	// Python: 2.0 * num / den, each integer rounded to float64 first.
	return 2.0 * toFloat(num) / toFloat(den)
}

// toFloat rounds x to the nearest float64 (ties to even), as Python's
// int-to-float conversion does.
func toFloat(x *big.Int) float64 {
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}

// pairSums returns Σ n_ij², Σ_i a_i² and Σ_j b_j² for the contingency table
// n_ij of a against b, with row sums a_i and column sums b_j, exactly.
func pairSums(a, b []int32) (cells, rows, cols *big.Int) {
	spanA, loA := span(a)
	spanB, loB := span(b)
	var cont, rowSum, colSum []int64
	if limit := max(1<<16, 4*int64(len(a))); spanB > 0 && spanA <= limit/spanB {
		// Dense tables for labels in a small range (the usual case).
		cont = make([]int64, spanA*spanB)
		rowSum = make([]int64, spanA)
		colSum = make([]int64, spanB)
		for i := range a {
			ia, ib := int64(a[i])-loA, int64(b[i])-loB
			cont[ia*spanB+ib]++
			rowSum[ia]++
			colSum[ib]++
		}
	} else {
		type pair struct{ a, b int32 }
		cm := make(map[pair]int64)
		rm := make(map[int32]int64)
		km := make(map[int32]int64)
		for i := range a {
			cm[pair{a[i], b[i]}]++
			rm[a[i]]++
			km[b[i]]++
		}
		for _, c := range cm {
			cont = append(cont, c)
		}
		for _, c := range rm {
			rowSum = append(rowSum, c)
		}
		for _, c := range km {
			colSum = append(colSum, c)
		}
	}
	return sumOfSquares(cont), sumOfSquares(rowSum), sumOfSquares(colSum)
}

// span returns max − min + 1 and min of x (0, 0 for empty x).
func span(x []int32) (width, lo int64) {
	if len(x) == 0 {
		return 0, 0
	}
	mn, mx := x[0], x[0]
	for _, v := range x {
		mn, mx = min(mn, v), max(mx, v)
	}
	return int64(mx) - int64(mn) + 1, int64(mn)
}

// sumOfSquares returns Σ c² exactly.
func sumOfSquares(counts []int64) *big.Int {
	total, t := new(big.Int), new(big.Int)
	for _, c := range counts {
		if c != 0 {
			t.SetInt64(c)
			total.Add(total, t.Mul(t, t))
		}
	}
	return total
}
