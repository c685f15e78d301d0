package stability

import (
	"context"
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/metrics"
)

// A Fitter refits a clustering on a bootstrap sample of the caller's n
// rows (the closure holds the data). rows are the distinct rows drawn, in
// increasing order; mult[i] is the factor row rows[i] counts with (1, or
// the number of times it was drawn when BootOptions.Multiple is set), to be
// multiplied by the caller's own sample weights. It returns the cluster of
// each listed row (any non-negative labels) and the cluster of every one
// of the n rows (assigned to the nearest prototype of the refit).
type Fitter func(ctx context.Context, rows []int32, mult []float64, seed uint64) (rowLabels, allLabels []int32, err error)

// Defaults of BootOptions fields left at zero.
const (
	DefaultBootstraps  = 50
	DefaultMaxSample   = 50_000 // rows drawn per bootstrap when n is larger
	DefaultDissolution = 0.5    // clusterboot's dissolution
	DefaultRecover     = 0.75   // clusterboot's recover
	DefaultUnstable    = 0.6    // flag a cluster whose mean Jaccard is below
)

// BootOptions controls Bootstrap.
type BootOptions struct {
	B    int // bootstrap resamples; 0 = DefaultBootstraps
	Seed uint64
	// SampleSize is the number of rows drawn (with replacement) per
	// bootstrap: 0 = n when n ≤ DefaultMaxSample, else DefaultMaxSample
	// (an m-out-of-n bootstrap, to bound the cost on large tables).
	SampleSize int
	// Multiple fits each drawn row with its multiplicity as a weight
	// (clusterboot's multipleboot = TRUE); by default every distinct drawn
	// row counts once (multipleboot = FALSE, clusterboot's default).
	Multiple bool
	// Weights are the rows' sample weights (nil = 1); they weigh the
	// Jaccard counts. The fitter applies them to the fits itself.
	Weights     []float64
	Dissolution float64 // 0 = DefaultDissolution
	Recover     float64 // 0 = DefaultRecover
	Unstable    float64 // 0 = DefaultUnstable
}

// ClusterStability is one original cluster's bootstrap evidence.
type ClusterStability struct {
	Cluster     int
	Size        int       // rows in the original clustering
	Jaccard     []float64 // per bootstrap: the best Jaccard with any bootstrap cluster
	MeanJaccard float64
	Dissolved   int  // bootstraps with Jaccard ≤ Dissolution (clusterboot's bootbrd)
	Recovered   int  // bootstraps with Jaccard > Recover (clusterboot's bootrecover)
	Unstable    bool // MeanJaccard < Unstable
}

// BootResult is the outcome of Bootstrap.
type BootResult struct {
	B, SampleSize int
	Clusters      []ClusterStability
	// ARI[b] is the adjusted Rand index between the original labels and
	// bootstrap b's labels of all n rows; MeanARI and SDARI (sample
	// standard deviation, n − 1) summarise them.
	ARI            []float64
	MeanARI, SDARI float64
}

