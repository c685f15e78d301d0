package kproto

import (
	"fmt"
	"math"
)

// protoDist is the k-prototypes dissimilarity between a point and a
// prototype: Σ_f (x_f − c_f)² + γ × #{c : a_c ≠ m_c}. Every distance in the
// package is formed in exactly this order, so all code paths agree bit for
// bit. (The explicit conversions stop the compiler from fusing
// multiply-adds, which would change the last bits on some CPUs.)
func protoDist(x, cent []float64, codes, mode []int32, gamma float64) float64 {
	var d float64
	for f, v := range x {
		t := v - cent[f]
		d += float64(t * t)
	}
	mis := 0
	for c, a := range codes {
		if a != mode[c] {
			mis++
		}
	}
	return d + float64(gamma*float64(mis))
}

func (pr *problem) row(i int) ([]float64, []int32) {
	return pr.x[i*pr.p : i*pr.p+pr.p], pr.codes[i*pr.q : i*pr.q+pr.q]
}

// distinctFrom reports whether row i is at a positive distance from each
// of the first j prototypes in s.
func (s *state) distinctFrom(i, j int) bool {
	pr := s.pr
	x, a := pr.row(i)
	for t := 0; t < j; t++ {
		if protoDist(x, s.cent[t*pr.p:t*pr.p+pr.p], a, s.mode[t*pr.q:t*pr.q+pr.q], pr.gamma) == 0 {
			return false
		}
	}
	return true
}

func tooFew(k int) error {
	return fmt.Errorf("k-prototypes: the data have fewer than k = %d distinct rows: %w", k, ErrTooFewDistinct)
}

// initHuang is Huang's (1998) frequency-based initialisation extended to
// mixed data: for prototype j = 0..k−1 and each feature in order (numeric,
// then categorical) draw the value of a row chosen with probability ∝
// weight (one Float64 per value), then replace the drawn vector by the
// nearest data row (lowest row index among equals) that is distinct from
// the prototypes already chosen.
func (s *state) initHuang() error {
	pr := s.pr
	k, p, q := pr.k, pr.p, pr.q
	num := make([]float64, k*p)
	codes := make([]int32, k*q)
	for j := 0; j < k; j++ {
		for f := 0; f < p; f++ {
			num[j*p+f] = pr.x[pr.drawRow(s.rng.Float64())*p+f]
		}
		for c := 0; c < q; c++ {
			codes[j*q+c] = pr.codes[pr.drawRow(s.rng.Float64())*q+c]
		}
	}
	nc := numChunks(pr.n)
	bestD := make([]float64, nc)
	bestI := make([]int, nc)
	for j := 0; j < k; j++ {
		vn, vc := num[j*p:j*p+p], codes[j*q:j*q+q]
		forChunks(pr.n, s.inner, func(c, lo, hi int) {
			bd, bi := math.Inf(1), -1
			for i := lo; i < hi; i++ {
				x, a := pr.row(i)
				if d := protoDist(x, vn, a, vc, pr.gamma); (bi < 0 || d < bd) && s.distinctFrom(i, j) {
					bd, bi = d, i
				}
			}
			bestD[c], bestI[c] = bd, bi
		})
		pick := -1
		for c := 0; c < nc; c++ {
			if bestI[c] >= 0 && (pick < 0 || bestD[c] < bestD[pick]) {
				pick = c
			}
		}
		if pick < 0 {
			return tooFew(k)
		}
		x, a := pr.row(bestI[pick])
		s.setPrototype(j, x, a)
	}
	return nil
}

// caoSeeds holds the data-only part of Cao's initialisation, shared by all
// restarts: the rows whose categorical parts become the prototypes' modes
// and the total weight of the rows sharing each of those parts.
type caoSeeds struct {
	rows   []int
	weight []float64
}

