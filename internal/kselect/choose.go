package kselect

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/result"
)

// Selection methods (the cluster stage's select: values).
const (
	Auto             = "auto"
	Elbow            = result.IndexElbow
	Silhouette       = result.IndexSilhouette
	CalinskiHarabasz = result.IndexCalinskiHarabasz
	DaviesBouldin    = result.IndexDaviesBouldin
)

// Methods lists the selection methods, the default first.
func Methods() []string { return []string{Auto, Elbow, Silhouette, CalinskiHarabasz, DaviesBouldin} }

// DefaultMinSeparation is the separation every pair of segments needs for
// the auto rule to call a k obvious structure.
const DefaultMinSeparation = 2.0

// ErrNoChoice is returned when no k has the score a method needs.
var ErrNoChoice = errors.New("no k has a defined score")

// voters are the indices of the auto rule's vote, in tie-break order.
var voters = []string{Elbow, Silhouette, CalinskiHarabasz, DaviesBouldin}

// Choose picks k among scores (increasing k) by method and explains it.
// minSep is the auto rule's separation threshold (≤ 0: the default). The
// warning is set when elbow had to fall back to the silhouette. scores is
// not modified.
func Choose(scores []result.KScore, method string, minSep float64) (c *result.KChoice, warning string, err error) {
	if len(scores) == 0 {
		return nil, "", fmt.Errorf("select %s: %w", method, ErrNoChoice)
	}
	if minSep <= 0 {
		minSep = DefaultMinSeparation
	}
	picks, kneeErr := Picks(scores, minSep)
	c = &result.KChoice{Method: method, Picks: picks}
	switch method {
	case Auto:
		c.MinSeparation = minSep
		if k, ok := picks[result.IndexSeparation]; ok {
			c.K, c.Rule = k, result.IndexSeparation
			break
		}
		k, rule, ok := vote(picks)
		if !ok {
			return nil, "", fmt.Errorf("select auto: %w", ErrNoChoice)
		}
		c.K, c.Rule = k, rule
	case Elbow:
		if k, ok := picks[Elbow]; ok {
			c.K, c.Rule = k, Elbow
			break
		}
		k, ok := picks[Silhouette]
		if !ok {
			return nil, "", fmt.Errorf("select elbow: %v, and %w for the silhouette fallback", kneeErr, ErrNoChoice)
		}
		c.K, c.Rule = k, Silhouette
		why := "the inertia curve has no elbow (Kneedle found no knee)"
		if !errors.Is(kneeErr, metrics.ErrNoKnee) {
			why = fmt.Sprintf("the elbow could not be computed (%v)", kneeErr)
		}
		warning = fmt.Sprintf("select elbow: %s for k = %d..%d; chose k = %d by the best silhouette instead", why, scores[0].K, scores[len(scores)-1].K, k)
	case Silhouette, CalinskiHarabasz, DaviesBouldin:
		k, ok := picks[method]
		if !ok {
			return nil, "", fmt.Errorf("select %s: %w", method, ErrNoChoice)
		}
		c.K, c.Rule = k, method
	default:
		return nil, "", fmt.Errorf("unknown select %q (want %s)", method, strings.Join(Methods(), ", "))
	}
	explain(c, scores)
	return c, warning, nil
}

// Fixed describes a fixed k fitted with an elbow range: the indices' picks
// over the range, against the k the config fixed.
func Fixed(scores []result.KScore, k int, minSep float64) *result.KChoice {
	if minSep <= 0 {
		minSep = DefaultMinSeparation
	}
	picks, _ := Picks(scores, minSep)
	c := &result.KChoice{Method: "fixed", Rule: "fixed", K: k, Picks: picks, MinSeparation: minSep}
	explain(c, scores)
	return c
}

