package cluster_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/cluster"
)

// Four blobs of different sizes (so the size order numbers them 1..4).
var (
	fourCentres = [][3]float64{{0, 0, 0}, {7, 0, 0}, {0, 7, 0}, {7, 7, 7}}
	fourSizes   = []int{500, 450, 400, 350}
)

// TestNightlyStableIDs is the acceptance test: a run on data A, then on A
// with 5% of the rows perturbed and all rows shuffled. The segments keep
// their IDs (each ID's centroid barely moves), the transition matrix is
// nearly diagonal and the adjusted Rand index is at least 0.9.
func TestNightlyStableIDs(t *testing.T) {
	nt := newNightly(t)
	a := population(1, fourCentres, fourSizes, 1)
	r1, log, err := nt.run(csvOf(a), "4", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "does not exist yet (first run?); segments are numbered 1..K and there is no drift report") {
		t.Errorf("no info line for the first night:\n%s", log)
	}
	if r1.State.Drift != nil || fileExists(r1.Dir, "drift.json") {
		t.Error("drift on the first night")
	}
	c1 := r1.State.Clusters
	if !slices.Equal(c1.IDs, []int{1, 2, 3, 4}) || !slices.Equal(c1.Sizes, fourSizes) {
		t.Fatalf("night 1: ids %v sizes %v", c1.IDs, c1.Sizes)
	}

	b := perturb(a, 0.05, 1.5, 2)
	r2 := nt.mustRun(csvOf(b), "4", "")
	c2 := r2.State.Clusters
	if got := slices.Sorted(slices.Values(c2.IDs)); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("night 2 ids %v", c2.IDs)
	}
	for id := 1; id <= 4; id++ {
		p, q := centreOf(c1, id), centreOf(c2, id)
		var ss float64
		for j := range p {
			ss += (p[j] - q[j]) * (p[j] - q[j])
		}
		if d := math.Sqrt(ss); d > 0.2 {
			t.Errorf("segment %d moved %.3f (%v → %v)", id, d, p, q)
		}
	}
	dr := r2.State.Drift
	if dr == nil || dr.Transitions == nil {
		t.Fatalf("no drift: %+v", dr)
	}
	tr := dr.Transitions
	if tr.Shared != len(a) || tr.PrevOnly != 0 || tr.NewOnly != 0 || tr.ARI < 0.9 {
		t.Errorf("transitions: shared %d, left %d, new %d, ARI %v", tr.Shared, tr.PrevOnly, tr.NewOnly, tr.ARI)
	}
	for r, id := range tr.PrevIDs {
		total := 0
		for _, n := range tr.Counts[r] {
			total += n
		}
		if c := slices.Index(tr.IDs, id); c < 0 || float64(tr.Counts[r][c]) < 0.95*float64(total) {
			t.Errorf("segment %d: row %v is not mostly diagonal", id, tr.Counts[r])
		}
	}
	// The ARI is the one of the two assignments files joined by id.
	prev := readAssign(t, r1.Dir)
	next := readAssign(t, r2.Dir)
	var pa, pb []int32
	for id, s := range next {
		pa, pb = append(pa, int32(prev[id])), append(pb, int32(s))
	}
	const tol = 1e-12
	if want := metrics.AdjustedRand(pa, pb); math.Abs(tr.ARI-want) > tol {
		t.Errorf("ARI %v, recomputed %v", tr.ARI, want)
	}
	for _, s := range dr.Segments {
		if s.Status != result.SegmentKept || s.Shift > 0.2 || len(s.CentroidChange) != 3 {
			t.Errorf("segment %+v", s)
		}
	}
	if len(dr.Splits) != 0 || len(dr.Merges) != 0 || len(dr.Failed) != 0 || len(dr.PSI) != 3 {
		t.Errorf("splits %v merges %v failed %v psi %v", dr.Splits, dr.Merges, dr.Failed, dr.PSI)
	}
	for _, p := range dr.PSI {
		if !(p.PSI >= 0 && p.PSI < 0.01) {
			t.Errorf("PSI %s = %v for 5%% perturbed rows", p.Feature, p.PSI)
		}
	}
	// drift.json and drift.md were written and say the same.
	j := driftJSON(t, r2.Dir)
	if j["transitions"].(map[string]any)["ari"].(float64) != tr.ARI || j["previous"].(map[string]any)["run"] != r1.ID {
		t.Errorf("drift.json: %v", j["transitions"])
	}
	md := string(readFile(t, r2.Dir, "drift.md"))
	for _, want := range []string{"# Drift: " + r2.ID + " against run " + r1.ID, "No drift threshold was crossed.", "## Customer transitions", "## Population stability"} {
		if !strings.Contains(md, want) {
			t.Errorf("drift.md lacks %q:\n%s", want, md)
		}
	}
	if r2.Manifest.PreviousRun != r1.ID {
		t.Errorf("manifest previous_run %q", r2.Manifest.PreviousRun)
	}
}

