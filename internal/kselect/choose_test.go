package kselect

import (
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

var nan = math.NaN()

// mk builds scores for k = from.. from the columns.
func mk(from int, inertia, sil, ch, db, sep []float64) []result.KScore {
	out := make([]result.KScore, len(inertia))
	for i := range inertia {
		out[i] = result.KScore{K: from + i, Inertia: inertia[i], Silhouette: sil[i], CalinskiHarabasz: ch[i], DaviesBouldin: db[i], Separation: sep[i]}
	}
	return out
}

// The Maven elbow (k = 1..10): Kneedle's knee is 3 on 1..10 and 4 on 2..10.
var (
	mavenInertia = []float64{1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050, 0.100110, 0.082330, 0.073298, 0.064352}
	mavenSil     = []float64{nan, 0.90, 0.65, 0.65, 0.59, 0.60, 0.57, 0.57, 0.53, 0.54}
	mavenCH      = []float64{nan, 3936, 6152, 6847, 7880, 8072, 8387, 8900, 8824, 8985}
	mavenDB      = []float64{nan, 0.487, 0.583, 0.564, 0.610, 0.629, 0.631, 0.618, 0.657, 0.733}
	mavenSep     = []float64{nan, 1.95, 1.68, 1.67, 1.62, 1.63, 1.60, 1.60, 1.60, 1.63}
	// Five blobs: the separation falls below 2 from k = 6 on.
	blobSep = []float64{nan, 4.1, 3.2, 2.9, 2.6, 1.35, 1.41, 1.33, 1.38, 1.40}
	linear  = []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
)

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		name, method string
		from         int // index of the first k used (k = 1 + from)
		inertia, sep []float64
		k            int
		rule, warn   string
		picks        map[string]int
	}{
		{"elbow 1..10", Elbow, 0, mavenInertia, mavenSep, 3, Elbow, "", nil},
		{"elbow 2..10", Elbow, 1, mavenInertia, mavenSep, 4, Elbow, "", nil},
		{"silhouette", Silhouette, 0, mavenInertia, mavenSep, 2, Silhouette, "", nil},
		{"calinski_harabasz", CalinskiHarabasz, 0, mavenInertia, mavenSep, 10, CalinskiHarabasz, "", nil},
		{"davies_bouldin", DaviesBouldin, 0, mavenInertia, mavenSep, 2, DaviesBouldin, "", nil},
		{"no knee", Elbow, 0, linear, mavenSep, 2, Silhouette,
			"select elbow: the inertia curve has no elbow (Kneedle found no knee) for k = 1..10; chose k = 2 by the best silhouette instead", nil},
		// auto, no clear structure: elbow 4, silhouette 2, CH 10, DB 2 on
		// 2..10 → 2 by two votes.
		{"auto vote", Auto, 1, mavenInertia, mavenSep, 2, "vote", "",
			map[string]int{Elbow: 4, Silhouette: 2, CalinskiHarabasz: 10, DaviesBouldin: 2}},
		// auto with clear structure: the largest k with separation ≥ 2.
		{"auto separation", Auto, 1, mavenInertia, blobSep, 5, result.IndexSeparation, "",
			map[string]int{result.IndexSeparation: 5, Elbow: 4, Silhouette: 2, CalinskiHarabasz: 10, DaviesBouldin: 2}},
		// auto without a knee: silhouette and Davies–Bouldin both pick 2.
		{"auto without a knee", Auto, 0, linear, mavenSep, 2, "vote", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.from
			c, warn, err := Choose(mk(1+f, tc.inertia[f:], mavenSil[f:], mavenCH[f:], mavenDB[f:], tc.sep[f:]), tc.method, 0)
			if err != nil || c.K != tc.k || c.Rule != tc.rule || warn != tc.warn {
				t.Fatalf("got %+v, %q, %v; want k %d by %s, %q", c, warn, err, tc.k, tc.rule, tc.warn)
			}
			for name, k := range tc.picks {
				if c.Picks[name] != k {
					t.Errorf("pick of %s: %d, want %d (all %v)", name, c.Picks[name], k, c.Picks)
				}
			}
			if tc.picks != nil && len(c.Picks) != len(tc.picks) {
				t.Errorf("picks %v, want %v", c.Picks, tc.picks)
			}
			if c.Agree != (c.Disagreement == "") || c.Reason == "" {
				t.Errorf("agree %v with disagreement %q, reason %q", c.Agree, c.Disagreement, c.Reason)
			}
		})
	}
}

