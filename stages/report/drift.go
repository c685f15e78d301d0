package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
)

// The drift section is a hook: the stage that compares a run with the
// previous one fills result.Drift, buildDrift turns it into a
// DriftView, and the templates named "drift" (templates/drift.html.tmpl
// and templates/drift.md.tmpl) render it. To extend the
// section, add fields to DriftView, fill them here and show them in those
// two templates; nothing else in the report changes.

// DriftView is the drift section.
type DriftView struct {
	// Failed lists the drift_fail thresholds the run crossed (the run
	// exits with code 3).
	Failed []string
	// Facts: what was compared, how segments were matched, the customers
	// followed and the adjusted Rand index.
	Facts []Fact
	// Events are splits, merges, new and retired segments in words.
	Events []string
	// Segments is one row per segment ID.
	Segments []DriftSegmentRow
	// Transitions is the customer transition matrix (nil when none).
	Transitions *TransitionView
	// Movement is the centroid movement of kept segments in original
	// units (nil when none).
	Movement *TableView
	// PSI is one row per feature (empty when not computed).
	PSI []PSIRow
	// Notes explain what could not be computed.
	Notes []string
}

// DriftSegmentRow is one segment ID in the drift section.
type DriftSegmentRow struct {
	ID          int
	Label       string
	Color       string // "#rrggbb" for segments of this run, "" for retired ones
	Status      string
	Before      string
	Now         string
	ShareChange string
	Shift       string
}

// TransitionView is the transition matrix: customers by previous segment
// (rows) and segment in this run (columns).
type TransitionView struct {
	Header []string // "Before ↓ Now →", then the column IDs
	Rows   []TransitionRow
	// Caption says what the numbers are.
	Caption string
}

// TransitionRow is one previous segment.
type TransitionRow struct {
	Label string
	Cells []TransitionCell
}

// TransitionCell is one count, shaded by its share of the row.
type TransitionCell struct {
	Text     string
	Shade    string // "#rrggbb" background (white → blue with the row share)
	Diagonal bool   // same ID before and now
}

// TableView is a plain table (first column a label, the others numbers).
type TableView struct {
	Header []string
	Rows   [][]string
}

// PSIRow is one feature's population stability index.
type PSIRow struct {
	Feature string
	PSI     string
	Reading string
	Alert   bool // above 0.25
}

// buildDrift turns the drift result into its view.
func buildDrift(d *result.Drift) *DriftView {
	v := &DriftView{Failed: append([]string(nil), d.Failed...), Notes: append([]string(nil), d.Notes...)}
	v.Facts = driftFacts(d)
	v.Segments, v.Events = driftSegments(d)
	v.Transitions = transitionView(d.Transitions)
	v.Movement = movementView(d)
	for _, p := range d.PSI {
		v.PSI = append(v.PSI, PSIRow{Feature: p.Feature, PSI: fmtFixed(p.PSI, 3), Reading: metrics.PSIReading(p.PSI), Alert: p.PSI > 0.25})
	}
	return v
}

// driftFacts are the facts of the comparison: what with, how segments were
// matched, how many customers could be followed.
func driftFacts(d *result.Drift) []Fact {
	var facts []Fact
	add := func(label, value string, mono bool) { facts = append(facts, Fact{label, value, mono}) }
	if d.Previous.Run != "" {
		add("Compared with run", d.Previous.Run, true)
	}
	if d.Previous.Model != "" {
		add("Previous model", d.Previous.Model, true)
	}
	if d.Mode != "" {
		mode := d.Mode
		switch d.Mode {
		case "refit":
			mode += " (a new model, its segments matched to the previous ones)"
		case "assign":
			mode += " (customers scored with the previous model, no refit)"
		}
		add("Mode", mode, false)
	}
	if d.Previous.K > 0 || len(d.Segments) > 0 {
		add("Segments", fmt.Sprintf("%d before, %d now", d.Previous.K, countCurrent(d)), false)
	}
	switch {
	case d.Mode == "assign":
		add("Centroid shift", "distance between the segment members' mean now and the model's, in "+d.MatchSpace, false)
	case d.MatchSpace != "":
		add("Matching", fmt.Sprintf("Hungarian assignment on centroid distance in %s; a segment keeps its ID when its centroid moved at most %s", d.MatchSpace, fmtStat(d.MaxShift)), false)
	}
	if t := d.Transitions; t != nil {
		add("Customers followed", fmt.Sprintf("%s in both runs (%s left, %s arrived); %s kept their segment", thousands(t.Shared), thousands(t.PrevOnly), thousands(t.NewOnly), pctText(ratio(t.Stayed, t.Shared))), false)
		add("Adjusted Rand index", fmtFixed(t.ARI, 3), false)
	}
	return facts
}

