package metrics

// TransitionMatrix counts how rows moved between two segmentations of the
// same customers: m[p][q] is the number of rows i with prev[i] = p and
// next[i] = q, for a kPrev×kNext matrix. Row sums are the previous segment
// sizes and column sums the new ones.
//
// It returns nil if len(prev) != len(next), kPrev or kNext is below 1, or a
// label is outside its range.
func TransitionMatrix(prev, next []int32, kPrev, kNext int) [][]int {
	if len(prev) != len(next) || kPrev < 1 || kNext < 1 {
		return nil
	}
	cells := make([]int, kPrev*kNext)
	for i, p := range prev {
		q := next[i]
		if p < 0 || int(p) >= kPrev || q < 0 || int(q) >= kNext {
			return nil
		}
		cells[int(p)*kNext+int(q)]++
	}
	m := make([][]int, kPrev)
	for p := range m {
		m[p] = cells[p*kNext : (p+1)*kNext : (p+1)*kNext]
	}
	return m
}
