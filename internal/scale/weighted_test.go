package scale

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitWeightedEqualsRepeated: with integer weights (zeros included)
// every stateful method's centre and scale equal those fitted on the
// repeated rows; nil weights are Fit.
func TestFitWeightedEqualsRepeated(t *testing.T) {
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(5, 6))
	features := []string{"a", "b"}
	for _, method := range []string{Standard, Log1pStandard, MinMax, Robust} {
		for trial := range 20 {
			n := 5 + rng.IntN(20)
			X := make([]float64, n*2)
			w := make([]float64, n)
			for i := range X {
				X[i] = math.Abs(rng.NormFloat64()*3) + float64(i%3)
			}
			for i := range w {
				w[i] = float64(rng.IntN(4))
			}
			w[0], w[1] = 1, 2
			var R []float64
			for i := range n {
				for range int(w[i]) {
					R = append(R, X[i*2:i*2+2]...)
				}
			}
			got, err := FitWeighted(method, X, n, 2, features, nil, w)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			want, err := Fit(method, R, len(R)/2, 2, features, nil)
			if err != nil {
				t.Fatalf("%s: %v", method, err)
			}
			for j := range 2 {
				if math.Abs(got.Center[j]-want.Center[j]) > tol*math.Max(1, math.Abs(want.Center[j])) || math.Abs(got.Scale[j]-want.Scale[j]) > tol*math.Max(1, want.Scale[j]) {
					t.Fatalf("%s trial %d feature %d: weighted %v/%v, repeated %v/%v", method, trial, j, got.Center[j], got.Scale[j], want.Center[j], want.Scale[j])
				}
			}
		}
	}
	X := []float64{1, 2, 3, 5, 4, 4}
	a, _ := FitWeighted(Standard, X, 3, 2, features, nil, nil)
	b, _ := Fit(Standard, X, 3, 2, features, nil)
	if a.Center[0] != b.Center[0] || a.Scale[1] != b.Scale[1] {
		t.Error("nil row weights must be Fit, bit for bit")
	}
}
