package csvio

import (
	"encoding/binary"
	"hash/maphash"
	"unsafe"
)

// dictSeed hashes every dictionary word of the process, so that a chunk's
// hashes are reused when the chunks are merged (mergeDict.add).
var dictSeed = maphash.MakeSeed()

// strDict assigns codes to distinct strings in order of first appearance.
// Up to smallDict words it compares with each; beyond, it uses an
// open-addressing table of (hash tag, code) pairs, which is faster than a
// Go map for this use because lookups take []byte and rarely insert.
//
// The words are copied into arena blocks rather than allocated one by one
// (an id column has a new word on every row): a block is never written
// again once a word is in it, and reset starts a new one, so the words
// stay valid after the dictionary moves on, wherever they were handed.
type strDict struct {
	words  []string
	hashes []uint64 // hash of each word, once the table is in use
	heads  []head   // small mode: a cheap summary of each word
	slots  []uint64 // hash>>32<<32 | code+1; 0 = empty

	block []byte // free space of the current arena block
	used  int    // bytes of words since the last reset, to size the next block
	last  int
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

// smallDict is the dictionary size up to which code compares with every
// word instead of hashing: most categorical columns have a handful of values.
const smallDict = 8

// Arena block sizes: a block is sized after the words of the previous
// chunk, within these bounds.
const (
	minBlock = 64
	maxBlock = 1 << 20
)

func (d *strDict) reset() {
	d.words, d.heads, d.hashes = d.words[:0], d.heads[:0], d.hashes[:0]
	clear(d.slots)
	d.block = nil // words handed out keep their block; never write to it again
	d.last, d.used = max(d.last, d.used), 0
}

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
	h := maphash.Bytes(dictSeed, b)
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

// intern copies b into the arena and returns it as a string.
func (d *strDict) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > len(d.block) {
		size := min(maxBlock, max(minBlock, d.last, 2*len(b)))
		if len(b) > maxBlock/4 {
			size = len(b) // a long word gets its own block
		}
		d.block = make([]byte, size)
	}
	n := copy(d.block, b)
	s := unsafe.String(&d.block[0], n)
	d.block = d.block[n:]
	d.used += n
	return s
}

// insert adds b, whose hash is h when the table is in use.
func (d *strDict) insert(b []byte, h uint64) int32 {
	code := int32(len(d.words))
	d.words = append(d.words, d.intern(b))
	n := len(d.words)
	switch {
	case n <= smallDict:
		d.heads = append(d.heads, headOf(b))
	case n == smallDict+1 || len(d.slots) < 2*n:
		// Leaving small mode (the table may hold another chunk's size but
		// none of these words), or full: (re)build the table.
		d.grow()
	default:
		d.hashes = append(d.hashes, h)
		d.put(h, code)
	}
	return code
}

func (d *strDict) grow() {
	size := max(64, len(d.slots))
	for size < 2*len(d.words) {
		size *= 2
	}
	if size == len(d.slots) {
		clear(d.slots)
	} else {
		d.slots = make([]uint64, size)
	}
	d.hashes = d.hashes[:0]
	for i, w := range d.words {
		h := maphash.String(dictSeed, w)
		d.hashes = append(d.hashes, h)
		d.put(h, int32(i))
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

// hash returns the hash of word i (computing it in small mode).
func (d *strDict) hash(i int) uint64 {
	if i < len(d.hashes) {
		return d.hashes[i]
	}
	return maphash.String(dictSeed, d.words[i])
}

// mergeDict is the dictionary of a whole column as the chunks are merged:
// words in order of first appearance and an open-addressing table of
// (hash tag, code) pairs, filled at most to 3/4. It keeps the words the
// chunks interned (no copy) and reuses their hashes.
type mergeDict struct {
	words []string
	slots []uint64 // hash>>32<<32 | code+1; 0 = empty
}

// add returns the code of word w with hash h, adding it when new.
func (m *mergeDict) add(w string, h uint64) int32 {
	if 4*len(m.words) >= 3*len(m.slots) {
		m.grow()
	}
	mask := uint64(len(m.slots) - 1)
	tag := h >> 32 << 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := m.slots[i]
		if s == 0 {
			code := int32(len(m.words))
			m.words = append(m.words, w)
			m.slots[i] = tag | uint64(code+1)
			return code
		}
		if s&^(1<<32-1) == tag && m.words[uint32(s)-1] == w {
			return int32(uint32(s) - 1)
		}
	}
}

// addText is add for a word that is not interned yet.
func (m *mergeDict) addText(t []byte) int32 {
	n := len(m.words)
	code := m.add(unsafe.String(unsafe.SliceData(t), len(t)), maphash.Bytes(dictSeed, t))
	if int(code) == n { // new: keep a copy, not t's bytes
		m.words[code] = string(t)
	}
	return code
}

func (m *mergeDict) grow() {
	size := max(16, 2*len(m.slots))
	m.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for code, w := range m.words {
		h := maphash.String(dictSeed, w)
		i := h & mask
		for m.slots[i] != 0 {
			i = (i + 1) & mask
		}
		m.slots[i] = h>>32<<32 | uint64(code+1)
	}
}
