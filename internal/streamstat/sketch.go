package streamstat

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Histogram geometry: a bin is the top binBits bits of a value's ordered
// key, split into a group (sign and exponent) and a sub-bin (the top of the
// mantissa).
const (
	binBits   = 24
	subBits   = 12
	groupBits = binBits - subBits
	subBins   = 1 << subBits
	groups    = 1 << groupBits
)

// orderedKey maps a float64 to a uint64 that sorts as the floats do
// (-0 and +0 together as +0; NaN is never given).
func orderedKey(v float64) uint64 {
	if v == 0 {
		v = 0 // -0 sorts with +0, as pandas compares values
	}
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func binOf(v float64) uint32 { return uint32(orderedKey(v) >> (64 - binBits)) }

// binLow is the smallest float of bin b (−Inf for the lowest bins).
func binLow(b uint32) float64 {
	k := uint64(b) << (64 - binBits)
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	// negative values: the smallest of the bin has the largest magnitude
	return -math.Float64frombits((^k) &^ (1 << 63))
}

// Sketch finds exact order statistics of the values added to it, in two
// passes over the same values: Add in the first, then Plan* to choose what
// must be exact, then Collect in the second, then Value, Ceil, Floor and
// CountLE. A Sketch is used by one goroutine; Merge combines sketches of
// disjoint parts of the values (in either pass).
type Sketch struct {
	n      int64
	counts [groups]*[subBins]int64

	// after planning
	planned []uint32 // sorted distinct bins to collect
	lo, hi  uint32   // the planned bins' range (quick reject)
	vals    map[float64]int64
	// hot counts, per planned bin, the copies of the first value collected
	// in it (most planned bins of real data hold one value many times:
	// an age, a whole-dollar charge), before they go into vals.
	hot []hotValue
	// memo remembers recent bins' places in planned (-1: not planned),
	// direct-mapped by a hash of the bin: data repeats a few bins, and a
	// look-up beats a binary search per value.
	memo *[memoSize]binMemo

	// after the second pass
	done   bool
	sorted []valueCount // collected values in order, with their counts
	below  map[uint32]int64
}

const memoBits = 6
const memoSize = 1 << memoBits

type binMemo struct {
	bin uint32 // 1<<binBits: empty
	idx int32
}

// plannedIndex returns bin b's place in planned, or -1.
func (s *Sketch) plannedIndex(b uint32) int {
	m := &s.memo[(b*0x9E3779B1)>>(32-memoBits)]
	if m.bin != b {
		i, ok := slices.BinarySearch(s.planned, b)
		if !ok {
			i = -1
		}
		m.bin, m.idx = b, int32(i)
	}
	return int(m.idx)
}

type hotValue struct {
	v float64
	n int64
}

// flushHot moves the hot counts into vals.
func (s *Sketch) flushHot() {
	for i := range s.hot {
		if h := &s.hot[i]; h.n > 0 {
			s.vals[h.v] += h.n
			h.n = 0
		}
	}
}

type valueCount struct {
	v   float64
	n   int64
	end int64 // rank after the last copy of v (exclusive)
}

// Add counts v (NaN is ignored) in the first pass.
func (s *Sketch) Add(v float64) {
	if v != v {
		return
	}
	b := binOf(v)
	g := s.counts[b>>subBits]
	if g == nil {
		g = new([subBins]int64)
		s.counts[b>>subBits] = g
	}
	g[b&(subBins-1)]++
	s.n++
}

// AddAll counts every value of x (NaN ignored).
func (s *Sketch) AddAll(x []float64) {
	for _, v := range x {
		s.Add(v)
	}
}

// N is the number of values counted.
func (s *Sketch) N() int64 { return s.n }

// Merge adds the counts (first pass) or the collected values (second pass)
// of o, a sketch of other values with the same plan.
func (s *Sketch) Merge(o *Sketch) {
	if o.vals != nil {
		if s.vals == nil {
			s.vals = map[float64]int64{}
		}
		s.flushHot()
		o.flushHot()
		for v, c := range o.vals {
			s.vals[v] += c
		}
		return
	}
	for g, oc := range o.counts {
		if oc == nil {
			continue
		}
		c := s.counts[g]
		if c == nil {
			c = new([subBins]int64)
			s.counts[g] = c
		}
		for i, v := range oc {
			c[i] += v
		}
	}
	s.n += o.n
}

// count returns bin b's count.
func (s *Sketch) count(b uint32) int64 {
	g := s.counts[b>>subBits]
	if g == nil {
		return 0
	}
	return g[b&(subBins-1)]
}

// forBins calls f for each non-empty bin in increasing order until it
// returns false.
func (s *Sketch) forBins(from uint32, f func(b uint32, n int64) bool) {
	for g := from >> subBits; g < groups; g++ {
		c := s.counts[g]
		if c == nil {
			continue
		}
		start := uint32(0)
		if g == from>>subBits {
			start = from & (subBins - 1)
		}
		for i := start; i < subBins; i++ {
			if c[i] > 0 && !f(g<<subBits|i, c[i]) {
				return
			}
		}
	}
}

// forBinsDown calls f for each non-empty bin at or below from in
// decreasing order until it returns false.
func (s *Sketch) forBinsDown(from uint32, f func(b uint32, n int64) bool) {
	for g := int(from >> subBits); g >= 0; g-- {
		c := s.counts[g]
		if c == nil {
			continue
		}
		start := subBins - 1
		if g == int(from>>subBits) {
			start = int(from & (subBins - 1))
		}
		for i := start; i >= 0; i-- {
			if c[i] > 0 && !f(uint32(g)<<subBits|uint32(i), c[i]) {
				return
			}
		}
	}
}

func (s *Sketch) mark(b uint32) {
	if i, found := slices.BinarySearch(s.planned, b); !found {
		s.planned = slices.Insert(s.planned, i, b)
	}
}

// PlanRanks marks the bins holding the values of the given 0-based ranks
// (ranks outside 0…N−1 are ignored).
func (s *Sketch) PlanRanks(ranks ...int64) {
	want := slices.Clone(ranks)
	slices.Sort(want)
	var cum int64
	k := 0
	for k < len(want) && want[k] < 0 {
		k++
	}
	s.forBins(0, func(b uint32, n int64) bool {
		for k < len(want) && want[k] < cum+n {
			s.mark(b)
			k++
		}
		cum += n
		return k < len(want)
	})
}

// PlanQuantiles marks what Quantile(q) needs for each q.
func (s *Sketch) PlanQuantiles(qs ...float64) {
	for _, q := range qs {
		i, _ := quantileIndex(s.n, q)
		s.PlanRanks(i, i+1)
	}
}

// PlanCeil marks what Ceil(f) needs for every f in [lo, hi]: the bins
// from lo's to hi's and the first non-empty bin above.
func (s *Sketch) PlanCeil(lo, hi float64) {
	if lo != lo || hi != hi || lo > hi {
		return
	}
	bl, bh := binOf(lo), binOf(hi)
	s.forBins(bl, func(b uint32, _ int64) bool {
		s.mark(b)
		return b <= bh
	})
}

// PlanFloor marks what Floor(f) needs for every f in [lo, hi]: the bins
// from lo's to hi's and the last non-empty bin below.
func (s *Sketch) PlanFloor(lo, hi float64) {
	if lo != lo || hi != hi || lo > hi {
		return
	}
	bl, bh := binOf(lo), binOf(hi)
	s.forBinsDown(bh, func(b uint32, _ int64) bool {
		s.mark(b)
		return b >= bl
	})
}

// PlanValue marks the bin of v, so that CountLE(v) is exact.
func (s *Sketch) PlanValue(v float64) {
	if v == v {
		s.mark(binOf(v))
	}
}

// BinRange returns the smallest and largest value bin b of the value at
// rank r can hold: bounds on that value known after the first pass.
func (s *Sketch) RankBounds(r int64) (lo, hi float64, ok bool) {
	var cum int64
	var bin uint32
	found := false
	s.forBins(0, func(b uint32, n int64) bool {
		if r < cum+n {
			bin, found = b, true
			return false
		}
		cum += n
		return true
	})
	if !found || r < 0 {
		return math.NaN(), math.NaN(), false
	}
	lo = binLow(bin)
	if bin == 1<<binBits-1 {
		hi = math.Inf(1)
	} else {
		hi = math.Nextafter(binLow(bin+1), math.Inf(-1))
	}
	return lo, hi, true
}

// Planned returns how many values the second pass will keep (an upper
// bound on its memory, in values).
func (s *Sketch) Planned() int64 {
	var n int64
	for _, b := range s.planned {
		n += s.count(b)
	}
	return n
}

// StartCollect ends the planning: Collect may be called.
func (s *Sketch) StartCollect() {
	s.vals = map[float64]int64{}
	s.hot = make([]hotValue, len(s.planned))
	s.memo = new([memoSize]binMemo)
	for i := range s.memo {
		s.memo[i].bin = 1 << binBits
	}
	if len(s.planned) > 0 {
		s.lo, s.hi = s.planned[0], s.planned[len(s.planned)-1]
	}
}

// Plan copies o's plan (a sketch of the same values, planned) into s, for
// a worker's share of the second pass.
func (s *Sketch) Plan(o *Sketch) {
	s.planned = o.planned
	s.StartCollect()
}

// Collect keeps v (second pass) when its bin was planned.
func (s *Sketch) Collect(v float64) {
	if v != v || len(s.planned) == 0 {
		return
	}
	b := binOf(v)
	if b < s.lo || b > s.hi {
		return
	}
	if i := s.plannedIndex(b); i >= 0 {
		if v == 0 {
			v = 0
		}
		h := &s.hot[i]
		switch {
		case h.n == 0:
			h.v, h.n = v, 1
		case h.v == v:
			h.n++
		default:
			s.vals[v]++
		}
	}
}

// CollectAll collects every value of x.
func (s *Sketch) CollectAll(x []float64) {
	for _, v := range x {
		s.Collect(v)
	}
}

// Finish ends the second pass. It checks that every planned bin was
// collected in full (the two passes saw the same values).
func (s *Sketch) Finish() error {
	s.sorted = s.sorted[:0]
	s.flushHot()
	for v, c := range s.vals {
		s.sorted = append(s.sorted, valueCount{v: v, n: c})
	}
	sort.Slice(s.sorted, func(a, b int) bool { return s.sorted[a].v < s.sorted[b].v })
	got := map[uint32]int64{}
	for _, vc := range s.sorted {
		got[binOf(vc.v)] += vc.n
	}
	for _, b := range s.planned {
		if got[b] != s.count(b) {
			return fmt.Errorf("streamstat: bin %d held %d values in the first pass and %d in the second; the input changed between passes", b, s.count(b), got[b])
		}
	}
	// rows below each planned bin
	s.below = make(map[uint32]int64, len(s.planned))
	var cum int64
	k := 0
	s.forBins(0, func(b uint32, n int64) bool {
		for k < len(s.planned) && s.planned[k] <= b {
			s.below[s.planned[k]] = cum
			k++
		}
		cum += n
		return k < len(s.planned)
	})
	for ; k < len(s.planned); k++ {
		s.below[s.planned[k]] = cum
	}
	prev := uint32(0)
	var end int64
	for i := range s.sorted {
		if b := binOf(s.sorted[i].v); i == 0 || b != prev {
			prev, end = b, s.below[b]
		}
		end += s.sorted[i].n
		s.sorted[i].end = end
	}
	s.vals = nil
	s.done = true
	return nil
}

// Value returns the value of 0-based rank r; ok is false when its bin was
// not planned (or r is out of range).
func (s *Sketch) Value(r int64) (float64, bool) {
	if !s.done || r < 0 || r >= s.n {
		return math.NaN(), false
	}
	i := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].end > r })
	if i == len(s.sorted) {
		return math.NaN(), false
	}
	vc := s.sorted[i]
	if r < s.below[binOf(vc.v)] {
		return math.NaN(), false // r lies in an unplanned bin before this one
	}
	return vc.v, true
}

