package stats

import "fmt"

// Categorical holds the descriptive statistics of a string column, as
// reported by pandas' describe() on an object column.
type Categorical struct {
	Count    int    // number of non-missing values
	Missing  int    // number of missing values
	Distinct int    // number of distinct non-missing values ("unique")
	Top      string // most frequent value; "" when Count == 0 (pandas: NaN)
	Freq     int    // frequency of Top; 0 when Count == 0 (pandas: NaN)
}

// DescribeStrings returns the descriptive statistics of values. missing
// marks missing entries; it may be nil (nothing missing) and otherwise must
// have the length of values. Neither slice is modified.
//
// Ties for the most frequent value are broken exactly as pandas 1.5.3 does.
// Series.value_counts() lists the distinct values in order of first
// appearance, then sorts the counts in decreasing order with numpy's
// (unstable) introsort, via nargsort's reverse–argsort–reverse trick, and
// describe() takes the first entry. When at most 16 distinct values exist,
// introsort is an insertion sort and the tie goes to the value that
// appears first; with more distinct values the winner among ties depends on
// the introsort partitioning, which this package reproduces step by step.
func DescribeStrings(values []string, missing []bool) (Categorical, error) {
	if missing != nil && len(missing) != len(values) {
		return Categorical{}, fmt.Errorf("stats: DescribeStrings: %d missing flags for %d values", len(missing), len(values))
	}
	ids := make(map[string]int)
	var keys []string
	var counts []int64
	var c Categorical
	for i, v := range values {
		if missing != nil && missing[i] {
			c.Missing++
			continue
		}
		id, ok := ids[v]
		if !ok {
			id = len(keys)
			ids[v] = id
			keys = append(keys, v)
			counts = append(counts, 0)
		}
		counts[id]++
	}
	c.Count = len(values) - c.Missing
	c.fill(keys, counts)
	return c, nil
}

// DescribeCodes is DescribeStrings for dictionary-encoded strings: value i
// is dict[codes[i]], and code -1 marks a missing value. Dictionary entries
// that no code uses are ignored, and equal dictionary entries count as one
// value. Neither slice is modified. It returns an error for a code below -1
// or beyond the dictionary.
func DescribeCodes[T Integer](codes []T, dict []string) (Categorical, error) {
	// canon maps a code to the first dictionary index holding the same
	// string, so duplicated dictionary entries merge.
	canon := make([]int32, len(dict))
	byString := make(map[string]int32, len(dict))
	for i, s := range dict {
		if j, ok := byString[s]; ok {
			canon[i] = j
		} else {
			byString[s] = int32(i)
			canon[i] = int32(i)
		}
	}
	id := make([]int32, len(dict)) // canonical code -> key id + 1 (0: unseen)
	var keys []string
	var counts []int64
	var c Categorical
	for i, v := range codes {
		code := int64(v)
		if code == -1 {
			c.Missing++
			continue
		}
		if code < -1 || int(code) >= len(dict) {
			return Categorical{}, fmt.Errorf("stats: DescribeCodes: code %d at row %d outside dictionary of %d entries", code, i, len(dict))
		}
		k := canon[code]
		if id[k] == 0 {
			keys = append(keys, dict[k])
			counts = append(counts, 0)
			id[k] = int32(len(keys))
		}
		counts[id[k]-1]++
	}
	c.Count = len(codes) - c.Missing
	c.fill(keys, counts)
	return c, nil
}

// fill sets Distinct, Top and Freq from the distinct keys in order of first
// appearance and their counts.
func (c *Categorical) fill(keys []string, counts []int64) {
	c.Distinct = len(keys)
	if len(keys) == 0 {
		return
	}
	t := pandasTop(counts)
	c.Top = keys[t]
	c.Freq = int(counts[t])
}

// Top returns the index of the key pandas' describe() reports as top,
// given the counts of the distinct keys in order of first appearance (ties
// broken as value_counts' quicksort breaks them). It is DescribeCodes'
// rule for callers that have the counts, not the rows (the eda stage in
// execution.mode: database). -1 without keys.
func Top(counts []int64) int {
	if len(counts) == 0 {
		return -1
	}
	return pandasTop(counts)
}

// pandasTop returns the index of the entry that pandas 1.5.3's
// value_counts() puts first: nargsort(counts, kind="quicksort",
// ascending=False) is reverse(rev_idx[argsort(reverse(counts))]), so the
// first entry is the one numpy's argsort puts last in the reversed array.
func pandasTop(counts []int64) int {
	k := len(counts)
	rev := make([]int64, k)
	for i, c := range counts {
		rev[k-1-i] = c
	}
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	npArgQuicksort(rev, order)
	return k - 1 - order[k-1]
}
