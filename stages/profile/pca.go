package profile

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/churnlab/segment/internal/result"
)

// pca2 projects the n×d row-major matrix X on its first two principal
// components: the eigenvectors of the sample covariance matrix (d×d, from
// the centred cross products in row order, then gonum's EigenSym), whose
// eigenvalues are the components' variances. That is the SVD of the
// centred data (scikit-learn's PCA, gonum's stat.PC) up to rounding, at a
// fraction of the memory traffic: stat.PC copied and factorised the whole
// matrix, 2.6 s at 10M rows × 6 features, where the covariance takes one
// pass. Signs follow scikit-learn 1.2.1's PCA (svd_flip on U): each
// component's score with the largest magnitude (first such row on ties)
// is made positive. It returns the result, the scores (n×2 row-major) and
// the column means (the centre of the projection). X is not modified.
func pca2(X []float64, n, d int) (*result.PCAResult, []float64, []float64, error) {
	if d < 2 {
		return nil, nil, nil, fmt.Errorf("a 2-D projection needs at least 2 features, got %d", d)
	}
	if n < 3 {
		return nil, nil, nil, fmt.Errorf("a 2-D projection needs at least 3 rows, got %d", n)
	}
	means := make([]float64, d)
	for i := range n {
		for j := range d {
			means[j] += X[i*d+j]
		}
	}
	for j := range means {
		means[j] /= float64(n)
	}
	cov := make([]float64, d*d) // upper triangle, then mirrored
	dev := make([]float64, d)
	for i := range n {
		row := X[i*d : i*d+d]
		for j, v := range row {
			dev[j] = v - means[j]
		}
		for a, da := range dev {
			ca := cov[a*d : a*d+d]
			for b := a; b < d; b++ {
				ca[b] += da * dev[b]
			}
		}
	}
	total := 0.0
	for a := range d {
		for b := a; b < d; b++ {
			cov[a*d+b] /= float64(n - 1)
			cov[b*d+a] = cov[a*d+b]
		}
		total += cov[a*d+a]
	}
	if !(total > 0) {
		return nil, nil, nil, fmt.Errorf("the scaled features have no variance")
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(d, cov), true) {
		return nil, nil, nil, fmt.Errorf("the principal component analysis did not converge")
	}
	vals := es.Values(nil) // ascending
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	vars := make([]float64, d) // descending, as the components
	for c := range d {
		vars[c] = vals[d-1-c]
	}
	col := func(j, c int) float64 { return vecs.At(j, d-1-c) }
	res := &result.PCAResult{}
	scores := make([]float64, n*2)
	for c := range 2 {
		res.Explained[c] = vars[c] / total
		w := make([]float64, d)
		for j := range d {
			w[j] = col(j, c)
		}
		best, bestAbs := 0, -1.0
		for i := range n {
			s := 0.0
			for j := range d {
				s += (X[i*d+j] - means[j]) * w[j]
			}
			scores[i*2+c] = s
			if a := math.Abs(s); a > bestAbs {
				best, bestAbs = i, a
			}
		}
		if scores[best*2+c] < 0 {
			for j := range w {
				w[j] = -w[j]
			}
			for i := range n {
				scores[i*2+c] = -scores[i*2+c]
			}
		}
		res.Loadings[c] = w
	}
	return res, scores, means, nil
}

// project returns the scores of point x (length d) given the centre and
// the loadings.
func project(res *result.PCAResult, means, x []float64) (float64, float64) {
	var s [2]float64
	for c := range 2 {
		for j, w := range res.Loadings[c] {
			s[c] += (x[j] - means[j]) * w
		}
	}
	return s[0], s[1]
}
