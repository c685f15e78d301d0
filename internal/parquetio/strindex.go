package parquetio

import (
	"hash/maphash"
	"unsafe"
)

// strIndex finds the code of a string among the distinct words of a
// dictionary. It is an open-addressing table of (hash tag, code) pairs over
// the words slice it is given; for the millions of distinct ids of a
// customer table it is about twice as fast as a Go map and much smaller.
type strIndex struct {
	slots []uint64 // hash>>32<<32 | code+1; 0 = empty
	seed  maphash.Seed
	n     int // codes indexed
}

var indexSeed = maphash.MakeSeed()

// reserve makes room for n more words without growing.
func (x *strIndex) reserve(words []string, n int) {
	if need := 2 * (x.n + n); len(x.slots) < need {
		x.rebuild(words, need)
	}
}

func (x *strIndex) rebuild(words []string, need int) {
	size := 64
	for size < need {
		size *= 2
	}
	x.seed = indexSeed
	x.slots = make([]uint64, size)
	for i, w := range words[:x.n] {
		x.put(maphash.String(x.seed, w), int32(i))
	}
}

func (x *strIndex) put(h uint64, code int32) {
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = h>>32<<32 | uint64(code+1)
}

// findBytes returns the code of b, or -1 and b's hash for add.
func (x *strIndex) findBytes(words []string, b []byte) (int32, uint64) {
	if x.slots == nil {
		x.rebuild(words, 64)
	}
	h := maphash.Bytes(x.seed, b)
	mask := uint64(len(x.slots) - 1)
	tag := h >> 32 << 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return -1, h
		}
		if s&^(1<<32-1) == tag {
			if c := int32(uint32(s) - 1); words[c] == string(b) {
				return c, h
			}
		}
	}
}

// findString is findBytes for a string.
func (x *strIndex) findString(words []string, s string) (int32, uint64) {
	return x.findBytes(words, unsafe.Slice(unsafe.StringData(s), len(s)))
}

// add indexes words[code], whose hash is h; code must be x.n.
func (x *strIndex) add(words []string, h uint64, code int32) {
	x.n++
	if len(x.slots) < 2*x.n {
		x.rebuild(words, 2*x.n)
		return
	}
	x.put(h, code)
}

// arena stores the bytes of many strings in a few large blocks, so that
// making a million distinct strings costs a few allocations, not a million.
// A block is never written again once a string points into it.
type arena struct {
	block []byte
}

// Blocks start small (most columns have a few distinct values per batch)
// and double up to arenaBlock.
const arenaBlock = 256 << 10

func (a *arena) str(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	if n > arenaBlock/4 {
		return string(b)
	}
	if len(a.block)+n > cap(a.block) {
		a.block = make([]byte, 0, min(arenaBlock, max(4<<10, 2*cap(a.block), 2*n)))
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], n)
}