// Picks returns each index's pick over scores: the knee of the inertia
// curve (absent, with kneeErr, when Kneedle finds none), the highest
// silhouette and Calinski–Harabasz, the lowest Davies–Bouldin (ties to the
// smaller k; absent when undefined for every k) and the largest k whose
// separation is at least minSep (absent when none is).
func Picks(scores []result.KScore, minSep float64) (picks map[string]int, kneeErr error) {
	picks = map[string]int{}
	if k, err := knee(scores); err == nil {
		picks[Elbow] = k
	} else {
		kneeErr = err
	}
	for _, name := range []string{Silhouette, CalinskiHarabasz, DaviesBouldin} {
		if k, ok := best(scores, name); ok {
			picks[name] = k
		}
	}
	for _, s := range scores {
		if s.K >= 2 && s.Separation >= minSep { // NaN fails
			picks[result.IndexSeparation] = s.K
		}
	}
	return picks, kneeErr
}

// knee is Kneedle's knee of inertia against k.
func knee(scores []result.KScore) (int, error) {
	x := make([]float64, len(scores))
	y := make([]float64, len(scores))
	for i, s := range scores {
		x[i], y[i] = float64(s.K), s.Inertia
	}
	i, err := metrics.Kneedle(x, y)
	if err != nil {
		return 0, err
	}
	return scores[i].K, nil
}

// best returns the k with the best defined value of an index: highest
// silhouette or Calinski–Harabasz, lowest Davies–Bouldin; ties go to the
// smaller k.
func best(scores []result.KScore, index string) (int, bool) {
	bestK, bestV := 0, math.NaN()
	for _, s := range scores {
		v := value(s, index)
		if math.IsNaN(v) {
			continue
		}
		if bestK == 0 || v > bestV {
			bestK, bestV = s.K, v
		}
	}
	return bestK, bestK != 0
}

// value is an index's value for s, signed so that higher is better.
func value(s result.KScore, index string) float64 {
	switch index {
	case Silhouette:
		return s.Silhouette
	case CalinskiHarabasz:
		return s.CalinskiHarabasz
	case DaviesBouldin:
		return -s.DaviesBouldin
	}
	return math.NaN()
}

// vote returns the k most voters pick; a tie goes to the first voter (in
// voters order) whose pick is tied. rule is "vote" when one k has the most
// votes and "tie" otherwise.
func vote(picks map[string]int) (k int, rule string, ok bool) {
	count := map[int]int{}
	top := 0
	for _, v := range voters {
		if p, has := picks[v]; has {
			count[p]++
			top = max(top, count[p])
		}
	}
	if top == 0 {
		return 0, "", false
	}
	leaders := 0
	for _, c := range count {
		if c == top {
			leaders++
		}
	}
	for _, v := range voters {
		if p, has := picks[v]; has && count[p] == top {
			if leaders > 1 {
				return p, "tie", true
			}
			return p, "vote", true
		}
	}
	return 0, "", false
}

// indexNames are the indices' names in sentences.
var indexNames = map[string]string{
	result.IndexSeparation: "separation", Elbow: "elbow", Silhouette: "silhouette",
	CalinskiHarabasz: "Calinski–Harabasz", DaviesBouldin: "Davies–Bouldin",
}

// IndexTitle is an index's name for people ("Calinski–Harabasz").
func IndexTitle(index string) string {
	if t, ok := indexNames[index]; ok {
		return t
	}
	return index
}

