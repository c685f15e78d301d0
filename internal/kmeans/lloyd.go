package kmeans

import (
	"context"
	"math"
	"sort"
)

// lloydResult is the outcome of one restart.
type lloydResult struct {
	restart       int     // the restart it descends from
	sampleInertia float64 // sample mode: inertia on the sample before refinement
	centers       []float64
	labels        []int32
	inertia       float64
	iters         int
	converged     bool
}

// bounds carries the centre statistics behind Hamerly's bounds. Bounds are
// stored relative to the cumulative centre movement so that points whose
// bounds still hold need no write: for a point assigned to centre a,
//
//	upper bound on ‖x − c_a‖       = ũ + drift[a]
//	lower bound on ‖x − c_j‖, j≠a  = l̃ − maxDrift
//
// where drift[j] is the total distance centre j has moved since the start
// of the restart and maxDrift the sum over iterations of the largest move.
// s[j] is half the distance from centre j to its nearest other centre.
type bounds struct {
	p, s            []float64 // last move per centre; half-gap per centre
	drift           []float64
	maxDrift        float64
	haveAssignments bool
}

// lloyd runs Lloyd's algorithm from centers (k*d, updated in place) with
// scikit-learn 1.2.1's stopping rules (see _kmeans_single_lloyd):
//
//	for it in 0..maxIter-1:
//	    E-step (labels), M-step (new centres, empty clusters relocated)
//	    stop, strictly converged, if labels equal the previous iteration's
//	    stop, converged, if Σ_j ‖c_j^new − c_j^old‖² ≤ tolAbs
//	if not strictly converged: one more E-step with the final centres
//
// The E-step is exact nearest-centre assignment accelerated with Hamerly's
// bounds (an upper bound on the distance to the assigned centre and a lower
// bound on the distance to every other centre), which skips the distance
// computations of points that cannot change cluster. The M-step forms every
// cluster sum as per-chunk sequential sums added in chunk order (a chunk is
// re-summed only if one of its labels changed, which gives the same bits), so
// centres are the deterministically rounded means, as in plain Lloyd.
//
// If seeded, labels and w.buf[:n] already hold the nearest centre and its
// distance for the starting centres (from plusplus), which is iteration 0's
// E-step.
func (w *worker) lloyd(ctx context.Context, centers []float64, labels []int32, seeded bool) (*lloydResult, error) {
	n, d, k := w.p.n, w.p.d, w.k
	b := &bounds{p: make([]float64, k), s: make([]float64, k), drift: make([]float64, k)}
	if seeded {
		// plusplus already assigned every row to its nearest centre and
		// left the distance in the upper bounds; 0 is a valid lower bound.
		clear(w.buf[n : 2*n])
		b.haveAssignments = true
	}
	sums := make([]float64, k*d)
	cw := make([]float64, k) // cluster weights (sizes when unweighted)
	newC := make([]float64, k*d)

	res := &lloydResult{centers: centers, labels: labels}
	strict := false
	for it := 0; it < w.p.maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var changes int
		if it == 0 && seeded {
			w.accumulateAll(labels)
			changes = n
		} else {
			changes = w.assign(centers, labels, b, true)
		}
		b.haveAssignments = true
		w.reduceSums(sums, cw)
		if hasEmpty(cw) {
			w.relocateEmpty(centers, labels, sums, cw)
		}
		for j := 0; j < k; j++ {
			src, dst := sums[j*d:j*d+d], newC[j*d:j*d+d]
			if cw[j] > 0 {
				alpha := 1 / cw[j]
				for t, v := range src {
					dst[t] = v * alpha
				}
			} else {
				copy(dst, src) // sklearn _average_centers leaves weight-0 sums
			}
		}
		var shiftTot float64
		for j := 0; j < k; j++ {
			sh := math.Sqrt(sqDist(centers[j*d:j*d+d], newC[j*d:j*d+d]))
			b.p[j] = sh
			shiftTot += float64(sh * sh)
		}
		copy(centers, newC)
		b.update(centers, d, k)
		res.iters = it + 1
		if it > 0 && changes == 0 {
			strict = true
			res.converged = true
			break
		}
		if shiftTot <= w.p.tolAbs {
			res.converged = true
			break
		}
	}
	if !strict {
		w.assign(centers, labels, b, false)
	}
	res.inertia = w.inertiaOf(centers, labels)
	return res, nil
}

