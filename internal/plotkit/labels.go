package plotkit

import (
	"strconv"
	"strings"
	"unicode"
)

// DefaultMaxLabelChars is the label length (in characters) above which
// heatmap labels with more than 8 rows are shortened.
const DefaultMaxLabelChars = 16

// ShortenLabels shortens every label longer than maxChars characters to
// its first maxChars−1 characters (trailing spaces and punctuation trimmed)
// followed by "…". The same rule applies to both axes. When shortened
// labels would collide (with each other or with an unshortened label),
// every label of the colliding group is marked "…#1", "…#2", … in order of
// appearance, its prefix cut further so it stays within maxChars. It
// returns the displayed labels and a map from each displayed label to its
// full text, for a legend in the report. maxChars below 6 is treated as 6.
func ShortenLabels(labels []string, maxChars int) ([]string, map[string]string) {
	maxChars = max(maxChars, 6)
	shown := make([]string, len(labels))
	short := make(map[string]int, len(labels)) // shown text → how many labels
	for i, l := range labels {
		r := []rune(l)
		if len(r) <= maxChars {
			shown[i] = l
		} else {
			shown[i] = cut(r, maxChars-1) + "…"
		}
		short[shown[i]]++
	}
	used := make(map[string]bool, len(labels))
	for i, l := range labels {
		if short[shown[i]] == 1 || shown[i] == l {
			used[shown[i]] = true
		}
	}
	group := make(map[string]int) // colliding shortened text → members seen
	for i, l := range labels {
		s := shown[i]
		if short[s] == 1 || s == l {
			continue
		}
		r := []rune(l)
		for {
			group[s]++
			suffix := "#" + strconv.Itoa(group[s])
			m := cut(r, maxChars-1-len(suffix)) + "…" + suffix
			if !used[m] {
				shown[i] = m
				used[m] = true
				break
			}
		}
	}
	full := make(map[string]string, len(labels))
	for i, l := range labels {
		full[shown[i]] = l
	}
	return shown, full
}

// cut returns the first n runes of r without trailing spaces or
// punctuation.
func cut(r []rune, n int) string {
	n = max(min(n, len(r)), 1)
	return strings.TrimRightFunc(string(r[:n]), func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c)
	})
}
