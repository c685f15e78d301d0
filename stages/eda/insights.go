package eda

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/result"
)

// Strength words, by |r| against Thresholds.
const (
	Strong   = "strong"
	Moderate = "moderate"
	Weak     = "weak"
	VeryWeak = "very weak"
)

// Strength names the strength of a correlation r: "strong", "moderate",
// "weak" or "very weak".
func (t Thresholds) Strength(r float64) string {
	a := math.Abs(r)
	switch {
	case a >= t.Strong:
		return Strong
	case a >= t.Moderate:
		return Moderate
	case a >= t.Weak:
		return Weak
	}
	return VeryWeak
}

func direction(r float64) string {
	if r < 0 {
		return "negative"
	}
	return "positive"
}

// pair is an off-diagonal cell (i < j) of a correlation matrix.
type pair struct {
	i, j int
	r    float64
	n    int
}

// rankedPairs returns the finite, non-zero off-diagonal pairs sorted by
// |r| (largest first), ties in matrix order.
func rankedPairs(c *result.Correlation) []pair {
	var ps []pair
	for i := range c.Columns {
		for j := i + 1; j < len(c.Columns); j++ {
			r := c.R[i][j]
			if math.IsNaN(r) || r == 0 {
				continue
			}
			ps = append(ps, pair{i, j, r, c.N[i][j]})
		}
	}
	slices.SortStableFunc(ps, func(a, b pair) int {
		aa, ab := math.Abs(a.r), math.Abs(b.r)
		switch {
		case aa > ab:
			return -1
		case aa < ab:
			return 1
		}
		return 0
	})
	return ps
}

// Insights words the correlations of c: the MaxInsights pairs with the
// largest |r| at or above Thresholds.Weak, always including the strongest
// positive and the strongest negative pair (whatever their strength),
// sorted by |r|; then, in column order, each column negatively correlated
// (r ≤ −Weak) with at least Several others. The wording and order depend
// only on c and cfg.
func Insights(c *result.Correlation, cfg *Config) []result.Insight {
	ranked := rankedPairs(c)
	var sel []pair
	for _, p := range ranked {
		if math.Abs(p.r) < cfg.Thresholds.Weak || len(sel) == cfg.MaxInsights {
			break
		}
		sel = append(sel, p)
	}
	strongest := func(positive bool) (pair, bool) {
		for _, p := range ranked {
			if (p.r > 0) == positive {
				return p, true
			}
		}
		return pair{}, false
	}
	sp, hasP := strongest(true)
	sn, hasN := strongest(false)
	isStrongest := func(p pair) bool {
		return hasP && p.i == sp.i && p.j == sp.j || hasN && p.i == sn.i && p.j == sn.j
	}
	for _, must := range []struct {
		p  pair
		ok bool
	}{{sp, hasP}, {sn, hasN}} {
		if !must.ok || slices.ContainsFunc(sel, func(q pair) bool { return q.i == must.p.i && q.j == must.p.j }) {
			continue
		}
		if len(sel) >= cfg.MaxInsights {
			// Drop the weakest pair that is not itself a strongest one.
			for k := len(sel) - 1; k >= 0; k-- {
				if !isStrongest(sel[k]) {
					sel = slices.Delete(sel, k, k+1)
					break
				}
			}
		}
		sel = append(sel, must.p)
	}
	// Back to |r| order (the appended strongest pairs are the weakest).
	order := make(map[[2]int]int, len(ranked))
	for k, p := range ranked {
		order[[2]int{p.i, p.j}] = k
	}
	slices.SortStableFunc(sel, func(a, b pair) int {
		return order[[2]int{a.i, a.j}] - order[[2]int{b.i, b.j}]
	})

	out := []result.Insight{}
	for _, p := range sel {
		a, b := c.Columns[p.i], c.Columns[p.j]
		st := cfg.Thresholds.Strength(p.r)
		dir := direction(p.r)
		text := fmt.Sprintf("%s %s correlation between %s and %s (r = %s, n = %s)",
			capitalize(st), dir, a, b, fmtR(p.r), thousands(p.n))
		strong := isStrongest(p)
		if strong {
			text += "; the strongest " + dir + " pair"
		}
		out = append(out, result.Insight{
			Kind: result.InsightPair, Text: text + ".",
			Pairs:    []result.PairStat{{A: a, B: b, R: p.r, N: p.n}},
			Strength: st, Direction: dir, Strongest: strong,
		})
	}
	if cfg.Several > 0 {
		out = append(out, negativeWithSeveral(c, cfg)...)
	}
	return out
}

