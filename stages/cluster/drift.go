package cluster

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
)

// driftInput is what the comparison with the previous model needs.
type driftInput struct {
	mode       string
	prev       *previous
	order      []int // new feature j → the previous model's column
	res        *result.Clusters
	toPrev     []int       // new segment index → previous index or -1
	dist       [][]float64 // new × previous centroid distances in the matching space
	matchSpace string
	maxShift   float64
	splitShare float64
	fail       DriftFail
	idCol      *frame.Column // this run's id column (nil when none)
	stream     *streamDrift  // a streamed run's counts (nil in memory)
}

// streamDrift is what a streamed run (execution.mode: stream) counted
// for the comparison, where an in-memory run has every row: res.Labels,
// res.Original and the id column are nil then.
type streamDrift struct {
	rows        int64   // the rows clustered
	psiCounts   [][]int // per feature: this run's values over the previous model's edges (nil: none)
	idColumn    string  // input.id ("" when not set)
	assignments string  // this run's assignments.csv, with the final IDs
	tempDir     string  // for the join's partitions ("" = os.TempDir())
}

// computeDrift compares this run with the previous one: segment sizes and
// shares, centroid movement, the customer transition matrix with the
// adjusted Rand index, splits and merges, per-feature PSI, and the
// drift_fail verdict. warnings are worth a manifest warning.
func computeDrift(ctx context.Context, in driftInput) (dr *result.Drift, warnings []string, err error) {
	res, pm := in.res, in.prev.model
	dr = &result.Drift{
		Previous: result.DriftPrevious{
			Run: in.prev.run, Model: in.prev.modelPath, Assignments: in.prev.assignments, K: pm.K,
		},
		Mode: in.mode, Features: slices.Clone(res.Features),
		MatchSpace: in.matchSpace, MaxShift: in.maxShift, SplitShare: in.splitShare,
		Splits: []result.SegmentSplit{}, Merges: []result.SegmentMerge{},
		Notes: []string{}, Failed: []string{},
	}
	if in.stream != nil {
		prevSizes, err := streamPreviousDrift(ctx, in, dr)
		if err != nil {
			return nil, nil, err
		}
		dr.Segments = segmentDrifts(in, prevSizes)
		addStreamPSI(dr, in)
		dr.Failed, warnings = checkDrift(dr, in.fail)
		return dr, warnings, nil
	}
	prevSizes, prevAssign, err := previousSizes(ctx, in.prev, dr)
	if err != nil {
		return nil, nil, err
	}
	dr.Segments = segmentDrifts(in, prevSizes)
	if prevAssign != nil {
		addTransitions(dr, in, prevAssign)
	}
	addPSI(dr, in)
	dr.Failed, warnings = checkDrift(dr, in.fail)
	return dr, warnings, nil
}

// previousSizes counts the previous run's customers per segment ID: from
// its assignments when readable (they are that run's customers, also in
// mode: assign), else the model's training sizes (with a note in dr).
// prevAssign is nil when there are no assignments.
func previousSizes(ctx context.Context, prev *previous, dr *result.Drift) (sizes map[int]int, prevAssign []assignmentRow, err error) {
	sizes = map[int]int{}
	if prev.assignments != "" {
		if prevAssign, err = readAssignments(ctx, prev.assignments); err != nil {
			return nil, nil, err
		}
	}
	if prevAssign != nil {
		for _, r := range prevAssign {
			sizes[r.seg]++
		}
		return sizes, prevAssign, nil
	}
	modelSizes(prev, sizes, dr)
	return sizes, nil, nil
}

// modelSizes puts the previous model's training sizes in sizes (by ID),
// with a note in dr: there are no previous assignments.
func modelSizes(prev *previous, sizes map[int]int, dr *result.Drift) {
	pm := prev.model
	for p, id := range pm.IDs {
		sizes[id] = pm.Sizes[p]
	}
	dr.Notes = append(dr.Notes, "the previous model has no assignments file beside it: previous sizes are the model's training sizes and there is no transition matrix")
}

// assignmentsBatch is the number of rows scanAssignments hands over at a
// time.
const assignmentsBatch = 1 << 16