func TestTie(t *testing.T) {
	// Four different picks: the elbow's wins (rule "tie").
	picks := map[string]int{Elbow: 5, Silhouette: 3, CalinskiHarabasz: 2, DaviesBouldin: 8}
	if k, rule, ok := vote(picks); !ok || k != 5 || rule != "tie" {
		t.Errorf("all different: %d %s %v", k, rule, ok)
	}
	// Two against two: the pair with the elbow.
	picks = map[string]int{Elbow: 4, Silhouette: 2, CalinskiHarabasz: 2, DaviesBouldin: 4}
	if k, rule, _ := vote(picks); k != 4 || rule != "tie" {
		t.Errorf("two against two: %d %s", k, rule)
	}
	// Without an elbow, three different picks: silhouette's.
	delete(picks, Elbow)
	picks[DaviesBouldin] = 7
	if k, rule, _ := vote(picks); k != 2 || rule != "vote" {
		t.Errorf("no elbow: %d %s", k, rule)
	}
	if _, _, ok := vote(map[string]int{}); ok {
		t.Error("no voter gave a k")
	}
}

func TestWords(t *testing.T) {
	// The bank table's situation in issue 13: elbow 5, silhouette and CH 2,
	// DB 10, nothing clearly separated.
	sep := []float64{1.83, 1.70, 1.73, 1.77, 1.71, 1.57, 1.62, 1.64, 1.60}
	picks := map[string]int{Elbow: 5, Silhouette: 2, CalinskiHarabasz: 2, DaviesBouldin: 10}
	scores := make([]result.KScore, 9)
	for i := range scores {
		scores[i] = result.KScore{K: i + 2, Separation: sep[i]}
	}
	c := &result.KChoice{Method: Auto, Picks: picks, MinSeparation: 2}
	c.K, c.Rule, _ = vote(picks)
	explain(c, scores)
	for _, want := range []string{
		"No k splits the rows into clearly distinct groups (the best, k = 2, has two segments with a separation of 1.83, below 2.00)",
		"k = 2 is the pick of silhouette and Calinski–Harabasz (2 of 4 indices).",
	} {
		if !strings.Contains(c.Reason, want) {
			t.Errorf("reason %q lacks %q", c.Reason, want)
		}
	}
	if c.Disagreement != "The indices disagree: elbow 5, silhouette 2, Calinski–Harabasz 2, Davies–Bouldin 10." {
		t.Errorf("disagreement %q", c.Disagreement)
	}
	if got := c.PickedBy(2); strings.Join(got, " ") != "silhouette calinski_harabasz" {
		t.Errorf("picked by %v", got)
	}
	// Separation: the reason names the next k's separation.
	c, _, err := Choose(mk(2, mavenInertia[1:], mavenSil[1:], mavenCH[1:], mavenDB[1:], blobSep[1:]), Auto, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := "k = 5 is the largest k whose segments are all clearly apart: the closest two have a separation of 2.60 (2.00 or more means distinct groups); at k = 6 the closest two score only 1.35, so a group would be cut in two."
	if c.Reason != want {
		t.Errorf("reason\n %q, want\n %q", c.Reason, want)
	}
}

func TestErrors(t *testing.T) {
	allNaN := []float64{nan, nan, nan}
	s := mk(1, linear[:3], allNaN, allNaN, allNaN, allNaN)
	if _, _, err := Choose(s, Elbow, 0); err == nil ||
		err.Error() != "select elbow: kneedle: no knee found, and no k has a defined score for the silhouette fallback" {
		t.Errorf("got %v", err)
	}
	if _, _, err := Choose(s[:2], Auto, 0); err == nil {
		t.Error("auto without any pick")
	}
	if _, _, err := Choose(s, "gap", 0); err == nil || !strings.Contains(err.Error(), "unknown select") {
		t.Errorf("unknown method: %v", err)
	}
	if _, _, err := Choose(nil, Auto, 0); err == nil {
		t.Error("no scores")
	}
	// Ties go to the smaller k; NaN never wins.
	tied := []float64{nan, 0.5, 0.7, 0.7}
	if k, ok := best(mk(1, linear[:4], tied, tied, tied, tied), Silhouette); !ok || k != 3 {
		t.Errorf("tie: k %d", k)
	}
}

func TestFixed(t *testing.T) {
	c := Fixed(mk(1, mavenInertia, mavenSil, mavenCH, mavenDB, mavenSep), 4, 0)
	if c.K != 4 || c.Rule != "fixed" || c.Agree || c.Picks[Elbow] != 3 {
		t.Errorf("%+v", c)
	}
}
