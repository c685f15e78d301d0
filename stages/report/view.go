package report

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/version"
	"github.com/churnlab/segment/pipeline"
)

// View is everything the report shows, as display-ready strings and
// numbers. Both the HTML and the Markdown templates render it; a nil
// section pointer means the section is left out.
type View struct {
	Title       string
	Description string
	RunID       string
	Generated   string // "Run 20261123T170300Z-churn" plus the UTC time it names

	// Order lists the sections shown, in the configured order (only those
	// with data); the pointers below hold their content.
	Order []SectionRef

	Overview   *OverviewView
	Segments   *SegmentsView // the profiles section
	Hypotheses *HypothesesView
	// Drift is the hook for the drift section (see drift.go).
	Drift      *DriftView
	KSelection *KView
	Quality    *QualityView
	EDA        *EDAView
	Summary    *SummaryView
	Footer     *FooterView // the reproduce section
}

// SectionRef is one section in the report's order.
type SectionRef struct {
	Name  string // the config's name: overview, profiles, ...
	ID    string // the HTML id: "overview", "k-selection", ...
	Title string
	// Appendix marks the detail sections; FirstAppendix the first of them,
	// before which the Appendix heading (and, in print, a page break) goes.
	Appendix, FirstAppendix bool
}

// sectionTitles are the sections' headings and HTML ids.
var sectionTitles = map[string][2]string{
	SectionOverview:   {"overview", "Segments at a glance"},
	SectionProfiles:   {"segments", "Segment profiles"},
	SectionHypotheses: {"hypotheses", "Hypotheses"},
	SectionDrift:      {"drift", "Drift"},
	SectionKSelection: {"k-selection", "Choosing k"},
	SectionQuality:    {"quality", "Data quality"},
	SectionEDA:        {"eda", "Exploratory analysis"},
	SectionSummary:    {"summary", "Run summary"},
	SectionReproduce:  {"reproduce", "Reproduce this run"},
}

// OverviewView is the first screen: every segment with its name, size,
// share, outcome rate and a description in plain words (no z-scores).
type OverviewView struct {
	Lead       string // "4 segments of 7,043 customers; churn rate 26.5% overall."
	Noun       string
	OutcomeCol string // header of the outcome column ("" when none)
	Rows       []OverviewRow
	Total      *OverviewRow // the All row when there is an outcome
	// Suggested is set when some names were suggested (not pinned): the
	// note under the table says so.
	Suggested bool
	// Cautions are the warnings about the clustering features (dominant
	// one-hot columns, near-duplicates) and the segments that did not
	// survive bootstrap resampling: they change what the segments mean,
	// so they are on the first screen.
	Cautions []string
	// StabilityCol is set when the cluster stage measured the segments'
	// bootstrap stability (each row's Stability).
	StabilityCol bool
}

// OverviewRow is one segment on the first screen.
type OverviewRow struct {
	ID        int
	Name      string // the segment's label
	Suggested bool   // the name was suggested from the description
	Color     string // "#rrggbb"
	Size      string
	Share     string
	Outcome   string
	Words     string // "Long-standing, high-value customers with above-average Monthly Charge"
	// Stability is the mean bootstrap Jaccard ("0.87"), Unstable set when
	// it is below the threshold (shown as "dissolved").
	Stability string
	Unstable  bool
}

// Fact is one labelled value of a key–value table.
type Fact struct {
	Label string
	Value string
	Mono  bool // shown in a monospace font (hashes, paths, commands)
}

// Image is a figure of the run: Path is its file relative to the run
// folder (linked from Markdown), Src its data: URI (embedded in HTML).
type Image struct {
	Title   string
	Caption string
	Path    string
	Src     string // data URI; converted to a safe template.URL when rendered
	Width   int    // pixels (0 when unknown, e.g. SVG)
	Height  int
}

// SummaryView is the run summary.
type SummaryView struct {
	Facts  []Fact
	Stages []string // "ingest", "clean", "eda (eda)", ...
}