// scanAssignments reads an assignments file (id or row number, segment
// ID; what names it in errors) in batches: fn gets the ids (as text, exactly as
// written), the segment IDs and the file row (1-based) of the batch's
// first line.
func scanAssignments(ctx context.Context, path, what string, fn func(id *frame.Column, seg []int64, first int64) error) error {
	opt := csvio.Options{Delimiter: ','}
	names, _, err := csvio.ReadHeader(path, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if len(names) != 2 || (names[1] != "segment" && names[1] != "segment_id") {
		return fmt.Errorf("%s %s: expected two columns (id, segment), got %q", what, path, names)
	}
	opt.Types = map[string]frame.Kind{names[0]: frame.String, names[1]: frame.Int}
	r, err := csvio.Open(ctx, path, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer r.Close()
	row := int64(1)
	_, err = r.Scan(ctx, assignmentsBatch, func(b *frame.Table) error {
		segc := b.Col(names[1])
		seg := make([]int64, b.NumRows())
		for i := range seg {
			if segc.IsMissing(i) {
				return fmt.Errorf("%s %s: row %d has no segment", what, path, row+int64(i))
			}
			seg[i] = segc.Int(i)
		}
		if err := fn(b.Col(names[0]), seg, row); err != nil {
			return err
		}
		row += int64(len(seg))
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// segmentDrifts describes every segment ID of either run (the previous
// model, its assignments or this run), by ID: sizes and shares on both
// sides, and whether the segment was kept (with its centroid shift), is
// new or retired (with the nearest centroid on the other side), or is
// empty (mode: assign).
func segmentDrifts(in driftInput, prevSizes map[int]int) []result.SegmentDrift {
	res, pm := in.res, in.prev.model
	prevOrig := permuteRows(pm.CentersOriginal, in.order)
	prevTotal := 0
	for _, v := range prevSizes {
		prevTotal += v
	}
	total := len(res.Labels)
	if in.stream != nil {
		total = int(in.stream.rows)
	}
	prevIndex := map[int]int{}
	for p, id := range pm.IDs {
		prevIndex[id] = p
	}
	matchedPrev := make([]bool, pm.K)
	for _, p := range in.toPrev {
		if p >= 0 {
			matchedPrev[p] = true
		}
	}
	ids := map[int]bool{}
	for _, id := range res.IDs {
		ids[id] = true
	}
	for _, id := range pm.IDs {
		ids[id] = true
	}
	for id := range prevSizes {
		ids[id] = true
	}
	newIndex := map[int]int{}
	for s, id := range res.IDs {
		newIndex[id] = s
	}
	var out []result.SegmentDrift
	for _, id := range sortedSet(ids) {
		sd := result.SegmentDrift{ID: id, Index: -1, Shift: math.NaN(), NearestShift: math.NaN()}
		sd.PrevSize = prevSizes[id]
		sd.PrevShare = ratio(sd.PrevSize, prevTotal)
		s, isNew := newIndex[id]
		p, isPrev := prevIndex[id]
		if isNew {
			sd.Index = s
			sd.Size = res.Sizes[s]
			sd.Name = res.Names[s]
			sd.Centroid = slices.Clone(res.CentersOriginal[s])
		}
		sd.Share = ratio(sd.Size, total)
		sd.ShareChange = sd.Share - sd.PrevShare
		if isPrev {
			sd.PrevCentroid = slices.Clone(prevOrig[p])
			if sd.Name == "" {
				sd.Name = pm.Names[p]
			}
		}
		switch {
		case isNew && in.toPrev[s] >= 0:
			sd.Status = result.SegmentKept
			q := in.toPrev[s]
			sd.Shift = in.dist[s][q]
			sd.CentroidChange = make([]float64, len(sd.Centroid))
			for j := range sd.Centroid {
				sd.CentroidChange[j] = sd.Centroid[j] - prevOrig[q][j]
			}
		case isNew:
			sd.Status = result.SegmentNew
			if q := argmin(in.dist[s]); q >= 0 {
				sd.Nearest, sd.NearestShift = pm.IDs[q], in.dist[s][q]
			}
		case isPrev && !matchedPrev[p] && in.mode == ModeAssign:
			sd.Status = result.SegmentEmpty
		case isPrev && !matchedPrev[p]:
			sd.Status = result.SegmentRetired
			col := make([]float64, len(in.dist))
			for t := range in.dist {
				col[t] = in.dist[t][p]
			}
			if q := argmin(col); q >= 0 {
				sd.Nearest, sd.NearestShift = res.IDs[q], col[q]
			}
		default:
			// an ID only in the previous assignments (not in its model)
			sd.Status = result.SegmentRetired
		}
		out = append(out, sd)
	}
	return out
}

// addTransitions follows the customers in both runs (by id) from their
// previous to their new segment, and detects splits and merges; when that
// cannot be done, a note in dr says why.
func addTransitions(dr *result.Drift, in driftInput, prevAssign []assignmentRow) {
	switch {
	case in.idCol == nil:
		dr.Notes = append(dr.Notes, "input.id is not set: customers cannot be followed from run to run, so there is no transition matrix, adjusted Rand index or split detection")
	case in.prev.model.Input.IDColumn == "":
		dr.Notes = append(dr.Notes, "the previous run had no id column (its assignments are numbered rows): there is no transition matrix, adjusted Rand index or split detection")
	default:
		tr, note := transitions(prevAssign, in.idCol, in.res)
		if note != "" {
			dr.Notes = append(dr.Notes, note)
		}
		dr.Transitions = tr
		if tr != nil {
			dr.Splits, dr.Merges = splitsAndMerges(tr, in.splitShare)
		}
	}
}

// addPSI computes each feature's PSI of this run's rows against the
// previous model's training distribution.
func addPSI(dr *result.Drift, in driftInput) {
	res, pm := in.res, in.prev.model
	if len(pm.Distributions) == 0 {
		dr.Notes = append(dr.Notes, "the previous model stores no training distributions (written by an older segment): no PSI")
		return
	}
	n, d := len(res.Labels), len(res.Features)
	col := make([]float64, n)
	for j, f := range res.Features {
		for i := range n {
			col[i] = res.Original[i*d+j]
		}
		dr.PSI = append(dr.PSI, result.FeaturePSI{Feature: f, PSI: pm.Distributions[in.order[j]].PSI(col)})
	}
	addCategoricalPSI(dr, res, pm)
}

// addStreamPSI is addPSI for a streamed run, from the counts of this
// run's values over the previous model's edges (streamFit.psiCounts).
func addStreamPSI(dr *result.Drift, in driftInput) {
	pm := in.prev.model
	if len(pm.Distributions) == 0 {
		dr.Notes = append(dr.Notes, "the previous model stores no training distributions (written by an older segment): no PSI")
		return
	}
	for j, f := range in.res.Features {
		psi := math.NaN()
		var counts []int
		if j < len(in.stream.psiCounts) {
			counts = in.stream.psiCounts[j]
		}
		total := 0
		for _, c := range counts {
			total += c
		}
		if total > 0 {
			psi = metrics.PSIFromShares(pm.Distributions[in.order[j]].Shares, metrics.Shares(counts))
		}
		dr.PSI = append(dr.PSI, result.FeaturePSI{Feature: f, PSI: psi})
	}
}

// addCategoricalPSI adds the PSI of each categorical feature of a
// k-prototypes run against the previous model's training category shares,
// the run's categories matched to the model's by text (a category the
// model never saw is a bin of its own with expected share 0).
func addCategoricalPSI(dr *result.Drift, res *result.Clusters, pm *model.Model) {
	if len(res.Categorical) == 0 || len(pm.CategoricalFeatures) == 0 {
		return
	}
	if len(pm.CategoryShares) == 0 {
		dr.Notes = append(dr.Notes, "the previous model stores no training category shares (written by an older segment): no PSI for the categorical features")
		return
	}
	for f, name := range res.Categorical {
		j := slices.Index(pm.CategoricalFeatures, name)
		if j < 0 {
			continue
		}
		index := make(map[string]int32, len(pm.Categories[j]))
		for code, v := range pm.Categories[j] {
			index[v] = int32(code)
		}
		unseen := int32(len(pm.Categories[j]))
		codes := make([]int32, len(res.Codes[f]))
		for i, c := range res.Codes[f] {
			switch {
			case c < 0:
				codes[i] = -1
			case int(c) < len(res.Categories[f]):
				code, ok := index[res.Categories[f][c]]
				if !ok {
					code = unseen
				}
				codes[i] = code
			default: // mode: assign: already the model's unseen code
				codes[i] = unseen
			}
		}
		if psi, ok := pm.CategoricalPSI(j, codes); ok {
			dr.PSI = append(dr.PSI, result.FeaturePSI{Feature: name, PSI: psi})
		}
	}
}

// assignmentRow is one line of a previous assignments.csv.
type assignmentRow struct {
	id  string
	seg int
}

// readAssignments reads a previous run's assignments file (id or row
// number, segment ID). The id is read as text, exactly as written.
func readAssignments(ctx context.Context, path string) ([]assignmentRow, error) {
	opt := csvio.Options{Delimiter: ','}
	names, _, err := csvio.ReadHeader(path, opt)
	if err != nil {
		return nil, fmt.Errorf("previous assignments: %w", err)
	}
	if len(names) != 2 || (names[1] != "segment" && names[1] != "segment_id") {
		return nil, fmt.Errorf("previous assignments %s: expected two columns (id, segment), got %q", path, names)
	}
	opt.Types = map[string]frame.Kind{names[0]: frame.String, names[1]: frame.Int}
	r, err := csvio.ReadFile(ctx, path, opt)
	if err != nil {
		return nil, fmt.Errorf("previous assignments: %w", err)
	}
	idc, segc := r.Table.Col(names[0]), r.Table.Col(names[1])
	rows := make([]assignmentRow, r.Table.NumRows())
	for i := range rows {
		if segc.IsMissing(i) {
			return nil, fmt.Errorf("previous assignments %s: row %d has no segment", path, i+1)
		}
		rows[i] = assignmentRow{id: idc.Str(i), seg: int(segc.Int(i))}
	}
	return rows, nil
}

// transitions counts the customers present in both runs by previous and
// new segment ID. It returns a note instead when ids repeat or no customer
// is shared.
func transitions(prev []assignmentRow, idCol *frame.Column, res *result.Clusters) (*result.Transitions, string) {
	before := make(map[string]int, len(prev))
	prevIDSet := map[int]bool{}
	for _, r := range prev {
		if r.id == "" {
			continue
		}
		if _, dup := before[r.id]; dup {
			return nil, fmt.Sprintf("customer id %q appears twice in the previous assignments: no transition matrix", r.id)
		}
		before[r.id] = r.seg
		prevIDSet[r.seg] = true
	}
	prevIDs := sortedSet(prevIDSet)
	newIDs := slices.Sorted(slices.Values(res.IDs))
	rowOf := indexOf(prevIDs)
	colOf := indexOf(newIDs)
	seen := make(map[string]bool, len(res.Labels))
	var a, b []int32
	newOnly := 0
	for i, l := range res.Labels {
		id := idCol.Str(i)
		if id == "" {
			continue
		}
		if seen[id] {
			return nil, fmt.Sprintf("customer id %q appears twice in this run: no transition matrix", id)
		}
		seen[id] = true
		p, ok := before[id]
		if !ok {
			newOnly++
			continue
		}
		a = append(a, int32(rowOf[p]))
		b = append(b, int32(colOf[res.IDs[l]]))
	}
	if len(a) == 0 {
		return nil, "no customer id of this run appears in the previous run: no transition matrix"
	}
	t := &result.Transitions{
		PrevIDs: prevIDs, IDs: newIDs,
		Counts: metrics.TransitionMatrix(a, b, len(prevIDs), len(newIDs)),
		Shared: len(a), PrevOnly: len(before) - len(a), NewOnly: newOnly,
		ARI: math.NaN(),
	}
	for r, p := range prevIDs {
		if c, ok := colOf[p]; ok {
			t.Stayed += t.Counts[r][c]
		}
	}
	if len(a) >= 2 {
		t.ARI = metrics.AdjustedRand(a, b)
	}
	return t, ""
}

// splitsAndMerges applies the split rule to the transition matrix: a
// previous segment is split when at least two new segments each receive at
// least share of its shared customers; a new segment is a merge when at
// least two previous segments each give at least share of its shared
// customers. Receivers (and givers) are listed largest first, ties by ID.
func splitsAndMerges(t *result.Transitions, share float64) ([]result.SegmentSplit, []result.SegmentMerge) {
	splits := []result.SegmentSplit{}
	merges := []result.SegmentMerge{}
	for r, p := range t.PrevIDs {
		row := t.Counts[r]
		ids, shares := bigParts(row, t.IDs, share)
		if len(ids) >= 2 {
			splits = append(splits, result.SegmentSplit{ID: p, Into: ids, Shares: shares})
		}
	}
	for c, id := range t.IDs {
		col := make([]int, len(t.PrevIDs))
		for r := range t.PrevIDs {
			col[r] = t.Counts[r][c]
		}
		ids, shares := bigParts(col, t.PrevIDs, share)
		if len(ids) >= 2 {
			merges = append(merges, result.SegmentMerge{ID: id, From: ids, Shares: shares})
		}
	}
	return splits, merges
}

// bigParts returns the labels of the counts that are at least share of
// their total, largest first (ties by label), with their shares.
func bigParts(counts []int, labels []int, share float64) ([]int, []float64) {
	total := 0
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return nil, nil
	}
	var idx []int
	for i, c := range counts {
		if float64(c) >= share*float64(total) && c > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(x, y int) bool {
		if counts[idx[x]] != counts[idx[y]] {
			return counts[idx[x]] > counts[idx[y]]
		}
		return labels[idx[x]] < labels[idx[y]]
	})
	ids := make([]int, len(idx))
	shares := make([]float64, len(idx))
	for i, j := range idx {
		ids[i], shares[i] = labels[j], float64(counts[j])/float64(total)
	}
	return ids, shares
}

// checkDrift applies the drift_fail thresholds. A threshold that cannot be
// checked (no ARI without ids, no PSI without stored distributions) gives a
// warning instead.
func checkDrift(dr *result.Drift, f DriftFail) (failed, warnings []string) {
	failed = []string{}
	if f.ARIBelow != nil {
		switch {
		case dr.Transitions == nil || math.IsNaN(dr.Transitions.ARI):
			warnings = append(warnings, "drift_fail.ari_below is not checked: the adjusted Rand index could not be computed (see the notes in drift.json)")
		case dr.Transitions.ARI < *f.ARIBelow:
			v, ref := against(dr.Transitions.ARI, *f.ARIBelow, 2)
			failed = append(failed, fmt.Sprintf("adjusted Rand index %s is below %s (drift_fail.ari_below)", v, ref))
		}
	}
	if f.PSIAbove != nil {
		if dr.PSI == nil {
			warnings = append(warnings, "drift_fail.psi_above is not checked: the previous model stores no training distributions")
		}
		for _, p := range dr.PSI {
			if p.PSI > *f.PSIAbove {
				v, ref := against(p.PSI, *f.PSIAbove, 2)
				failed = append(failed, fmt.Sprintf("PSI of %s is %s, above %s (drift_fail.psi_above)", p.Feature, v, ref))
			}
		}
	}
	for _, s := range dr.Segments {
		label := fmt.Sprintf("Segment %d", s.ID)
		if s.Name != "" {
			label += " (" + s.Name + ")"
		}
		if f.ShareShiftAbove != nil && math.Abs(s.ShareChange) > *f.ShareShiftAbove {
			v, ref := against(100*math.Abs(s.ShareChange), 100**f.ShareShiftAbove, 1)
			sign := "+"
			if s.ShareChange < 0 {
				sign = "-"
			}
			failed = append(failed, fmt.Sprintf("%s share moved %s%s points (%.1f%% → %.1f%%), more than %s (drift_fail.share_shift_above)",
				label, sign, v, 100*s.PrevShare, 100*s.Share, ref))
		}
		if f.RetiredSegments && s.Status == result.SegmentRetired {
			failed = append(failed, fmt.Sprintf("%s is retired: no new segment matches it (drift_fail.retired_segments)", label))
		}
		if f.RetiredSegments && s.Status == result.SegmentEmpty {
			failed = append(failed, fmt.Sprintf("%s has no customers in this run (drift_fail.retired_segments)", label))
		}
		if f.NewSegments && s.Status == result.SegmentNew {
			failed = append(failed, fmt.Sprintf("%s is new: it matches no previous segment (drift_fail.new_segments)", label))
		}
	}
	if f.Splits {
		if dr.Transitions == nil {
			warnings = append(warnings, "drift_fail.splits is not checked: there is no transition matrix to find splits in (see the notes in drift.json)")
		}
		for _, sp := range dr.Splits {
			failed = append(failed, dr.SplitText(sp)+" (drift_fail.splits)")
		}
	}
	return failed, warnings
}

func sortedSet(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

func indexOf(ids []int) map[int]int {
	m := make(map[int]int, len(ids))
	for i, id := range ids {
		m[id] = i
	}
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// argmin returns the index of the smallest value (the first on ties), or -1.
func argmin(x []float64) int {
	best := -1
	for i, v := range x {
		if best < 0 || v < x[best] {
			best = i
		}
	}
	return best
}
