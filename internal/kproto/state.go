package kproto

import (
	"math"
	"math/rand/v2"
)

// state is one restart's working set. Everything a sweep touches is a flat
// slice allocated once per restart; the sweep allocates nothing per row.
type state struct {
	pr   *problem
	cent []float64 // k×p prototypes' numeric part (weighted means)
	ct   []float64 // the same, transposed (p×k), for nearest's inner loop
	mode []int32   // k×q prototypes' categorical part (shifted codes)
	sums []float64 // k×p weighted sums of the members
	wsum []float64 // k weighted member counts
	cnt  []int     // k member counts
	freq []float64 // k×tot weighted category counts per cluster
	// tab[(off[c]+code)*words + j/8] holds byte j%8 = 1 when prototype j's
	// mode of feature c is code: summing the entries of a row's q codes
	// gives all k match counts at once (bytes cannot overflow: q ≤ 255).
	tab   []uint64
	label []int32 // current membership
	near  []int32 // scratch for the cost pass
	part  []float64
	acc   []uint64
	dist  []float64
	rng   *rand.Rand
	inner int // goroutines for the chunked passes

	relocations int // empty clusters refilled
}

func newState(pr *problem, rng *rand.Rand, inner int) *state {
	k, p, q := pr.k, pr.p, pr.q
	s := &state{
		pr: pr, rng: rng, inner: inner,
		cent:  make([]float64, k*p),
		ct:    make([]float64, p*k),
		dist:  make([]float64, k),
		mode:  make([]int32, k*q),
		sums:  make([]float64, k*p),
		wsum:  make([]float64, k),
		cnt:   make([]int, k),
		freq:  make([]float64, k*pr.tot),
		label: make([]int32, pr.n),
		near:  make([]int32, pr.n),
		part:  make([]float64, numChunks(pr.n)),
		acc:   make([]uint64, pr.words),
	}
	if pr.useTab {
		s.tab = make([]uint64, pr.tot*pr.words)
	}
	return s
}

// setPrototype sets prototype j to a numeric vector and shifted codes.
func (s *state) setPrototype(j int, num []float64, codes []int32) {
	p, q := s.pr.p, s.pr.q
	copy(s.cent[j*p:j*p+p], num)
	s.transpose(j)
	for c := 0; c < q; c++ {
		s.setMode(j, c, codes[c])
	}
}

// setMode changes prototype j's mode of feature c, keeping tab in step.
func (s *state) setMode(j, c int, code int32) {
	pr := s.pr
	m := &s.mode[j*pr.q+c]
	if s.tab != nil {
		bit := uint64(1) << (8 * uint(j&7))
		w := j >> 3
		if *m < int32(pr.card[c]) { // the zero value may not be set yet
			s.tab[(pr.off[c]+int(*m))*pr.words+w] &^= bit
		}
		if code < int32(pr.card[c]) {
			s.tab[(pr.off[c]+int(code))*pr.words+w] |= bit
		}
	}
	*m = code
}

// resetTab rebuilds tab from mode.
func (s *state) resetTab() {
	if s.tab == nil {
		return
	}
	clear(s.tab)
	pr := s.pr
	for j := 0; j < pr.k; j++ {
		for c := 0; c < pr.q; c++ {
			code := s.mode[j*pr.q+c]
			if code < int32(pr.card[c]) {
				s.tab[(pr.off[c]+int(code))*pr.words+j>>3] |= uint64(1) << (8 * uint(j&7))
			}
		}
	}
}