// Quantile is the q-quantile with numpy's linear interpolation, exactly
// as stats.Quantile on the sorted values; ok is false when it was not
// planned. NaN without values.
func (s *Sketch) Quantile(q float64) (float64, bool) {
	if s.n == 0 || !(q >= 0 && q <= 1) {
		return math.NaN(), s.n == 0
	}
	i, g := quantileIndex(s.n, q)
	a, ok := s.Value(i)
	if !ok {
		return math.NaN(), false
	}
	if i >= s.n-1 {
		return a, true
	}
	b, ok := s.Value(i + 1)
	if !ok {
		return math.NaN(), false
	}
	diff := b - a
	if g >= 0.5 {
		return b - diff*(1-g), true
	}
	return a + diff*g, true
}

// quantileIndex is numpy's linear method's lower index floor((n−1)q) and
// fraction, clamped as stats.Quantile clamps it.
func quantileIndex(n int64, q float64) (int64, float64) {
	virtual := float64(n-1) * q
	if virtual >= float64(n-1) {
		return n - 1, 0
	}
	prev := math.Floor(virtual)
	return int64(prev), virtual - prev
}

// Ceil returns the smallest value ≥ f; ok is false when none exists or it
// was not planned (PlanCeil).
func (s *Sketch) Ceil(f float64) (float64, bool) {
	if !s.done {
		return math.NaN(), false
	}
	i := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].v >= f })
	if i == len(s.sorted) {
		return math.NaN(), false
	}
	v := s.sorted[i].v
	// every bin between f's and v's must have been planned (or be empty)
	ok := true
	s.forBins(binOf(f), func(b uint32, _ int64) bool {
		if b >= binOf(v) {
			return false
		}
		if _, in := slices.BinarySearch(s.planned, b); !in {
			ok = false
			return false
		}
		return true
	})
	return v, ok
}

