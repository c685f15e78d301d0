package gota

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/frame"
)

// The row digests of the lineage, in internal/pgio's canonical row
// encoding (see its package documentation; pgio.HashTable computes the
// same digests for a frame.Table, and the tests hold them equal):
//
//	header = "segment-rows-v1\n" ‖ u32(ncols) ‖ for each column: u32(len(name)) ‖ name ‖ kind
//	row    = for each column, in order, one cell:
//	           missing  0x00
//	           Int      'i' ‖ i64(value)
//	           Float    'f' ‖ u64(IEEE-754 bits)
//	           Bool     'b' ‖ 0x00 | 0x01
//	           String   's' ‖ u32(len) ‖ UTF-8 bytes
//	sha256     = SHA-256(header ‖ SHA-256(row_1) ‖ … ‖ SHA-256(row_n))
//	set_sha256 = SHA-256(header ‖ u256(Σ SHA-256(row_i) mod 2^256) ‖ u64(n))
//
// with big-endian integers and kind 'i', 'f', 'b' or 's'. The cells are
// those the source reads: a gota NA (a NaN float included) is missing, and
// with csv_missing so is a blank string cell or one of na_values.
const rowsMagic = "segment-rows-v1\n"

// digests are the two row digests in hex.
type digests struct{ ordered, set string }

// missingText is csv_missing's rule for string cells (that of
// frame.Table.MissingStrings).
type missingText struct{ na map[string]bool }

func newMissingText(naValues []string) *missingText {
	m := &missingText{na: make(map[string]bool, len(naValues))}
	for _, v := range naValues {
		m.na[strings.Trim(v, " \t")] = true
	}
	return m
}

func (m *missingText) missing(s string) bool {
	s = strings.Trim(s, " \t")
	return s == "" || m.na[s]
}

func kindTag(k frame.Kind) byte {
	switch k {
	case frame.Int:
		return 'i'
	case frame.Float:
		return 'f'
	case frame.Bool:
		return 'b'
	}
	return 's'
}

// digest hashes every row of df (columns of kinds kinds) in the canonical
// encoding; text, when not nil, marks string cells missing by the CSV rule.
func digest(ctx context.Context, df dataframe.DataFrame, kinds []frame.Kind, text *missingText) (*digests, error) {
	names := df.Names()
	var header []byte
	header = append(header, rowsMagic...)
	header = binary.BigEndian.AppendUint32(header, uint32(len(names)))
	for j, n := range names {
		header = binary.BigEndian.AppendUint32(header, uint32(len(n)))
		header = append(header, n...)
		header = append(header, kindTag(kinds[j]))
	}
	ordered := sha256.New()
	ordered.Write(header)
	var sum [4]uint64 // Σ row digests mod 2^256, most significant word first
	var enc []byte
	rows := df.Nrow()
	for i := range rows {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		enc = enc[:0]
		for j, k := range kinds {
			e := df.Elem(i, j)
			if e.IsNA() {
				enc = append(enc, 0)
				continue
			}
			switch k {
			case frame.Int:
				v, err := e.Int()
				if err != nil {
					return nil, fmt.Errorf("gota column %q row %d: %w", names[j], i+1, err)
				}
				enc = binary.BigEndian.AppendUint64(append(enc, 'i'), uint64(int64(v)))
			case frame.Float:
				enc = binary.BigEndian.AppendUint64(append(enc, 'f'), math.Float64bits(e.Float()))
			case frame.Bool:
				v, err := e.Bool()
				if err != nil {
					return nil, fmt.Errorf("gota column %q row %d: %w", names[j], i+1, err)
				}
				b := byte(0)
				if v {
					b = 1
				}
				enc = append(enc, 'b', b)
			default:
				s := e.String()
				if text != nil && text.missing(s) {
					enc = append(enc, 0)
					continue
				}
				enc = binary.BigEndian.AppendUint32(append(enc, 's'), uint32(len(s)))
				enc = append(enc, s...)
			}
		}
		d := sha256.Sum256(enc)
		ordered.Write(d[:])
		var c uint64
		for w := 3; w >= 0; w-- {
			sum[w], c = bits.Add64(sum[w], binary.BigEndian.Uint64(d[8*w:]), c)
		}
	}
	set := sha256.New()
	set.Write(header)
	var buf [40]byte
	for w, v := range sum {
		binary.BigEndian.PutUint64(buf[8*w:], v)
	}
	binary.BigEndian.PutUint64(buf[32:], uint64(rows))
	set.Write(buf[:])
	return &digests{ordered: hex.EncodeToString(ordered.Sum(nil)), set: hex.EncodeToString(set.Sum(nil))}, nil
}
