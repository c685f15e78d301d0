package profile

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/churnlab/segment/internal/result"
)

// describeAll fills each segment's Distinctive, Phrase and Traits, gives
// the segments without a pinned name a suggested one (suggest_names), and
// sets their labels and Descriptions.
func describeAll(res *result.Profile, cfg *Config) {
	for s := range res.Segments {
		sp := &res.Segments[s]
		sp.Distinctive = distinctive(sp.Stats, cfg.Describe.Top, cfg.Describe.MinZ)
		sp.Phrase = phrase(sp.Distinctive, cfg.Describe.Words, cfg.Noun)
		sp.Traits = traits(sp, cfg)
	}
	if cfg.SuggestNames {
		suggestNames(res, cfg)
	}
	setLabels(res)
	for s := range res.Segments {
		res.Segments[s].Description = description(&res.Segments[s], cfg)
	}
}

// distinctive returns the columns with the largest |z| (ties in column
// order), at most top of them and only those with |z| ≥ minZ.
func distinctive(st []result.FeatureStats, top int, minZ float64) []result.Distinctive {
	idx := make([]int, 0, len(st))
	for j, f := range st {
		if !math.IsNaN(f.Z) && math.Abs(f.Z) >= minZ && f.Z != 0 {
			idx = append(idx, j)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(st[idx[a]].Z) > math.Abs(st[idx[b]].Z) })
	if len(idx) > top {
		idx = idx[:top]
	}
	out := make([]result.Distinctive, 0, len(idx))
	for _, j := range idx {
		out = append(out, result.Distinctive{Column: st[j].Column, Z: st[j].Z})
	}
	return out
}

// phrase words a segment from its distinctive columns:
//
//  1. no distinctive column: "close to the overall average";
//  2. otherwise each column with configured words contributes its high
//     (z > 0) or low (z < 0) adjective, in order of |z|, joined by ", "
//     before the noun: "long-standing, high-value customers";
//  3. the other columns follow as "with above-average A and B,
//     below-average C" (or only one of the two parts).
func phrase(dist []result.Distinctive, words map[string]Words, noun string) string {
	if len(dist) == 0 {
		return "close to the overall average"
	}
	var adj, above, below []string
	for _, d := range dist {
		w := words[d.Column]
		word := w.Low
		if d.Z > 0 {
			word = w.High
		}
		switch {
		case strings.TrimSpace(word) != "":
			adj = append(adj, strings.TrimSpace(word))
		case d.Z > 0:
			above = append(above, d.Column)
		default:
			below = append(below, d.Column)
		}
	}
	out := noun
	if len(adj) > 0 {
		out = strings.Join(adj, ", ") + " " + noun
	}
	var parts []string
	if len(above) > 0 {
		parts = append(parts, "above-average "+andList(above))
	}
	if len(below) > 0 {
		parts = append(parts, "below-average "+andList(below))
	}
	if len(parts) > 0 {
		out += " with " + strings.Join(parts, ", ")
	}
	return out
}

// description is the full sentence: "<label> (<share> of <noun>):
// <traits>". A named segment shows its ID too.
func description(sp *result.SegmentProfile, cfg *Config) string {
	var b strings.Builder
	b.WriteString(sp.Label)
	b.WriteString(" (")
	if sp.Name != "" {
		fmt.Fprintf(&b, "segment %d, ", sp.ID)
	}
	fmt.Fprintf(&b, "%s of %s): %s", shareText(sp.Share), cfg.Noun, sp.Traits)
	return b.String()
}

// traits lists the distinctive columns with their z-scores and the phrase:
// "<col> +1.3σ, <col> -0.8σ — <phrase>".
func traits(sp *result.SegmentProfile, cfg *Config) string {
	var b strings.Builder
	if len(sp.Distinctive) == 0 {
		fmt.Fprintf(&b, "no feature is %sσ or more from the overall mean — %s", zText(cfg.Describe.MinZ, false), sp.Phrase)
		return b.String()
	}
	for i, d := range sp.Distinctive {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.Column)
		b.WriteByte(' ')
		b.WriteString(zText(d.Z, true))
		b.WriteString("σ")
	}
	b.WriteString(" — ")
	b.WriteString(sp.Phrase)
	return b.String()
}

// shareText formats a share for sentences: whole percent from 10 %, one
// decimal below ("21%", "4.2%").
func shareText(share float64) string {
	p := share * 100
	if p >= 10 || p == 0 {
		return fmt.Sprintf("%.0f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// zText formats z with one decimal, with a sign when signed (a value that
// rounds to zero has none).
func zText(z float64, signed bool) string {
	s := fmt.Sprintf("%.1f", z)
	if s == "-0.0" {
		s = "0.0"
	}
	if signed && !strings.HasPrefix(s, "-") && s != "0.0" {
		s = "+" + s
	}
	return s
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