// TestRelabelIsPureRenumbering: with previous: the fit is the same as
// without (labels, inertia, centroids); only the IDs are a permutation, so
// each customer's segment ID in assignments.csv follows its centroid.
func TestRelabelIsPureRenumbering(t *testing.T) {
	nt := newNightly(t)
	a := population(3, fourCentres, fourSizes, 1)
	r1 := nt.mustRun(csvOf(a), "4", "")
	// Night 2: 300 customers of the largest blob leave, so it becomes the
	// smallest and the size order (the segment index) changes.
	var b []customer
	for _, c := range a {
		if !(c.blob == 0 && c.id < "C0-00300") {
			b = append(b, c)
		}
	}
	b = perturb(b, 0, 0, 4)
	with := nt.mustRun(csvOf(b), "4", "")
	without := mustRun(t, csvOf(b), "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k: 4}\n")
	cw, co := with.State.Clusters, without.State.Clusters
	if !slices.Equal(cw.Labels, co.Labels) || cw.Inertia != co.Inertia || !slices.Equal(cw.Sizes, co.Sizes) ||
		!slices.EqualFunc(cw.CentersScaled, co.CentersScaled, slices.Equal) {
		t.Fatal("the fit with previous: differs from the fit without it")
	}
	if !slices.Equal(co.IDs, []int{1, 2, 3, 4}) || slices.Equal(cw.IDs, co.IDs) {
		t.Fatalf("ids with previous %v, without %v: expected a renumbering", cw.IDs, co.IDs)
	}
	if got := slices.Sorted(slices.Values(cw.IDs)); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("ids %v are not a permutation of 1..4", cw.IDs)
	}
	// Each blob's customers carry the ID they had the night before.
	prev, next := readAssign(t, r1.Dir), readAssign(t, with.Dir)
	for id, s := range next {
		if prev[id] != s {
			t.Fatalf("customer %s: segment %d, was %d", id, s, prev[id])
		}
	}
	// The model's IDs are the same as the result's; inertia unchanged.
	m, err := model.Load(filepath.Join(with.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.IDs, cw.IDs) || m.Inertia != co.Inertia || m.MaxID != 4 {
		t.Errorf("model ids %v inertia %v max_id %d", m.IDs, m.Inertia, m.MaxID)
	}
}