// QualityView is the data-quality section.
type QualityView struct {
	Missing   []MissingRow
	MissingOf string // where the missing counts come from
	Excluded  []result.ExcludedColumn
	Alerts    []string
	Warnings  []pipeline.Warning
}

// MissingRow is one column with missing values.
type MissingRow struct {
	Column  string
	Missing string
	Share   string
}

// EDAView is the exploratory-analysis section.
type EDAView struct {
	Heatmaps []Image
	Insights []string
	Legend   []Fact // shortened heatmap label → column
}

// KView is the k-selection section.
type KView struct {
	Facts []Fact
	// Reason says why this k; Disagreement how the indices disagree ("" when
	// they agree); Picks lists each index's pick.
	Reason       string
	Disagreement string
	Picks        []Fact
	Header       []string
	Rows         []KRow
	Images       []Image
}

// KRow is one k of the selection table.
type KRow struct {
	Cells  []string
	Chosen bool
}

// SegmentsView is the profiles section.
type SegmentsView struct {
	Noun string
	// Descriptions are the worded profiles with their z-scores, one per
	// segment.
	Descriptions []SegmentRow
	// Profile is the table of means per column (rows) and segment
	// (columns), with z-scores.
	ProfileHeader []string
	Profile       []ProfileRow
	Categorical   []CategoricalView
	Images        []Image
	SampleNote    string
}

// SegmentRow is one segment's worded profile.
type SegmentRow struct {
	ID          int
	Label       string
	Color       string // "#rrggbb"
	Description string // the distinctive features with z-scores and the phrase
}

// ProfileRow is one profiled column: its overall mean and each segment's
// mean with z-score.
type ProfileRow struct {
	Column  string
	Role    string
	Overall string
	Cells   []ProfileCell
}

// ProfileCell is a segment's mean of a column.
type ProfileCell struct {
	Mean string
	Z    string
	// Tone is "pos", "neg" or "" (|z| below the description threshold),
	// for colouring.
	Tone string
}

// CategoricalView is one categorical column's shares.
type CategoricalView struct {
	Column string
	Header []string // "Level", "Segment <ID>"..., "All"
	Rows   [][]string
}

// HypothesesView is the hypotheses section.
type HypothesesView struct {
	Items []HypothesisView
}

// HypothesisView is one hypothesis check.
type HypothesisView struct {
	Name      string
	Statement string
	Supported bool
	Verdict   string
	Text      string
	Header    []string
	Rows      [][]string
}

// FooterView is the reproducibility footer.
type FooterView struct {
	Facts   []Fact
	Command string
}

// buildInput is what Build needs besides the state.
type buildInput struct {
	cfg    *Config
	run    *pipeline.Config
	runID  string
	dir    string
	images func(paths []string, title, caption string) (Image, bool)
	// execution is how the run held its table (nil outside a run).
	execution *pipeline.Execution
}

// build assembles the view from the state.
func build(in buildInput, st *pipeline.State) *View {
	v := &View{Title: in.cfg.Title, Description: in.run.Description, RunID: in.runID}
	if v.Title == "" {
		v.Title = "Customer segmentation: " + in.run.Name
	}
	v.Generated = "Run " + in.runID
	appendix := false
	for _, name := range in.cfg.order() {
		if !fillSection(v, name, in, st) {
			continue
		}
		t := sectionTitles[name]
		ref := SectionRef{Name: name, ID: t[0], Title: t[1], Appendix: isAppendix(name)}
		if ref.Appendix && !appendix {
			ref.FirstAppendix, appendix = true, true
		}
		v.Order = append(v.Order, ref)
	}
	return v
}

