package cluster

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/result"
)

// fitSettings are the settings shared by every k.
type fitSettings struct {
	engine  string
	nInit   int
	maxIter int
	tol     float64
	seed    uint64 // the same seed for every k: k: auto's choice equals a fixed-k fit

	silSample int
	silSeed   uint64

	// init, when set, holds initK*d starting centres for restart 0 of the
	// fit with k = initK (warm_start).
	init  []float64
	initK int

	// k-prototypes: the γ (nil: the kmodes rule), init and missing policy.
	gamma   *float64
	kpInit  kproto.InitMethod
	missing kproto.MissingPolicy
}

// fit is one k's kept fit, of either engine.
type fit struct {
	K            int
	km           *kmeans.Result // k-means (native, muesli)
	kp           *kproto.Result // k-prototypes
	Labels       []int32
	Cost         float64 // inertia, or the k-prototypes cost
	gamma        float64 // k-prototypes: the weight of one mismatch
	Iterations   int
	Converged    bool
	BestRestart  int
	Restarts     []float64 // every restart's inertia or cost
	Reproducible bool
}

func fromKMeans(r *kmeans.Result) *fit {
	return &fit{K: r.K, km: r, Labels: r.Labels, Cost: r.Inertia, Iterations: r.Iterations, Converged: r.Converged,
		BestRestart: r.BestRestart, Restarts: r.RestartInertia, Reproducible: r.Reproducible}
}

// fitter runs the clustering on the scaled matrix for several k.
type fitter struct {
	Z    []float64
	n, d int
	set  fitSettings
	// w are the rows' sample weights (nil: every row counts once).
	w []float64
	// cat holds the categorical codes (k-prototypes; nil for k-means).
	cat *catData

	// progress is called after each restart with the work done over all k
	// — a restart with k centroids counts k units, its share of the
	// distances computed — and the restarts done.
	progress func(work float64, restarts int, k int)
	done     int     // restarts finished
	work     float64 // units finished
}

func (f *fitter) kmOptions(k int) kmeans.Options {
	opt := kmeans.Options{K: k, NInit: f.set.nInit, MaxIter: f.set.maxIter, Tol: f.set.tol, Seed: f.set.seed, Weights: f.w}
	if f.set.init != nil && k == f.set.initK {
		opt.Init = f.set.init
	}
	return opt
}