// nearest returns the prototype with the lowest cost for row i (the lowest
// index among equal costs) and that cost:
// Σ_f (x_f − c_f)² + γ × #mismatches, formed exactly as in protoDist (the
// k sums are interleaved feature by feature, each still added in feature
// order). dist (k) and acc (words) are scratch.
func (s *state) nearest(i int, dist []float64, acc []uint64) (int, float64) {
	pr := s.pr
	k, p, q := pr.k, pr.p, pr.q
	dist = dist[:k]
	ct := s.ct[: p*k : p*k]
	x := pr.x[i*p : i*p+p : i*p+p]
	if p == 0 {
		clear(dist)
	} else {
		v := x[0]
		c0 := ct[:len(dist)]
		for j, c := range c0 {
			t := v - c
			dist[j] = float64(t * t)
		}
		for f := 1; f < len(x); f++ {
			v := x[f]
			cf := ct[f*k : f*k+len(dist)]
			for j, c := range cf {
				t := v - c
				dist[j] += float64(t * t)
			}
		}
	}
	codes := pr.codes[i*q : i*q+q : i*q+q]
	g := pr.gamma
	best, bestD := 0, math.Inf(1)
	switch {
	case s.tab == nil:
		for j := range dist {
			mis := 0
			for c, code := range codes {
				if code != s.mode[j*q+c] {
					mis++
				}
			}
			if d := dist[j] + float64(g*float64(mis)); j == 0 || d < bestD {
				best, bestD = j, d
			}
		}
	case pr.words == 1:
		var m0 uint64
		off := pr.off[:len(codes)]
		tab := s.tab
		for c, code := range codes {
			m0 += tab[off[c]+int(code)]
		}
		bestD = dist[0] + float64(g*float64(q-int(m0&0xff)))
		for j := 1; j < len(dist); j++ {
			m0 >>= 8
			if d := dist[j] + float64(g*float64(q-int(m0&0xff))); d < bestD {
				best, bestD = j, d
			}
		}
	default:
		clear(acc)
		for c, code := range codes {
			e := s.tab[(pr.off[c]+int(code))*pr.words:]
			for w := range acc {
				acc[w] += e[w]
			}
		}
		for j := range dist {
			mis := q - int(acc[j>>3]>>(8*uint(j&7))&0xff)
			if d := dist[j] + float64(g*float64(mis)); j == 0 || d < bestD {
				best, bestD = j, d
			}
		}
	}
	return best, bestD
}

// transpose copies prototype j's numeric part into ct.
func (s *state) transpose(j int) {
	k, p := s.pr.k, s.pr.p
	for f := 0; f < p; f++ {
		s.ct[f*k+j] = s.cent[j*p+f]
	}
}

// costPass assigns every row to its nearest prototype (into s.near) and
// returns Σ w_i × cost_i, summed in fixed chunk order.
func (s *state) costPass() float64 {
	pr := s.pr
	forChunks(pr.n, s.inner, func(c, lo, hi int) {
		acc := make([]uint64, pr.words)
		dist := make([]float64, pr.k)
		var sum float64
		for i := lo; i < hi; i++ {
			j, d := s.nearest(i, dist, acc)
			s.near[i] = int32(j)
			sum += float64(pr.weight(i) * d)
		}
		s.part[c] = sum
	})
	var total float64
	for _, v := range s.part {
		total += v
	}
	return total
}

// rebuild recomputes the members' sums, counts and category counts from
// label, then every prototype (means and modes).
func (s *state) rebuild() {
	pr := s.pr
	p, q := pr.p, pr.q
	clear(s.sums)
	clear(s.wsum)
	clear(s.cnt)
	clear(s.freq)
	for i := 0; i < pr.n; i++ {
		j := int(s.label[i])
		w := pr.weight(i)
		sj := s.sums[j*p : j*p+p]
		for f, v := range pr.x[i*p : i*p+p] {
			sj[f] += float64(w * v)
		}
		s.wsum[j] += w
		s.cnt[j]++
		fj := s.freq[j*pr.tot:]
		for c, code := range pr.codes[i*q : i*q+q] {
			fj[pr.off[c]+int(code)] += w
		}
	}
	for j := 0; j < pr.k; j++ {
		s.updateMean(j)
		for c := 0; c < q; c++ {
			s.setMode(j, c, s.argmax(j, c))
		}
	}
}

