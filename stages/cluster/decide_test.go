package cluster

import (
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

func TestAgainst(t *testing.T) {
	for _, tc := range []struct {
		v, ref float64
		want   [2]string
	}{
		{1.0017, 1, [2]string{"1.002", "1.000"}},
		{0.7996, 0.8, [2]string{"0.7996", "0.8000"}},
		{0.31, 0.25, [2]string{"0.31", "0.25"}},
		{5, 5, [2]string{"5.00", "5.00"}},
		{5.0000001, 5, [2]string{"5.000000", "5.000000"}}, // at most 6 decimals
	} {
		v, ref := against(tc.v, tc.ref, 2)
		if v != tc.want[0] || ref != tc.want[1] {
			t.Errorf("against(%g, %g) = %s, %s; want %v", tc.v, tc.ref, v, ref, tc.want)
		}
	}
	if v, ref := against(9.1234, 5, 1); v != "9.1" || ref != "5.0" {
		t.Errorf("points: %s %s", v, ref)
	}
	if d := decimals(1, 0.95, 1.0017, 1.3); d != 3 {
		t.Errorf("decimals %d", d)
	}
}

// TestDriftMDNearMiss: a new segment whose nearest previous centroid is
// 1.0017 away, against a max_shift of 1, reads "1.002" and "1.000" in
// drift.md (it read "at 1" before, hiding why it was not matched).
func TestDriftMDNearMiss(t *testing.T) {
	nan := math.NaN()
	dr := &result.Drift{Mode: ModeRefit, MaxShift: 1, MatchSpace: "standard", Previous: result.DriftPrevious{Run: "r0", K: 1},
		Segments: []result.SegmentDrift{
			{ID: 1, Status: result.SegmentRetired, Nearest: 2, NearestShift: 1.0017, Shift: nan, PrevSize: 10, PrevShare: 1, Share: 0},
			{ID: 2, Status: result.SegmentNew, Nearest: 1, NearestShift: 1.0017, Shift: nan, Size: 10, Share: 1},
		}}
	var b strings.Builder
	if err := writeDriftMarkdown(&b, "r1", dr); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"keeps its ID when its centroid moved at most 1.000.", "new (nearest: 1 at 1.002, max_shift 1.000)"} {
		if !strings.Contains(md, want) {
			t.Errorf("drift.md lacks %q:\n%s", want, md)
		}
	}
}
