package stability

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Reference is the distribution the gap statistic's reference data sets
// are drawn from (Tibshirani, Walther & Hastie 2001, section 3).
type Reference uint8

const (
	// ReferenceBox draws each feature uniformly over its range in the data
	// (the paper's method a).
	ReferenceBox Reference = iota
	// ReferencePCA draws uniformly in the box aligned with the data's
	// principal components (method b): X' = (X − mean)·V, uniform over the
	// ranges of X' columns, back-transformed Z = Z'·Vᵀ + mean.
	ReferencePCA
)

var referenceNames = [...]string{ReferenceBox: "box", ReferencePCA: "pca"}

func (r Reference) String() string {
	if int(r) < len(referenceNames) {
		return referenceNames[r]
	}
	return fmt.Sprintf("Reference(%d)", uint8(r))
}

// ParseReference converts "box" (or "uniform") and "pca" to a Reference.
func ParseReference(s string) (Reference, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "box", "uniform":
		return ReferenceBox, nil
	case "pca":
		return ReferencePCA, nil
	}
	return 0, fmt.Errorf("unknown gap reference %q (want box or pca)", s)
}

// sampler draws reference data sets: uniform in [lo, lo+span] per column
// of the (possibly rotated) space, then rotated back.
type sampler struct {
	n, d     int
	lo, span []float64
	rot      []float64 // d×d V (row-major), nil for the plain box
	mean     []float64
}

func newSampler(X []float64, n, d int, weights []float64, ref Reference) (*sampler, error) {
	s := &sampler{n: n, d: d}
	Y := X
	if ref == ReferencePCA {
		s.mean, s.rot = principalAxes(X, n, d, weights)
		Y = make([]float64, n*d)
		for i := 0; i < n; i++ {
			rotate(Y[i*d:i*d+d], X[i*d:i*d+d], s.mean, s.rot, d)
		}
	} else if ref != ReferenceBox {
		return nil, errf("unknown reference %v", ref)
	}
	s.lo = make([]float64, d)
	s.span = make([]float64, d)
	for f := 0; f < d; f++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			lo, hi = min(lo, Y[i*d+f]), max(hi, Y[i*d+f])
		}
		s.lo[f], s.span[f] = lo, hi-lo
	}
	return s, nil
}

// rotate sets dst = (x − mean)·V.
func rotate(dst, x, mean, V []float64, d int) {
	for c := 0; c < d; c++ {
		var s float64
		for f := 0; f < d; f++ {
			s += float64((x[f] - mean[f]) * V[f*d+c])
		}
		dst[c] = s
	}
}

// draw fills Z (n×d) with one reference set: row by row, column by column,
// one Float64 per value.
func (s *sampler) draw(Z []float64, rng interface{ Float64() float64 }) {
	d := s.d
	z := make([]float64, d)
	for i := 0; i < s.n; i++ {
		for f := 0; f < d; f++ {
			z[f] = s.lo[f] + float64(rng.Float64()*s.span[f])
		}
		row := Z[i*d : i*d+d]
		if s.rot == nil {
			copy(row, z)
			continue
		}
		for f := 0; f < d; f++ {
			v := s.mean[f]
			for c := 0; c < d; c++ {
				v += float64(z[c] * s.rot[f*d+c])
			}
			row[f] = v
		}
	}
}

// principalAxes returns the (weighted) column means and the eigenvectors
// of the (weighted) covariance as the columns of V, by decreasing
// eigenvalue; each vector's sign makes its largest-magnitude component
// positive (the first such component on ties), so V is unique up to
// repeated eigenvalues.
func principalAxes(X []float64, n, d int, weights []float64) (mean, V []float64) {
	mean = make([]float64, d)
	var wt float64
	for i := 0; i < n; i++ {
		w := weightOf(weights, i)
		wt += w
		for f := 0; f < d; f++ {
			mean[f] += float64(w * X[i*d+f])
		}
	}
	for f := range mean {
		mean[f] /= wt
	}
	cov := make([]float64, d*d)
	for i := 0; i < n; i++ {
		w := weightOf(weights, i)
		for a := 0; a < d; a++ {
			xa := X[i*d+a] - mean[a]
			for b := a; b < d; b++ {
				cov[a*d+b] += float64(w * float64(xa*(X[i*d+b]-mean[b])))
			}
		}
	}
	for a := 0; a < d; a++ {
		for b := 0; b < a; b++ {
			cov[a*d+b] = cov[b*d+a]
		}
	}
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(d, cov), true) {
		// Cannot happen for a finite symmetric matrix; fall back to axes.
		V = make([]float64, d*d)
		for f := 0; f < d; f++ {
			V[f*d+f] = 1
		}
		return mean, V
	}
	vals := es.Values(nil)
	var vec mat.Dense
	es.VectorsTo(&vec)
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	V = make([]float64, d*d)
	for c, src := range order {
		big := 0
		for f := 1; f < d; f++ {
			if math.Abs(vec.At(f, src)) > math.Abs(vec.At(big, src)) {
				big = f
			}
		}
		sign := 1.0
		if vec.At(big, src) < 0 {
			sign = -1
		}
		for f := 0; f < d; f++ {
			V[f*d+c] = sign * vec.At(f, src)
		}
	}
	return mean, V
}
