package cluster

import (
	"context"
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/result"
)

// fitSettings are the k-means settings shared by every k.
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
}

// fitter runs k-means on the scaled matrix for several k.
type fitter struct {
	Z    []float64
	n, d int
	set  fitSettings

	// progress is called after each restart with the work done over all k
	// — a restart with k centroids counts k units, its share of the
	// distances computed — and the restarts done.
	progress func(work float64, restarts int, k int)
	done     int     // restarts finished
	work     float64 // units finished
}

// fit runs one k-means fit.
func (f *fitter) fit(ctx context.Context, k int) (*kmeans.Result, error) {
	base, baseWork := f.done, f.work
	opt := kmeans.Options{
		K: k, NInit: f.set.nInit, MaxIter: f.set.maxIter, Tol: f.set.tol, Seed: f.set.seed,
		Progress: func(done, total int) {
			if f.progress != nil {
				f.progress(baseWork+float64(done*k), base+done, k)
			}
		},
	}
	if f.set.init != nil && k == f.set.initK {
		opt.Init = f.set.init
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
	f.done, f.work = base+f.set.nInit, baseWork+float64(f.set.nInit*k)
	if err != nil {
		return nil, fmt.Errorf("k-means with k = %d: %w", k, err)
	}
	return r, nil
}

// fitRange fits and scores every k of ks (increasing), calling done after
// each. It returns the fits by k and the scores in ks order.
func (f *fitter) fitRange(ctx context.Context, ks []int, done func(r *kmeans.Result, sc result.KScore, warn string)) (map[int]*kmeans.Result, []result.KScore, error) {
	fits := make(map[int]*kmeans.Result, len(ks))
	scores := make([]result.KScore, 0, len(ks))
	for _, k := range ks {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		r, err := f.fit(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		fits[k] = r
		sc, warn := f.score(r)
		scores = append(scores, sc)
		if done != nil {
			done(r, sc, warn)
		}
	}
	return fits, scores, nil
}

// score computes the evidence for one fit: inertia, silhouette (exact up
// to silSample rows, else on a seeded sample), Calinski–Harabasz,
// Davies–Bouldin and the separation of the closest two segments. Undefined values (k = 1) are NaN. warn is set when the
// silhouette could not be computed for another reason.
func (f *fitter) score(r *kmeans.Result) (sc result.KScore, warn string) {
	sc = result.KScore{
		K: r.K, Inertia: r.Inertia,
		Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.NaN(), Separation: math.NaN(),
		SeparationPair: [2]int{-1, -1},
	}
	if r.K < 2 {
		return sc, ""
	}
	sil, err := metrics.SilhouetteSample(f.Z, f.n, f.d, r.Labels, r.K, f.set.silSample, f.set.silSeed)
	if err != nil {
		warn = fmt.Sprintf("k = %d: silhouette not computed: %v", r.K, err)
	} else {
		sc.Silhouette = sil
		sc.SilhouetteSample = min(f.n, f.set.silSample)
	}
	sc.CalinskiHarabasz = metrics.CalinskiHarabasz(f.Z, f.n, f.d, r.Labels, r.K)
	sc.DaviesBouldin = metrics.DaviesBouldin(f.Z, f.n, f.d, r.Labels, r.K)
	sep := metrics.MinSeparation(f.Z, f.n, f.d, r.Labels, r.K)
	sc.Separation, sc.SeparationPair = sep.Min, [2]int{sep.P, sep.Q}
	return sc, warn
}
