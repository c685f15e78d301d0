package stats

import (
	"math"
	"slices"
)

// radixMin is the length below which the comparison sorts of package slices
// are used instead of the radix sorts.
const radixMin = 512

// Radix sorts use 11-bit digits: 6 passes over 64-bit keys, with a
// 2048-entry histogram that stays in L1 cache.
const (
	radixBits    = 11
	radixBuckets = 1 << radixBits
	radixMask    = radixBuckets - 1
	radixPasses  = (64 + radixBits - 1) / radixBits
)

// floatKey maps a non-NaN float64 to a uint64 whose unsigned order is the
// numeric order of the floats (-0 sorts just before +0).
func floatKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// keyFloat inverts floatKey.
func keyFloat(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// sortFloat64s sorts v (which holds no NaN) in increasing order in place.
// Long slices use an LSD radix sort on the IEEE-754 bits.
func sortFloat64s(v []float64) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	keys := make([]uint64, len(v))
	for i, x := range v {
		keys[i] = floatKey(x)
	}
	sortKeys(keys)
	for i, k := range keys {
		v[i] = keyFloat(k)
	}
}

// SortFloat64s sorts v in increasing order in place, with the result of
// slices.Sort: long slices without NaN or -0 (where equal values are
// identical, so every correct sort gives the same slice) are radix sorted
// on their bits, several times faster; the others go to slices.Sort.
func SortFloat64s(v []float64) {
	if len(v) >= radixMin {
		for _, x := range v {
			if x != x || x == 0 && math.Signbit(x) {
				slices.Sort(v)
				return
			}
		}
	}
	sortFloat64s(v)
}

// sortKeys sorts keys in increasing order in place: an LSD radix sort for
// long slices (with one buffer of the same length), skipping the passes
// whose digit is the same in every key.
func sortKeys(keys []uint64) {
	if len(keys) < radixMin {
		slices.Sort(keys)
		return
	}
	orig := keys
	buf := make([]uint64, len(keys))
	hist := histograms(keys)
	for p := range radixPasses {
		shift := uint(p * radixBits)
		pos, ok := prefix(&hist[p], len(keys))
		if !ok {
			continue
		}
		for _, k := range keys {
			d := (k >> shift) & radixMask
			buf[pos[d]] = k
			pos[d]++
		}
		keys, buf = buf, keys
	}
	if &keys[0] != &orig[0] {
		copy(orig, keys)
	}
}

// argsortKeys sorts keys and returns, for each sorted position, the
// original index: a stable sort, keys reordered in place.
func argsortKeys(keys []uint64) []int32 {
	idx := make([]int32, len(keys))
	for i := range idx {
		idx[i] = int32(i)
	}
	if len(keys) < radixMin {
		type pair struct {
			k uint64
			i int32
		}
		ps := make([]pair, len(keys))
		for i, k := range keys {
			ps[i] = pair{k, int32(i)}
		}
		slices.SortStableFunc(ps, func(a, b pair) int {
			switch {
			case a.k < b.k:
				return -1
			case a.k > b.k:
				return 1
			}
			return 0
		})
		for i, p := range ps {
			keys[i], idx[i] = p.k, p.i
		}
		return idx
	}
	kbuf := make([]uint64, len(keys))
	ibuf := make([]int32, len(keys))
	hist := histograms(keys)
	src, sidx := keys, idx
	for p := range radixPasses {
		shift := uint(p * radixBits)
		pos, ok := prefix(&hist[p], len(keys))
		if !ok {
			continue
		}
		for j, k := range src {
			d := (k >> shift) & radixMask
			p := pos[d]
			kbuf[p] = k
			ibuf[p] = sidx[j]
			pos[d]++
		}
		src, kbuf = kbuf, src
		sidx, ibuf = ibuf, sidx
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return sidx
}

// histograms counts, in one pass, the digits of keys for every radix pass.
func histograms(keys []uint64) *[radixPasses][radixBuckets]int {
	var h [radixPasses][radixBuckets]int
	for _, k := range keys {
		for p := range radixPasses {
			h[p][(k>>(p*radixBits))&radixMask]++
		}
	}
	return &h
}

// prefix turns a histogram of n keys into starting positions; ok is false
// when all keys share one digit, so the pass can be skipped.
func prefix(count *[radixBuckets]int, n int) (pos *[radixBuckets]int, ok bool) {
	pos = new([radixBuckets]int)
	sum := 0
	for d, c := range count {
		if c == n {
			return nil, false
		}
		pos[d] = sum
		sum += c
	}
	return pos, true
}

// sortedFinite is a column's finite values in increasing order, as keys
// (with -0 folded into +0, so equal keys mean equal values), and the rows
// they come from; ties keep row order.
type sortedFinite struct {
	keys []uint64
	rows []int32
}

func sortFinite(x []float64) sortedFinite {
	keys := make([]uint64, 0, len(x))
	var rows []int32
	complete := true
	for i, v := range x {
		if !isFinite(v) {
			if complete {
				complete = false
				rows = make([]int32, 0, len(x))
				for r := range i {
					rows = append(rows, int32(r))
				}
			}
			continue
		}
		keys = append(keys, floatKey(v+0)) // v+0 turns -0 into +0
		if !complete {
			rows = append(rows, int32(i))
		}
	}
	order := argsortKeys(keys)
	if !complete {
		for i, o := range order {
			order[i] = rows[o]
		}
	}
	return sortedFinite{keys: keys, rows: order}
}

// bitset marks rows; nil stands for "every row".
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) has(i int32) bool { return b == nil || b[i>>6]&(1<<(uint(i)&63)) != 0 }

// rankInto writes into dst (one entry per row) the 1-based average ranks
// of the column sorted in s over its rows that keep has, and NaN for every
// other row. Tied values get the mean of their ranks, like pandas' rank_1d
// with method="average".
func rankInto(dst []float64, s sortedFinite, keep bitset) {
	for i := range dst {
		dst[i] = math.NaN()
	}
	pos := 0 // ranks assigned so far
	n := len(s.keys)
	for start := 0; start < n; {
		end := start + 1
		for end < n && s.keys[end] == s.keys[start] {
			end++
		}
		rows := s.rows[start:end]
		k := len(rows)
		if keep != nil {
			k = 0
			for _, row := range rows {
				if keep.has(row) {
					k++
				}
			}
		}
		// Mean of the ranks pos+1 … pos+k; a multiple of 0.5, exact.
		r := float64(2*pos+k+1) / 2
		for _, row := range rows {
			if keep.has(row) {
				dst[row] = r
			}
		}
		pos += k
		start = end
	}
}

// averageRanks returns the 1-based average ranks of v (which holds no
// NaN).
func averageRanks(v []float64) []float64 {
	r := make([]float64, len(v))
	rankInto(r, sortFinite(v), nil)
	return r
}
