package streamstat

import (
	"container/heap"
	"slices"
)

// SampleKey is row r's random key for seed: the rows with the m smallest
// keys are a uniform random sample of m rows without replacement, the same
// whatever the order or grouping in which rows are seen, and a sample of
// the rows that pass a filter is still uniform among them.
func SampleKey(seed uint64, r int64) uint64 {
	z := seed + uint64(r+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Reservoir keeps the m rows with the smallest keys among those offered,
// each in a slot 0…m−1 the caller stores the row's values in. Ties of keys
// go to the lower row.
type Reservoir struct {
	m int
	h entries
}

type entry struct {
	key  uint64
	row  int64
	slot int
}

type entries []entry

func (h entries) Len() int { return len(h) }
func (h entries) Less(i, j int) bool { // max-heap: the worst kept row on top
	if h[i].key != h[j].key {
		return h[i].key > h[j].key
	}
	return h[i].row > h[j].row
}
func (h entries) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *entries) Push(x any)   { *h = append(*h, x.(entry)) }
func (h *entries) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// NewReservoir keeps up to m rows.
func NewReservoir(m int) *Reservoir { return &Reservoir{m: m} }

// Full reports whether m rows are kept.
func (r *Reservoir) Full() bool { return len(r.h) >= r.m }

// Worst returns the largest kept key and its row: a row offered with a
// larger key (or the same key and a larger row) will not be kept once the
// reservoir is full.
func (r *Reservoir) Worst() (uint64, int64) {
	if len(r.h) == 0 {
		return ^uint64(0), 1<<63 - 1
	}
	return r.h[0].key, r.h[0].row
}

// Offer considers row with key; it returns the slot to store the row's
// values in, or ok false when the row is not kept.
func (r *Reservoir) Offer(key uint64, row int64) (slot int, ok bool) {
	if r.m <= 0 {
		return 0, false
	}
	if len(r.h) < r.m {
		slot = len(r.h)
		heap.Push(&r.h, entry{key, row, slot})
		return slot, true
	}
	top := r.h[0]
	if key > top.key || key == top.key && row > top.row {
		return 0, false
	}
	r.h[0] = entry{key, row, top.slot}
	heap.Fix(&r.h, 0)
	return top.slot, true
}

// Len is the number of rows kept.
func (r *Reservoir) Len() int { return len(r.h) }

// Rows returns the kept rows in increasing order with their slots.
func (r *Reservoir) Rows() (rows []int64, slots []int) {
	e := slices.Clone([]entry(r.h))
	slices.SortFunc(e, func(a, b entry) int {
		switch {
		case a.row < b.row:
			return -1
		case a.row > b.row:
			return 1
		}
		return 0
	})
	for _, x := range e {
		rows = append(rows, x.row)
		slots = append(slots, x.slot)
	}
	return rows, slots
}
