package kmeans

import (
	"context"
	"math"
	"math/rand/v2"
)

// plusplus writes k initial centres into centers (k*d) by greedy k-means++,
// following scikit-learn 1.2.1's _kmeans_plusplus:
//
//   - the first centre is a row drawn uniformly at random;
//   - for each further centre, nLocalTrials(k) values u·φ are drawn
//     (u uniform in [0,1), φ the current potential Σ_i D²(x_i)), each
//     candidate is the first row whose cumulative D² reaches the value
//     (numpy searchsorted, side "left", clipped to n−1), and the candidate
//     whose addition gives the lowest potential is kept (first on ties).
//
// With sample weights it follows scikit-learn ≥ 1.3 (1.2.1 ignores
// sample_weight in its seeding): the first centre is row i with
// probability w_i/Σw (numpy's choice(p=w/Σw): the first row whose
// cumulative weight exceeds u·Σw), and D² is replaced by w·D² everywhere —
// in φ, in the cumulative sum searched for candidates and in the candidate
// potentials.
//
// The cumulative sum is defined chunk-wise (prefix of chunk potentials plus
// the in-chunk running sum), which is monotone and ends exactly at φ, so
// the search can skip whole chunks.
//
// On return labels holds each row's nearest centre (ties → lowest index)
// and w.buf[:n] its distance (not squared) to it, which is the E-step of
// Lloyd's first iteration.
func (w *worker) plusplus(ctx context.Context, rng *rand.Rand, centers []float64, labels []int32) error {
	X, n, d, k, wt := w.p.X, w.p.n, w.p.d, w.k, w.p.w
	T := w.trials
	closest := w.buf[:n]
	pot := w.chunkPot[:w.nc] // per-chunk (weighted) potential of closest

	var first int
	if wt == nil {
		first = rng.IntN(n)
	} else {
		first = searchAbove(wt, w.p.wChunk, rng.Float64()*sumInOrder(w.p.wChunk), n)
	}
	copy(centers[:d], X[first*d:first*d+d])
	c0 := centers[:d]
	forChunks(n, w.inner, func(c, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			v := sqDist(X[i*d:i*d+d], c0)
			closest[i] = v
			labels[i] = 0
			if wt == nil {
				s += v
			} else {
				s += float64(wt[i] * v)
			}
		}
		pot[c] = s
	})
	phi := sumInOrder(pot)

	rv := make([]float64, T)
	cand := make([]int, T)
	candRows := make([]float64, T*d)
	part := make([]float64, w.nc*T)
	candPot := make([]float64, T)
	trial := make([][]float64, T)
	trialBuf := w.trialRows()
	for t := range trial {
		trial[t] = trialBuf[t*n : (t+1)*n]
	}
	for ci := 1; ci < k; ci++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		for t := range rv {
			rv[t] = rng.Float64() * phi
		}
		for t, r := range rv {
			if wt == nil {
				cand[t] = searchCum(closest, pot, r, n)
			} else {
				cand[t] = searchCumW(closest, wt, pot, r, n)
			}
			copy(candRows[t*d:t*d+d], X[cand[t]*d:cand[t]*d+d])
		}
		forChunks(n, w.inner, func(c, lo, hi int) {
			if wt == nil {
				w.trialChunk(part[c*T:c*T+T], candRows, closest, trial, lo, hi)
			} else {
				w.trialChunkW(part[c*T:c*T+T], candRows, closest, trial, lo, hi)
			}
		})
		clear(candPot)
		for c := 0; c < w.nc; c++ {
			for t, v := range part[c*T : c*T+T] {
				candPot[t] += v
			}
		}
		best := 0
		for t := 1; t < T; t++ {
			if candPot[t] < candPot[best] {
				best = t
			}
		}
		cb := candRows[best*d : best*d+d]
		tb := trial[best]
		forChunks(n, w.inner, func(c, lo, hi int) {
			for i := lo; i < hi; i++ {
				if tb[i] < closest[i] {
					labels[i] = int32(ci)
				}
			}
			pot[c] = part[c*T+best]
		})
		closest, trial[best] = trial[best], closest
		phi = sumInOrder(pot)
		copy(centers[ci*d:ci*d+d], cb)
	}
	upper := w.buf[:n] // closest may now live in trialBuf after swaps
	forChunks(n, w.inner, func(c, lo, hi int) {
		for i := lo; i < hi; i++ {
			upper[i] = math.Sqrt(closest[i])
		}
	})
	return nil
}

