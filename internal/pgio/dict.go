package pgio

import (
	"encoding/binary"
	"hash/maphash"
)

// strDict assigns codes to distinct strings in order of first appearance;
// its words become the column's frame dictionary. It is the design of
// internal/csvio's dictionary: up to smallDict words a lookup compares a
// cheap summary of each word; beyond, an open-addressing table of
// (hash tag, code) pairs keyed by maphash, which takes []byte without
// allocating and is about twice as fast as a Go map here (measured on the
// 1M-row churn table, bench/postgres).
type strDict struct {
	words []string
	heads []head   // small mode: a summary of each word
	slots []uint64 // hash>>32<<32 | code+1; 0 = empty
	seed  maphash.Seed
}

// head is a word's length and first 8 bytes.
type head struct {
	first uint64
	n     int
}

func headOf(b []byte) head {
	if len(b) >= 8 {
		return head{binary.LittleEndian.Uint64(b), len(b)}
	}
	var k uint64
	for i := len(b) - 1; i >= 0; i-- {
		k = k<<8 | uint64(b[i])
	}
	return head{k, len(b)}
}

// smallDict is the size up to which code compares with every word: most
// categorical columns have a handful of values.
const smallDict = 8

func (d *strDict) code(b []byte) int32 {
	if len(d.words) <= smallDict {
		h := headOf(b)
		for i, x := range d.heads {
			if x == h && (h.n <= 8 || d.words[i][8:] == string(b[8:])) {
				return int32(i)
			}
		}
		return d.insert(b, 0)
	}
	h := maphash.Bytes(d.seed, b)
	mask := uint64(len(d.slots) - 1)
	tag := h >> 32 << 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := d.slots[i]
		if s == 0 {
			return d.insert(b, h)
		}
		if s&^(1<<32-1) == tag {
			if w := d.words[uint32(s)-1]; w == string(b) {
				return int32(uint32(s) - 1)
			}
		}
	}
}

// insert adds b, whose hash is h when the table is in use.
func (d *strDict) insert(b []byte, h uint64) int32 {
	code := int32(len(d.words))
	d.words = append(d.words, string(b))
	n := len(d.words)
	switch {
	case n <= smallDict:
		d.heads = append(d.heads, headOf(b))
	case len(d.slots) < 2*n:
		d.grow()
	default:
		d.put(h, code)
	}
	return code
}

func (d *strDict) grow() {
	size := max(64, 2*len(d.slots))
	for size < 2*len(d.words) {
		size *= 2
	}
	if d.slots == nil {
		d.seed = maphash.MakeSeed()
	}
	d.slots = make([]uint64, size)
	for i, w := range d.words {
		d.put(maphash.String(d.seed, w), int32(i))
	}
}

func (d *strDict) put(h uint64, code int32) {
	mask := uint64(len(d.slots) - 1)
	i := h & mask
	for d.slots[i] != 0 {
		i = (i + 1) & mask
	}
	d.slots[i] = h>>32<<32 | uint64(code+1)
}
