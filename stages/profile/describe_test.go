package profile

import (
	"math"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

func zStats(zs map[string]float64, order ...string) []result.FeatureStats {
	var out []result.FeatureStats
	for _, c := range order {
		out = append(out, result.FeatureStats{Column: c, Z: zs[c]})
	}
	return out
}

func TestDescriptions(t *testing.T) {
	words := map[string]Words{
		"Tenure":        {High: "long-standing", Low: "new"},
		"Total Revenue": {High: "high-value", Low: "low-value"},
		"Age":           {High: "older"}, // no low word
	}
	cols := []string{"Tenure", "Total Revenue", "Referrals", "Age", "Monthly Charge"}
	for _, tc := range []struct {
		name  string
		zs    map[string]float64
		share float64
		pin   string
		words map[string]Words
		want  string
	}{
		{"all worded", map[string]float64{"Tenure": 1.3, "Total Revenue": 1.5, "Referrals": 0.1}, 0.21, "", words,
			"Segment 2 (21% of customers): Total Revenue +1.5σ, Tenure +1.3σ — high-value, long-standing customers"},
		{"worded and not", map[string]float64{"Tenure": 1.3, "Total Revenue": 1.5, "Referrals": 0.8}, 0.21, "", words,
			"Segment 2 (21% of customers): Total Revenue +1.5σ, Tenure +1.3σ, Referrals +0.8σ — high-value, long-standing customers with above-average Referrals"},
		{"no words, mixed signs", map[string]float64{"Tenure": -0.8, "Total Revenue": 1.1, "Referrals": -2.0, "Age": 0.2}, 0.364, "", nil,
			"Segment 2 (36% of customers): Referrals -2.0σ, Total Revenue +1.1σ, Tenure -0.8σ — customers with above-average Total Revenue, below-average Referrals and Tenure"},
		{"missing low word falls back", map[string]float64{"Age": -0.9, "Tenure": -0.5}, 0.05, "", words,
			"Segment 2 (5.0% of customers): Age -0.9σ, Tenure -0.5σ — new customers with below-average Age"},
		{"nothing distinctive", map[string]float64{"Tenure": 0.2, "Referrals": -0.29}, 0.5, "", words,
			"Segment 2 (50% of customers): no feature is 0.3σ or more from the overall mean — close to the overall average"},
		{"top 3 by |z|, ties in column order", map[string]float64{"Tenure": 0.5, "Total Revenue": -0.5, "Referrals": 0.5, "Age": 0.4, "Monthly Charge": 0.9}, 0.25, "", nil,
			"Segment 2 (25% of customers): Monthly Charge +0.9σ, Tenure +0.5σ, Total Revenue -0.5σ — customers with above-average Monthly Charge and Tenure, below-average Total Revenue"},
		{"pinned name shows the id", map[string]float64{"Tenure": 1.3}, 0.21, "Loyal high value", words,
			"Loyal high value (segment 2, 21% of customers): Tenure +1.3σ — long-standing customers"},
		{"NaN z is skipped", map[string]float64{"Tenure": math.NaN(), "Referrals": 0.7}, 0.21, "", nil,
			"Segment 2 (21% of customers): Referrals +0.7σ — customers with above-average Referrals"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := NewConfig().(*Config)
			cfg.Describe.Words = tc.words
			cfg.SuggestNames = false // TestSuggestNames
			res := &result.Profile{Segments: []result.SegmentProfile{{
				ID: 2, Name: tc.pin, Label: "Segment 2", Share: tc.share, Stats: zStats(tc.zs, cols...),
			}}}
			if tc.pin != "" {
				res.Segments[0].Label = tc.pin
			}
			describeAll(res, cfg)
			if got := res.Segments[0].Description; got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		r      float64
		n      int
		expect string
		minR   float64
		ok     bool
		text   string
	}{
		{0.8637, 7043, "positive", 0.3, true, "Supported: r = 0.86 (n = 7,043) is positive and |r| ≥ 0.30."},
		{0.3, 10, "positive", 0.3, true, "Supported: r = 0.30 (n = 10) is positive and |r| ≥ 0.30."},
		{0.12, 500, "positive", 0.3, false, "Not supported: r = 0.12 (n = 500) is positive as expected but too weak (|r| < 0.30)."},
		{-0.45, 500, "positive", 0.3, false, "Not supported: r = -0.45 (n = 500) is negative; the hypothesis expects a positive correlation."},
		{-0.45, 500, "negative", 0.4, true, "Supported: r = -0.45 (n = 500) is negative and |r| ≥ 0.40."},
		{0, 3, "negative", 0, false, "Not supported: r = 0.00 (n = 3) is zero; the hypothesis expects a negative correlation."},
		{math.NaN(), 1, "positive", 0.3, false, "Not supported: the correlation is undefined (n = 1; a column is constant or there are fewer than 2 rows with both values)."},
	} {
		ok, text := verdict(tc.r, tc.n, tc.expect, tc.minR)
		if ok != tc.ok || text != tc.text {
			t.Errorf("verdict(%g, %d, %s, %g) = %v %q, want %v %q", tc.r, tc.n, tc.expect, tc.minR, ok, text, tc.ok, tc.text)
		}
	}
}

func TestShareAndZText(t *testing.T) {
	for _, tc := range []struct {
		share float64
		want  string
	}{{0.21, "21%"}, {0.105, "10%"}, {0.0999, "10.0%"}, {0.042, "4.2%"}, {0, "0%"}, {1, "100%"}} {
		if got := shareText(tc.share); got != tc.want {
			t.Errorf("shareText(%g) = %q, want %q", tc.share, got, tc.want)
		}
	}
	for _, tc := range []struct {
		z    float64
		want string
	}{{1.26, "+1.3"}, {-0.04, "0.0"}, {0.04, "0.0"}, {-2.05, "-2.0"}} {
		if got := zText(tc.z, true); got != tc.want {
			t.Errorf("zText(%g) = %q, want %q", tc.z, got, tc.want)
		}
	}
}
