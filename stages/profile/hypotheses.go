package profile

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
)

// checkHypothesis computes hypothesis i: the correlation of x and y over
// the rows where both are present, the verdict, and per segment the means
// of x and y and their correlation over the same kind of rows.
func checkHypothesis(t *frame.Table, cfg *Config, i int, members [][]int, segs []result.SegmentProfile) (*result.HypothesisResult, error) {
	h := cfg.Hypotheses[i]
	x, err := numericColumn(t, h.X, "x")
	if err != nil {
		return nil, err
	}
	y, err := numericColumn(t, h.Y, "y")
	if err != nil {
		return nil, err
	}
	r, n, err := stats.Corr([][]float64{x, y}, h.Method)
	if err != nil {
		return nil, err
	}
	res := hypothesisResult(cfg, i, r[0][1], n[0][1])
	for s, rows := range members {
		xs := make([]float64, 0, len(rows))
		ys := make([]float64, 0, len(rows))
		for _, row := range rows {
			if finite(x[row]) && finite(y[row]) {
				xs = append(xs, x[row])
				ys = append(ys, y[row])
			}
		}
		hs := result.HypothesisSegment{Index: s, Label: segs[s].Label, N: len(xs),
			MeanX: mean(xs), MeanY: mean(ys), R: math.NaN()}
		if len(xs) > 1 {
			sr, _, err := stats.Corr([][]float64{xs, ys}, h.Method)
			if err != nil {
				return nil, err
			}
			hs.R = sr[0][1]
		}
		res.Segments = append(res.Segments, hs)
	}
	return res, nil
}

// hypothesisResult is hypothesis i's result with its correlation r over
// n rows, without the segments.
func hypothesisResult(cfg *Config, i int, r float64, n int) *result.HypothesisResult {
	h := cfg.Hypotheses[i]
	res := &result.HypothesisResult{
		Name: cfg.hypothesisName(i), Statement: h.Statement, X: h.X, Y: h.Y,
		Expect: h.Expect, Method: h.Method, MinR: h.MinR,
		R: r, N: n,
	}
	res.Supported, res.Text = verdict(res.R, res.N, h.Expect, h.MinR)
	res.Verdict = "not supported"
	if res.Supported {
		res.Verdict = "supported"
	}
	return res
}

// verdict applies the rule: supported when r has the expected sign and
// |r| ≥ minR. text gives the numbers, e.g. "Supported: r = 0.86 (n =
// 4,720) is positive and |r| ≥ 0.30."
func verdict(r float64, n int, expect string, minR float64) (bool, string) {
	nums := fmt.Sprintf("r = %.2f (n = %s)", r, plotkit.Thousands(int64(n)))
	if math.IsNaN(r) {
		return false, fmt.Sprintf("Not supported: the correlation is undefined (n = %s; a column is constant or there are fewer than 2 rows with both values).", plotkit.Thousands(int64(n)))
	}
	sign := "positive"
	if r < 0 {
		sign = "negative"
	}
	if r == 0 {
		sign = "zero"
	}
	thr := fmt.Sprintf("%.2f", minR)
	switch {
	case sign != expect:
		return false, fmt.Sprintf("Not supported: %s is %s; the hypothesis expects a %s correlation.", nums, sign, expect)
	case math.Abs(r) < minR:
		return false, fmt.Sprintf("Not supported: %s is %s as expected but too weak (|r| < %s).", nums, sign, thr)
	}
	return true, fmt.Sprintf("Supported: %s is %s and |r| ≥ %s.", nums, sign, thr)
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return stat.Mean(v, nil)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
