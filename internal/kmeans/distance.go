package kmeans

// sqDist returns Σ_j (x[j]-c[j])², summed in feature order.
//
// Every distance in this package is computed by this exact expression (the
// blocked kernels below accumulate each centre in the same order), so one
// (point, centre) pair always yields the same bits. The explicit float64
// conversion forbids the compiler from fusing the multiply-add (Go spec,
// "Floating-point operators"), which keeps results identical across
// architectures and GOAMD64 levels.
func sqDist(x, c []float64) float64 {
	c = c[:len(x)]
	var s float64
	for j, xv := range x {
		t := xv - c[j]
		s += float64(t * t)
	}
	return s
}

// sqDist4 returns sqDist(x, c0) … sqDist(x, c3), bit for bit, computing the
// four independent sums together so the additions overlap in the pipeline.
func sqDist4(x, c0, c1, c2, c3 []float64) (s0, s1, s2, s3 float64) {
	c0, c1, c2, c3 = c0[:len(x)], c1[:len(x)], c2[:len(x)], c3[:len(x)]
	for t, xv := range x {
		a := xv - c0[t]
		b := xv - c1[t]
		c := xv - c2[t]
		e := xv - c3[t]
		s0 += float64(a * a)
		s1 += float64(b * b)
		s2 += float64(c * c)
		s3 += float64(e * e)
	}
	return s0, s1, s2, s3
}

// nearest2 returns the index of the centre nearest to x (ties → lowest
// index) with its squared distance, and the squared distance to the second
// nearest centre (+Inf when k == 1). centers is k*len(x) row-major.
//
// Above four centres the running minimum is kept without branches (MINSD
// and a conditional move, see fold2), which the branch predictor cannot
// get wrong; measured 2–2.5× faster at k = 6..10, d = 6. Up to four
// centres the branchy push2 is a little faster. Both give the same bits.
func nearest2(x, centers []float64, k int) (best int, d1, d2 float64) {
	d := len(x)
	d1, d2 = inf, inf
	j := 0
	branchFree := k > 4
	for ; j+4 <= k; j += 4 {
		// Inline copy of sqDist4 (a call costs ~20% here).
		c0 := centers[j*d:][:len(x)]
		c1 := centers[(j+1)*d:][:len(x)]
		c2 := centers[(j+2)*d:][:len(x)]
		c3 := centers[(j+3)*d:][:len(x)]
		var s0, s1, s2, s3 float64
		for t, xv := range x {
			a := xv - c0[t]
			b := xv - c1[t]
			c := xv - c2[t]
			e := xv - c3[t]
			s0 += float64(a * a)
			s1 += float64(b * b)
			s2 += float64(c * c)
			s3 += float64(e * e)
		}
		if branchFree {
			best, d1, d2 = fold2(best, d1, d2, j, s0)
			best, d1, d2 = fold2(best, d1, d2, j+1, s1)
			best, d1, d2 = fold2(best, d1, d2, j+2, s2)
			best, d1, d2 = fold2(best, d1, d2, j+3, s3)
		} else {
			best, d1, d2 = push2(best, d1, d2, j, s0)
			best, d1, d2 = push2(best, d1, d2, j+1, s1)
			best, d1, d2 = push2(best, d1, d2, j+2, s2)
			best, d1, d2 = push2(best, d1, d2, j+3, s3)
		}
	}
	for ; j < k; j++ {
		s := sqDist(x, centers[j*d:j*d+d])
		if branchFree {
			best, d1, d2 = fold2(best, d1, d2, j, s)
		} else {
			best, d1, d2 = push2(best, d1, d2, j, s)
		}
	}
	return best, d1, d2
}

// push2 folds candidate (j, s) into the running best/second-best pair.
// Strict comparison keeps the lowest index among equal distances.
func push2(best int, d1, d2 float64, j int, s float64) (int, float64, float64) {
	if s < d1 {
		return j, s, d1
	}
	if s < d2 {
		d2 = s
	}
	return best, d1, d2
}

// fold2 is push2 without branches: the same result (distances are never
// NaN and never −0, so the min/max builtins pick the same operand), with
// the index update compiled to a conditional move.
func fold2(best int, d1, d2 float64, j int, s float64) (int, float64, float64) {
	if s < d1 {
		best = j
	}
	d2 = min(d2, max(d1, s))
	d1 = min(d1, s)
	return best, d1, d2
}