// newCaoSeeds is Cao, Liang & Bai (2009) as kmodes' init_cao computes it:
// density(i) = Σ_c freq_c(a_ic) / (W·q) with weighted frequencies; the
// first seed is the densest row; seed t is the row maximising
// density(i) × min_{s<t} mismatches(i, seed s). Ties go to the lowest row.
func (pr *problem) newCaoSeeds() *caoSeeds {
	n, q, k := pr.n, pr.q, pr.k
	freq := make([]float64, pr.tot)
	for i := 0; i < n; i++ {
		w := pr.weight(i)
		for c, code := range pr.codes[i*q : i*q+q] {
			freq[pr.off[c]+int(code)] += w
		}
	}
	dens := make([]float64, n)
	denom := pr.wtotal * float64(q)
	forChunks(n, pr.workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			var d float64
			for c, code := range pr.codes[i*q : i*q+q] {
				d += freq[pr.off[c]+int(code)] / denom
			}
			dens[i] = d
		}
	})
	minMis := make([]int32, n)
	for i := range minMis {
		minMis[i] = math.MaxInt32
	}
	seeds := &caoSeeds{rows: make([]int, 0, k), weight: make([]float64, k)}
	nc := numChunks(n)
	bestS := make([]float64, nc)
	bestI := make([]int, nc)
	for t := 0; t < k; t++ {
		var prev []int32
		if t > 0 {
			r := seeds.rows[t-1]
			prev = pr.codes[r*q : r*q+q]
		}
		forChunks(n, pr.workers, func(c, lo, hi int) {
			bs, bi := math.Inf(-1), -1
			for i := lo; i < hi; i++ {
				score := dens[i]
				if t > 0 {
					mis := int32(0)
					for cc, a := range pr.codes[i*q : i*q+q] {
						if a != prev[cc] {
							mis++
						}
					}
					minMis[i] = min(minMis[i], mis)
					score = float64(minMis[i]) * dens[i]
				}
				if score > bs {
					bs, bi = score, i
				}
			}
			bestS[c], bestI[c] = bs, bi
		})
		pick := 0
		for c := 1; c < nc; c++ {
			if bestS[c] > bestS[pick] {
				pick = c
			}
		}
		seeds.rows = append(seeds.rows, bestI[pick])
	}
	for j, r := range seeds.rows {
		want := pr.codes[r*q : r*q+q]
		for i := 0; i < n; i++ {
			if sameCodes(pr.codes[i*q:i*q+q], want) {
				seeds.weight[j] += pr.weight(i)
			}
		}
	}
	return seeds
}

func sameCodes(a, b []int32) bool {
	for c := range a {
		if a[c] != b[c] {
			return false
		}
	}
	return true
}

// initCao sets prototype j to a whole data row drawn with probability ∝
// weight (one Float64) among the rows whose categorical part equals Cao
// seed j's, so restarts differ in their numeric parts (kmodes draws those
// from a normal distribution instead, which leaves clusters empty at
// larger k: kmodes issues #132 and #136). Then dedupe.
func (s *state) initCao(seeds *caoSeeds) error {
	pr := s.pr
	q := pr.q
	for j, r := range seeds.rows {
		want := pr.codes[r*q : r*q+q]
		u := s.rng.Float64() * seeds.weight[j]
		pick := r
		var acc float64
		for i := 0; i < pr.n; i++ {
			if !sameCodes(pr.codes[i*q:i*q+q], want) {
				continue
			}
			pick = i
			acc += pr.weight(i)
			if u < acc {
				break
			}
		}
		x, a := pr.row(pick)
		s.setPrototype(j, x, a)
	}
	return s.dedupe()
}

// dedupe replaces every prototype j that equals (distance 0) an earlier
// one by a row distinct from prototypes 0..j−1: up to 32 rows drawn ∝
// weight (one Float64 each), then the first qualifying row scanning
// cyclically from the last drawn row.
func (s *state) dedupe() error {
	pr := s.pr
	p, q := pr.p, pr.q
	for j := 1; j < pr.k; j++ {
		dup := false
		for t := 0; t < j && !dup; t++ {
			dup = protoDist(s.cent[j*p:j*p+p], s.cent[t*p:t*p+p], s.mode[j*q:j*q+q], s.mode[t*q:t*q+q], pr.gamma) == 0
		}
		if !dup {
			continue
		}
		pick, r := -1, 0
		for try := 0; try < 32 && pick < 0; try++ {
			r = pr.drawRow(s.rng.Float64())
			if s.distinctFrom(r, j) {
				pick = r
			}
		}
		for o := 0; o < pr.n && pick < 0; o++ {
			if i := (r + o) % pr.n; s.distinctFrom(i, j) {
				pick = i
			}
		}
		if pick < 0 {
			return tooFew(pr.k)
		}
		x, a := pr.row(pick)
		s.setPrototype(j, x, a)
	}
	return nil
}

// initStart copies the caller's start prototypes (shifting the codes).
func (s *state) initStart(st *Prototypes) {
	pr := s.pr
	p, q := pr.p, pr.q
	codes := make([]int32, q)
	for j := 0; j < pr.k; j++ {
		for c := 0; c < q; c++ {
			codes[c] = st.Modes[j*q+c] + 1
		}
		s.setPrototype(j, st.Centroids[j*p:j*p+p], codes)
	}
}