// fillSection builds section name's content into v; false when the run
// has no data for it.
func fillSection(v *View, name string, in buildInput, st *pipeline.State) bool {
	switch name {
	case SectionOverview:
		if st.Profile == nil {
			return false
		}
		v.Overview = buildOverview(st.Profile)
		if st.Clusters != nil {
			for _, c := range st.Clusters.Checks {
				v.Overview.Cautions = append(v.Overview.Cautions, capitalize(c.Text)+".")
			}
		}
	case SectionProfiles:
		if st.Profile == nil {
			return false
		}
		v.Segments = buildSegments(in, st.Profile)
	case SectionHypotheses:
		if st.Profile == nil || len(st.Profile.Hypotheses) == 0 {
			return false
		}
		v.Hypotheses = buildHypotheses(st.Profile)
	case SectionDrift:
		if st.Drift == nil {
			return false
		}
		v.Drift = buildDrift(st.Drift)
	case SectionKSelection:
		if st.Clusters == nil {
			return false
		}
		v.KSelection = buildK(in, st)
	case SectionQuality:
		v.Quality = buildQuality(st)
	case SectionEDA:
		if st.EDA == nil {
			return false
		}
		v.EDA = buildEDA(in, st.EDA)
	case SectionSummary:
		v.Summary = buildSummary(in, st)
	case SectionReproduce:
		f := buildFooter(in, st)
		v.Footer = &f
	default:
		return false
	}
	return true
}

func buildSummary(in buildInput, st *pipeline.State) *SummaryView {
	s := &SummaryView{}
	add := func(label, value string, mono bool) { s.Facts = append(s.Facts, Fact{label, value, mono}) }
	if st.Input != nil && st.Database != nil {
		// execution.mode: database: the rows stayed in the database.
		add("Input", "PostgreSQL "+inputName(st.Input)+" (execution.mode: database: the rows stay in the database)", true)
		add("Rows in the table", thousands(st.Input.Rows), false)
	} else if st.Input != nil {
		if st.Input.Path == "" && st.Input.Description != "" { // a DataFrame from the Go library
			add("Input", st.Input.Description, false)
		} else {
			add("Input file", st.Input.Path, true)
			add("Input size", fmt.Sprintf("%s bytes", thousands(int(st.Input.Bytes))), false)
		}
		add("Rows read", thousands(st.Input.Rows), false)
	}
	if st.Database != nil {
		if n, ok := st.Database.Rows(); ok {
			add("Rows analysed", thousands(n), false)
		}
		cols := thousands(len(st.Database.Columns()))
		if st.Input != nil {
			cols = thousands(st.Input.Columns) + " in the table, " + cols + " after cleaning"
		}
		add("Columns", cols, false)
	}
	if rows, ncols, ok := tableShape(st); ok {
		add("Rows analysed", thousands(rows), false)
		cols := thousands(ncols)
		if st.Input != nil {
			cols = thousands(st.Input.Columns) + " read, " + cols + " after cleaning"
		}
		add("Columns", cols, false)
	}
	if ex := in.execution; ex != nil && ex.Mode == pipeline.ModeStream {
		add("Execution", fmt.Sprintf("streamed in %d passes (bounded memory): model fitted on a sample of %s rows and refined by %d full passes; point plots drawn from the sample. Why: %s", len(ex.Passes), thousands(ex.Sampled), refinePasses(st), ex.Reason), false)
	} else if ex != nil && ex.Mode == pipeline.ModeMemory && ex.Requested == pipeline.ModeAuto {
		add("Execution", "in memory. Why: "+ex.Reason, false)
	}
	if c := st.Clusters; c != nil {
		add("Segments", fmt.Sprintf("%d (k %s) on %s, %s scaling", c.K, kHow(c), strings.Join(c.Features, ", "), c.Scale), false)
	}
	add("Job", in.run.Name, false)
	add("Config", in.run.File, true)
	add("Config hash (effective, sha256)", in.run.EffectiveSHA256(), true)
	add("Seed", fmt.Sprint(in.run.Seed), false)
	add("segment version", version.Get().Report(), false)
	for _, spec := range in.run.Stages {
		label := spec.Name
		if spec.Name != spec.Type {
			label += " (" + spec.Type + ")"
		}
		s.Stages = append(s.Stages, label)
	}
	return s
}

// inputName is a database input's table, or "query".
func inputName(in *result.Input) string {
	if in.Table != "" {
		return "table " + in.Table
	}
	return "query"
}