// negativeWithSeveral lists, in column order, the columns negatively
// correlated (r ≤ −Weak) with at least cfg.Several others.
func negativeWithSeveral(c *result.Correlation, cfg *Config) []result.Insight {
	var out []result.Insight
	k := len(c.Columns)
	for i, name := range c.Columns {
		var ps []result.PairStat
		for j := range k {
			if r := c.R[i][j]; j != i && r <= -cfg.Thresholds.Weak {
				ps = append(ps, result.PairStat{A: name, B: c.Columns[j], R: r, N: c.N[i][j]})
			}
		}
		if len(ps) < cfg.Several {
			continue
		}
		slices.SortStableFunc(ps, func(a, b result.PairStat) int {
			switch {
			case a.R < b.R:
				return -1
			case a.R > b.R:
				return 1
			}
			return 0
		})
		parts := make([]string, len(ps))
		minN, maxN := ps[0].N, ps[0].N
		for m, p := range ps {
			parts[m] = fmt.Sprintf("%s (r = %s)", p.B, fmtR(p.R))
			minN, maxN = min(minN, p.N), max(maxN, p.N)
		}
		nText := "n = " + thousands(minN)
		if minN != maxN {
			nText = fmt.Sprintf("n = %s to %s", thousands(minN), thousands(maxN))
		}
		count := fmt.Sprintf("%d of the %d other columns", len(ps), k-1)
		switch {
		case len(ps) == k-1 && k == 3:
			count = "both other columns"
		case len(ps) == k-1:
			count = fmt.Sprintf("all %d other columns", k-1)
		}
		text := fmt.Sprintf("%s is negatively correlated with %s: %s; %s.", name, count, joinAnd(parts), nText)
		out = append(out, result.Insight{
			Kind: result.InsightNegativeWithSeveral, Text: text, Column: name, Pairs: ps,
			Strength: cfg.Thresholds.Strength(ps[len(ps)-1].R), Direction: "negative",
		})
	}
	return out
}

// Alerts lists the data-quality problems found in the summary and the
// correlation, by kind (constant, missing, near-duplicate, high
// cardinality, undefined pair) and then in column order. rows is the
// table's row count.
func Alerts(summary []result.ColumnSummary, c *result.Correlation, rows int, cfg *Config) []result.Alert {
	out := []result.Alert{}
	out = append(out, constantAlerts(summary, c)...)
	out = append(out, missingAlerts(summary, rows, cfg)...)
	if c != nil {
		out = append(out, nearDuplicateAlerts(c, cfg)...)
	}
	out = append(out, highCardinalityAlerts(summary, cfg)...)
	if c != nil {
		out = append(out, undefinedPairAlerts(c)...)
	}
	return out
}

// constantAlerts flags the columns with one distinct value, and the other
// columns left out of the correlation (except empty ones, which are
// missing).
func constantAlerts(summary []result.ColumnSummary, c *result.Correlation) []result.Alert {
	var out []result.Alert
	excluded := map[string]string{}
	if c != nil {
		for _, e := range c.Excluded {
			excluded[e.Column] = e.Reason
		}
	}
	alerted := map[string]bool{}
	for _, s := range summary {
		if s.Role == result.RoleID || s.Count == 0 || s.Distinct != 1 {
			continue
		}
		text := fmt.Sprintf("%s is constant (every value is %s)", s.Column, constantText(s))
		if _, ok := excluded[s.Column]; ok {
			text += "; it is left out of the correlation"
			alerted[s.Column] = true
		}
		out = append(out, result.Alert{Kind: result.AlertConstant, Text: text + ".",
			Columns: []string{s.Column}, Value: math.NaN(), Count: s.Count})
	}
	if c != nil {
		for _, e := range c.Excluded {
			if !alerted[e.Column] && !strings.HasPrefix(e.Reason, "empty") {
				out = append(out, result.Alert{Kind: result.AlertConstant,
					Text:    fmt.Sprintf("%s is left out of the correlation: %s.", e.Column, e.Reason),
					Columns: []string{e.Column}, Value: math.NaN()})
			}
		}
	}
	return out
}

