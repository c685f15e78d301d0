package synth

import (
	"math/bits"
	"math/rand/v2"
)

const (
	letterSpace = 26 * 26 * 26 * 26 * 26 // 5 uppercase letters
	idSpace     = 10000 * letterSpace    // "NNNN-LLLLL": 118,813,760,000 IDs
	idLen       = 10
)

// idGen hands out n distinct customer IDs in increasing (= string) order,
// one uniform draw per equal-width stratum of the ID space, so no memory
// is needed to keep them unique. n must be in [1, idSpace].
type idGen struct {
	n, i uint64
}

// stratumStart returns floor(k·idSpace/n) without overflow.
func (g *idGen) stratumStart(k uint64) uint64 {
	hi, lo := bits.Mul64(k, idSpace)
	q, _ := bits.Div64(hi, lo, g.n) // hi < n because k <= n
	return q
}

// next appends the next ID ("0002-ORFBO" form) to b.
func (g *idGen) next(b []byte, r *rand.Rand) []byte {
	lo := g.stratumStart(g.i)
	hi := g.stratumStart(g.i + 1)
	g.i++
	id := lo + r.Uint64N(hi-lo)
	digits, letters := id/letterSpace, id%letterSpace
	var s [idLen]byte
	for k := 3; k >= 0; k-- {
		s[k] = byte('0' + digits%10)
		digits /= 10
	}
	s[4] = '-'
	for k := 9; k >= 5; k-- {
		s[k] = byte('A' + letters%26)
		letters /= 26
	}
	return append(b, s[:]...)
}
