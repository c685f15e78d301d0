package cluster

import (
	"context"
	"errors"
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

	// progress is called with the number of restarts finished over all k.
	progress func(done int)
	done     int
}

// fit runs one k-means fit.
func (f *fitter) fit(ctx context.Context, k int) (*kmeans.Result, error) {
	base := f.done
	opt := kmeans.Options{
		K: k, NInit: f.set.nInit, MaxIter: f.set.maxIter, Tol: f.set.tol, Seed: f.set.seed,
		Progress: func(done, total int) {
			if f.progress != nil {
				f.progress(base + done)
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
	f.done = base + f.set.nInit
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
// to silSample rows, else on a seeded sample), Calinski–Harabasz and
// Davies–Bouldin. Undefined values (k = 1) are NaN. warn is set when the
// silhouette could not be computed for another reason.
func (f *fitter) score(r *kmeans.Result) (sc result.KScore, warn string) {
	sc = result.KScore{
		K: r.K, Inertia: r.Inertia,
		Silhouette: math.NaN(), CalinskiHarabasz: math.NaN(), DaviesBouldin: math.NaN(),
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
	return sc, warn
}

// errNoChoice is returned when no k has the value the selection needs.
var errNoChoice = errors.New("no k has a defined score")

// choose picks k from the scores (in increasing k) by method. It returns
// the chosen k, the method actually used (elbow falls back to silhouette
// when the inertia curve has no knee) and a warning for the fallback. Ties
// go to the smallest k.
func choose(scores []result.KScore, method string) (k int, used, warn string, err error) {
	if method == SelectElbow {
		x := make([]float64, len(scores))
		y := make([]float64, len(scores))
		for i, s := range scores {
			x[i], y[i] = float64(s.K), s.Inertia
		}
		i, kerr := metrics.Kneedle(x, y)
		if kerr == nil {
			return scores[i].K, SelectElbow, "", nil
		}
		k, err = best(scores, SelectSilhouette)
		if err != nil {
			return 0, "", "", fmt.Errorf("select elbow: %v, and %w for the silhouette fallback", kerr, err)
		}
		why := "the inertia curve has no elbow (Kneedle found no knee)"
		if !errors.Is(kerr, metrics.ErrNoKnee) {
			why = fmt.Sprintf("the elbow could not be computed (%v)", kerr)
		}
		return k, SelectSilhouette, fmt.Sprintf("select elbow: %s for k = %d..%d; chose k = %d by the best silhouette instead", why, scores[0].K, scores[len(scores)-1].K, k), nil
	}
	k, err = best(scores, method)
	if err != nil {
		return 0, "", "", fmt.Errorf("select %s: %w", method, err)
	}
	return k, method, "", nil
}

// best returns the k with the best defined value of a score: highest
// silhouette or Calinski–Harabasz, lowest Davies–Bouldin.
func best(scores []result.KScore, method string) (int, error) {
	bestK, bestV := 0, math.NaN()
	for _, s := range scores {
		var v float64
		switch method {
		case SelectSilhouette:
			v = s.Silhouette
		case SelectCalinskiHarabasz:
			v = s.CalinskiHarabasz
		case SelectDaviesBouldin:
			v = -s.DaviesBouldin
		}
		if math.IsNaN(v) {
			continue
		}
		if bestK == 0 || v > bestV {
			bestK, bestV = s.K, v
		}
	}
	if bestK == 0 {
		return 0, errNoChoice
	}
	return bestK, nil
}
