package kmeans

import (
	"context"
	"fmt"
)

// Scan fits k-means for every k of ks and returns the results in ks
// order. Result a is bit for bit what Fit returns with opt.K = ks[a] (same
// restarts, same sample, same refinements, same Labels, Inertia and
// RestartInertia), so a k chosen from a scan is exactly the fit of that k
// alone. opt.K is ignored; opt.Init, when set, starts restart 0 of the k
// with k*d == len(opt.Init), which must be in ks.
//
// What the k share is computed once: the validation of X, the tolerance,
// the sample, and one pool of Workers goroutines that runs the restarts of
// all k (largest k first), then all refinements, so no core idles between
// two k. opt.Progress counts len(ks)·NInit units in all.
func Scan(ctx context.Context, X []float64, n, d int, ks []int, opt Options) ([]*Result, error) {
	if len(ks) == 0 {
		return nil, fmt.Errorf("kmeans: Scan needs at least one k")
	}
	seen := map[int]bool{}
	maxK := 0
	for _, k := range ks {
		if seen[k] {
			return nil, fmt.Errorf("kmeans: Scan: k = %d listed twice", k)
		}
		seen[k] = true
		maxK = max(maxK, k)
	}
	if opt.Init != nil {
		if d <= 0 || len(opt.Init)%d != 0 || !seen[len(opt.Init)/d] {
			return nil, fmt.Errorf("kmeans: Scan: len(Init) = %d is not k*d for a k of %v (d = %d)", len(opt.Init), ks, d)
		}
		opt.K = len(opt.Init) / d
	} else {
		opt.K = maxK
	}
	if err := opt.validate(X, n, d, ks); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := newSession(X, n, d, &opt)
	return s.run(ctx, ks, opt.Init)
}
