package scale

import (
	"fmt"
	"math"
)

// Transform returns the scaled copy of the n×d row-major matrix X, where d
// is s.Dim(). X is not modified.
//
// Transform first validates s (so a Scaler decoded from JSON may be used
// directly) and returns a *FeatureError for the first NaN or ±Inf value, or
// for a value ≤ −1 under log1p-standard.
func (s *Scaler) Transform(X []float64, n int) ([]float64, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	d := len(s.Features)
	if n < 0 || len(X) != n*d {
		return nil, fmt.Errorf("data has %d values, want %d rows × %d features", len(X), n, d)
	}
	if err := checkValues(X, n, d, s.Features, s.Method == Log1pStandard); err != nil {
		return nil, err
	}
	out := make([]float64, n*d)
	if (s.Method == Standard || s.Method == MinMax || s.Method == Robust) && len(s.Weights) == 0 {
		// TransformRow's arithmetic, without its checks and switch per row
		center, scale := s.Center[:d], s.Scale[:d]
		for i := 0; i < n; i++ {
			dst, src := out[i*d:i*d+d], X[i*d:i*d+d]
			for j, v := range src {
				dst[j] = (v - center[j]) / scale[j]
			}
		}
		return out, nil
	}
	for i := 0; i < n; i++ {
		s.TransformRow(out[i*d:i*d+d], X[i*d:i*d+d])
	}
	return out, nil
}

// TransformRow writes the scaled src into dst without allocating. dst and src
// must both have length s.Dim(); dst may be src itself (in-place scaling) but
// must not otherwise overlap it.
//
// TransformRow is the unchecked fast path: s must be valid (returned by Fit,
// or checked with Validate), and values are not checked, so a NaN propagates
// and a value ≤ −1 under log1p-standard yields NaN or −Inf. It panics if the
// lengths are wrong, as that is a programming error rather than bad data.
func (s *Scaler) TransformRow(dst, src []float64) {
	d := len(s.Features)
	if len(dst) != d || len(src) != d {
		panic(fmt.Sprintf("scale: TransformRow with len(dst) = %d, len(src) = %d, want %d", len(dst), len(src), d))
	}
	switch s.Method {
	case Standard, MinMax, Robust:
		center, scale := s.Center[:d], s.Scale[:d]
		for j, v := range src {
			dst[j] = (v - center[j]) / scale[j]
		}
	case Log1pStandard:
		center, scale := s.Center[:d], s.Scale[:d]
		for j, v := range src {
			dst[j] = (math.Log1p(v) - center[j]) / scale[j]
		}
	case Normalize:
		norm := l2Norm(src)
		if norm < tinyScale {
			copy(dst, src)
		} else {
			for j, v := range src {
				dst[j] = v / norm
			}
		}
	case None:
		copy(dst, src)
	default:
		panic(fmt.Sprintf("scale: TransformRow on a scaler with unknown method %q", s.Method))
	}
	if len(s.Weights) > 0 {
		w := s.Weights[:d]
		for j := range dst {
			dst[j] *= w[j]
		}
	}
}

// l2Norm returns the Euclidean norm of x as sqrt(Σ x²), falling back to a
// rescaled sum when the squares overflow.
func l2Norm(x []float64) float64 {
	var ss float64
	for _, v := range x {
		ss += float64(v * v)
	}
	if !math.IsInf(ss, 0) {
		return math.Sqrt(ss)
	}
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	ss = 0
	for _, v := range x {
		t := v / m
		ss += float64(t * t)
	}
	return m * math.Sqrt(ss)
}

// InverseTransform maps the n×d scaled matrix Z back to original units,
// undoing the weights and the scaling (for log1p-standard, expm1 is applied
// last). It is meant for reporting centroids in the units of the data.
// normalize cannot be inverted because the row norms are not stored, and
// returns an error. Z is not modified.
func (s *Scaler) InverseTransform(Z []float64, n int) ([]float64, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.Method == Normalize {
		return nil, fmt.Errorf("scaler %q cannot be inverted: row norms are not stored", s.Method)
	}
	d := len(s.Features)
	if n < 0 || len(Z) != n*d {
		return nil, fmt.Errorf("data has %d values, want %d rows × %d features", len(Z), n, d)
	}
	if err := checkValues(Z, n, d, s.Features, false); err != nil {
		return nil, err
	}
	out := make([]float64, n*d)
	for i := 0; i < n; i++ {
		src, dst := Z[i*d:i*d+d], out[i*d:i*d+d]
		for j, z := range src {
			if len(s.Weights) > 0 {
				z /= s.Weights[j]
			}
			switch s.Method {
			case Standard, MinMax, Robust:
				z = float64(z*s.Scale[j]) + s.Center[j]
			case Log1pStandard:
				z = math.Expm1(float64(z*s.Scale[j]) + s.Center[j])
			}
			dst[j] = z
		}
	}
	return out, nil
}