// driftSegments are the rows of the segment table and the events worth a
// sentence: new, retired and empty segments, splits and merges.
func driftSegments(d *result.Drift) (rows []DriftSegmentRow, events []string) {
	for _, s := range d.Segments {
		row := DriftSegmentRow{ID: s.ID, Label: segLabel(s.ID, s.Name), Status: s.Status,
			Before: sizeShare(s.PrevSize, s.PrevShare), Now: sizeShare(s.Size, s.Share),
			ShareChange: pointsText(s.ShareChange), Shift: fmtFixed(s.Shift, 3)}
		if s.Index >= 0 && (s.Status == result.SegmentKept || s.Status == result.SegmentNew) {
			row.Color = plotkit.Hex(plotkit.SegmentColor(s.ID - 1)) // keyed to the number, as in every figure
		}
		if s.Status != result.SegmentKept && s.Nearest != 0 {
			row.Status += fmt.Sprintf(" (nearest: %d at %s)", s.Nearest, fmtFixed(s.NearestShift, 3))
		}
		rows = append(rows, row)
		switch s.Status {
		case result.SegmentNew:
			events = append(events, fmt.Sprintf("%s is new: no previous segment lies within %s of it.", segLabel(s.ID, s.Name), fmtStat(d.MaxShift)))
		case result.SegmentRetired:
			events = append(events, fmt.Sprintf("%s is retired: no segment of this run lies within %s of it.", segLabel(s.ID, s.Name), fmtStat(d.MaxShift)))
		case result.SegmentEmpty:
			events = append(events, fmt.Sprintf("%s has no customers in this run.", segLabel(s.ID, s.Name)))
		}
	}
	for _, s := range d.Splits {
		events = append(events, fmt.Sprintf("%s (%s of its customers).", d.SplitText(s), shareList(s.Shares)))
	}
	for _, m := range d.Merges {
		events = append(events, fmt.Sprintf("%s (%s of its customers).", d.MergeText(m), shareList(m.Shares)))
	}
	return rows, events
}

// transitionView is the customer transition matrix, each row shaded by its
// shares (nil without transitions).
func transitionView(t *result.Transitions) *TransitionView {
	if t == nil || len(t.Counts) != len(t.PrevIDs) {
		return nil
	}
	tv := &TransitionView{Header: []string{"Before ↓ Now →"},
		Caption: "Customers in both runs, by their segment in the previous run (rows) and in this run (columns); shading is the share of the row."}
	for _, id := range t.IDs {
		tv.Header = append(tv.Header, strconv.Itoa(id))
	}
	for r, id := range t.PrevIDs {
		row := TransitionRow{Label: strconv.Itoa(id)}
		total := 0
		for _, c := range t.Counts[r] {
			total += c
		}
		for c, n := range t.Counts[r] {
			row.Cells = append(row.Cells, TransitionCell{Text: thousands(n), Shade: shade(ratio(n, total)), Diagonal: c < len(t.IDs) && t.IDs[c] == id})
		}
		tv.Rows = append(tv.Rows, row)
	}
	return tv
}

// movementView is the kept segments' centroid movement in original units
// (nil when none was kept).
func movementView(d *result.Drift) *TableView {
	mv := &TableView{Header: append([]string{"Segment"}, d.Features...)}
	for _, s := range d.Segments {
		if s.CentroidChange == nil {
			continue
		}
		row := []string{segLabel(s.ID, s.Name)}
		for _, x := range s.CentroidChange {
			row = append(row, signedStat(x))
		}
		mv.Rows = append(mv.Rows, row)
	}
	if len(mv.Rows) == 0 {
		return nil
	}
	return mv
}

func countCurrent(d *result.Drift) int {
	n := 0
	for _, s := range d.Segments {
		if s.Status != result.SegmentRetired && s.Status != result.SegmentEmpty {
			n++
		}
	}
	return n
}

func segLabel(id int, name string) string {
	if name != "" {
		return fmt.Sprintf("%d · %s", id, name)
	}
	return fmt.Sprintf("Segment %d", id)
}

func pctText(v float64) string {
	if math.IsNaN(v) {
		return Dash
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

func sizeShare(n int, share float64) string {
	if math.IsNaN(share) {
		return thousands(n)
	}
	return thousands(n) + " (" + pctText(share) + ")"
}

func pointsText(v float64) string {
	if math.IsNaN(v) {
		return Dash
	}
	s := strconv.FormatFloat(100*v, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	if !strings.HasPrefix(s, "-") && s != "0.0" {
		s = "+" + s
	}
	return s + " pts"
}

func signedStat(v float64) string {
	s := fmtStat(v)
	if v > 0 && s != "0" {
		s = "+" + s
	}
	return s
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

// shade blends white towards the report's blue by f (0…1).
func shade(f float64) string {
	if math.IsNaN(f) || f <= 0 {
		return "#ffffff"
	}
	f = min(f, 1)
	const r, g, b = 0x4c, 0x78, 0xa8
	mix := func(c int) int { return int(math.Round(255 - (255-float64(c))*0.75*f)) }
	return fmt.Sprintf("#%02x%02x%02x", mix(r), mix(g), mix(b))
}
