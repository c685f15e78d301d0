package pgio

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"math/bits"

	"github.com/churnlab/segment/internal/frame"
)

// hashMagic starts the canonical encoding; the version changes if the
// encoding ever does.
const hashMagic = "segment-rows-v1\n"

// Value tags of the canonical row encoding.
const (
	tagNull   = 0x00
	tagInt    = 'i'
	tagFloat  = 'f'
	tagBool   = 'b'
	tagString = 's'
)

func kindTag(k frame.Kind) byte {
	switch k {
	case frame.Int:
		return tagInt
	case frame.Float:
		return tagFloat
	case frame.Bool:
		return tagBool
	}
	return tagString
}

// rowHasher computes Lineage.SHA256 and Lineage.SetSHA256 (see the package
// documentation for the definition).
type rowHasher struct {
	header  []byte
	ordered hash.Hash
	sum     [4]uint64 // Σ row digests mod 2^256; sum[0] holds the most significant 64 bits
	n       int64
	d       [sha256.Size]byte // the current row's digest (a field, so it does not escape per row)
}

func newRowHasher(names []string, kinds []frame.Kind) *rowHasher {
	h := &rowHasher{ordered: sha256.New()}
	h.header = append(h.header, hashMagic...)
	h.header = binary.BigEndian.AppendUint32(h.header, uint32(len(names)))
	for i, n := range names {
		h.header = binary.BigEndian.AppendUint32(h.header, uint32(len(n)))
		h.header = append(h.header, n...)
		h.header = append(h.header, kindTag(kinds[i]))
	}
	h.ordered.Write(h.header)
	return h
}

// row adds one row given in the canonical encoding.
func (h *rowHasher) row(enc []byte) {
	h.d = sha256.Sum256(enc)
	h.ordered.Write(h.d[:])
	var c uint64
	for i := 3; i >= 0; i-- {
		h.sum[i], c = bits.Add64(h.sum[i], binary.BigEndian.Uint64(h.d[8*i:]), c)
	}
	h.n++
}

// finish returns the ordered and the order-independent digest in hex.
func (h *rowHasher) finish() (ordered, set string) {
	ordered = hex.EncodeToString(h.ordered.Sum(nil))
	s := sha256.New()
	s.Write(h.header)
	var buf [40]byte
	for i, w := range h.sum {
		binary.BigEndian.PutUint64(buf[8*i:], w)
	}
	binary.BigEndian.PutUint64(buf[32:], uint64(h.n))
	s.Write(buf[:])
	return ordered, hex.EncodeToString(s.Sum(nil))
}

// Canonical value encoders: append one cell to a row's encoding.

func encNull(dst []byte) []byte { return append(dst, tagNull) }

func encInt(dst []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, tagInt), uint64(v))
}

func encFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) {
		return encNull(dst)
	}
	return binary.BigEndian.AppendUint64(append(dst, tagFloat), math.Float64bits(v))
}

func encBool(dst []byte, v bool) []byte {
	b := byte(0)
	if v {
		b = 1
	}
	return append(dst, tagBool, b)
}

func encString(dst []byte, s []byte) []byte {
	dst = binary.BigEndian.AppendUint32(append(dst, tagString), uint32(len(s)))
	return append(dst, s...)
}

// HashTable returns the two row digests of Lineage (SHA256 over the rows in
// order, SetSHA256 independent of their order) for any table, computed
// exactly as Read computes them while reading. A table read from another
// source with the same column names, kinds and values gives the same
// digests.
func HashTable(t *frame.Table) (ordered, set string) {
	cols := t.Columns()
	names := make([]string, len(cols))
	kinds := make([]frame.Kind, len(cols))
	for i, c := range cols {
		names[i], kinds[i] = c.Name, c.Kind
	}
	h := newRowHasher(names, kinds)
	var enc []byte
	for r := range t.NumRows() {
		enc = enc[:0]
		for _, c := range cols {
			if c.IsMissing(r) {
				enc = encNull(enc)
				continue
			}
			switch c.Kind {
			case frame.Int:
				enc = encInt(enc, c.Int(r))
			case frame.Float:
				enc = encFloat(enc, c.Floats[r])
			case frame.Bool:
				enc = encBool(enc, c.Bools[r])
			default:
				enc = encString(enc, []byte(c.Dict[c.Code(r)]))
			}
		}
		h.row(enc)
	}
	return h.finish()
}
