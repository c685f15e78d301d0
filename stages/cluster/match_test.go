package cluster

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
)

// TestMatch: the Hungarian pairing minimises the total distance (not the
// greedy nearest), pairs beyond max_shift are dropped, and the new segments
// without a partner get fresh IDs above the highest ever used.
func TestMatch(t *testing.T) {
	const tol = 1e-12
	// New 0 is nearest to previous 0, but pairing it with previous 1 and new
	// 1 with previous 0 costs 1.0 + 1.2 = 2.2 < 0.1 + 3.0 = 3.1.
	dist := [][]float64{
		{0.1, 1.0, 9},
		{1.2, 3.0, 9},
		{9, 9, 9}, // too far from everything
	}
	toPrev, err := match(dist, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(toPrev, []int{1, 0, -1}) {
		t.Errorf("toPrev %v, want [1 0 -1]", toPrev)
	}
	ids, highest := stableIDs(toPrev, []int{4, 2, 7}, 9)
	if !slices.Equal(ids, []int{2, 4, 10}) || highest != 10 {
		t.Errorf("ids %v highest %d, want [2 4 10] 10", ids, highest)
	}
	// A tighter max_shift drops the 1.2 pair.
	toPrev, _ = match(dist, 1.1)
	if !slices.Equal(toPrev, []int{1, -1, -1}) {
		t.Errorf("max_shift 1.1: %v", toPrev)
	}
	ids, highest = stableIDs(toPrev, []int{4, 2, 7}, 7)
	if !slices.Equal(ids, []int{2, 8, 9}) || highest != 9 {
		t.Errorf("ids %v highest %d", ids, highest)
	}
	// More previous than new segments, and the reverse.
	toPrev, _ = match([][]float64{{5, 0.5, 3}}, 1)
	if !slices.Equal(toPrev, []int{1}) {
		t.Errorf("1×3: %v", toPrev)
	}
	toPrev, _ = match([][]float64{{5}, {0.5}, {3}}, 10)
	if !slices.Equal(toPrev, []int{-1, 0, -1}) {
		t.Errorf("3×1: %v", toPrev)
	}
	if _, err := match([][]float64{{math.NaN()}}, 1); err == nil {
		t.Error("NaN distance accepted")
	}
	d := distances([][]float64{{0, 0}, {3, 4}}, [][]float64{{0, 0}})
	if math.Abs(d[1][0]-5) > tol || d[0][0] != 0 {
		t.Errorf("distances %v", d)
	}
}

// TestAutoMaxShift: the default max_shift is sqrt(mean per-feature
// population variance) of the scaled rows: 1 for standard scaling.
func TestAutoMaxShift(t *testing.T) {
	const tol = 1e-12
	X := []float64{1, 10, 2, 30, 3, 20, 10, 50}
	s, err := scale.Fit(scale.Standard, X, 4, 2, []string{"a", "b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	Z, _ := s.Transform(X, 4)
	if v := autoMaxShift(Z, 4, 2); math.Abs(v-1) > tol {
		t.Errorf("standard: %v, want 1", v)
	}
	// Unscaled: var(a) = 12.5, var(b) = 218.75 → sqrt(115.625).
	if v := autoMaxShift(X, 4, 2); math.Abs(v-math.Sqrt(115.625)) > tol {
		t.Errorf("none: %v, want %v", v, math.Sqrt(115.625))
	}
}

// TestToMatchSpace: centroids are scaled with the given scaler; normalize
// maps each centroid to its direction.
func TestToMatchSpace(t *testing.T) {
	const tol = 1e-12
	s := &scale.Scaler{Method: scale.Normalize, Features: []string{"a", "b"}}
	in := [][]float64{{3, 4}, {0, 2}}
	z, err := toMatchSpace(s, in)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0.6, 0.8}, {0, 1}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(z[i][j]-want[i][j]) > tol {
				t.Errorf("z[%d][%d] = %v, want %v", i, j, z[i][j], want[i][j])
			}
		}
	}
	if in[0][0] != 3 || in[1][1] != 2 {
		t.Error("input modified")
	}
}

func TestFeatureOrder(t *testing.T) {
	idx, err := featureOrder([]string{"a", "b", "c"}, []string{"c", "a", "b"})
	if err != nil || !slices.Equal(idx, []int{2, 0, 1}) {
		t.Errorf("reorder: %v %v", idx, err)
	}
	rows := permuteRows([][]float64{{1, 2, 3}}, idx)
	if !slices.Equal(rows[0], []float64{3, 1, 2}) {
		t.Errorf("permuted %v", rows)
	}
	_, err = featureOrder([]string{"a", "b", "c"}, []string{"a", "d", "e"})
	want := `features changed since the previous model (added "d", "e", removed "b", "c"); drop previous: or use a new output dir`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	_, err = featureOrder([]string{"a"}, []string{"a", "b"})
	if err == nil || !strings.Contains(err.Error(), `(added "b")`) {
		t.Errorf("added only: %v", err)
	}
}