// fitOne runs one k-means (muesli) or k-prototypes fit.
func (f *fitter) fitOne(ctx context.Context, k int) (*fit, error) {
	base, baseWork := f.done, f.work
	defer func() { f.done, f.work = base+f.set.nInit, baseWork+float64(f.set.nInit*k) }()
	if f.cat != nil {
		r, err := f.fitKProto(ctx, k, f.set.seed, f.set.nInit)
		if f.progress != nil {
			f.progress(baseWork+float64(f.set.nInit*k), base+f.set.nInit, k)
		}
		if err != nil {
			return nil, fmt.Errorf("k-prototypes with k = %d: %w", k, err)
		}
		return &fit{K: k, kp: r, gamma: r.Gamma, Labels: r.Labels, Cost: r.Cost, Iterations: r.Iterations, Converged: r.Converged,
			BestRestart: r.BestRestart, Restarts: r.RestartCosts, Reproducible: true}, nil
	}
	opt := f.kmOptions(k)
	opt.Progress = func(done, total int) {
		if f.progress != nil {
			f.progress(baseWork+float64(done*k), base+done, k)
		}
	}
	var (
		r   *kmeans.Result
		err error
	)
	if f.set.engine == EngineMuesli {
		r, err = kmeans.FitMuesli(ctx, f.Z, f.n, f.d, opt)
	} else {
		r, err = kmeans.Fit(ctx, f.Z, f.n, f.d, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("k-means with k = %d: %w", k, err)
	}
	return fromKMeans(r), nil
}

// fitKProto fits k-prototypes on the rows with a positive weight (every
// row without weights); the returned Labels cover every row.
func (f *fitter) fitKProto(ctx context.Context, k int, seed uint64, nInit int) (*kproto.Result, error) {
	opt := kproto.Options{K: k, NInit: nInit, MaxIter: f.set.maxIter, Tol: f.set.tol, Init: f.set.kpInit,
		Seed: seed, Missing: f.set.missing, CategoricalNames: f.cat.names}
	if f.set.gamma != nil {
		opt.Gamma = *f.set.gamma
	}
	num, n, cat, rows := f.Z, f.n, f.cat.codes, []int(nil)
	if f.w != nil {
		num, cat, rows, opt.Weights = positiveRows(f.Z, f.d, f.cat.codes, f.w)
		n = len(rows)
	}
	r, err := kproto.Fit(ctx, num, n, f.d, cat, opt)
	if err != nil {
		return nil, err
	}
	if rows != nil {
		// label every row, the zero-weight ones too
		labels, _, err := r.Model().Predict(f.Z, f.n, f.cat.codes, nil)
		if err != nil {
			return nil, err
		}
		r.Labels = labels
	}
	return r, nil
}

// positiveRows returns the rows with w > 0: their numeric values, codes,
// indices and weights.
func positiveRows(Z []float64, d int, codes [][]int32, w []float64) ([]float64, [][]int32, []int, []float64) {
	var rows []int
	for i, v := range w {
		if v > 0 {
			rows = append(rows, i)
		}
	}
	num := make([]float64, 0, len(rows)*d)
	ww := make([]float64, len(rows))
	cat := make([][]int32, len(codes))
	for c := range cat {
		cat[c] = make([]int32, len(rows))
	}
	for t, i := range rows {
		num = append(num, Z[i*d:i*d+d]...)
		ww[t] = w[i]
		for c := range codes {
			cat[c][t] = codes[c][i]
		}
	}
	return num, cat, rows, ww
}

// fitRange fits and scores every k of ks (increasing), calling done after
// each. The native engine fits all k in one kmeans.Scan (each result bit
// for bit the Fit of that k alone); muesli and k-prototypes fit k by k. It
// returns the fits by k and the scores in ks order.
func (f *fitter) fitRange(ctx context.Context, ks []int, done func(r *fit, sc result.KScore, warn string)) (map[int]*fit, []result.KScore, error) {
	fits := make(map[int]*fit, len(ks))
	scores := make([]result.KScore, 0, len(ks))
	add := func(r *fit) {
		fits[r.K] = r
		sc, warn := f.score(r)
		scores = append(scores, sc)
		if done != nil {
			done(r, sc, warn)
		}
	}
	if f.cat == nil && f.set.engine != EngineMuesli {
		rs, err := f.scan(ctx, ks)
		if err != nil {
			return nil, nil, err
		}
		// Each k's evidence (a pass over every row for Calinski–Harabasz,
		// Davies–Bouldin and the separation, the silhouette on its sample)
		// is computed on its own core; the results are then reported in
		// k order.
		rfs := make([]*fit, len(rs))
		scs := make([]result.KScore, len(rs))
		warns := make([]string, len(rs))
		var wg sync.WaitGroup
		next := make(chan int, len(rs))
		for i := range rs {
			next <- i
		}
		close(next)
		for range min(len(rs), runtime.GOMAXPROCS(0)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if ctx.Err() != nil {
						continue
					}
					rfs[i] = fromKMeans(rs[i])
					scs[i], warns[i] = f.score(rfs[i])
				}
			}()
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for i, r := range rfs {
			fits[r.K] = r
			scores = append(scores, scs[i])
			if done != nil {
				done(r, scs[i], warns[i])
			}
		}
		return fits, scores, nil
	}
	for _, k := range ks {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		r, err := f.fitOne(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		add(r)
	}
	return fits, scores, nil
}

// scan runs kmeans.Scan over ks (warm_start's Init goes to its k).
func (f *fitter) scan(ctx context.Context, ks []int) ([]*kmeans.Result, error) {
	opt := f.kmOptions(0)
	if f.set.init != nil {
		opt.Init = f.set.init
	}
	total := 0.0 // work units: a restart with k centroids counts k
	for _, k := range ks {
		total += float64(k * f.set.nInit)
	}
	opt.Progress = func(done, all int) {
		if f.progress != nil && all > 0 {
			f.progress(total*float64(done)/float64(all), done, ks[len(ks)-1])
		}
	}
	rs, err := kmeans.Scan(ctx, f.Z, f.n, f.d, ks, opt)
	if err != nil {
		if len(ks) == 1 {
			return nil, fmt.Errorf("k-means with k = %d: %w", ks[0], err)
		}
		return nil, fmt.Errorf("k-means with k = %d..%d: %w", ks[0], ks[len(ks)-1], err)
	}
	return rs, nil
}

// score computes the evidence for one fit: inertia (or the k-prototypes
// cost), silhouette (exact up to silSample rows, else on a seeded sample),
// Calinski–Harabasz, Davies–Bouldin and the separation of the closest two
// segments, each weighted by the sample weights. For k-prototypes the
// silhouette uses the mixed distance sqrt(Σ(z−c)² + γ·mismatches) and the
// other three indices, built on Euclidean means, are undefined. Undefined
// values (k = 1) are NaN. warn is set when the silhouette could not be
// computed for another reason.
func (f *fitter) score(r *fit) (sc result.KScore, warn string) {
	sc = result.KScore{
		K: r.K, Inertia: r.Cost,
		Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.NaN(), Separation: math.NaN(),
		SeparationPair: [2]int{-1, -1},
	}
	if r.K < 2 {
		return sc, ""
	}
	var (
		sil float64
		err error
	)
	switch {
	case f.cat == nil && f.w == nil:
		sil, err = metrics.SilhouetteSample(f.Z, f.n, f.d, r.Labels, r.K, f.set.silSample, f.set.silSeed)
	default:
		sil, err = f.silhouette(r)
	}
	if err != nil {
		warn = fmt.Sprintf("k = %d: silhouette not computed: %v", r.K, err)
	} else {
		sc.Silhouette = sil
		sc.SilhouetteSample = min(f.n, f.set.silSample)
	}
	if f.cat != nil {
		return sc, warn
	}
	sc.CalinskiHarabasz = metrics.CalinskiHarabaszWeighted(f.Z, f.n, f.d, r.Labels, r.K, f.w)
	sc.DaviesBouldin = metrics.DaviesBouldinWeighted(f.Z, f.n, f.d, r.Labels, r.K, f.w)
	sep := metrics.MinSeparationWeighted(f.Z, f.n, f.d, r.Labels, r.K, f.w)
	sc.Separation, sc.SeparationPair = sep.Min, [2]int{sep.P, sep.Q}
	return sc, warn
}

// silhouette is the weighted and/or mixed silhouette on the sample rows
// SilhouetteSample would draw (all rows up to silSample).
func (f *fitter) silhouette(r *fit) (float64, error) {
	idx := metrics.SampleRows(f.n, f.set.silSample, f.set.silSeed)
	m, d := len(idx), f.d
	labels := make([]int32, m)
	var w []float64
	if f.w != nil {
		w = make([]float64, m)
	}
	for t, i := range idx {
		labels[t] = r.Labels[i]
		if w != nil {
			w[t] = f.w[i]
		}
	}
	gamma := r.gamma
	dist := func(a, b int) float64 {
		i, j := idx[a], idx[b]
		zi, zj := f.Z[i*d:i*d+d], f.Z[j*d:j*d+d]
		var ss float64
		for t, v := range zi {
			e := v - zj[t]
			ss += float64(e * e)
		}
		if f.cat != nil {
			mis := 0
			for _, col := range f.cat.codes {
				if col[i] != col[j] {
					mis++
				}
			}
			ss += float64(gamma * float64(mis))
		}
		return math.Sqrt(ss)
	}
	return metrics.SilhouetteDist(m, labels, r.K, w, dist)
}