// update accumulates the last moves (b.p) into the drifts and recomputes
// the half inter-centre distances after the centres changed.
func (b *bounds) update(centers []float64, d, k int) {
	var maxP float64
	for j, v := range b.p {
		b.drift[j] += v
		maxP = max(maxP, v)
	}
	b.maxDrift += maxP
	for j := range b.s {
		b.s[j] = inf
	}
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			h := 0.5 * math.Sqrt(sqDist(centers[i*d:i*d+d], centers[j*d:j*d+d]))
			b.s[i] = min(b.s[i], h)
			b.s[j] = min(b.s[j], h)
		}
	}
}

// assign is the E-step. On the first call (no previous assignment) every
// point gets a full search; afterwards Hamerly's test skips points whose
// bounds prove the assigned centre is still the nearest. It returns the
// number of points whose label changed.
//
// With accumulate it also maintains the per-chunk cluster sums and sizes.
// A chunk's sums are recomputed (sequentially, from X) only when one of its
// labels changed; otherwise the previous sums are still exact. Either way
// they are bit-identical to a full recomputation, so skipping is invisible
// in the results.
func (w *worker) assign(centers []float64, labels []int32, b *bounds, accumulate bool) int {
	X, n, d, k := w.p.X, w.p.n, w.p.d, w.k
	upper, lower := w.buf[:n], w.buf[n:2*n]
	first := !b.haveAssignments
	forChunksG(n, w.inner, func(g, c, lo, hi int) {
		changes := 0
		if first {
			// No centre has moved yet: drift and maxDrift are 0.
			for i := lo; i < hi; i++ {
				a, d1, d2 := nearest2(X[i*d:i*d+d], centers, k)
				labels[i] = int32(a)
				upper[i] = math.Sqrt(d1)
				lower[i] = math.Sqrt(d2)
			}
			changes = hi - lo
		} else {
			drift, s := b.drift[:k], b.s[:k]
			maxDrift := b.maxDrift
			up, low, lab := upper[lo:hi], lower[lo:hi], labels[lo:hi]
			// Pass 1: the bound test alone, collecting the rows that fail
			// it. Pass 2 then reads those rows of X in a tight loop of
			// independent loads, which overlaps their cache misses (a
			// branchy single pass serialises them).
			sc := &w.scratch[g]
			idx, mm, uu := &sc.idx, &sc.m, &sc.u
			nf := 0
			for q := range lab {
				a := int(lab[q])
				m := max(s[a], low[q]-maxDrift)
				// Branch-free: always write the slot, advance only on a
				// failed test (compiled to a flag-to-register add).
				idx[nf], mm[nf] = int32(q), m
				nf += b2i(up[q]+drift[a] > m)
			}
			// Touch the first and last word of each failing row with
			// independent loads so their cache misses overlap; the
			// distance loop below then reads from cache.
			var touch float64
			for f := 0; f < nf; f++ {
				i := lo + int(idx[f])
				touch += X[i*d] + X[i*d+d-1]
			}
			for f := 0; f < nf; f++ {
				q := int(idx[f])
				a := int(lab[q])
				i := lo + q
				uu[f] = math.Sqrt(sqDist(X[i*d:i*d+d], centers[a*d:a*d+d]))
			}
			sc.touch = touch // a use, so the touch loop is not removed
			for f := 0; f < nf; f++ {
				q := int(idx[f])
				a := int(lab[q])
				if u := uu[f]; u <= mm[f] {
					up[q] = u - drift[a]
					continue
				}
				i := lo + q
				bst, d1, d2 := nearest2(X[i*d:i*d+d], centers, k)
				if bst != a {
					lab[q] = int32(bst)
					changes++
				}
				up[q] = math.Sqrt(d1) - drift[bst]
				low[q] = math.Sqrt(d2) + maxDrift
			}
		}
		w.chunkChanges[c] = changes
		if accumulate && changes > 0 {
			w.chunkSum(c, lo, hi, labels)
		}
	})
	total := 0
	for _, v := range w.chunkChanges {
		total += v
	}
	return total
}

