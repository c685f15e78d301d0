package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
)

// Drift files.
const (
	FileDriftJSON = "drift.json"
	FileDriftMD   = "drift.md"
)

// writeDriftJSON writes the drift result as indented JSON (NaN as null).
func writeDriftJSON(w io.Writer, dr *result.Drift) error {
	b, err := json.MarshalIndent(dr, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeDriftMarkdown writes drift.md: the verdict, then segments,
// splits and merges, transitions, centroid movement, PSI and notes, for a
// reader (or an alert e-mail).
func writeDriftMarkdown(w io.Writer, runID string, dr *result.Drift) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	driftMDSummary(p, runID, dr)
	driftMDSegments(p, dr)
	driftMDSplits(p, dr)
	driftMDTransitions(p, dr)
	driftMDCentroids(p, dr)
	driftMDPSI(p, dr)
	driftMDNotes(p, dr)
	return bw.Flush()
}

// printf writes formatted text to the drift report.
type printf func(format string, args ...any)

// driftMDSummary is the title, how segments were matched and the
// drift_fail verdict.
func driftMDSummary(p printf, runID string, dr *result.Drift) {
	against := "model " + mdEsc(dr.Previous.Model)
	if dr.Previous.Run != "" {
		against = "run " + mdEsc(dr.Previous.Run)
	}
	p("# Drift: %s against %s\n\n", mdEsc(runID), against)
	if dr.Mode == ModeAssign {
		p("Mode assign: this run's customers were scored with the previous model (no refit); %d segments in the model, %d with customers now. A centroid shift is the distance between the segment members' mean now and the model's, in %s.\n\n",
			dr.Previous.K, countNew(dr), mdEsc(dr.MatchSpace))
	} else {
		p("Mode refit; %d segments before, %d now. Segments are matched by centroid distance in %s; a matched segment keeps its ID when its centroid moved at most %s.\n\n",
			dr.Previous.K, countNew(dr), mdEsc(dr.MatchSpace), fmtFixed(dr.MaxShift, shiftDecimals(dr)))
	}
	if len(dr.Failed) > 0 {
		p("**This run crossed %d drift threshold%s (exit code 3):**\n\n", len(dr.Failed), plural(len(dr.Failed)))
		for _, f := range dr.Failed {
			p("- %s\n", mdEsc(f))
		}
		p("\n")
	} else {
		p("No drift threshold was crossed.\n\n")
	}
}

// shiftDecimals is the number of decimals of the centroid shifts and
// max_shift: enough to show on which side of max_shift each shift fell.
func shiftDecimals(dr *result.Drift) int {
	var vs []float64
	for _, s := range dr.Segments {
		vs = append(vs, s.Shift, s.NearestShift)
	}
	return max(3, decimals(dr.MaxShift, vs...))
}

// driftMDSegments is the table of segments by ID.
func driftMDSegments(p printf, dr *result.Drift) {
	dec := shiftDecimals(dr)
	p("## Segments\n\n")
	p("| Segment | Status | Before | Now | Share change | Centroid shift |\n|---|---|---:|---:|---:|---:|\n")
	for _, s := range dr.Segments {
		label := strconv.Itoa(s.ID)
		if s.Name != "" {
			label += " " + mdEsc(s.Name)
		}
		status := s.Status
		if (s.Status == result.SegmentNew || s.Status == result.SegmentRetired) && s.Nearest != 0 {
			status += fmt.Sprintf(" (nearest: %d at %s, max_shift %s)", s.Nearest, fmtFixed(s.NearestShift, dec), fmtFixed(dr.MaxShift, dec))
		}
		p("| %s | %s | %s | %s | %s | %s |\n", label, status, sizeShare(s.PrevSize, s.PrevShare), sizeShare(s.Size, s.Share), points(s.ShareChange), fmtFixed(s.Shift, dec))
	}
	p("\n")
}

// driftMDSplits lists the splits and merges.
func driftMDSplits(p printf, dr *result.Drift) {
	if len(dr.Splits) > 0 || len(dr.Merges) > 0 {
		p("## Splits and merges\n\n")
		for _, s := range dr.Splits {
			p("- %s (%s of its customers).\n", mdEsc(dr.SplitText(s)), shareList(s.Shares))
		}
		for _, m := range dr.Merges {
			p("- %s (%s of its customers).\n", mdEsc(dr.MergeText(m)), shareList(m.Shares))
		}
		p("\n")
	}
}

// driftMDTransitions is the customer transition matrix.
func driftMDTransitions(p printf, dr *result.Drift) {
	if t := dr.Transitions; t != nil {
		p("## Customer transitions\n\n")
		p("%s customers are in both runs (%s left, %s arrived); %s kept their segment ID. Adjusted Rand index %s.\n\n",
			thousands(t.Shared), thousands(t.PrevOnly), thousands(t.NewOnly), pct(float64(t.Stayed)/float64(t.Shared)), fmtNum(t.ARI))
		p("| Before ↓ Now → |")
		for _, id := range t.IDs {
			p(" %d |", id)
		}
		p("\n|---|")
		for range t.IDs {
			p("---:|")
		}
		p("\n")
		for r, id := range t.PrevIDs {
			p("| %d |", id)
			for _, c := range t.Counts[r] {
				p(" %s |", thousands(c))
			}
			p("\n")
		}
		p("\n")
	}
}

// driftMDCentroids is the movement of the kept segments' centroids.
func driftMDCentroids(p printf, dr *result.Drift) {
	kept := false
	for _, s := range dr.Segments {
		kept = kept || s.CentroidChange != nil
	}
	if kept {
		p("## Centroid movement (original units, now − before)\n\n| Segment |")
		for _, f := range dr.Features {
			p(" %s |", mdEsc(f))
		}
		p("\n|---|")
		for range dr.Features {
			p("---:|")
		}
		p("\n")
		for _, s := range dr.Segments {
			if s.CentroidChange == nil {
				continue
			}
			p("| %d |", s.ID)
			for _, v := range s.CentroidChange {
				p(" %s |", signed(v))
			}
			p("\n")
		}
		p("\n")
	}
}

// driftMDPSI is the population stability of each feature.
func driftMDPSI(p printf, dr *result.Drift) {
	if dr.PSI != nil {
		p("## Population stability (PSI against the previous model's training data)\n\n| Feature | PSI | Reading |\n|---|---:|---|\n")
		for _, f := range dr.PSI {
			p("| %s | %s | %s |\n", mdEsc(f.Feature), fmtFixed(f.PSI, 3), metrics.PSIReading(f.PSI))
		}
		p("\n")
	}
}

// driftMDNotes lists what could not be computed.
func driftMDNotes(p printf, dr *result.Drift) {
	if len(dr.Notes) > 0 {
		p("## Notes\n\n")
		for _, n := range dr.Notes {
			p("- %s\n", mdEsc(n))
		}
	}
}

func countNew(dr *result.Drift) int {
	n := 0
	for _, s := range dr.Segments {
		if s.Status != result.SegmentRetired && s.Status != result.SegmentEmpty {
			n++
		}
	}
	return n
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `&lt;`, `>`, `&gt;`, `|`, `\|`, "\n", " ", "\r", " ")

func mdEsc(s string) string { return mdReplacer.Replace(s) }

func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func fmtFixed(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

func signed(v float64) string {
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if v > 0 {
		s = "+" + s
	}
	return s
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

func points(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(100*v, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if v > 0 && s != "0.0" {
		s = "+" + s
	}
	return s + " pts"
}

func sizeShare(n int, share float64) string {
	if math.IsNaN(share) {
		return thousands(n)
	}
	return thousands(n) + " (" + pct(share) + ")"
}

func shareList(shares []float64) string {
	parts := make([]string, len(shares))
	for i, s := range shares {
		parts[i] = strconv.FormatFloat(100*s, 'f', 0, 64) + "%"
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func thousands(n int) string { return plotkit.Thousands(int64(n)) }