// Bootstrap measures how stable each cluster of labels (n rows, clusters
// 0..k−1) is under resampling, as fpc::clusterboot(bootmethod = "boot")
// does: B times, draw SampleSize row indices with replacement from a
// seeded stream, refit with fit on the distinct rows drawn, and for every
// original cluster C take the highest Jaccard similarity with a bootstrap
// cluster D, both restricted to the distinct drawn rows S:
//
//	J(C, D) = |C ∩ D ∩ S| / |(C ∪ D) ∩ S|   (0 when C ∩ S is empty)
//
// with |·| counting rows (Σ weights when Weights are given). The mean over
// bootstraps is the cluster's stability; bootstraps at or below
// Dissolution count as "dissolved". Bootstraps run one after another (the
// fitter may use goroutines); results are a pure function of the inputs.
func Bootstrap(ctx context.Context, labels []int32, k int, fit Fitter, opt BootOptions) (*BootResult, error) {
	n := len(labels)
	if n == 0 || k < 1 {
		return nil, errf("bootstrap needs labelled rows and k ≥ 1 (got %d rows, k = %d)", n, k)
	}
	for i, l := range labels {
		if l < 0 || int(l) >= k {
			return nil, errf("row %d has label %d, outside 0..%d", i, l, k-1)
		}
	}
	if opt.Weights != nil {
		if err := checkMatrix(make([]float64, n), n, 1, opt.Weights); err != nil {
			return nil, err
		}
	}
	B := opt.B
	if B == 0 {
		B = DefaultBootstraps
	}
	m := opt.SampleSize
	if m == 0 {
		m = min(n, DefaultMaxSample)
	}
	if B < 1 || m < 1 {
		return nil, errf("bootstrap needs B ≥ 1 and a sample size ≥ 1, got %d and %d", B, m)
	}
	dis := orDefault(opt.Dissolution, DefaultDissolution)
	rec := orDefault(opt.Recover, DefaultRecover)
	uns := orDefault(opt.Unstable, DefaultUnstable)
	res := &BootResult{B: B, SampleSize: m, Clusters: make([]ClusterStability, k), ARI: make([]float64, B)}
	for c := range res.Clusters {
		res.Clusters[c].Cluster = c
		res.Clusters[c].Jaccard = make([]float64, B)
	}
	for _, l := range labels {
		res.Clusters[l].Size++
	}
	count := make([]int32, n)
	for b := 0; b < B; b++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows, mult := resample(count, m, opt.Multiple, stream(opt.Seed, saltResample, b))
		rowLabels, all, err := fit(ctx, rows, mult, derivedSeed(opt.Seed, saltBootFit, b))
		if err != nil {
			return nil, fmt.Errorf("stability: bootstrap %d: %w", b+1, err)
		}
		if len(rowLabels) != len(rows) || len(all) != n {
			return nil, errf("bootstrap %d: the fitter returned %d and %d labels, want %d and %d", b+1, len(rowLabels), len(all), len(rows), n)
		}
		jac, err := bestJaccard(labels, k, rows, rowLabels, opt.Weights)
		if err != nil {
			return nil, fmt.Errorf("stability: bootstrap %d: %w", b+1, err)
		}
		for c, v := range jac {
			res.Clusters[c].Jaccard[b] = v
		}
		res.ARI[b] = metrics.AdjustedRand(labels, all)
	}
	for c := range res.Clusters {
		cs := &res.Clusters[c]
		var s float64
		for _, v := range cs.Jaccard {
			s += v
			if v <= dis {
				cs.Dissolved++
			}
			if v > rec {
				cs.Recovered++
			}
		}
		cs.MeanJaccard = s / float64(B)
		cs.Unstable = cs.MeanJaccard < uns
	}
	res.MeanARI, res.SDARI = meanSD(res.ARI)
	return res, nil
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// resample draws m indices uniformly with replacement (one IntN each) and
// returns the distinct rows in increasing order with their multiplicity
// (or 1). count is n zeros on entry and on return.
func resample(count []int32, m int, multiple bool, rng interface{ IntN(int) int }) ([]int32, []float64) {
	n := len(count)
	for t := 0; t < m; t++ {
		count[rng.IntN(n)]++
	}
	var rows []int32
	var mult []float64
	for i, c := range count {
		if c == 0 {
			continue
		}
		rows = append(rows, int32(i))
		if multiple {
			mult = append(mult, float64(c))
		} else {
			mult = append(mult, 1)
		}
		count[i] = 0
	}
	return rows, mult
}

// bestJaccard returns, for each original cluster 0..k−1, the highest
// Jaccard similarity with any bootstrap cluster over the rows listed
// (clusterboot's clujaccard with zerobyzero = 0).
func bestJaccard(labels []int32, k int, rows, boot []int32, weights []float64) ([]float64, error) {
	kb := 0
	for _, l := range boot {
		if l < 0 {
			return nil, errf("the fitter returned label %d", l)
		}
		kb = max(kb, int(l)+1)
	}
	inter := make([]float64, k*kb)
	orig := make([]float64, k)
	bsz := make([]float64, kb)
	for t, r := range rows {
		w := weightOf(weights, int(r))
		c, j := int(labels[r]), int(boot[t])
		inter[c*kb+j] += w
		orig[c] += w
		bsz[j] += w
	}
	out := make([]float64, k)
	for c := 0; c < k; c++ {
		for j := 0; j < kb; j++ {
			in := inter[c*kb+j]
			if u := orig[c] + bsz[j] - in; u > 0 {
				out[c] = max(out[c], in/u)
			}
		}
	}
	return out, nil
}

func meanSD(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	var s float64
	for _, x := range v {
		s += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(s / float64(len(v)-1))
}
