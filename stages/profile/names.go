package profile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/churnlab/segment/internal/result"
)

// Name sources of result.SegmentProfile.NameSource.
const (
	NamePinned    = "pinned"    // names: of this stage or the cluster stage (or carried by the cluster stage from the previous model)
	NameSuggested = "suggested" // built from the description's words (suggest_names)
)

// suggestName builds a short name from a segment's distinctive features, in
// order of |z|: a feature's configured word (its high or low adjective),
// else "high <column>" / "low <column>", the first `words` of them joined
// by ", " with the first letter capitalised — "New, low-value", "High
// Tenure, low Age". A segment with no distinctive feature is "Average".
func suggestName(dist []result.Distinctive, words map[string]Words, n int) string {
	if len(dist) == 0 {
		return "Average"
	}
	var parts []string
	for _, d := range dist[:min(n, len(dist))] {
		w := words[d.Column]
		word, dir := strings.TrimSpace(w.Low), "low"
		if d.Z > 0 {
			word, dir = strings.TrimSpace(w.High), "high"
		}
		if word == "" {
			word = dir + " " + d.Column
		}
		parts = append(parts, word)
	}
	return capitalizeFirst(strings.Join(parts, ", "))
}

// suggestNames gives every segment without a pinned name a suggested one,
// unique within the run: two words by default, more of the description's
// words for segments that would otherwise share a name, and the segment's
// ID in brackets as the last resort. Names already taken (pinned ones and
// earlier suggestions) are never reused.
func suggestNames(res *result.Profile, cfg *Config) {
	taken := map[string]bool{}
	for _, sp := range res.Segments {
		if sp.Name != "" {
			taken[strings.ToLower(sp.Name)] = true
		}
	}
	open := []int{}
	for s, sp := range res.Segments {
		if sp.Name == "" {
			open = append(open, s)
		}
	}
	names := make(map[int]string, len(open))
	for words := 2; words <= max(2, cfg.Describe.Top); words++ {
		count := map[string]int{}
		for _, s := range open {
			names[s] = suggestName(res.Segments[s].Distinctive, cfg.Describe.Words, words)
			count[strings.ToLower(names[s])]++
		}
		clash := false
		for _, s := range open {
			if key := strings.ToLower(names[s]); count[key] > 1 || taken[key] {
				clash = true
			}
		}
		if !clash {
			break
		}
	}
	used := map[string]bool{}
	for _, s := range open {
		sp := &res.Segments[s]
		name := names[s]
		key := strings.ToLower(name)
		if taken[key] || used[key] {
			name = fmt.Sprintf("%s (%d)", name, sp.ID)
		}
		if len([]rune(name)) > MaxNameChars {
			name = string([]rune(name)[:MaxNameChars-1]) + "…"
		}
		used[strings.ToLower(name)] = true
		sp.Name, sp.NameSource = name, NameSuggested
	}
}

// setLabels sets each segment's label: its name, or "Segment <ID>".
func setLabels(res *result.Profile) {
	for s := range res.Segments {
		sp := &res.Segments[s]
		sp.Label = sp.Name
		if sp.Label == "" {
			sp.Label = fmt.Sprintf("Segment %d", sp.ID)
		}
	}
}

// CarryNames gives each segment kept from the previous run (prev: segment
// ID → the name it was suggested there) that name again, so a suggested
// name follows its segment from night to night as its ID does. Pinned names
// win; a carried name another segment of this run already holds is not
// carried. Descriptions follow. It returns the IDs whose names were
// carried.
func (a *Analysis) CarryNames(prev map[int]string, cfg *Config) []int {
	res := a.Result
	owner := map[string]int{}
	for s, sp := range res.Segments {
		owner[strings.ToLower(sp.Name)] = s
	}
	var carried []int
	for s := range res.Segments {
		sp := &res.Segments[s]
		name, ok := prev[sp.ID]
		if !ok || name == "" || sp.NameSource != NameSuggested || name == sp.Name {
			continue
		}
		if o, taken := owner[strings.ToLower(name)]; taken && o != s {
			continue
		}
		delete(owner, strings.ToLower(sp.Name))
		owner[strings.ToLower(name)] = s
		sp.Name = name
		carried = append(carried, sp.ID)
	}
	setLabels(res)
	for s := range res.Segments {
		res.Segments[s].Description = description(&res.Segments[s], cfg)
	}
	for h := range res.Hypotheses {
		for i := range res.Hypotheses[h].Segments {
			hs := &res.Hypotheses[h].Segments[i]
			hs.Label = res.Segments[hs.Index].Label
		}
	}
	return carried
}

// capitalizeFirst upper-cases the first letter.
func capitalizeFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
