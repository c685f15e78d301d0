package metrics

import (
	"slices"
	"testing"
)

// TestQuantileCutsMatchNumpy: the cut points are bit-identical to
// numpy.quantile (values printed by numpy 1.24.2:
// np.quantile(x, [j/10 for j in range(1, 10)])), with repeats merged.
func TestQuantileCutsMatchNumpy(t *testing.T) {
	for _, tc := range []struct {
		x, want []float64
	}{
		{[]float64{0, 0, 0, 1, 1, 1}, []float64{0.0, 0.5, 1.0}},
		{[]float64{1.1, 2.2, 2.2, 3.3, 7.7, 7.7, 7.7, 9.9, 10.0}, []float64{1.9800000000000002, 2.2, 2.64, 4.180000000000001, 7.7, 8.580000000000002, 9.92}},
	} {
		if got := QuantileCuts(tc.x, 10); !slices.Equal(got, tc.want) {
			t.Errorf("QuantileCuts(%v) = %v, numpy %v", tc.x, got, tc.want)
		}
	}
}