// TestNightlySplit: a segment whose customers split into two groups is
// reported as split (drift.json and drift.md), and drift_fail: {splits:
// true} makes the run exit 3 after publishing it.
func TestNightlySplit(t *testing.T) {
	nt := newNightly(t)
	centres := [][3]float64{{0, 0, 0}, {10, 0, 10}, {0, 10, 10}}
	a := population(5, centres, []int{400, 350, 300}, 1)
	r1 := nt.mustRun(csvOf(a), "3", "")
	blob1 := r1.State.Clusters.IDs[r1.State.Clusters.Labels[slices.IndexFunc(a, func(c customer) bool { return c.blob == 1 })]]
	// Night 2: blob 1's customers move apart into two groups 8 apart in y.
	b := slices.Clone(a)
	for i := range b {
		if b[i].blob == 1 {
			if i%2 == 0 {
				b[i].y -= 4
			} else {
				b[i].y += 4
			}
		}
	}
	res, log, err := nt.run(csvOf(b), "4", "      drift_fail: {splits: true}\n")
	var de *pipeline.VerdictError
	if !errors.As(err, &de) || !slices.Equal(de.Kinds(), []pipeline.VerdictKind{pipeline.VerdictDrift}) {
		t.Fatalf("got %v, want a drift verdict (exit 3)\n%s", err, log)
	}
	dr := res.State.Drift
	if len(dr.Splits) != 1 || dr.Splits[0].ID != blob1 || len(dr.Splits[0].Into) != 2 {
		t.Fatalf("splits %+v (blob 1 was segment %d)", dr.Splits, blob1)
	}
	for _, s := range dr.Splits[0].Shares {
		if s < 0.4 {
			t.Errorf("split shares %v", dr.Splits[0].Shares)
		}
	}
	text := dr.SplitText(dr.Splits[0])
	if !strings.HasPrefix(text, "Segment ") || !strings.Contains(text, " split into ") {
		t.Errorf("split text %q", text)
	}
	// Published, latest moved, and the manifest records the failure.
	if link, _ := os.Readlink(filepath.Join(nt.out, "latest")); link != res.ID {
		t.Errorf("latest → %q, want %s", link, res.ID)
	}
	m, err := pipeline.ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []pipeline.Verdict{{Stage: "cluster", Kind: pipeline.VerdictDrift, Reasons: []string{text + " (drift_fail.splits)"}}}
	if !slices.Equal(m.DriftFailed, want[0].Reasons) || len(m.Verdicts) != 1 || !reflect.DeepEqual(m.Verdicts, want) || m.Status != "succeeded" {
		t.Errorf("manifest: verdicts %+v, drift_failed %q, status %s", m.Verdicts, m.DriftFailed, m.Status)
	}
	md := string(readFile(t, res.Dir, "drift.md"))
	if !strings.Contains(md, "- "+text+" (") || !strings.Contains(md, "crossed 1 drift threshold (exit code 3)") {
		t.Errorf("drift.md does not report the split %q:\n%s", text, md)
	}
	j := driftJSON(t, res.Dir)
	sp := j["splits"].([]any)
	if len(sp) != 1 || int(sp[0].(map[string]any)["id"].(float64)) != blob1 {
		t.Errorf("drift.json splits %v", sp)
	}
	// The two other segments kept their IDs.
	kept := 0
	for _, s := range dr.Segments {
		if s.Status == result.SegmentKept && s.ID != blob1 {
			kept++
		}
	}
	if kept != 2 {
		t.Errorf("segments %+v", dr.Segments)
	}
}

// TestNightlyNewAndRetired: a segment that disappears is retired, one that
// appears gets a fresh ID, and an ID is never given again (max_id), even
// after the model that used it is gone.
func TestNightlyNewAndRetired(t *testing.T) {
	nt := newNightly(t)
	centres := [][3]float64{{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {10, 10, 10}}
	all := population(6, centres, []int{400, 350, 300, 250}, 1)
	pick := func(blobs ...int) []customer {
		var out []customer
		for _, c := range all {
			if slices.Contains(blobs, c.blob) {
				out = append(out, c)
			}
		}
		return out
	}
	r1 := nt.mustRun(csvOf(pick(0, 1, 2)), "3", "")
	if !slices.Equal(r1.State.Clusters.IDs, []int{1, 2, 3}) {
		t.Fatalf("night 1 ids %v", r1.State.Clusters.IDs)
	}
	// Night 2: blob 2 (segment 3) is gone, blob 3 appears.
	r2 := nt.mustRun(csvOf(pick(0, 1, 3)), "3", "")
	dr := r2.State.Drift
	status := map[int]string{}
	for _, s := range dr.Segments {
		status[s.ID] = s.Status
	}
	want := map[int]string{1: "kept", 2: "kept", 3: "retired", 4: "new"}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("night 2: segment %d is %q, want %q (%v)", id, status[id], st, status)
		}
	}
	if s := dr.Segment(3); s.Size != 0 || s.PrevSize != 300 || s.Nearest == 0 || !(s.NearestShift > dr.MaxShift) {
		t.Errorf("retired segment %+v", s)
	}
	if tr := dr.Transitions; tr.PrevOnly != 300 || tr.NewOnly != 250 || tr.Shared != 750 {
		t.Errorf("transitions %+v", tr)
	}
	// Night 3: blob 2 is back, blob 3 gone: the comeback is new again, with
	// an ID above every ID used so far (5, not 3).
	r3 := nt.mustRun(csvOf(pick(0, 1, 2)), "3", "")
	if ids := slices.Sorted(slices.Values(r3.State.Clusters.IDs)); !slices.Equal(ids, []int{1, 2, 5}) {
		t.Errorf("night 3 ids %v, want 1, 2, 5", ids)
	}
	m, _ := model.Load(filepath.Join(r3.Dir, "model.json"))
	if m.MaxID != 5 {
		t.Errorf("max_id %d", m.MaxID)
	}
	// A drift_fail on new or retired segments fails such a night.
	_, _, err := nt.run(csvOf(pick(0, 1, 3)), "3", "      drift_fail: {retired_segments: true, new_segments: true}\n")
	var de *pipeline.VerdictError
	if reasons := verdictReasons(err, &de); len(reasons) != 2 || !strings.Contains(reasons[0], "Segment 5 is retired") || !strings.Contains(reasons[1], "Segment 6 is new") {
		t.Errorf("got %v", err)
	}
}

