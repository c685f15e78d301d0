package result

import "math"

// jsonFloat is v for JSON: nil (null) when v is NaN or infinite, which
// encoding/json cannot write.
func jsonFloat(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// jsonFloats is jsonFloat of every value.
func jsonFloats(x []float64) []*float64 {
	out := make([]*float64, len(x))
	for i, v := range x {
		out[i] = jsonFloat(v)
	}
	return out
}