// trialChunk stores trial[t][i] = min(D²_i, ‖x_i − cand_t‖²) for rows
// [lo, hi) and every candidate t, and their sums in p[t]. Candidates are
// taken four at a time so the four independent sums overlap.
func (w *worker) trialChunk(p, candRows, closest []float64, trial [][]float64, lo, hi int) {
	X, d := w.p.X, w.p.d
	T := len(p)
	t := 0
	for ; t+4 <= T; t += 4 {
		c0 := candRows[t*d : t*d+d]
		c1 := candRows[(t+1)*d:][:len(c0)]
		c2 := candRows[(t+2)*d:][:len(c0)]
		c3 := candRows[(t+3)*d:][:len(c0)]
		b0, b1, b2, b3 := trial[t][lo:hi], trial[t+1][lo:hi], trial[t+2][lo:hi], trial[t+3][lo:hi]
		var p0, p1, p2, p3 float64
		for i := lo; i < hi; i++ {
			x := X[i*d : i*d+d]
			x = x[:len(c0)]
			var v0, v1, v2, v3 float64 // inline sqDist4
			for f, xv := range x {
				a := xv - c0[f]
				b := xv - c1[f]
				c := xv - c2[f]
				e := xv - c3[f]
				v0 += float64(a * a)
				v1 += float64(b * b)
				v2 += float64(c * c)
				v3 += float64(e * e)
			}
			cur := closest[i]
			v0, v1, v2, v3 = min(v0, cur), min(v1, cur), min(v2, cur), min(v3, cur)
			b0[i-lo], b1[i-lo], b2[i-lo], b3[i-lo] = v0, v1, v2, v3
			p0 += v0
			p1 += v1
			p2 += v2
			p3 += v3
		}
		p[t], p[t+1], p[t+2], p[t+3] = p0, p1, p2, p3
	}
	for ; t < T; t++ {
		ct, bt := candRows[t*d:t*d+d], trial[t][lo:hi]
		var pt float64
		for q := range bt {
			v := min(closest[lo+q], sqDist(X[(lo+q)*d:(lo+q)*d+d], ct))
			bt[q] = v
			pt += v
		}
		p[t] = pt
	}
}

// trialChunkW is trialChunk with sample weights: trial[t][i] is the
// unweighted min(D²_i, ‖x_i − cand_t‖²) and p[t] = Σ_i w_i·trial[t][i].
func (w *worker) trialChunkW(p, candRows, closest []float64, trial [][]float64, lo, hi int) {
	X, d, wt := w.p.X, w.p.d, w.p.w
	for t := range p {
		ct, bt := candRows[t*d:t*d+d], trial[t][lo:hi]
		var pt float64
		for q := range bt {
			i := lo + q
			v := min(closest[i], sqDist(X[i*d:i*d+d], ct))
			bt[q] = v
			pt += float64(wt[i] * v)
		}
		p[t] = pt
	}
}

// searchCum returns the first row i whose chunk-wise cumulative weight
// reaches r, or n−1 when none does (numpy searchsorted + clip).
func searchCum(w, chunkW []float64, r float64, n int) int {
	var prefix float64
	for c, cw := range chunkW {
		if prefix+cw >= r {
			lo, hi := chunkBounds(c, n)
			var s float64
			for i := lo; i < hi; i++ {
				s += w[i]
				if prefix+s >= r {
					return i
				}
			}
			return hi - 1 // unreachable: the last row sums to prefix+cw
		}
		prefix += cw
	}
	return n - 1
}

// searchCumW is searchCum over the products w[i]·v[i], whose chunk sums
// are chunkW.
func searchCumW(v, w, chunkW []float64, r float64, n int) int {
	var prefix float64
	for c, cw := range chunkW {
		if prefix+cw >= r {
			lo, hi := chunkBounds(c, n)
			var s float64
			for i := lo; i < hi; i++ {
				s += float64(w[i] * v[i])
				if prefix+s >= r {
					return i
				}
			}
			return hi - 1 // unreachable: the last row sums to prefix+cw
		}
		prefix += cw
	}
	return n - 1
}

// searchAbove returns the first row i whose chunk-wise cumulative weight
// exceeds r (numpy searchsorted side "right", as in choice(p=...)), or the
// last row with a positive weight when rounding leaves none above r. A row
// of weight 0 is never returned.
func searchAbove(w, chunkW []float64, r float64, n int) int {
	var prefix float64
	for c, cw := range chunkW {
		if prefix+cw > r {
			lo, hi := chunkBounds(c, n)
			var s float64
			for i := lo; i < hi; i++ {
				s += w[i]
				if prefix+s > r && w[i] > 0 {
					return i
				}
			}
		}
		prefix += cw
	}
	for i := n - 1; i > 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return 0
}

// sumInOrder adds v left to right.
func sumInOrder(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}