// TestSplitsAndMerges applies the split rule (each of two or more new
// segments receives ≥ split_share of a previous segment's customers) and the
// merge rule (a new segment draws ≥ split_share from each of two or more).
func TestSplitsAndMerges(t *testing.T) {
	const tol = 1e-12
	tr := &result.Transitions{
		PrevIDs: []int{1, 2, 3},
		IDs:     []int{1, 2, 3, 5},
		Counts: [][]int{
			{95, 0, 5, 0},   // 1 stays
			{0, 60, 0, 40},  // 2 splits into 2 and 5
			{30, 0, 50, 20}, // 3 splits into 3, 1 and 5 (exactly 20%)
		},
	}
	splits, merges := splitsAndMerges(tr, 0.2)
	if len(splits) != 2 || splits[0].ID != 2 || !slices.Equal(splits[0].Into, []int{2, 5}) ||
		splits[1].ID != 3 || !slices.Equal(splits[1].Into, []int{3, 1, 5}) {
		t.Fatalf("splits %+v", splits)
	}
	if math.Abs(splits[0].Shares[1]-0.4) > tol || math.Abs(splits[1].Shares[2]-0.2) > tol {
		t.Errorf("shares %v %v", splits[0].Shares, splits[1].Shares)
	}
	// New 1 has 95 + 30: 3 gives 24% of it; new 5 has 40 + 20: 2 gives 67%, 3 33%.
	if len(merges) != 2 || merges[0].ID != 1 || !slices.Equal(merges[0].From, []int{1, 3}) ||
		merges[1].ID != 5 || !slices.Equal(merges[1].From, []int{2, 3}) {
		t.Errorf("merges %+v", merges)
	}
	dr := &result.Drift{Segments: []result.SegmentDrift{{ID: 2, Name: "Loyal"}}}
	if got := dr.SplitText(splits[0]); got != "Segment 2 (Loyal) split into 2 and 5" {
		t.Errorf("split text %q", got)
	}
	if got := dr.SplitText(splits[1]); got != "Segment 3 split into 3, 1 and 5" {
		t.Errorf("split text %q", got)
	}
	if got := dr.MergeText(merges[1]); got != "Segments 2 and 3 merged into 5" {
		t.Errorf("merge text %q", got)
	}
	// A stricter share: no split of 3 at 0.25 (1 and 5 get 30% and 20%).
	splits, _ = splitsAndMerges(tr, 0.25)
	if len(splits) != 2 || !slices.Equal(splits[1].Into, []int{3, 1}) {
		t.Errorf("0.25: %+v", splits)
	}
	splits, _ = splitsAndMerges(tr, 0.45)
	if len(splits) != 0 {
		t.Errorf("0.45: %+v", splits)
	}
}

// TestCheckDrift: each drift_fail threshold, with its message; thresholds
// that cannot be checked warn instead of failing.
func TestCheckDrift(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	dr := &result.Drift{
		Segments: []result.SegmentDrift{
			{ID: 1, Status: result.SegmentKept, PrevShare: 0.5, Share: 0.42, ShareChange: 0.42 - 0.5},
			{ID: 2, Name: "Big", Status: result.SegmentRetired, PrevShare: 0.5, Share: 0, ShareChange: -0.5},
			{ID: 3, Status: result.SegmentNew, PrevShare: 0, Share: 0.58, ShareChange: 0.58},
		},
		Transitions: &result.Transitions{ARI: 0.71},
		Splits:      []result.SegmentSplit{{ID: 2, Into: []int{1, 3}, Shares: []float64{0.6, 0.4}}},
		PSI:         []result.FeaturePSI{{Feature: "Age", PSI: 0.05}, {Feature: "Tenure", PSI: 0.31}},
	}
	failed, warnings := checkDrift(dr, DriftFail{ARIBelow: f(0.8), PSIAbove: f(0.25), ShareShiftAbove: f(0.1), RetiredSegments: true, NewSegments: true, Splits: true})
	want := []string{
		"adjusted Rand index 0.71 is below 0.80 (drift_fail.ari_below)",
		"PSI of Tenure is 0.31, above 0.25 (drift_fail.psi_above)",
		"Segment 2 (Big) share moved -50.0 points (50.0% → 0.0%), more than 10.0 (drift_fail.share_shift_above)",
		"Segment 2 (Big) is retired: no new segment matches it (drift_fail.retired_segments)",
		"Segment 3 share moved +58.0 points (0.0% → 58.0%), more than 10.0 (drift_fail.share_shift_above)",
		"Segment 3 is new: it matches no previous segment (drift_fail.new_segments)",
		"Segment 2 (Big) split into 1 and 3 (drift_fail.splits)",
	}
	if !slices.Equal(failed, want) || len(warnings) != 0 {
		t.Errorf("failed:\n%s\nwant:\n%s\nwarnings %v", strings.Join(failed, "\n"), strings.Join(want, "\n"), warnings)
	}
	failed, _ = checkDrift(dr, DriftFail{ARIBelow: f(0.7), PSIAbove: f(0.4)})
	if len(failed) != 0 {
		t.Errorf("under the thresholds: %v", failed)
	}
	dr.Transitions, dr.PSI = nil, nil
	failed, warnings = checkDrift(dr, DriftFail{ARIBelow: f(0.8), PSIAbove: f(0.25)})
	if len(failed) != 0 || len(warnings) != 2 || !strings.Contains(warnings[0], "drift_fail.ari_below is not checked") {
		t.Errorf("unchecked: failed %v warnings %v", failed, warnings)
	}
	// Without a transition matrix the split rule cannot pass silently.
	dr.Splits = []result.SegmentSplit{}
	failed, warnings = checkDrift(dr, DriftFail{Splits: true})
	if len(failed) != 0 || len(warnings) != 1 || !strings.Contains(warnings[0], "drift_fail.splits is not checked") {
		t.Errorf("unchecked splits: failed %v warnings %v", failed, warnings)
	}
}
