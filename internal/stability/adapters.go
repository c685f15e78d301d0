package stability

import (
	"context"
	"math"

	"github.com/churnlab/segment/internal/kproto"
)

// KMeans adapts a k-means fitter to Bootstrap for the n×d matrix X with
// sample weights (nil = 1): each bootstrap fits the drawn rows with
// weights mult × weight, takes each fitted cluster's weighted mean as its
// centre, and assigns every row to the nearest centre by squared Euclidean
// distance (lowest index among ties; clusters the fit left empty are
// skipped).
func KMeans(X []float64, n, d, k int, weights []float64, fit KMeansFunc) Fitter {
	return func(ctx context.Context, rows []int32, mult []float64, seed uint64) ([]int32, []int32, error) {
		m := len(rows)
		Y := make([]float64, m*d)
		w := make([]float64, m)
		for t, r := range rows {
			copy(Y[t*d:t*d+d], X[int(r)*d:int(r)*d+d])
			w[t] = mult[t] * weightOf(weights, int(r))
		}
		labels, _, err := fit(ctx, Y, m, d, k, w, seed)
		if err != nil {
			return nil, nil, err
		}
		if len(labels) != m {
			return nil, nil, errf("the k-means fitter returned %d labels for %d rows", len(labels), m)
		}
		centres := make([]float64, k*d)
		tot := make([]float64, k)
		for t, l := range labels {
			if l < 0 || int(l) >= k {
				return nil, nil, errf("the k-means fitter returned label %d for k = %d", l, k)
			}
			tot[l] += w[t]
			for f := 0; f < d; f++ {
				centres[int(l)*d+f] += float64(w[t] * Y[t*d+f])
			}
		}
		for j := 0; j < k; j++ {
			for f := 0; f < d && tot[j] > 0; f++ {
				centres[j*d+f] /= tot[j]
			}
		}
		all := make([]int32, n)
		for i := 0; i < n; i++ {
			best, bestD := -1, math.Inf(1)
			for j := 0; j < k; j++ {
				if tot[j] == 0 {
					continue
				}
				var s float64
				for f := 0; f < d; f++ {
					t := X[i*d+f] - centres[j*d+f]
					s += float64(t * t)
				}
				if best < 0 || s < bestD {
					best, bestD = j, s
				}
			}
			all[i] = int32(best)
		}
		return labels, all, nil
	}
}

// KPrototypes adapts kproto.Fit to Bootstrap for the mixed table (num n×p
// row-major, cat[c] per feature) with options opt (opt.Weights are the
// rows' sample weights, nil = 1; opt.Seed is replaced by the bootstrap's
// seed): each bootstrap fits the drawn rows with weights mult × weight and
// assigns every row with the fitted model's Predict.
func KPrototypes(num []float64, n, p int, cat [][]int32, opt kproto.Options) Fitter {
	return func(ctx context.Context, rows []int32, mult []float64, seed uint64) ([]int32, []int32, error) {
		m := len(rows)
		sub := make([]float64, m*p)
		subCat := make([][]int32, len(cat))
		for c := range subCat {
			subCat[c] = make([]int32, m)
		}
		w := make([]float64, m)
		for t, r := range rows {
			copy(sub[t*p:t*p+p], num[int(r)*p:int(r)*p+p])
			for c := range cat {
				subCat[c][t] = cat[c][r]
			}
			w[t] = mult[t] * weightOf(opt.Weights, int(r))
		}
		o := opt
		o.Weights = w
		o.Seed = seed
		res, err := kproto.Fit(ctx, sub, m, p, subCat, o)
		if err != nil {
			return nil, nil, err
		}
		all, _, err := res.Model().Predict(num, n, cat, nil)
		if err != nil {
			return nil, nil, err
		}
		return res.Labels, all, nil
	}
}
