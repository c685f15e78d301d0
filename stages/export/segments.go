package export

import (
	"math"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// sheet is a table of cells for the workbook: nil is an empty cell.
type sheet struct {
	header []string
	rows   [][]any
}

// segmentSheet is one row per segment (the cluster stage's order, largest
// first): number, name, customers, share, the profile's traits when a
// profile ran, and per attribute column the mean (numbers) or the most
// frequent value and its share (text, true/false) among the segment's
// customers, missing values left out.
func segmentSheet(t *frame.Table, cl *result.Clusters, prof *result.Profile, cols []string) sheet {
	names := cl.SegmentLabels(prof)
	traits := prof != nil && len(prof.Segments) == cl.K
	sh := sheet{header: []string{"segment", "segment_name", "customers", "share"}}
	if traits {
		sh.header = append(sh.header, "traits")
	}
	var used []*frame.Column
	for _, name := range cols {
		c := t.Col(name)
		if c == nil {
			continue
		}
		used = append(used, c)
		if c.Kind.Numeric() {
			sh.header = append(sh.header, "mean "+name)
		} else {
			sh.header = append(sh.header, "top "+name, "top "+name+" share")
		}
	}
	members := make([][]int, cl.K)
	for i, l := range cl.Labels {
		members[l] = append(members[l], i)
	}
	n := len(cl.Labels)
	for s := range cl.K {
		row := []any{int64(cl.IDs[s]), names[s], int64(len(members[s])), float64(len(members[s])) / float64(n)}
		if traits {
			row = append(row, prof.Segments[s].Traits)
		}
		for _, c := range used {
			if c.Kind.Numeric() {
				row = append(row, meanOf(c, members[s]))
			} else {
				top, share := topOf(c, members[s])
				row = append(row, top, share)
			}
		}
		sh.rows = append(sh.rows, row)
	}
	return sh
}

// meanOf is the mean of c over rows, missing values left out; nil when
// there is none.
func meanOf(c *frame.Column, rows []int) any {
	var sum float64
	k := 0
	for _, i := range rows {
		if v, ok := c.Value(i); ok && !math.IsNaN(v) {
			sum += v
			k++
		}
	}
	if k == 0 {
		return nil
	}
	return sum / float64(k)
}

// topOf is the most frequent value of c over rows (ties to the smallest)
// and its share of the rows with a value; nil when there is none.
func topOf(c *frame.Column, rows []int) (any, any) {
	counts := map[string]int{}
	k := 0
	for _, i := range rows {
		if c.IsMissing(i) {
			continue
		}
		counts[c.Format(i)]++
		k++
	}
	if k == 0 {
		return nil, nil
	}
	best, bestN := "", -1
	for v, m := range counts {
		if m > bestN || m == bestN && v < best {
			best, bestN = v, m
		}
	}
	return best, float64(bestN) / float64(k)
}
