package parquetio

import (
	"math"
	"sync/atomic"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go/deprecated"

	"github.com/churnlab/segment/internal/frame"
)

// colBuf receives decoded rows of one column: a window onto the final
// column's slices (Read) or a batch of its own (Scan). String values are
// stored as codes into the buffer's own dictionary, in order of first
// appearance; merge turns the dictionaries of several buffers into one.
type colBuf struct {
	kind    frame.Kind
	ints    []int64
	floats  []float64
	bools   []bool
	codes   []int32
	missing []bool // allocated at the first missing row
	nMiss   int
	n       int // rows
	lo      int // for a window: its first row in the parent

	dict  []string
	index strIndex // finds the codes of dict's words
	arena arena    // holds the bytes of dict's words
	byKey map[int64]int32
	by96  map[deprecated.Int96]int32
	sized bool   // index was sized for plainly encoded values
	gen   uint32 // identifies this buffer in the chunk dictionaries' remap tables
}

var bufGen atomic.Uint32

// newColBuf allocates a buffer of n rows.
func newColBuf(kind frame.Kind, n int) *colBuf {
	b := &colBuf{kind: kind, n: n}
	switch kind {
	case frame.Int:
		b.ints = make([]int64, n)
	case frame.Float:
		b.floats = make([]float64, n)
	case frame.Bool:
		b.bools = make([]bool, n)
	default:
		b.codes = make([]int32, n)
	}
	b.init()
	return b
}

// window returns a buffer writing rows [lo, hi) of b, with its own string
// dictionary and missing mask (see gather).
func (b *colBuf) window(lo, hi int) *colBuf {
	w := &colBuf{kind: b.kind, n: hi - lo, lo: lo}
	switch b.kind {
	case frame.Int:
		w.ints = b.ints[lo:hi:hi]
	case frame.Float:
		w.floats = b.floats[lo:hi:hi]
	case frame.Bool:
		w.bools = b.bools[lo:hi:hi]
	default:
		w.codes = b.codes[lo:hi:hi]
	}
	w.init()
	return w
}

// gatherMissing gives b the missing mask of its windows, allocated only
// when a row is missing.
func (b *colBuf) gatherMissing(parts []*colBuf) {
	b.nMiss = 0
	for _, p := range parts {
		b.nMiss += p.nMiss
	}
	if b.nMiss == 0 {
		return
	}
	if len(parts) == 1 && parts[0].n == b.n {
		b.missing = parts[0].missing
		return
	}
	b.missing = make([]bool, b.n)
	for _, p := range parts {
		if p.nMiss > 0 {
			copy(b.missing[p.lo:], p.missing)
		}
	}
}

func (b *colBuf) init() {
	b.gen = bufGen.Add(1)
	if b.gen == 0 { // after 2^32 buffers; 0 marks unused remap entries
		b.gen = bufGen.Add(1)
	}
}

// setMissing marks row i missing and stores the kind's placeholder there.
func (b *colBuf) setMissing(i int) {
	if b.missing == nil {
		b.missing = make([]bool, b.n)
	}
	b.missing[i] = true
	b.nMiss++
	switch b.kind {
	case frame.Int:
		b.ints[i] = 0
	case frame.Float:
		b.floats[i] = math.NaN()
	case frame.Bool:
		b.bools[i] = false
	default:
		b.codes[i] = -1
	}
}

// internString returns the code of s, adding it to the dictionary if new.
// s must be valid UTF-8.
func (b *colBuf) internString(s string) int32 {
	c, h := b.index.findString(b.dict, s)
	if c >= 0 {
		return c
	}
	c = int32(len(b.dict))
	b.dict = append(b.dict, s)
	b.index.add(b.dict, h, c)
	return c
}

// internBytes is internString for bytes; ok is false for invalid UTF-8.
func (b *colBuf) internBytes(v []byte) (int32, bool) {
	c, h := b.index.findBytes(b.dict, v)
	if c >= 0 {
		return c, true
	}
	if !utf8.Valid(v) {
		return -1, false
	}
	c = int32(len(b.dict))
	b.dict = append(b.dict, b.arena.str(v))
	b.index.add(b.dict, h, c)
	return c, true
}

// forget drops what is only needed while the buffer is filled.
func (b *colBuf) forget() {
	b.index, b.arena, b.byKey, b.by96 = strIndex{}, arena{}, nil, nil
}

// internKey returns the code of an integer-keyed value (a date, timestamp or
// time), formatting it only the first time it is seen.
func (b *colBuf) internKey(k int64, format func(int64) string) int32 {
	if b.byKey == nil {
		b.byKey = make(map[int64]int32)
	}
	if c, ok := b.byKey[k]; ok {
		return c
	}
	c := b.internString(format(k))
	b.byKey[k] = c
	return c
}

func (b *colBuf) intern96(k deprecated.Int96) int32 {
	if b.by96 == nil {
		b.by96 = make(map[deprecated.Int96]int32)
	}
	if c, ok := b.by96[k]; ok {
		return c
	}
	c := b.internString(formatInt96(k))
	b.by96[k] = c
	return c
}

// column builds the frame column of a finished buffer. The slices are used
// as they are.
func (b *colBuf) column(name string) *frame.Column {
	var missing []bool
	if b.nMiss > 0 {
		missing = b.missing
	}
	switch b.kind {
	case frame.Int:
		return frame.NewIntOwned(name, b.ints, missing)
	case frame.String:
		return frame.NewStringCodesOwned(name, b.codes, b.dict, missing)
	}
	c := &frame.Column{Name: name, Kind: b.kind, Floats: b.floats, Bools: b.bools}
	if b.kind == frame.String {
		c.Dict = b.dict
		if c.Dict == nil {
			c.Dict = []string{}
		}
	}
	if b.nMiss > 0 {
		c.Missing = b.missing
	}
	return c
}

// mergeDicts gives the windows of one string column (in row order) a
// common dictionary in order of first appearance and rewrites their codes.
func mergeDicts(parts []*colBuf) (dict []string) {
	if len(parts) == 1 {
		return parts[0].dict
	}
	var index strIndex
	total := 0
	for _, p := range parts {
		total += len(p.dict)
	}
	index.reserve(dict, total) // at most total words: the index never grows
	for _, p := range parts {
		remap := make([]int32, len(p.dict))
		identity := true
		for i, s := range p.dict {
			c, h := index.findString(dict, s)
			if c < 0 {
				c = int32(len(dict))
				dict = append(dict, s)
				index.add(dict, h, c)
			}
			remap[i] = c
			identity = identity && c == int32(i)
		}
		if !identity {
			for i, c := range p.codes {
				if c >= 0 {
					p.codes[i] = remap[c]
				}
			}
		}
	}
	return dict
}