// explain fills Agree, Reason and Disagreement.
func explain(c *result.KChoice, scores []result.KScore) {
	var parts []string
	c.Agree = true
	for _, v := range voters {
		p, ok := c.Picks[v]
		if !ok {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d", IndexTitle(v), p))
		if p != c.K {
			c.Agree = false
		}
	}
	if !c.Agree {
		c.Disagreement = "The indices disagree: " + strings.Join(parts, ", ") + "."
	}
	c.Reason = reason(c, scores)
}

// reason says in a sentence or two why c.K was chosen.
func reason(c *result.KChoice, scores []result.KScore) string {
	switch c.Rule {
	case "fixed":
		return fmt.Sprintf("k = %d is fixed; the other k were fitted for comparison.", c.K)
	case result.IndexSeparation:
		s := scoreOf(scores, c.K)
		msg := fmt.Sprintf("k = %d is the largest k whose segments are all clearly apart: the closest two have a separation of %s (%s or more means distinct groups)",
			c.K, fmtSep(s.Separation), fmtSep(c.MinSeparation))
		if next, ok := nextScore(scores, c.K); ok {
			msg += fmt.Sprintf("; at k = %d the closest two score only %s, so a group would be cut in two", next.K, fmtSep(next.Separation))
		}
		return msg + "."
	case "vote", "tie":
		msg := noStructure(c, scores)
		by := votersOf(c, c.K)
		if c.Rule == "vote" {
			return msg + fmt.Sprintf(" k = %d is the pick of %s (%d of %d indices).", c.K, andList(titles(by)), len(by), voterCount(c))
		}
		return msg + fmt.Sprintf(" No k has a majority of the indices, so the first in the order elbow, silhouette, Calinski–Harabasz, Davies–Bouldin decides: k = %d (%s).", c.K, andList(titles(by)))
	case Elbow:
		return fmt.Sprintf("k = %d is the elbow (knee) of the inertia curve (Kneedle).", c.K)
	case Silhouette:
		if c.Method == Elbow {
			return fmt.Sprintf("The inertia curve has no elbow, so k = %d, the highest silhouette, is used.", c.K)
		}
		return fmt.Sprintf("k = %d has the highest silhouette.", c.K)
	case CalinskiHarabasz:
		return fmt.Sprintf("k = %d has the highest Calinski–Harabasz index.", c.K)
	case DaviesBouldin:
		return fmt.Sprintf("k = %d has the lowest Davies–Bouldin index.", c.K)
	}
	return ""
}

// noStructure says that no k was clearly separated, with the best one.
func noStructure(c *result.KChoice, scores []result.KScore) string {
	bestK, bestS := 0, math.NaN()
	for _, s := range scores {
		if s.K >= 2 && !math.IsNaN(s.Separation) && (bestK == 0 || s.Separation > bestS) {
			bestK, bestS = s.K, s.Separation
		}
	}
	if bestK == 0 {
		return "The separation of the segments could not be computed."
	}
	return fmt.Sprintf("No k splits the rows into clearly distinct groups (the best, k = %d, has two segments with a separation of %s, below %s), so the segments divide a continuum and the indices vote.",
		bestK, fmtSep(bestS), fmtSep(c.MinSeparation))
}

// votersOf lists the voters that pick k, in voters order.
func votersOf(c *result.KChoice, k int) []string {
	var out []string
	for _, v := range voters {
		if p, ok := c.Picks[v]; ok && p == k {
			out = append(out, v)
		}
	}
	return out
}

// voterCount is the number of voters with a pick.
func voterCount(c *result.KChoice) int {
	n := 0
	for _, v := range voters {
		if _, ok := c.Picks[v]; ok {
			n++
		}
	}
	return n
}

// scoreOf returns k's score (zero value when k was not tried).
func scoreOf(scores []result.KScore, k int) result.KScore {
	for _, s := range scores {
		if s.K == k {
			return s
		}
	}
	return result.KScore{K: k, Separation: math.NaN()}
}

// nextScore returns the score of the next k tried above k.
func nextScore(scores []result.KScore, k int) (result.KScore, bool) {
	for _, s := range scores {
		if s.K > k {
			return s, true
		}
	}
	return result.KScore{}, false
}

// fmtSep formats a separation with two decimals ("∞" when infinite).
func fmtSep(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsNaN(v):
		return "–"
	}
	return fmt.Sprintf("%.2f", v)
}

func titles(indices []string) []string {
	out := make([]string, len(indices))
	for i, x := range indices {
		out[i] = IndexTitle(x)
	}
	return out
}

// andList joins "A", "A and B", "A, B and C".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
