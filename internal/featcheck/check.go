package featcheck

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/churnlab/segment/internal/result"
)

// Default thresholds.
const (
	DefaultDummyShare    = 0.4
	DefaultNearDuplicate = 0.95
)

// Options set the thresholds; zero values mean the defaults.
type Options struct {
	DummyShare    float64
	NearDuplicate float64
	// Scale names the scaling in messages ("standard").
	Scale string
}

// Check returns the warnings about the n×d features: X in original units
// (for correlations and to recognise 0/1 columns) and Z as k-means sees
// them (scaled and weighted), both row-major; names are the feature names.
// Neither matrix is modified.
func Check(X, Z []float64, n, d int, names []string, opt Options) []result.FeatureCheck {
	if opt.DummyShare <= 0 {
		opt.DummyShare = DefaultDummyShare
	}
	if opt.NearDuplicate <= 0 {
		opt.NearDuplicate = DefaultNearDuplicate
	}
	if n < 2 || d < 2 || len(X) != n*d || len(Z) != n*d || len(names) != d {
		return nil
	}
	var out []result.FeatureCheck
	if c := dummies(X, Z, n, d, names, opt); c != nil {
		out = append(out, *c)
	}
	return append(out, duplicates(X, n, d, names, opt.NearDuplicate)...)
}

// isBinary reports whether column j of X holds only 0 and 1, both.
func isBinary(X []float64, n, d, j int) bool {
	zero, one := false, false
	for i := 0; i < n; i++ {
		switch X[i*d+j] {
		case 0:
			zero = true
		case 1:
			one = true
		default:
			return false
		}
	}
	return zero && one
}

// variances returns each column's population variance.
func variances(M []float64, n, d int) []float64 {
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += M[i*d+j]
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	v := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			e := M[i*d+j] - mean[j]
			v[j] += float64(e * e)
		}
	}
	for j := range v {
		v[j] /= float64(n)
	}
	return v
}

// group is a dummy's group: the name before its last "_" (the onehot
// column), else the name itself.
func group(name string) string {
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		return name[:i]
	}
	return name
}

// dummies checks the 0/1 features' share of the scaled variance.
func dummies(X, Z []float64, n, d int, names []string, opt Options) *result.FeatureCheck {
	v := variances(Z, n, d)
	var vd, vn float64
	var cols []string
	groups := map[string][]string{}
	var order []string
	for j := 0; j < d; j++ {
		if isBinary(X, n, d, j) {
			vd += v[j]
			cols = append(cols, names[j])
			g := group(names[j])
			if _, ok := groups[g]; !ok {
				order = append(order, g)
			}
			groups[g] = append(groups[g], names[j])
		} else {
			vn += v[j]
		}
	}
	total := vd + vn
	if len(cols) == 0 || !(total > 0) {
		return nil
	}
	share := vd / total
	G, numeric := len(groups), d-len(cols)
	fair := float64(G) / float64(G+numeric)
	if share < opt.DummyShare || share <= fair+0.05 {
		return nil
	}
	c := &result.FeatureCheck{Kind: result.CheckDominantDummies, Columns: cols, Share: share}
	var parts []string
	for _, g := range order {
		var gv float64
		for _, name := range groups[g] {
			for j := range names {
				if names[j] == name {
					gv += v[j]
				}
			}
		}
		label := g
		if len(groups[g]) > 1 {
			label = fmt.Sprintf("%s_* (%d columns)", g, len(groups[g]))
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", label, 100*gv/total))
	}
	scale := opt.Scale
	if scale == "" {
		scale = "the"
	}
	c.Text = fmt.Sprintf("0/1 (one-hot) features hold %.0f%% of the feature variance after %s scaling (%s), so the segments will mostly follow them",
		100*share, scale, strings.Join(parts, ", "))
	if numeric > 0 && vn > 0 {
		w := math.Sqrt(fair * vn / ((1 - fair) * vd))
		w = math.Max(0.05, math.Round(100*w)/100)
		if w < 1 {
			c.Weights = map[string]float64{}
			var ex []string
			for _, name := range cols {
				c.Weights[name] = w
			}
			for i, name := range cols {
				if i == 2 && len(cols) > 3 {
					ex = append(ex, "…")
					break
				}
				ex = append(ex, fmt.Sprintf("%s: %g", name, w))
			}
			c.Text += fmt.Sprintf("; give them smaller weights, e.g. weights: {%s} (%g each brings them to %.0f%%, one feature's share per categorical column), or use fewer of them",
				strings.Join(ex, ", "), w, 100*fair)
		}
	}
	return c
}

// duplicates reports the pairs with |r| ≥ limit, strongest first (ties in
// column order).
func duplicates(X []float64, n, d int, names []string, limit float64) []result.FeatureCheck {
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += X[i*d+j]
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	cov := make([]float64, d*d)
	e := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			e[j] = X[i*d+j] - mean[j]
		}
		for a := 0; a < d; a++ {
			for b := a; b < d; b++ {
				cov[a*d+b] += float64(e[a] * e[b])
			}
		}
	}
	type pair struct {
		a, b int
		r    float64
	}
	var pairs []pair
	for a := 0; a < d; a++ {
		for b := a + 1; b < d; b++ {
			den := math.Sqrt(cov[a*d+a] * cov[b*d+b])
			if !(den > 0) {
				continue
			}
			if r := cov[a*d+b] / den; math.Abs(r) >= limit {
				pairs = append(pairs, pair{a, b, r})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return math.Abs(pairs[i].r) > math.Abs(pairs[j].r) })
	out := make([]result.FeatureCheck, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, result.FeatureCheck{
			Kind: result.CheckNearDuplicate, Columns: []string{names[p.a], names[p.b]}, R: p.r,
			Text: fmt.Sprintf("features %s and %s are near-duplicates (r = %.2f): k-means counts the same information twice; keep one of them",
				names[p.a], names[p.b], p.r),
		})
	}
	return out
}
