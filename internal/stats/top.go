package stats

// TopOf describes text values from their distinct values in order of first
// appearance and the count of each — what DescribeStrings gathers, when the
// counts were gathered elsewhere (batch by batch in a streamed run): the
// count, the number of distinct values, and the top value and its
// frequency with pandas 1.5.3's tie-breaking. Missing is 0.
func TopOf(keys []string, counts []int64) Categorical {
	var c Categorical
	for _, n := range counts {
		c.Count += int(n)
	}
	c.fill(keys, counts)
	return c
}