// TestNightlyFirstNightAndBadPrevious: previous: naming nothing is not an
// error (info line, IDs 1..K); a dangling link warns; a path that exists
// but holds no model, or an unreadable model, is an error.
func TestNightlyFirstNightAndBadPrevious(t *testing.T) {
	data := csvOf(population(7, fourCentres[:2], fourSizes[:2], 1))
	stagesYAML := func(prev string) string {
		return "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k: 2, previous: '" + prev + "'}\n"
	}
	dir := t.TempDir()
	res := mustRun(t, data, stagesYAML(filepath.Join(dir, "nothing", "latest")))
	if !slices.Equal(res.State.Clusters.IDs, []int{1, 2}) || res.State.Drift != nil || len(res.Manifest.Warnings) != 0 {
		t.Errorf("first night: ids %v drift %v warnings %v", res.State.Clusters.IDs, res.State.Drift, res.Manifest.Warnings)
	}
	os.Symlink("gone", filepath.Join(dir, "latest"))
	res = mustRun(t, data, stagesYAML(filepath.Join(dir, "latest")))
	if len(res.Manifest.Warnings) != 1 || !strings.Contains(res.Manifest.Warnings[0].Message, "is a link to gone, which does not exist") {
		t.Errorf("dangling link: warnings %v", res.Manifest.Warnings)
	}

	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"schema_version": 1, "features": []}`), 0o644)
	os.WriteFile(filepath.Join(dir, "v3.json"), []byte(`{"schema_version": 3}`), 0o644)
	for _, tc := range []struct{ prev, want string }{
		{filepath.Join(dir, "empty"), "is a folder without model.json; previous: names a run folder (e.g. ../runs/latest) or a model.json"},
		{filepath.Join(dir, "bad.json"), "bad.json: the model has no features"},
		{filepath.Join(dir, "v3.json"), "v3.json has schema_version 3; this segment reads 1 and 2"},
	} {
		_, err := runJob(t, data, stagesYAML(tc.prev))
		if err == nil || !strings.Contains(err.Error(), "previous: ") || !strings.Contains(err.Error(), tc.want) || !errors.As(err, new(*pipeline.RunFailedError)) {
			t.Errorf("%s: got %v, want %q", tc.prev, err, tc.want)
		}
	}
	// mode: assign cannot do without the model.
	_, err := runJob(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], mode: assign, previous: '"+filepath.Join(dir, "none")+"'}\n")
	if err == nil || !strings.Contains(err.Error(), "mode: assign scores with the previous model, but") || !strings.Contains(err.Error(), "run once with mode: refit first") {
		t.Errorf("assign without model: %v", err)
	}
}

// TestNightlyFeatures: a changed feature list is an error naming the
// difference; a reordered one is matched by name.
func TestNightlyFeatures(t *testing.T) {
	nt := newNightly(t)
	a := population(8, fourCentres, fourSizes, 1)
	r1 := nt.mustRun(csvOf(a), "4", "")
	_, _, err := nt.run(csvOf(a)+"", "4", "", "stages.cluster.features=[x, y]")
	if err == nil || !strings.Contains(err.Error(), `features changed since the previous model (removed "z"); drop previous: or use a new output dir`) {
		t.Errorf("got %v", err)
	}
	r2 := nt.mustRun(csvOf(a), "4", "", "stages.cluster.features=[z, x, y]")
	dr := r2.State.Drift
	for _, s := range dr.Segments {
		if s.Status != result.SegmentKept || s.Shift > 1e-9 {
			t.Errorf("reordered features: %+v", s)
		}
	}
	for id := 1; id <= 4; id++ {
		p, q := centreOf(r1.State.Clusters, id), centreOf(r2.State.Clusters, id)
		if math.Abs(p[0]-q[1]) > 1e-9 || math.Abs(p[2]-q[0]) > 1e-9 {
			t.Errorf("segment %d: %v vs %v (z, x, y)", id, p, q)
		}
	}
	if dr.Transitions.ARI != 1 || !slices.Equal(dr.Features, []string{"z", "x", "y"}) || dr.PSI[0].Feature != "z" || dr.PSI[0].PSI != 0 {
		t.Errorf("ARI %v features %v psi %v", dr.Transitions.ARI, dr.Features, dr.PSI)
	}
}

// TestNightlyAssign: mode: assign on the training data reproduces the
// run's assignments exactly, copies model.json byte for byte, and the next
// refit chains on it.
func TestNightlyAssign(t *testing.T) {
	nt := newNightly(t)
	a := population(9, fourCentres, fourSizes, 1.3)
	data := csvOf(perturb(a, 0, 0, 1))
	r1 := nt.mustRun(data, "auto", "      k_range: [2, 6]\n")
	r2 := nt.mustRun(data, "auto", "      k_range: [2, 6]\n      mode: assign\n")
	for _, f := range []string{"assignments.csv", "model.json"} {
		if b1, b2 := readFile(t, r1.Dir, f), readFile(t, r2.Dir, f); string(b1) != string(b2) {
			t.Errorf("%s differs between the fit and mode: assign", f)
		}
	}
	c1, c2 := r1.State.Clusters, r2.State.Clusters
	if !slices.Equal(c1.Labels, c2.Labels) || !slices.Equal(c1.IDs, c2.IDs) || !slices.Equal(c1.Sizes, c2.Sizes) || c2.SelectMethod == "" ||
		len(c2.Selection) != 1 || c2.Selection[0].K != c1.K || math.Abs(c2.Inertia-c1.Inertia) > 1e-9*c1.Inertia {
		t.Errorf("assign result: k %d ids %v sizes %v inertia %v (fit %v) selection %+v", c2.K, c2.IDs, c2.Sizes, c2.Inertia, c1.Inertia, c2.Selection)
	}
	if fileExists(r2.Dir, "elbow.csv") {
		t.Error("mode: assign wrote an elbow")
	}
	dr := r2.State.Drift
	if dr.Mode != "assign" || dr.Transitions.ARI != 1 || dr.Transitions.Stayed != len(a) {
		t.Errorf("drift mode %s ARI %v", dr.Mode, dr.Transitions.ARI)
	}
	for _, p := range dr.PSI {
		if p.PSI != 0 {
			t.Errorf("PSI %s = %v on the training data", p.Feature, p.PSI)
		}
	}
	for _, s := range dr.Segments {
		if s.Status != result.SegmentKept || s.Shift > 1e-9 || s.ShareChange != 0 {
			t.Errorf("segment %+v", s)
		}
	}
	// New data scored in assign mode: exactly model.Assign's labels.
	b := perturb(a, 0.3, 2, 10)
	r3 := nt.mustRun(csvOf(b), "auto", "      mode: assign\n")
	m, _ := model.Load(filepath.Join(r3.Dir, "model.json"))
	X := slices.Clone(r3.State.Clusters.Original)
	asg, err := m.Assign(X, len(b))
	if err != nil || !slices.Equal(asg.Labels, r3.State.Clusters.Labels) {
		t.Errorf("assign labels differ from model.Assign: %v", err)
	}
	if r3.State.Drift.Transitions.ARI >= 1 {
		t.Errorf("ARI %v after moving 30%% of the rows", r3.State.Drift.Transitions.ARI)
	}
	// A refit after assign nights matches against the same model.
	r4 := nt.mustRun(data, "auto", "      k_range: [2, 6]\n")
	if !slices.Equal(r4.State.Clusters.IDs, c1.IDs) || !slices.Equal(r4.State.Clusters.Labels, c1.Labels) {
		t.Errorf("refit after assign: ids %v", r4.State.Clusters.IDs)
	}
	// The frozen model's scaling must not be contradicted by the config.
	_, _, err = nt.run(data, "auto", "      mode: assign\n      scale: minmax\n")
	if err == nil || !strings.Contains(err.Error(), "mode: assign: scale is minmax but the previous model uses standard") {
		t.Errorf("scale mismatch: %v", err)
	}
	_, _, err = nt.run(data, "auto", "      mode: assign\n      weights: {x: 2}\n")
	if err == nil || !strings.Contains(err.Error(), "weights differ from the previous model's (x: 2 in the config, 1 in the model)") {
		t.Errorf("weights mismatch: %v", err)
	}
}

// TestNightlyAssignEmptySegment: in mode: assign a segment of the model
// with no customers tonight is left out of the run's segments (profile and
// report work on the others) and reported as empty.
func TestNightlyAssignEmptySegment(t *testing.T) {
	nt := newNightly(t)
	nt.tail = "  - type: profile\n  - type: report\n"
	a := population(15, fourCentres, fourSizes, 1)
	nt.mustRun(csvOf(a), "4", "")
	var b []customer
	for _, c := range a {
		if c.blob != 1 {
			b = append(b, c)
		}
	}
	res, _, err := nt.run(csvOf(b), "4", "      mode: assign\n      drift_fail: {retired_segments: true}\n")
	var de *pipeline.VerdictError
	if reasons := verdictReasons(err, &de); len(reasons) != 1 || reasons[0] != "Segment 2 has no customers in this run (drift_fail.retired_segments)" {
		t.Fatalf("got %v", err)
	}
	c := res.State.Clusters
	if c.K != 3 || !slices.Equal(c.IDs, []int{1, 3, 4}) || !slices.Equal(c.Sizes, []int{500, 400, 350}) || res.State.Profile == nil {
		t.Errorf("k %d ids %v sizes %v", c.K, c.IDs, c.Sizes)
	}
	if s := res.State.Drift.Segment(2); s.Status != result.SegmentEmpty || s.Size != 0 || s.PrevSize != 450 {
		t.Errorf("segment 2: %+v", s)
	}
	m, _ := model.Load(filepath.Join(res.Dir, "model.json"))
	if m.K != 4 {
		t.Errorf("model.json k = %d, want the frozen model's 4", m.K)
	}
	html := string(readFile(t, res.Dir, "report.html"))
	if !strings.Contains(html, `<section id="drift">`) || !strings.Contains(html, "Segment 2 has no customers in this run.") {
		t.Error("report.html lacks the drift section")
	}
}

// TestNightlyWarmStart: restart 0 starts from the previous centroids; on
// the same data with n_init: 1 that is the previous solution, reached at
// once.
func TestNightlyWarmStart(t *testing.T) {
	const tol = 1e-9
	nt := newNightly(t)
	a := population(12, fourCentres, fourSizes, 1.5)
	r1 := nt.mustRun(csvOf(a), "4", "")
	r2 := nt.mustRun(csvOf(perturb(a, 0, 0, 3)), "4", "      warm_start: true\n      n_init: 1\n      seed: 99\n")
	c1, c2 := r1.State.Clusters, r2.State.Clusters
	for id := 1; id <= 4; id++ {
		p, q := centreOf(c1, id), centreOf(c2, id)
		for j := range p {
			if math.Abs(p[j]-q[j]) > tol {
				t.Errorf("segment %d feature %d: %v, was %v", id, j, q[j], p[j])
			}
		}
	}
	if c2.Iterations > 2 || math.Abs(c2.Inertia-c1.Inertia) > tol*c1.Inertia {
		t.Errorf("warm start: %d iterations, inertia %v (was %v)", c2.Iterations, c2.Inertia, c1.Inertia)
	}
	// With a different k the warm start cannot apply: a warning.
	r3 := nt.mustRun(csvOf(a), "3", "      warm_start: true\n")
	if len(r3.Manifest.Warnings) != 1 || !strings.Contains(r3.Manifest.Warnings[0].Message, "warm_start: the previous model has k = 4, which this run does not fit") {
		t.Errorf("warnings %v", r3.Manifest.Warnings)
	}
}

// TestNightlyNames: names travel with matched segments; names: pins win
// and a carried name they reuse elsewhere is dropped with a warning.
func TestNightlyNames(t *testing.T) {
	nt := newNightly(t)
	a := population(13, fourCentres, fourSizes, 1)
	data := csvOf(a)
	nt.mustRun(data, "4", "      names: {1: Core, 3: Corner}\n")
	r2 := nt.mustRun(csvOf(perturb(a, 0, 0, 5)), "4", "")
	c := r2.State.Clusters
	if c.Names[slices.Index(c.IDs, 1)] != "Core" || c.Names[slices.Index(c.IDs, 3)] != "Corner" {
		t.Errorf("names not carried: ids %v names %q", c.IDs, c.Names)
	}
	r3 := nt.mustRun(data, "4", "      names: {2: Core}\n")
	c = r3.State.Clusters
	if c.Names[slices.Index(c.IDs, 2)] != "Core" || c.Names[slices.Index(c.IDs, 1)] != "" || c.Names[slices.Index(c.IDs, 3)] != "Corner" {
		t.Errorf("pinned names: ids %v names %q", c.IDs, c.Names)
	}
	if len(r3.Manifest.Warnings) != 1 || r3.Manifest.Warnings[0].Message != `names: segment 1 was called "Core", which names: now gives segment 2; segment 1 is left unnamed` {
		t.Errorf("warnings %v", r3.Manifest.Warnings)
	}
	m, _ := model.Load(filepath.Join(r3.Dir, "model.json"))
	if !slices.Equal(m.Names, c.Names) {
		t.Errorf("model names %q", m.Names)
	}
	// With previous: a pinned ID beyond k is allowed in the config, and
	// unused IDs are reported against the actual IDs.
	r4 := nt.mustRun(data, "4", "      names: {9: Nine}\n")
	if len(r4.Manifest.Warnings) != 1 || r4.Manifest.Warnings[0].Message != `names: there is no segment 9 (segments are 1, 2, 3, 4); the name "Nine" is not used` {
		t.Errorf("warnings %v", r4.Manifest.Warnings)
	}
}

// TestNightlyRetention: keep_last prunes old runs but never the run
// previous: points at (here pinned to the first night's folder).
func TestNightlyRetention(t *testing.T) {
	nt := newNightly(t)
	data := csvOf(population(14, fourCentres[:2], fourSizes[:2], 1))
	r1 := nt.mustRun(data, "2", "")
	pin := "stages.cluster.previous=" + r1.Dir
	var last *pipeline.RunResult
	for range 3 {
		last = nt.mustRun(data, "2", "", pin, "output.retention.keep_last=1")
		if last.State.Drift == nil || last.State.Drift.Previous.Run != r1.ID {
			t.Fatalf("compared with %+v", last.State.Drift)
		}
		if rs := last.Manifest.Stages[1].Resolved; rs == nil || !slices.Equal(rs.Runs, []string{r1.Dir}) {
			t.Fatalf("manifest: cluster resolved %+v, want the run %s", rs, r1.Dir)
		}
	}
	runs, _ := filepath.Glob(filepath.Join(nt.out, "2026*"))
	want := []string{r1.Dir, last.Dir}
	if !slices.Equal(runs, want) {
		t.Errorf("runs left %v, want %v", runs, want)
	}
	// Pointing at latest protects the run compared with, resolved at run
	// time, not the link.
	r5 := nt.mustRun(data, "2", "", "output.retention.keep_last=1")
	runs, _ = filepath.Glob(filepath.Join(nt.out, "2026*"))
	if !slices.Contains(runs, last.Dir) || !slices.Contains(runs, r5.Dir) || slices.Contains(runs, r1.Dir) {
		t.Errorf("runs left %v (compared with %s)", runs, last.ID)
	}
}

// TestNightlyConfigErrors: the nightly keys are checked when the config
// is loaded.
func TestNightlyConfigErrors(t *testing.T) {
	data := "cid,a,b\nA,1,2\n"
	for _, tc := range []struct{ cfg, want string }{
		{"{features: [a], mode: nightly}", `mode: unknown mode "nightly" (want refit or assign)`},
		{"{features: [a], mode: assign}", "mode: mode: assign scores the rows with the previous model; set previous: to its run folder (e.g. ../runs/latest) or model.json"},
		{"{features: [a], warm_start: true}", "warm_start: warm_start starts k-means from the previous centroids; set previous: too"},
		{"{features: [a], warm_start: true, engine: muesli, previous: x}", "warm_start: engine: muesli cannot be warm-started; use engine: native"},
		{"{features: [a], previous: x, max_shift: 0}", "max_shift: must be a finite distance above 0, got 0"},
		{"{features: [a], previous: x, split_share: 0.6}", "split_share: must be above 0 and at most 0.5 (two segments each receiving it), got 0.6"},
		{"{features: [a], drift_fail: {splits: true}}", "drift_fail: drift thresholds compare with the previous model; set previous: too"},
		{"{features: [a], previous: x, drift_fail: {ari_below: 1.5}}", "drift_fail.ari_below: the adjusted Rand index is at most 1; give a value in (-1, 1], e.g. 0.8, got 1.5"},
		{"{features: [a], previous: x, drift_fail: {psi_above: 0}}", "drift_fail.psi_above: must be a finite number above 0, e.g. 0.25, got 0"},
		{"{features: [a], previous: x, drift_fail: {share_shift_above: 5}}", "drift_fail.share_shift_above: is a fraction of customers in (0, 1), e.g. 0.05 for 5 points, got 5"},
		{"{features: [a], previous: x, drift_fail: {psi_over: 1}}", `drift_fail.psi_over: unknown key "psi_over"`},
		{"{features: [a], k: 2, previous: x, names: {7: Seven}}", ""},
		{"{features: [a], previous: x, mode: assign, warm_start: true, engine: muesli}", ""},
	} {
		t.Run(tc.cfg, func(t *testing.T) {
			_, err := job(t, data, "  - type: ingest\n  - type: cluster\n    config: "+tc.cfg+"\n")
			if tc.want == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			var ce confyaml.ConfigErrors
			if !errors.As(err, &ce) || len(ce) != 1 || !strings.Contains(ce[0].Error(), `stage "cluster" (cluster): `+tc.want) {
				t.Errorf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
	// A previous: path resolves against the config's folder.
	cfg, err := job(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [a], previous: runs/latest}\n")
	if err != nil {
		t.Fatal(err)
	}
	p := string(cfg.Stage("cluster").Config.(*cluster.Config).Previous)
	if !strings.HasSuffix(p, filepath.Join("runs", "latest")) || !filepath.IsAbs(p) {
		t.Errorf("previous: %q", p)
	}
}

// readAssign reads assignments.csv as id → segment ID.
func readAssign(t *testing.T, dir string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, line := range strings.Split(strings.TrimSpace(string(readFile(t, dir, "assignments.csv"))), "\n") {
		if i == 0 {
			continue
		}
		id, seg, _ := strings.Cut(line, ",")
		n := 0
		for _, r := range seg {
			n = n*10 + int(r-'0')
		}
		out[id] = n
	}
	return out
}

func fileExists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}
