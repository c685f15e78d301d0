package report

import (
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

// driftSample is a night where segment 2 split into 2 and 4 and segment 3
// retired.
func driftSample() *result.Drift {
	nan := math.NaN()
	return &result.Drift{
		Previous:   result.DriftPrevious{Run: "20261122T023000Z-churn", Model: "/runs/20261122T023000Z-churn/model.json", K: 3},
		Mode:       "refit",
		Features:   []string{"Tenure", "Total Revenue"},
		MatchSpace: "this run's scaled space (standard)",
		MaxShift:   1,
		SplitShare: 0.2,
		Segments: []result.SegmentDrift{
			{ID: 1, Name: "Loyal", Index: 0, Status: "kept", PrevSize: 500, PrevShare: 0.5, Size: 520, Share: 0.52, ShareChange: 0.02, Shift: 0.04, NearestShift: nan, CentroidChange: []float64{0.5, -12.25}},
			{ID: 2, Index: 1, Status: "kept", PrevSize: 300, PrevShare: 0.3, Size: 180, Share: 0.18, ShareChange: -0.12, Shift: 0.61, NearestShift: nan, CentroidChange: []float64{-3, 1500}},
			{ID: 3, Index: -1, Status: "retired", PrevSize: 200, PrevShare: 0.2, Share: 0, ShareChange: -0.2, Shift: nan, Nearest: 4, NearestShift: 1.7},
			{ID: 4, Index: 2, Status: "new", Size: 300, Share: 0.3, ShareChange: 0.3, Shift: nan, Nearest: 3, NearestShift: 1.7},
		},
		Transitions: &result.Transitions{PrevIDs: []int{1, 2, 3}, IDs: []int{1, 2, 4},
			Counts: [][]int{{490, 0, 10}, {20, 160, 120}, {10, 20, 170}}, Shared: 1000, Stayed: 650, ARI: 0.6123},
		Splits: []result.SegmentSplit{{ID: 2, Into: []int{2, 4}, Shares: []float64{160.0 / 300, 0.4}}},
		Merges: []result.SegmentMerge{},
		PSI:    []result.FeaturePSI{{Feature: "Tenure", PSI: 0.012}, {Feature: "Total Revenue", PSI: 0.31}},
		Notes:  []string{"a note"},
		Failed: []string{"Segment 2 split into 2 and 4 (drift_fail.splits)"},
	}
}

// TestDriftSection: every part of the drift result is rendered in both
// formats: verdict, facts, events, segments, transition matrix, centroid
// movement, PSI and notes.
func TestDriftSection(t *testing.T) {
	v := buildDrift(driftSample())
	if len(v.Segments) != 4 || v.Segments[0].Label != "1 · Loyal" || v.Segments[2].Color != "" || v.Segments[1].Color == "" ||
		v.Segments[2].Status != "retired (nearest: 4 at 1.700)" || v.Segments[1].ShareChange != "-12.0 pts" || v.Segments[0].Before != "500 (50.0%)" {
		t.Errorf("segments %+v", v.Segments)
	}
	wantEvents := []string{
		"Segment 3 is retired: no segment of this run lies within 1.00 of it.",
		"Segment 4 is new: no previous segment lies within 1.00 of it.",
		"Segment 2 split into 2 and 4 (53% and 40% of its customers).",
	}
	if strings.Join(v.Events, "\n") != strings.Join(wantEvents, "\n") {
		t.Errorf("events:\n%s", strings.Join(v.Events, "\n"))
	}
	tr := v.Transitions
	if tr == nil || len(tr.Rows) != 3 || !tr.Rows[0].Cells[0].Diagonal || tr.Rows[2].Cells[2].Diagonal || tr.Rows[0].Cells[0].Shade == "#ffffff" || tr.Rows[0].Cells[1].Shade != "#ffffff" {
		t.Errorf("transitions %+v", tr)
	}
	if v.Movement == nil || len(v.Movement.Rows) != 2 || strings.Join(v.Movement.Rows[1], ",") != "Segment 2,-3.00,+1,500" {
		t.Errorf("movement %+v", v.Movement)
	}
	if len(v.PSI) != 2 || v.PSI[1].PSI != "0.310" || !v.PSI[1].Alert || v.PSI[1].Reading != "major shift" || v.PSI[0].Reading != "stable" {
		t.Errorf("psi %+v", v.PSI)
	}
	var html, md strings.Builder
	if err := htmlTemplates.ExecuteTemplate(&html, "drift", v); err != nil {
		t.Fatal(err)
	}
	if err := mdTemplates.ExecuteTemplate(&md, "drift", v); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	for _, want := range []string{
		"This run crossed 1 drift threshold:", "<li>Segment 2 split into 2 and 4 (drift_fail.splits)</li>",
		`<th scope="row">Adjusted Rand index</th><td>0.612</td>`,
		`<span class="swatch" style="background-color: #`, "<td>retired (nearest: 4 at 1.700)</td>",
		`<td class="num" style="background-color: #`, "<strong>490</strong>",
		"<h3>Centroid movement</h3>", "<td><strong>0.310</strong></td><td>major shift</td>", "<li>a note</li>",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	m := tidyMarkdown(md.String())
	for _, want := range []string{
		"## Drift\n\nThis run crossed 1 drift threshold:\n\n- Segment 2 split into 2 and 4 (drift\\_fail.splits)\n",
		"| Adjusted Rand index | 0.612 |",
		"| 1 · Loyal | kept | 500 (50.0%) | 520 (52.0%) | +2.0 pts | 0.040 |",
		"| Before ↓ Now → | 1 | 2 | 4 |\n|---|---:|---:|---:|\n| 1 | **490** | 0 | 10 |",
		"| Segment | Tenure | Total Revenue |\n|---|---:|---:|\n| 1 · Loyal | +0.5 | -12.25 |",
		"| Total Revenue | **0.310** | major shift |",
		"### Notes\n\n- a note",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("markdown lacks %q:\n%s", want, m)
		}
	}
}

// TestDriftSectionAssign: mode: assign words the matching differently and
// lists empty segments.
func TestDriftSectionAssign(t *testing.T) {
	d := driftSample()
	d.Mode = "assign"
	d.Segments[2].Status = "empty"
	d.Segments[3].Status = "kept"
	v := buildDrift(d)
	facts := map[string]string{}
	for _, f := range v.Facts {
		facts[f.Label] = f.Value
	}
	if facts["Segments"] != "3 before, 3 now" || !strings.HasPrefix(facts["Centroid shift"], "distance between the segment members' mean now and the model's") || facts["Matching"] != "" {
		t.Errorf("facts %v", facts)
	}
	if v.Events[0] != "Segment 3 has no customers in this run." {
		t.Errorf("events %v", v.Events)
	}
}
