package stability

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// KMeansFunc fits k-means with k clusters to n rows of d features (X
// row-major; weights nil = 1) with the given seed and returns each row's
// cluster in [0, k). The inertia it returns is not used: the gap statistic
// and the adapters recompute what they need from the labels. Any engine
// fits (internal/kmeans' Fit in a closure, say); it must be deterministic
// for a given seed.
type KMeansFunc func(ctx context.Context, X []float64, n, d, k int, weights []float64, seed uint64) (labels []int32, inertia float64, err error)

// DefaultGapB is the number of reference sets when GapOptions.B is 0.
const DefaultGapB = 20

// GapOptions controls Gap.
type GapOptions struct {
	KMin, KMax int // range of k, 1 ≤ KMin < KMax
	B          int // reference data sets; 0 = DefaultGapB
	Reference  Reference
	Seed       uint64
	// Weights are per-row sample weights (nil = 1) for the data's W_k.
	// Reference sets keep n unweighted rows, each counting Σw/n, so that
	// their total mass equals the data's.
	Weights []float64
	// SampleSize, when 0 < SampleSize < n, computes everything on that
	// many rows drawn without replacement from a seeded stream (kept in
	// row order), so large tables cost B·(KMax−KMin+1) fits of SampleSize
	// rows; 0 uses every row.
	SampleSize int
}

// GapResult holds the gap statistic per k (index i is k = K[i]).
type GapResult struct {
	K            []int
	LogW         []float64 // log W_k of the data
	ExpectedLogW []float64 // (1/B) Σ_b log W*_kb
	Gap          []float64 // ExpectedLogW − LogW
	SD           []float64 // sd_k = sqrt((1/B) Σ_b (log W*_kb − ExpectedLogW)²)
	S            []float64 // s_k = sd_k × sqrt(1 + 1/B)
	// Best is the smallest k with Gap(k) ≥ Gap(k+1) − s_{k+1}
	// (Tibshirani et al.'s rule); RuleMet is false, and Best is KMax, when
	// no k < KMax satisfies it (as cluster::maxSE's "Tibs2001SEmax").
	Best    int
	RuleMet bool
	B       int
}

// Gap computes the gap statistic of Tibshirani, Walther & Hastie (2001)
// for k = KMin..KMax with the k-means fitter fit: W_k is the pooled
// within-cluster sum of squares of fit's labelling (WithinSS), and B
// reference sets of n rows are drawn in the bounding box (or the
// principal-component box) of the data. Reference set b is drawn from its
// own seeded stream; the fitter's seed for (set, k) is derived from
// (Seed, set, k), so results are a pure function of the inputs. X is not
// modified. Memory: one reference set (n×d) at a time.
func Gap(ctx context.Context, X []float64, n, d int, fit KMeansFunc, opt GapOptions) (*GapResult, error) {
	if err := checkMatrix(X, n, d, opt.Weights); err != nil {
		return nil, err
	}
	if opt.KMin < 1 || opt.KMax <= opt.KMin {
		return nil, errf("gap statistic needs 1 ≤ k_min < k_max, got %d..%d", opt.KMin, opt.KMax)
	}
	if opt.KMax > n {
		return nil, errf("gap statistic: k_max = %d is more than the %d rows", opt.KMax, n)
	}
	B := opt.B
	if B == 0 {
		B = DefaultGapB
	}
	if m := opt.SampleSize; m < 0 {
		return nil, errf("gap statistic: sample size %d", m)
	} else if m > 0 && m < n {
		if opt.KMax > m {
			return nil, errf("gap statistic: k_max = %d is more than the sample of %d rows", opt.KMax, m)
		}
		X, opt.Weights = subsample(X, n, d, opt.Weights, m, stream(opt.Seed, saltGapSample, 0))
		n = m
	}
	if B < 2 {
		return nil, errf("gap statistic needs at least 2 reference sets, got %d", B)
	}
	smp, err := newSampler(X, n, d, opt.Weights, opt.Reference)
	if err != nil {
		return nil, err
	}
	nk := opt.KMax - opt.KMin + 1
	res := &GapResult{B: B, K: make([]int, nk), LogW: make([]float64, nk), ExpectedLogW: make([]float64, nk),
		Gap: make([]float64, nk), SD: make([]float64, nk), S: make([]float64, nk)}
	for i := range res.K {
		res.K[i] = opt.KMin + i
	}
	logW := func(Y []float64, w []float64, set, k int) (float64, error) {
		labels := make([]int32, n)
		if k > 1 {
			var err error
			labels, _, err = fit(ctx, Y, n, d, k, w, derivedSeed(opt.Seed, saltGapFit, (set+1)<<16|k))
			if err != nil {
				return 0, fmt.Errorf("stability: gap statistic, k = %d: %w", k, err)
			}
			if len(labels) != n {
				return 0, errf("gap statistic, k = %d: the fitter returned %d labels for %d rows", k, len(labels), n)
			}
		}
		ss := WithinSS(Y, n, d, labels, k, w)
		if w == nil && opt.Weights != nil {
			var tot float64
			for _, v := range opt.Weights {
				tot += v
			}
			ss *= tot / float64(n)
		}
		return math.Log(ss), nil
	}
	for i, k := range res.K {
		if res.LogW[i], err = logW(X, opt.Weights, -1, k); err != nil {
			return nil, err
		}
	}
	ref := make([]float64, n*d)
	sims := make([]float64, B*nk)
	for b := 0; b < B; b++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		smp.draw(ref, stream(opt.Seed, saltReference, b))
		for i, k := range res.K {
			if sims[b*nk+i], err = logW(ref, nil, b, k); err != nil {
				return nil, err
			}
		}
	}
	for i := range res.K {
		var m float64
		for b := 0; b < B; b++ {
			m += sims[b*nk+i]
		}
		m /= float64(B)
		var v float64
		for b := 0; b < B; b++ {
			t := sims[b*nk+i] - m
			v += t * t
		}
		res.ExpectedLogW[i] = m
		res.Gap[i] = m - res.LogW[i]
		res.SD[i] = math.Sqrt(v / float64(B))
		res.S[i] = res.SD[i] * math.Sqrt(1+1/float64(B))
	}
	res.Best = opt.KMax
	for i := 0; i+1 < nk; i++ {
		if res.Gap[i] >= res.Gap[i+1]-res.S[i+1] {
			res.Best, res.RuleMet = res.K[i], true
			break
		}
	}
	return res, nil
}

// subsample returns m rows of X (and their weights) drawn without
// replacement by a partial Fisher–Yates shuffle (one IntN per row drawn),
// in increasing row order.
func subsample(X []float64, n, d int, weights []float64, m int, rng interface{ IntN(int) int }) ([]float64, []float64) {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < m; i++ {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	pick := idx[:m]
	slices.Sort(pick)
	Y := make([]float64, m*d)
	var w []float64
	if weights != nil {
		w = make([]float64, m)
	}
	for t, i := range pick {
		copy(Y[t*d:t*d+d], X[i*d:i*d+d])
		if w != nil {
			w[t] = weights[i]
		}
	}
	return Y, w
}