// tableShape is the final table's rows and columns: the table's, or a
// streamed run's.
func tableShape(st *pipeline.State) (rows, cols int, ok bool) {
	switch {
	case st.Table != nil:
		return st.Table.NumRows(), st.Table.NumCols(), true
	case st.Stream != nil && st.Stream.Rows() >= 0:
		return int(st.Stream.Rows()), len(st.Stream.KnownNames()), true
	}
	return 0, 0, false
}

// refinePasses is the refinement passes of a streamed cluster stage.
func refinePasses(st *pipeline.State) int {
	if st.Clusters != nil && st.Clusters.Stream != nil {
		return st.Clusters.Stream.RefinePasses
	}
	return 0
}

func buildQuality(st *pipeline.State) *QualityView {
	q := &QualityView{Warnings: append([]pipeline.Warning(nil), st.Warnings...)}
	switch {
	case st.EDA != nil:
		q.MissingOf = "the table the eda stage described"
		rows := st.EDA.Rows
		for _, c := range st.EDA.Summary {
			if c.Missing > 0 {
				q.Missing = append(q.Missing, MissingRow{c.Column, thousands(c.Missing), plotkit.Percent(ratio(c.Missing, rows))})
			}
		}
		if st.EDA.Correlation != nil {
			q.Excluded = st.EDA.Correlation.Excluded
		}
		for _, a := range st.EDA.Alerts {
			switch {
			case a.Kind == result.AlertMissing: // the missing-values table says it
			case a.Kind == result.AlertFeatures && st.Clusters != nil: // the cluster stage's warnings say it
			default:
				q.Alerts = append(q.Alerts, a.Text)
			}
		}
	case st.Table != nil:
		q.MissingOf = "the final table"
		rows := st.Table.NumRows()
		for _, c := range st.Table.Columns() {
			if m := c.NumMissing(); m > 0 {
				q.Missing = append(q.Missing, MissingRow{c.Name, thousands(m), plotkit.Percent(ratio(m, rows))})
			}
		}
	case st.Stream != nil && st.Stream.Missing() != nil:
		q.MissingOf = "the final table"
		rows := int(st.Stream.Rows())
		miss := st.Stream.Missing()
		for _, name := range st.Stream.KnownNames() {
			if m := int(miss[name]); m > 0 {
				q.Missing = append(q.Missing, MissingRow{name, thousands(m), plotkit.Percent(ratio(m, rows))})
			}
		}
	}
	return q
}

func buildEDA(in buildInput, e *result.EDA) *EDAView {
	v := &EDAView{}
	title := "Correlation heatmap"
	if e.Correlation != nil {
		title = capitalize(e.Correlation.Method) + " correlation of " + fmt.Sprint(len(e.Correlation.Columns)) + " columns"
	}
	if img, ok := in.images(e.Files.Heatmaps, title, ""); ok {
		v.Heatmaps = append(v.Heatmaps, img)
	}
	for _, ins := range e.Insights {
		v.Insights = append(v.Insights, ins.Text)
	}
	shown := make([]string, 0, len(e.LabelLegend))
	for s := range e.LabelLegend {
		shown = append(shown, s)
	}
	sort.Strings(shown)
	for _, s := range shown {
		v.Legend = append(v.Legend, Fact{Label: s, Value: e.LabelLegend[s]})
	}
	return v
}

