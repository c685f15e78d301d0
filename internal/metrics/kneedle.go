package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoKnee is returned by Kneedle when the curve has no knee.
var ErrNoKnee = errors.New("kneedle: no knee found")

// Kneedle returns the index into x of the knee (elbow) of a convex,
// decreasing curve such as within-cluster inertia against k, by the Kneedle
// algorithm of Satopää, Albrecht, Irwin and Raghavan (2011) as implemented by
// the kneed package with curve="convex", direction="decreasing", S=1,
// interp_method="interp1d" and online=False:
//
//  1. x and y are normalised to [0, 1];
//  2. the difference curve is D = (1 − ŷ) − x̂, which starts and ends at 0;
//  3. its local maxima and minima are found (comparisons with ≥ and ≤, end
//     points compared with their one neighbour);
//  4. walking right from the first local maximum, each local maximum sets the
//     threshold T = D(max) − S·mean(Δx̂) and each local minimum resets it to
//     0; the knee is the most recent local maximum at the first point whose
//     successor falls below the threshold.
//
// For the usual elbow plot, whose difference curve has a single hump, the
// knee (if one is found) is the index of the maximum of the difference curve
// (the last index if that maximum is repeated). With several humps kneed
// returns the first local maximum that is followed by a drop of more than
// S·mean(Δx̂) before the next one, not necessarily the global maximum; this
// function does the same. When the curvature is too weak for any drop to
// exceed that threshold there is no knee.
//
// x must be strictly increasing and finite, and y finite. It returns an error
// for fewer than 3 points (kneed finds no knee there), for a flat y, and
// ErrNoKnee when the walk finds no knee (kneed returns None).
func Kneedle(x, y []float64) (int, error) {
	return kneedle(x, y, 1)
}

func kneedle(x, y []float64, sensitivity float64) (int, error) {
	n := len(x)
	if len(y) != n {
		return -1, fmt.Errorf("kneedle: %d x values and %d y values", n, len(y))
	}
	if n < 3 {
		return -1, fmt.Errorf("kneedle: need at least 3 points, got %d", n)
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return -1, fmt.Errorf("kneedle: point %d (%v, %v) is not finite", i, x[i], y[i])
		}
		if i > 0 && !(x[i] > x[i-1]) {
			return -1, fmt.Errorf("kneedle: x is not strictly increasing at index %d", i)
		}
	}
	ylo, yhi := y[0], y[0]
	for _, v := range y {
		ylo, yhi = min(ylo, v), max(yhi, v)
	}
	if ylo == yhi {
		return -1, errors.New("kneedle: y is constant, the curve has no knee")
	}
	xlo, xhi := x[0], x[n-1]
	xn := make([]float64, n)
	diff := make([]float64, n)
	for i := range x {
		xn[i] = (x[i] - xlo) / (xhi - xlo)
		yn := (y[i] - ylo) / (yhi - ylo)
		// kneed: y = max(ŷ) − ŷ for a convex decreasing curve; max(ŷ) = 1.
		diff[i] = (1 - yn) - xn[i]
	}
	var step float64
	for i := 1; i < n; i++ {
		step += xn[i] - xn[i-1]
	}
	step = math.Abs(step / float64(n-1))

	// scipy.signal.argrelextrema(diff, np.greater_equal / np.less_equal),
	// mode "clip": an end point is compared with itself and its neighbour.
	isMax := func(i int) bool {
		return diff[i] >= diff[max(i-1, 0)] && diff[i] >= diff[min(i+1, n-1)]
	}
	isMin := func(i int) bool {
		return diff[i] <= diff[max(i-1, 0)] && diff[i] <= diff[min(i+1, n-1)]
	}
	first := -1
	for i := 0; i < n && first < 0; i++ {
		if isMax(i) {
			first = i
		}
	}
	if first < 0 {
		return -1, ErrNoKnee
	}
	var threshold float64
	knee := -1
	for i := first; i < n-1; i++ {
		if isMax(i) {
			threshold = diff[i] - float64(sensitivity*step)
			knee = i
		}
		if isMin(i) {
			threshold = 0
		}
		if diff[i+1] < threshold {
			return knee, nil
		}
	}
	return -1, ErrNoKnee
}