// constantText is a constant column's one value as the alert shows it.
func constantText(s result.ColumnSummary) string {
	switch {
	case s.Type == "string":
		return fmt.Sprintf("%q", s.Top)
	case s.Type == "bool":
		if s.Min != 0 {
			return "true"
		}
		return "false"
	case s.Type == "int" && s.Min == math.Trunc(s.Min):
		return fmt.Sprintf("%d", int64(s.Min))
	}
	return pyRepr(s.Min)
}

// missingAlerts flags empty columns and columns missing in at least
// alerts.missing_share of the rows.
func missingAlerts(summary []result.ColumnSummary, rows int, cfg *Config) []result.Alert {
	var out []result.Alert
	for _, s := range summary {
		switch {
		case s.Count == 0 && rows > 0:
			out = append(out, result.Alert{Kind: result.AlertMissing,
				Text:    fmt.Sprintf("%s has no values (all %s rows are missing).", s.Column, thousands(rows)),
				Columns: []string{s.Column}, Value: 1, Count: s.Missing})
		case s.Missing > 0 && s.MissingShare >= cfg.Alerts.MissingShare:
			out = append(out, result.Alert{Kind: result.AlertMissing,
				Text: fmt.Sprintf("%s is missing in %s of %s rows (%s).", s.Column,
					thousands(s.Missing), thousands(rows), fmtPct(s.MissingShare)),
				Columns: []string{s.Column}, Value: s.MissingShare, Count: s.Missing})
		}
	}
	return out
}

// nearDuplicateAlerts flags the pairs with |r| at or above
// alerts.near_duplicate.
func nearDuplicateAlerts(c *result.Correlation, cfg *Config) []result.Alert {
	var out []result.Alert
	for i, a := range c.Columns {
		for j := i + 1; j < len(c.Columns); j++ {
			r := c.R[i][j]
			if math.IsNaN(r) || math.Abs(r) < cfg.Alerts.NearDuplicate {
				continue
			}
			b := c.Columns[j]
			what := "are near-duplicates"
			if r < 0 {
				what = "are near-duplicates up to sign"
			}
			out = append(out, result.Alert{Kind: result.AlertNearDuplicate,
				Text: fmt.Sprintf("%s and %s %s (r = %s, n = %s); consider keeping only one of them.",
					a, b, what, fmtR(r), thousands(c.N[i][j])),
				Columns: []string{a, b}, Value: r, Count: c.N[i][j]})
		}
	}
	return out
}

// highCardinalityAlerts flags text columns (not the id) whose values are
// mostly distinct.
func highCardinalityAlerts(summary []result.ColumnSummary, cfg *Config) []result.Alert {
	var out []result.Alert
	hc := cfg.Alerts.HighCardinality
	for _, s := range summary {
		if s.Type != "string" || s.Role == result.RoleID || s.Count == 0 {
			continue
		}
		share := float64(s.Distinct) / float64(s.Count)
		if share > hc.Share && s.Distinct > hc.MinDistinct {
			out = append(out, result.Alert{Kind: result.AlertHighCardinality,
				Text: fmt.Sprintf("%s has %s distinct values in %s non-missing rows (%s); it behaves like an identifier or free text, not a category.",
					s.Column, thousands(s.Distinct), thousands(s.Count), fmtPct(share)),
				Columns: []string{s.Column}, Value: share, Count: s.Distinct})
		}
	}
	return out
}

// undefinedPairAlerts flags the pairs whose correlation is undefined.
func undefinedPairAlerts(c *result.Correlation) []result.Alert {
	var out []result.Alert
	for i, a := range c.Columns {
		for j := i + 1; j < len(c.Columns); j++ {
			if !math.IsNaN(c.R[i][j]) {
				continue
			}
			b, n := c.Columns[j], c.N[i][j]
			why := "one of them is constant over the rows where both are present"
			if n < 2 {
				why = "fewer than 2 rows have both values"
			}
			out = append(out, result.Alert{Kind: result.AlertUndefinedPair,
				Text:    fmt.Sprintf("The correlation of %s and %s is undefined (n = %s): %s.", a, b, thousands(n), why),
				Columns: []string{a, b}, Value: math.NaN(), Count: n})
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// joinAnd joins "a", "b", "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
