package clean

import (
	"context"
	"math"
	"math/bits"
	"runtime"
	"sync"

	"github.com/churnlab/segment/internal/frame"
)

// keepDistinct reports, for the rows of a table listed in rows (nil: all n
// rows), in that order, whether each is the first (last, with last) of the
// rows with equal values in cols: missing equals missing, floats compare by
// value (-0 equals 0), strings by dictionary code, which within a column is
// the same as by text. Rows are compared exactly; a hash of each row only
// groups the candidates. The work is split into fixed chunks and hash
// partitions, so the result does not depend on GOMAXPROCS.
//
// Memory is 8 bytes per row for the hashes, 4 for the partition lists and
// the tables of one partition per worker: no per-row key is built.
func keepDistinct(ctx context.Context, cols []*frame.Column, rows []int, n int, last bool) ([]bool, error) {
	m := n
	if rows != nil {
		m = len(rows)
	}
	keep := make([]bool, m)
	if m == 0 {
		return keep, nil
	}
	hashes := make([]uint64, m)
	if err := parallelChunks(ctx, m, distinctChunk, func(lo, hi int) {
		for _, c := range cols {
			hashColumn(hashes[lo:hi], c, rows, lo, hi)
		}
		for p := lo; p < hi; p++ {
			hashes[p] = fmix(hashes[p])
		}
	}); err != nil {
		return nil, err
	}

	// Partition the positions by the top bits of their hash, in order:
	// each partition's table then fits in the CPU cache.
	pbits := 0
	for (m >> pbits) > distinctPartition {
		pbits++
	}
	parts := 1 << pbits
	starts := make([]int, parts+1)
	part := func(h uint64) int {
		if pbits == 0 {
			return 0
		}
		return int(h >> (64 - pbits))
	}
	for _, h := range hashes {
		starts[part(h)+1]++
	}
	for p := range parts {
		starts[p+1] += starts[p]
	}
	order := make([]int32, m)
	fill := append([]int(nil), starts[:parts]...)
	for p, h := range hashes {
		q := part(h)
		order[fill[q]] = int32(p)
		fill[q]++
	}
	row := func(p int32) int {
		if rows == nil {
			return int(p)
		}
		return rows[p]
	}
	err := parallelChunks(ctx, parts, 1, func(lo, hi int) {
		var slots []uint64
		for q := lo; q < hi; q++ {
			list := order[starts[q]:starts[q+1]]
			size := 16
			for size < 2*len(list) {
				size *= 2
			}
			if cap(slots) < size {
				slots = make([]uint64, size)
			}
			slots = slots[:size]
			clear(slots)
			mask := uint64(size - 1)
			for k := range list {
				if last {
					k = len(list) - 1 - k
				}
				p := list[k]
				h := hashes[p]
				tag := h << 32 >> 32 << 32 // the low 32 bits (the top ones chose the partition)
				dup := false
				for i := (h >> 7) & mask; ; i = (i + 1) & mask {
					s := slots[i]
					if s == 0 {
						slots[i] = tag | uint64(p+1)
						break
					}
					if s&^(1<<32-1) == tag {
						if o := int32(s&(1<<32-1)) - 1; hashes[o] == h && equalRows(cols, row(o), row(p)) {
							dup = true
							break
						}
					}
				}
				keep[p] = !dup
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return keep, nil
}

// Sizes of the work units of keepDistinct.
const (
	distinctChunk     = 1 << 14 // rows hashed per unit
	distinctPartition = 1 << 15 // rows per hash partition, at most about
)

// hash constants (SplitMix64 / MurmurHash3's finaliser).
const (
	hashMul  = 0xbf58476d1ce4e5b9
	missHash = 0x9e3779b97f4a7c15 // stands for a missing cell
)

func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func mixIn(h, v uint64) uint64 {
	h = (h ^ v) * hashMul
	return bits.RotateLeft64(h, 29)
}

// hashColumn mixes column c's value at positions lo..hi-1 (rows[p], or p)
// into hs (hs[0] is position lo).
func hashColumn(hs []uint64, c *frame.Column, rows []int, lo, hi int) {
	at := func(p int) int {
		if rows == nil {
			return p
		}
		return rows[p]
	}
	miss := c.Missing
	switch c.Kind {
	case frame.Float:
		for p := lo; p < hi; p++ {
			i := at(p)
			v := uint64(missHash)
			if miss == nil || !miss[i] {
				f := c.Floats[i]
				if f == 0 {
					f = 0 // -0 equals 0
				}
				v = math.Float64bits(f)
			}
			hs[p-lo] = mixIn(hs[p-lo], v)
		}
	case frame.Int:
		switch {
		case frame.IntSlice[int8](c) != nil:
			hashInts(hs, frame.IntSlice[int8](c), miss, rows, lo, hi)
		case frame.IntSlice[int16](c) != nil:
			hashInts(hs, frame.IntSlice[int16](c), miss, rows, lo, hi)
		case frame.IntSlice[int32](c) != nil:
			hashInts(hs, frame.IntSlice[int32](c), miss, rows, lo, hi)
		default:
			hashInts(hs, frame.IntSlice[int64](c), miss, rows, lo, hi)
		}
	case frame.Bool:
		for p := lo; p < hi; p++ {
			i := at(p)
			v := uint64(missHash)
			if miss == nil || !miss[i] {
				v = 0
				if c.Bools[i] {
					v = 1
				}
			}
			hs[p-lo] = mixIn(hs[p-lo], v)
		}
	default:
		for p := lo; p < hi; p++ {
			i := at(p)
			v := uint64(missHash)
			if code := c.Code(i); code >= 0 {
				v = uint64(code)
			}
			hs[p-lo] = mixIn(hs[p-lo], v)
		}
	}
}

func hashInts[T frame.Integer](hs []uint64, vals []T, miss []bool, rows []int, lo, hi int) {
	for p := lo; p < hi; p++ {
		i := p
		if rows != nil {
			i = rows[p]
		}
		v := uint64(missHash)
		if miss == nil || !miss[i] {
			v = uint64(int64(vals[i]))
		}
		hs[p-lo] = mixIn(hs[p-lo], v)
	}
}

// equalRows reports whether rows i and j hold equal values in cols.
func equalRows(cols []*frame.Column, i, j int) bool {
	for _, c := range cols {
		mi, mj := c.IsMissing(i), c.IsMissing(j)
		if mi != mj {
			return false
		}
		if mi {
			continue
		}
		switch c.Kind {
		case frame.Float:
			if c.Floats[i] != c.Floats[j] { // -0 == 0; no NaN outside missing cells
				return false
			}
		case frame.Int:
			if c.Int(i) != c.Int(j) {
				return false
			}
		case frame.Bool:
			if c.Bools[i] != c.Bools[j] {
				return false
			}
		default:
			if c.Code(i) != c.Code(j) {
				return false
			}
		}
	}
	return true
}

// parallelChunks calls fn(lo, hi) for the fixed chunks [k·size, (k+1)·size)
// of 0..n-1 on up to GOMAXPROCS goroutines; fn must write only its own
// part of the outputs. It stops handing out chunks once ctx is cancelled
// and then returns ctx.Err().
func parallelChunks(ctx context.Context, n, size int, fn func(lo, hi int)) error {
	chunks := (n + size - 1) / size
	workers := max(1, min(runtime.GOMAXPROCS(0), chunks))
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				k := next
				next++
				mu.Unlock()
				if k >= chunks {
					return
				}
				fn(k*size, min(n, (k+1)*size))
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