// Floor returns the largest value ≤ f; ok is false when none exists or it
// was not planned (PlanFloor).
func (s *Sketch) Floor(f float64) (float64, bool) {
	if !s.done {
		return math.NaN(), false
	}
	i := sort.Search(len(s.sorted), func(i int) bool { return s.sorted[i].v > f })
	if i == 0 {
		return math.NaN(), false
	}
	v := s.sorted[i-1].v
	ok := true
	s.forBinsDown(binOf(f), func(b uint32, _ int64) bool {
		if b <= binOf(v) {
			return false
		}
		if _, in := slices.BinarySearch(s.planned, b); !in {
			ok = false
			return false
		}
		return true
	})
	return v, ok
}

// CountLE returns the number of values ≤ f; ok is false when f's bin holds
// values and was not planned (PlanValue).
func (s *Sketch) CountLE(f float64) (int64, bool) {
	if !s.done || f != f {
		return 0, false
	}
	b := binOf(f)
	var below int64
	s.forBins(0, func(x uint32, n int64) bool {
		if x >= b {
			return false
		}
		below += n
		return true
	})
	if s.count(b) == 0 {
		return below, true
	}
	if _, in := slices.BinarySearch(s.planned, b); !in {
		return 0, false
	}
	for _, vc := range s.sorted {
		if binOf(vc.v) == b && vc.v <= f {
			below += vc.n
		}
	}
	return below, true
}