func buildK(in buildInput, st *pipeline.State) *KView {
	c := st.Clusters
	v := &KView{}
	add := func(label, value string) { v.Facts = append(v.Facts, Fact{Label: label, Value: value}) }
	add("Features", strings.Join(c.Features, ", "))
	if len(c.Categorical) > 0 {
		add("Categorical features", strings.Join(c.Categorical, ", "))
		add("γ (cost of one categorical mismatch)", fmtFixed(c.Gamma, 3))
	}
	if c.WeightColumn != "" {
		add("Sample weights", c.WeightColumn)
	}
	add("Scaling", c.Scale)
	add("Engine", c.Engine)
	add("k", fmt.Sprintf("%d (%s)", c.K, kHow(c)))
	if ch := c.Choice; ch != nil {
		v.Reason, v.Disagreement = ch.Reason, ch.Disagreement
		for _, idx := range []string{result.IndexSeparation, result.IndexElbow, result.IndexSilhouette, result.IndexCalinskiHarabasz, result.IndexDaviesBouldin, result.IndexGap} {
			if idx == result.IndexGap {
				if p, ok := ch.Picks[idx]; ok {
					v.Picks = append(v.Picks, Fact{Label: "Gap statistic", Value: fmt.Sprintf("k = %d", p)})
				}
				continue
			}
			if len(c.Categorical) > 0 && (idx == result.IndexSeparation || idx == result.IndexCalinskiHarabasz || idx == result.IndexDaviesBouldin) {
				continue // built on Euclidean means: undefined with categorical features
			}
			label := capitalize(kselect.IndexTitle(idx))
			if p, ok := ch.Picks[idx]; ok {
				v.Picks = append(v.Picks, Fact{Label: label, Value: fmt.Sprintf("k = %d", p)})
			} else if idx == result.IndexSeparation {
				v.Picks = append(v.Picks, Fact{Label: label, Value: fmt.Sprintf("no k has every pair of segments %.2f or more apart", ch.MinSeparation)})
			} else if idx == result.IndexElbow {
				v.Picks = append(v.Picks, Fact{Label: label, Value: "no knee in the inertia curve"})
			}
		}
	}
	if len(c.Categorical) > 0 {
		add("Cost (k-prototypes)", fmtStat(c.Inertia))
	} else {
		add("Inertia", fmtStat(c.Inertia))
	}
	if st := c.Stability; st != nil {
		add("Stability", fmt.Sprintf("%d bootstrap refits of %s rows each; ARI with the fit %.3f ± %.3f; segments with a mean Jaccard below %.2f are flagged unstable", st.Bootstraps, thousands(st.Sample), st.MeanARI, st.SDARI, st.Threshold))
	}
	repro := "yes"
	if !c.Reproducible {
		repro = "no (non-deterministic engine)"
	}
	add("Reproducible", repro)
	v.Header = []string{"k", "Inertia", "Silhouette", "Calinski–Harabasz", "Davies–Bouldin", "Separation"}
	if len(c.Categorical) > 0 {
		v.Header[1], v.Header[2] = "Cost", "Silhouette (mixed distance)"
	}
	gap := false
	for _, s := range c.Selection {
		gap = gap || s.GapS > 0
	}
	if gap {
		v.Header = append(v.Header, "Gap ± s")
	}
	v.Header = append(v.Header, "Picked by", "Chosen")
	for _, s := range c.Selection {
		chosen := ""
		if s.Chosen {
			chosen = "✓"
		}
		sil := fmtFixed(s.Silhouette, 3)
		if s.SilhouetteSample > 0 && !math.IsNaN(s.Silhouette) && s.SilhouetteSample < c.NumRows() {
			sil += fmt.Sprintf(" (n = %s)", thousands(s.SilhouetteSample))
		}
		var by []string
		if c.Choice != nil {
			for _, idx := range c.Choice.PickedBy(s.K) {
				by = append(by, kselect.IndexTitle(idx))
			}
		}
		sep := fmtFixed(s.Separation, 2)
		if math.IsInf(s.Separation, 1) {
			sep = "∞"
		}
		cells := []string{fmt.Sprint(s.K), fmtStat(s.Inertia), sil, fmtStat(s.CalinskiHarabasz), fmtFixed(s.DaviesBouldin, 3), sep}
		if gap {
			g := ""
			if s.GapS > 0 {
				g = fmt.Sprintf("%.3f ± %.3f", s.Gap, s.GapS)
			}
			cells = append(cells, g)
		}
		v.Rows = append(v.Rows, KRow{Chosen: s.Chosen, Cells: append(cells, strings.Join(by, ", "), chosen)})
	}
	// The cluster stage's plots: the artifacts of the stage that wrote
	// the model.
	stage := ""
	for _, a := range st.Artifacts {
		if c.ModelFile != "" && a.Path == c.ModelFile {
			stage = a.Stage
		}
	}
	if stage != "" {
		groups := map[string][]string{}
		var order []string
		titles := map[string]string{}
		for _, a := range st.ArtifactsOf(stage) {
			if a.Kind != "plot" {
				continue
			}
			base := strings.TrimSuffix(a.Path, filepath.Ext(a.Path))
			if _, ok := groups[base]; !ok {
				order = append(order, base)
				titles[base] = a.Title
			}
			groups[base] = append(groups[base], a.Path)
		}
		for _, base := range order {
			if img, ok := in.images(groups[base], titles[base], ""); ok {
				v.Images = append(v.Images, img)
			}
		}
	}
	return v
}