// argmax is the mode of feature c in cluster j: the category with the
// highest weighted count, the lowest code among equal counts.
func (s *state) argmax(j, c int) int32 {
	pr := s.pr
	f := s.freq[j*pr.tot+pr.off[c] : j*pr.tot+pr.off[c]+pr.card[c]]
	best := 0
	for code := 1; code < len(f); code++ {
		if f[code] > f[best] {
			best = code
		}
	}
	return int32(best)
}

// updateMean sets prototype j's numeric part to its members' weighted mean
// (0 when the cluster is empty, as kmodes does).
func (s *state) updateMean(j int) {
	p := s.pr.p
	cj := s.cent[j*p : j*p+p]
	if s.cnt[j] == 0 {
		clear(cj)
	} else {
		sj := s.sums[j*p : j*p+p]
		for f := range cj {
			cj[f] = sj[f] / s.wsum[j]
		}
	}
	s.transpose(j)
}

// move moves row i from cluster from to cluster to, updating sums, counts,
// modes and both numeric prototypes incrementally.
func (s *state) move(i, from, to int) {
	pr := s.pr
	p, q := pr.p, pr.q
	w := pr.weight(i)
	x := pr.x[i*p : i*p+p]
	st, sf := s.sums[to*p:to*p+p], s.sums[from*p:from*p+p]
	for f, v := range x {
		wv := float64(w * v)
		st[f] += wv
		sf[f] -= wv
	}
	s.wsum[to] += w
	s.wsum[from] -= w
	s.cnt[to]++
	s.cnt[from]--
	ft, ff := s.freq[to*pr.tot:(to+1)*pr.tot], s.freq[from*pr.tot:(from+1)*pr.tot]
	for c, code := range pr.codes[i*q : i*q+q] {
		o := pr.off[c]
		ft[o+int(code)] += w
		if m := s.mode[to*q+c]; code != m {
			if a, b := ft[o+int(code)], ft[o+int(m)]; a > b || (a == b && code < m) {
				s.setMode(to, c, code)
			}
		}
		ff[o+int(code)] -= w
		if s.mode[from*q+c] == code {
			s.setMode(from, c, s.argmax(from, c))
		}
	}
	s.label[i] = int32(to)
	if s.cnt[from] == 0 {
		// Exact zeros, whatever rounding the weighted updates left.
		clear(sf)
		s.wsum[from] = 0
		clear(ff)
		for c := 0; c < q; c++ {
			s.setMode(from, c, 0)
		}
	}
	s.updateMean(to)
	s.updateMean(from)
}

// refill gives the empty cluster j one row: a member of the cluster with
// the most rows (the lowest index among equal counts), drawn with
// probability ∝ weight by one Float64 from the restart's generator and a
// walk over that cluster's rows in row order. This is kmodes' rule ("a
// random point from the largest cluster"), with the moved row's own
// weight and both numeric prototypes updated after the move.
func (s *state) refill(j int) {
	pr := s.pr
	src := 0
	for c := 1; c < pr.k; c++ {
		if s.cnt[c] > s.cnt[src] {
			src = c
		}
	}
	u := s.rng.Float64() * s.wsum[src]
	pick, last := -1, -1
	var acc float64
	for i := 0; i < pr.n; i++ {
		if int(s.label[i]) != src {
			continue
		}
		last = i
		acc += pr.weight(i)
		if u < acc {
			pick = i
			break
		}
	}
	if pick < 0 {
		pick = last
	}
	s.move(pick, src, j)
	s.relocations++
}

// sweep is one kmodes iteration: every row in order goes to its nearest
// prototype as they stand at that moment; a move updates both prototypes
// at once, and a cluster left empty is refilled straight away. It returns
// the number of moves (refills not counted, as in kmodes).
func (s *state) sweep() int {
	moves := 0
	for i := 0; i < s.pr.n; i++ {
		j, _ := s.nearest(i, s.dist, s.acc)
		old := int(s.label[i])
		if j == old {
			continue
		}
		moves++
		s.move(i, old, j)
		if s.cnt[old] == 0 {
			s.refill(old)
		}
	}
	return moves
}