// chunkSum recomputes chunk c's per-cluster sums Σ w_i x_i and weights
// Σ w_i from rows [lo, hi), sequentially. Unweighted, the weights are the
// sizes, counted exactly in float64.
func (w *worker) chunkSum(c, lo, hi int, labels []int32) {
	X, d, k, wt := w.p.X, w.p.d, w.k, w.p.w
	sums := w.chunkSums[c*k*d : (c+1)*k*d]
	cw := w.chunkW[c*k : (c+1)*k]
	clear(sums)
	clear(cw)
	if wt == nil {
		for i := lo; i < hi; i++ {
			a := int(labels[i])
			dst := sums[a*d:][:d]
			for t, v := range X[i*d : i*d+d] {
				dst[t] += v
			}
			cw[a]++
		}
		return
	}
	for i := lo; i < hi; i++ {
		a := int(labels[i])
		dst := sums[a*d:][:d]
		wi := wt[i]
		for t, v := range X[i*d : i*d+d] {
			dst[t] += float64(wi * v)
		}
		cw[a] += wi
	}
}

// accumulateAll recomputes every chunk's sums (after plusplus labelled the
// rows).
func (w *worker) accumulateAll(labels []int32) {
	forChunks(w.p.n, w.inner, func(c, lo, hi int) { w.chunkSum(c, lo, hi, labels) })
}

// reduceSums adds the per-chunk sums and weights in chunk order.
func (w *worker) reduceSums(sums, cw []float64) {
	k, d := w.k, w.p.d
	clear(sums)
	clear(cw)
	for c := 0; c < w.nc; c++ {
		for t, v := range w.chunkSums[c*k*d : (c+1)*k*d] {
			sums[t] += v
		}
		for j, v := range w.chunkW[c*k : (c+1)*k] {
			cw[j] += v
		}
	}
}

// hasEmpty reports whether a cluster has weight 0 (sklearn's test for
// relocation: with weights, a cluster of weight-0 rows counts as empty).
func hasEmpty(cw []float64) bool {
	for _, c := range cw {
		if c == 0 {
			return true
		}
	}
	return false
}

// farPoint is a candidate for empty-cluster relocation.
type farPoint struct {
	dist float64
	i    int
}

// farther orders by distance descending, then row ascending: a strict total
// order, so the selection does not depend on chunking.
func farther(a, b farPoint) bool {
	if a.dist != b.dist {
		return a.dist > b.dist
	}
	return a.i < b.i
}

// relocateEmpty mirrors sklearn's _relocate_empty_clusters_dense: the e
// empty clusters (weight 0, in increasing index) each receive one of the e
// points farthest from their assigned (pre-update) centre, farthest first
// (unweighted distances, as in sklearn). The point's contribution w·x and
// weight w move from its old cluster to the empty cluster; labels are left
// unchanged, exactly as in sklearn (the next E-step reassigns them). sklearn
// orders the far points by np.argpartition, whose order among the e
// farthest is unspecified; here it is distance descending, ties by lowest
// row.
func (w *worker) relocateEmpty(centers []float64, labels []int32, sums, cw []float64) {
	X, n, d := w.p.X, w.p.n, w.p.d
	var empty []int
	for j, c := range cw {
		if c == 0 {
			empty = append(empty, j)
		}
	}
	e := len(empty)
	forChunks(n, w.inner, func(c, lo, hi int) {
		top := w.far[c][:0]
		for i := lo; i < hi; i++ {
			a := int(labels[i])
			fp := farPoint{sqDist(X[i*d:i*d+d], centers[a*d:a*d+d]), i}
			top = insertTop(top, fp, e)
		}
		w.far[c] = top
	})
	var all []farPoint
	for c := 0; c < w.nc; c++ {
		all = append(all, w.far[c]...)
	}
	sort.Slice(all, func(a, b int) bool { return farther(all[a], all[b]) })
	for idx, j := range empty {
		fp := all[idx]
		old := int(labels[fp.i])
		x := X[fp.i*d : fp.i*d+d]
		wi := 1.0
		if w.p.w != nil {
			wi = w.p.w[fp.i]
		}
		for t, v := range x {
			v = float64(v * wi) // exact when wi = 1
			sums[old*d+t] -= v
			sums[j*d+t] = v
		}
		cw[j] = wi
		cw[old] -= wi
	}
}

// insertTop keeps top as the (at most e) farthest points seen, in farther
// order.
func insertTop(top []farPoint, fp farPoint, e int) []farPoint {
	if len(top) == e && !farther(fp, top[e-1]) {
		return top
	}
	if len(top) < e {
		top = append(top, fp)
	} else {
		top[e-1] = fp
	}
	for q := len(top) - 1; q > 0 && farther(top[q], top[q-1]); q-- {
		top[q], top[q-1] = top[q-1], top[q]
	}
	return top
}

// b2i is 1 for true, 0 for false (compiled to a SETcc, without a branch).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