// kHow says how k was set: "chosen by select: auto (distinct groups)",
// "chosen by the silhouette", "set on the command line: --set …", "fixed
// in the config".
func kHow(c *result.Clusters) string {
	switch {
	case c.SelectMethod == kselect.Auto && c.Choice != nil:
		words := map[string]string{result.IndexSeparation: "distinct groups", "vote": "vote of the indices", "tie": "no majority among the indices"}
		return "chosen by select: auto (" + words[c.Choice.Rule] + ")"
	case c.SelectMethod != "":
		return "chosen by the " + kselect.IndexTitle(c.SelectMethod)
	case strings.HasPrefix(c.KSetBy, "--set"):
		return "set on the command line: " + c.KSetBy
	case c.KSetBy == "config":
		return "fixed in the config"
	}
	return "fixed"
}

// buildOverview is the first screen: the segments in plain words.
func buildOverview(p *result.Profile) *OverviewView {
	v := &OverviewView{Noun: p.Noun}
	v.Lead = fmt.Sprintf("%d segments of %s %s", len(p.Segments), thousands(p.Rows), p.Noun)
	if p.Outcome != nil {
		v.OutcomeCol = capitalize(p.Outcome.Label)
		v.Lead += fmt.Sprintf("; %s %s overall", p.Outcome.Label, plotkit.Percent(p.Outcome.Overall))
	}
	v.Lead += "."
	for s, sp := range p.Segments {
		row := OverviewRow{ID: sp.ID, Name: sp.Label, Suggested: sp.NameSource == "suggested", Color: sp.Color,
			Size: thousands(sp.Size), Share: plotkit.Percent(sp.Share), Words: capitalize(sp.Phrase)}
		if p.Outcome != nil {
			row.Outcome = plotkit.Percent(p.Outcome.Rates[s])
		}
		if st := sp.Stability; st != nil {
			v.StabilityCol = true
			row.Stability, row.Unstable = fmtFixed(st.MeanJaccard, 2), st.Unstable
			if st.Unstable {
				v.Cautions = append(v.Cautions, fmt.Sprintf("Segment %d is unstable: refitted on bootstrap resamples it is recovered with a mean Jaccard similarity of only %.2f, and it dissolved (Jaccard ≤ 0.5) in %d resamples; treat it as a tentative group.", sp.ID, st.MeanJaccard, st.Dissolved))
			}
		}
		v.Suggested = v.Suggested || row.Suggested
		v.Rows = append(v.Rows, row)
	}
	if p.Outcome != nil {
		v.Total = &OverviewRow{Name: "All", Size: thousands(p.Rows), Share: "100.0%", Outcome: plotkit.Percent(p.Outcome.Overall)}
	}
	return v
}

