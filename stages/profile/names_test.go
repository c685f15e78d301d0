package profile

import (
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

func TestSuggestNames(t *testing.T) {
	words := map[string]Words{"Tenure": {High: "long-standing", Low: "new"}, "Total Revenue": {High: "high-value", Low: "low-value"}}
	seg := func(id int, name string, dist ...result.Distinctive) result.SegmentProfile {
		return result.SegmentProfile{ID: id, Name: name, Distinctive: dist}
	}
	d := func(col string, z float64) result.Distinctive { return result.Distinctive{Column: col, Z: z} }
	for _, tc := range []struct {
		name string
		segs []result.SegmentProfile
		want []string
	}{
		{"words, then columns", []result.SegmentProfile{
			seg(1, "", d("Tenure", -1.2), d("Total Revenue", -0.9), d("Age", 0.5)),
			seg(2, "", d("Monthly Charge", 1.1), d("Age", -0.4)),
			seg(3, ""),
		}, []string{"New, low-value", "High Monthly Charge, low Age", "Average"}},
		{"a clash takes another word", []result.SegmentProfile{
			seg(1, "", d("Tenure", -1.2), d("Total Revenue", -0.9), d("Age", 0.5)),
			seg(2, "", d("Tenure", -1.0), d("Total Revenue", -0.8), d("Age", -0.6)),
		}, []string{"New, low-value, high Age", "New, low-value, low Age"}},
		{"then the ID", []result.SegmentProfile{seg(4, ""), seg(7, "")}, []string{"Average", "Average (7)"}},
		{"pinned names win and are not reused", []result.SegmentProfile{
			seg(1, "New, low-value", d("Tenure", 1)),
			seg(2, "", d("Tenure", -1.2), d("Total Revenue", -0.9)),
		}, []string{"New, low-value", "New, low-value (2)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &result.Profile{Segments: tc.segs}
			for s := range res.Segments {
				if res.Segments[s].Name != "" {
					res.Segments[s].NameSource = NamePinned
				}
			}
			cfg := NewConfig().(*Config)
			cfg.Describe.Words = words
			suggestNames(res, cfg)
			setLabels(res)
			for s, sp := range res.Segments {
				if sp.Name != tc.want[s] || sp.Label != sp.Name {
					t.Errorf("segment %d: %q (label %q), want %q", sp.ID, sp.Name, sp.Label, tc.want[s])
				}
				if want := NameSuggested; tc.segs[s].NameSource != NamePinned && sp.NameSource != want {
					t.Errorf("segment %d: source %q", sp.ID, sp.NameSource)
				}
			}
		})
	}
}

// TestCarryNames: a kept segment keeps last night's suggested name; a
// pinned name and a name another segment holds are not replaced.
func TestCarryNames(t *testing.T) {
	res := &result.Profile{Segments: []result.SegmentProfile{
		{ID: 1, Name: "High Tenure", NameSource: NameSuggested, Share: 0.5},
		{ID: 2, Name: "Loyal", NameSource: NamePinned, Share: 0.3},
		{ID: 5, Name: "Low Age", NameSource: NameSuggested, Share: 0.2},
	}}
	setLabels(res)
	a := &Analysis{Result: res}
	carried := a.CarryNames(map[int]string{1: "Long-standing", 2: "Old name", 5: "Loyal", 9: "Gone"}, NewConfig().(*Config))
	got := []string{res.Segments[0].Label, res.Segments[1].Label, res.Segments[2].Label}
	if strings.Join(got, "|") != "Long-standing|Loyal|Low Age" || len(carried) != 1 || carried[0] != 1 {
		t.Errorf("labels %q, carried %v", got, carried)
	}
	if !strings.HasPrefix(res.Segments[0].Description, "Long-standing (segment 1, 50% of customers)") {
		t.Errorf("description %q", res.Segments[0].Description)
	}
}