func buildSegments(in buildInput, p *result.Profile) *SegmentsView {
	v := &SegmentsView{Noun: p.Noun}
	for _, sp := range p.Segments {
		v.Descriptions = append(v.Descriptions, SegmentRow{ID: sp.ID, Label: sp.Label, Color: sp.Color, Description: sp.Description})
	}
	v.ProfileHeader = []string{"Column"}
	for _, sp := range p.Segments {
		v.ProfileHeader = append(v.ProfileHeader, fmt.Sprintf("Segment %d", sp.ID))
	}
	v.ProfileHeader = append(v.ProfileHeader, "All")
	for j, c := range p.Columns {
		row := ProfileRow{Column: c.Name, Role: c.Role, Overall: fmtStat(p.Overall[j].Mean)}
		for _, sp := range p.Segments {
			st := sp.Stats[j]
			cell := ProfileCell{Mean: fmtStat(st.Mean), Z: zText(st.Z)}
			if distinctiveOf(sp, c.Name) {
				cell.Tone = "neg"
				if st.Z > 0 {
					cell.Tone = "pos"
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Profile = append(v.Profile, row)
	}
	for _, cp := range p.Categorical {
		cv := CategoricalView{Column: cp.Column, Header: []string{"Level"}}
		if cp.Feature {
			cv.Column += " (clustering feature)"
		}
		for _, sp := range p.Segments {
			cv.Header = append(cv.Header, fmt.Sprintf("Segment %d", sp.ID))
		}
		cv.Header = append(cv.Header, "All")
		for l, level := range cp.Levels {
			row := []string{level}
			for s := range p.Segments {
				row = append(row, plotkit.Percent(cp.Shares[s][l]))
			}
			row = append(row, plotkit.Percent(cp.Overall[l]))
			cv.Rows = append(cv.Rows, row)
		}
		if cp.Feature {
			row := []string{"Prototype (mode)"}
			row = append(row, cp.Modes...)
			cv.Rows = append(cv.Rows, append(row, ""))
		}
		v.Categorical = append(v.Categorical, cv)
	}
	for _, pl := range p.Files.Plots {
		if img, ok := in.images(pl.Paths, pl.Title, pl.Caption); ok {
			v.Images = append(v.Images, img)
		}
	}
	if p.Sample.Sampled {
		v.SampleNote = fmt.Sprintf("Scatter and PCA plots show a sample of %s of %s %s, stratified by segment (seed %d); every statistic uses all rows.",
			thousands(p.Sample.Drawn), thousands(p.Sample.Rows), p.Noun, p.Sample.Seed)
	}
	return v
}

func distinctiveOf(sp result.SegmentProfile, col string) bool {
	for _, d := range sp.Distinctive {
		if d.Column == col {
			return true
		}
	}
	return false
}

func buildHypotheses(p *result.Profile) *HypothesesView {
	v := &HypothesesView{}
	for _, h := range p.Hypotheses {
		hv := HypothesisView{Name: h.Name, Statement: h.Statement, Supported: h.Supported, Verdict: h.Verdict, Text: h.Text,
			Header: []string{"Segment", "Rows", "Mean of " + h.X, "Mean of " + h.Y, "r within segment"}}
		for _, s := range h.Segments {
			hv.Rows = append(hv.Rows, []string{s.Label, thousands(s.N), fmtStat(s.MeanX), fmtStat(s.MeanY), fmtFixed(s.R, 2)})
		}
		v.Items = append(v.Items, hv)
	}
	return v
}

func buildFooter(in buildInput, st *pipeline.State) FooterView {
	f := FooterView{Command: rerunCommand(in.run)}
	add := func(label, value string, mono bool) { f.Facts = append(f.Facts, Fact{label, value, mono}) }
	add("Run", in.runID, true)
	add("Config file", in.run.File, true)
	add("Config file sha256", in.run.FileSHA256, true)
	add("Effective config sha256", in.run.EffectiveSHA256(), true)
	if len(in.run.Overrides) > 0 {
		add("Overrides", strings.Join(in.run.Overrides, " "), true)
	}
	add("Seed", fmt.Sprint(in.run.Seed), false)
	if st.Input != nil {
		add("Input sha256", st.Input.SHA256, true)
	}
	add("segment", version.Get().Report(), false)
	if st.Clusters != nil {
		r := "yes: the same config, input and seed give the same segments"
		if !st.Clusters.Reproducible {
			r = "no: the clustering engine is not deterministic"
		}
		add("Reproducible", r, false)
	}
	add("Manifest", "manifest.json in the run folder (written after this report)", false)
	return f
}

// rerunCommand is "segment run -c <config> [--set k=v]...", shell-quoted.
func rerunCommand(c *pipeline.Config) string {
	parts := []string{"segment", "run", "-c", shellQuote(c.File)}
	for _, o := range c.Overrides {
		parts = append(parts, "--set", shellQuote(o))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and -_./=:,+@%.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
