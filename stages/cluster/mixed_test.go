package cluster_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

// mixedGroups are three customer groups: numeric centres (spend, months)
// and the categories each mostly has (plan, channel).
var mixedGroups = []struct {
	spend, months float64
	plan, channel string
}{{20, 5, "basic", "web"}, {60, 30, "plus", "shop"}, {40, 60, "max", "phone"}}

// mixedTable returns a CSV of perGroup rows per group: numbers around the
// group's centre that overlap between groups, and the group's categories
// with probability 0.85 (else another at random); missing draws one
// channel cell in 50 as missing.
func mixedTable(perGroup int, seed uint64, missing bool) string {
	rng := rand.New(rand.NewPCG(seed, 11))
	plans := []string{"basic", "plus", "max"}
	channels := []string{"web", "shop", "phone"}
	var sb strings.Builder
	sb.WriteString("cid,spend,months,plan,channel,group\n")
	id := 0
	for g, gr := range mixedGroups {
		for range perGroup {
			id++
			plan, ch := gr.plan, gr.channel
			if rng.Float64() > 0.85 {
				plan = plans[rng.IntN(3)]
			}
			if rng.Float64() > 0.85 {
				ch = channels[rng.IntN(3)]
			}
			if missing && rng.IntN(50) == 0 {
				ch = ""
			}
			fmt.Fprintf(&sb, "C%04d,%.2f,%.1f,%s,%s,%d\n", id, gr.spend+12*rng.NormFloat64(), math.Max(0, gr.months+12*rng.NormFloat64()), plan, ch, g)
		}
	}
	return sb.String()
}

const mixedStages = `  - type: ingest
  - type: cluster
    config:
      features: [spend, months]
      categorical_features: [plan, channel]
      k_range: [2, 5]
      n_init: 4
      stability: {bootstraps: 10}
  - type: profile
    config: {plots: []}
  - type: report
`

// TestMixedSegments: categorical_features select k-prototypes; the three
// groups are found (each segment's modes are a group's categories), the
// model is schema 3 with the categories and modes, segment predict's
// scoring (model.Codes + ScoreMixed) gives every row the run's segment,
// the profile shows the modes and shares, stability is reported, and two
// runs on GOMAXPROCS 2 and 1 write the same bytes.
func TestMixedSegments(t *testing.T) {
	data := mixedTable(120, 3, false)
	files := []string{"assignments.csv", "model.json", "elbow.csv", "profile.csv", "profile.json"}
	var ref [][]byte
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var res *pipeline.RunResult
	for i, procs := range []int{2, 1} {
		runtime.GOMAXPROCS(procs)
		res = mustRun(t, data, mixedStages)
		for j, f := range files {
			b := readFile(t, res.Dir, f)
			if i == 0 {
				ref = append(ref, b)
			} else if !bytes.Equal(b, ref[j]) {
				t.Errorf("GOMAXPROCS %d: %s differs", procs, f)
			}
		}
	}
	cl := res.State.Clusters
	if cl.K != 3 || cl.Engine != "kprototypes" || cl.Gamma != 0.5000000000000001 && math.Abs(cl.Gamma-0.5) > 1e-12 {
		t.Fatalf("k %d engine %s gamma %v", cl.K, cl.Engine, cl.Gamma)
	}
	m, err := model.Load(filepath.Join(res.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.SchemaVersion != 3 || !slices.Equal(m.CategoricalFeatures, []string{"plan", "channel"}) ||
		!slices.Equal(m.Categories[0], []string{"basic", "max", "plus"}) || m.CategoricalMissing != "error" || m.Init != "cao" {
		t.Errorf("model: schema %d features %v categories %v missing %q init %q", m.SchemaVersion, m.CategoricalFeatures, m.Categories, m.CategoricalMissing, m.Init)
	}
	var got []string
	for _, modes := range m.Modes {
		got = append(got, *modes[0]+"/"+*modes[1])
	}
	slices.Sort(got)
	if want := []string{"basic/web", "max/phone", "plus/shop"}; !slices.Equal(got, want) {
		t.Errorf("modes %v, want %v", got, want)
	}
	// predict's scoring on the training rows reproduces the labels
	tb := res.State.Table
	X, probs, err := m.Matrix(tb)
	if err != nil || len(probs) > 0 {
		t.Fatal(err, probs)
	}
	cat, unseen, probs, err := m.Codes(tb, false)
	if err != nil || len(probs) > 0 || len(unseen) > 0 {
		t.Fatal(err, probs, unseen)
	}
	sc, err := m.ScoreMixed(X, cat, tb.NumRows(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sc.Labels, cl.Labels) {
		t.Error("ScoreMixed labels differ from the run's")
	}
	for i := range sc.Labels {
		if sc.Distance[i] > sc.SecondDistance[i] || sc.Distance[i] != sc.All[i*3+int(sc.Labels[i])] {
			t.Fatalf("row %d: distance %v second %v", i, sc.Distance[i], sc.SecondDistance[i])
		}
	}
	// purity: each segment is mostly one group
	group := tb.Col("group")
	for s := range cl.K {
		count := map[string]int{}
		for i, l := range cl.Labels {
			if int(l) == s {
				count[group.Format(i)]++
			}
		}
		best := 0
		for _, c := range count {
			best = max(best, c)
		}
		if float64(best) < 0.9*float64(cl.Sizes[s]) {
			t.Errorf("segment %d mixes groups: %v", s, count)
		}
	}
	if st := cl.Stability; st == nil || st.Bootstraps != 10 || st.MeanARI < 0.9 {
		t.Errorf("stability %+v", st)
	} else {
		for _, ss := range st.Segments {
			if ss.MeanJaccard < 0.9 || ss.Unstable {
				t.Errorf("segment %d: mean Jaccard %v", ss.ID, ss.MeanJaccard)
			}
		}
	}
	p := res.State.Profile
	if len(p.Categorical) != 2 || !p.Categorical[0].Feature || len(p.Categorical[0].Modes) != 3 {
		t.Fatalf("profile categorical %+v", p.Categorical)
	}
	for s := range cl.K {
		if p.Categorical[0].Modes[s] != *m.Modes[s][0] || p.Segments[s].Stability == nil {
			t.Errorf("segment %d: profile mode %q, model %q", s, p.Categorical[0].Modes[s], *m.Modes[s][0])
		}
	}
	elbow := string(ref[2])
	if !strings.HasPrefix(elbow, "k,inertia,silhouette,ch,db,separation,chosen,picked_by\n2,") || !strings.Contains(elbow, ",,,,") {
		t.Errorf("elbow.csv:\n%s", elbow)
	}
	report := string(readFile(t, res.Dir, "report.md"))
	for _, want := range []string{"| Stability |", "Prototype (mode)", "plan (clustering feature)", "Categorical features", "Silhouette (mixed distance)"} {
		if !strings.Contains(report, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if !strings.Contains(string(ref[3]), "plan mode") || !strings.Contains(string(ref[3]), "stability_jaccard") {
		t.Errorf("profile.csv header: %s", strings.SplitN(string(ref[3]), "\n", 2)[0])
	}
}

// TestMixedMissing: a missing category is an error naming the column and
// count, or with categorical_missing: category a category of its own.
func TestMixedMissing(t *testing.T) {
	data := mixedTable(60, 5, true)
	st := "  - type: ingest\n  - type: cluster\n    config: {features: [spend, months], categorical_features: [plan, channel], k: 3, n_init: 2}\n"
	_, err := runJob(t, data, st)
	if err == nil || !strings.Contains(err.Error(), `categorical feature "channel" has`) || !strings.Contains(err.Error(), "categorical_missing: category") {
		t.Errorf("got %v", err)
	}
	res := mustRun(t, data, st, "stages.cluster.config.categorical_missing=category")
	m, err := model.Load(filepath.Join(res.Dir, "model.json"))
	if err != nil || m.CategoricalMissing != "category" {
		t.Fatalf("%v %q", err, m.CategoricalMissing)
	}
	cat, _, probs, err := m.Codes(res.State.Table, false)
	if err != nil || len(probs) != 0 || !slices.Contains(cat[1], -1) {
		t.Errorf("missing as a category: %v %v", err, probs)
	}
}

// TestMixedConfigErrors: the k-prototypes keys are checked before a row
// is read.
func TestMixedConfigErrors(t *testing.T) {
	data := "cid,a,b,c\nA,1,x,y\n"
	for _, tc := range []struct{ cfg, want string }{
		{"{features: [a], engine: kprototypes}", "list the categorical columns in categorical_features"},
		{"{features: [a], categorical_features: [b], engine: muesli}", "categorical_features need engine: kprototypes"},
		{"{features: [a], categorical_features: [a]}", `column "a" is listed twice`},
		{"{features: [a], categorical_features: [b], gamma: 0}", "gamma: must be a finite number above 0"},
		{"{features: [a], categorical_features: [b], init: random}", `unknown init "random"`},
		{"{features: [a], categorical_features: [b], categorical_missing: drop}", `unknown value "drop"`},
		{"{features: [a], categorical_features: [b], select: calinski_harabasz}", "uses Euclidean cluster means"},
		{"{features: [a], categorical_features: [b], select: gap}", "select: gap compares k-means"},
		{"{features: [a], categorical_features: [zz]}", `unknown column "zz"`},
		{"{features: [a], stability_fail: {jaccard_below: 0.5}}", "set stability: {bootstraps: 50} too"},
		{"{features: [a], stability: {bootstraps: 1}}", "stability.bootstraps: must be at least 2"},
		{"{features: [a], stability: {threshold: 2}}", "stability.threshold: is a Jaccard similarity in (0, 1]"},
		{"{features: [a], k: 3, select: gap}", "select: gap chooses k with k: auto"},
		{"{features: [a], gap: {reference: ball}}", `unknown reference "ball"`},
	} {
		cfg, err := job(t, data, "  - type: ingest\n  - type: cluster\n    config: "+tc.cfg+"\n")
		if err == nil {
			err = pipeline.CheckColumns(cfg)
		}
		var ce confyaml.ConfigErrors
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

// TestMixedStableIDs: a refit with another seed, numbered after the first
// model (previous:), gives each segment the ID of the previous segment
// with the same modes and centre (matching on the mixed distance), and the
// drift report runs.
func TestMixedStableIDs(t *testing.T) {
	data := mixedTable(100, 7, false)
	st := "  - type: ingest\n  - type: cluster\n    config: {features: [spend, months], categorical_features: [plan, channel], k: 3, n_init: 3, seed: %d%s}\n"
	first := mustRun(t, data, fmt.Sprintf(st, 1, ""))
	second := mustRun(t, data, fmt.Sprintf(st, 99, ", previous: "+first.Dir))
	a, b := first.State.Clusters, second.State.Clusters
	modes := func(c []int32, cats [][]string) string { return cats[0][c[0]] + "/" + cats[1][c[1]] }
	for s := range b.K {
		at := slices.Index(a.IDs, b.IDs[s])
		if at < 0 {
			t.Fatalf("segment %d got a new ID %d", s, b.IDs[s])
		}
		if modes(a.Modes[at], a.Categories) != modes(b.Modes[s], b.Categories) {
			t.Errorf("ID %d: modes %s, previously %s", b.IDs[s], modes(b.Modes[s], b.Categories), modes(a.Modes[at], a.Categories))
		}
	}
	if d := second.State.Drift; d == nil || d.Transitions == nil || d.Transitions.ARI < 0.9 {
		t.Errorf("drift %+v", d)
	}
	var cats []string
	for _, p := range second.State.Drift.PSI {
		if p.Feature == "plan" || p.Feature == "channel" {
			cats = append(cats, p.Feature)
			if p.PSI != 0 {
				t.Errorf("PSI of %s = %v on the same rows (refit, categories matched by text)", p.Feature, p.PSI)
			}
		}
	}
	if !slices.Equal(cats, []string{"plan", "channel"}) {
		t.Errorf("categorical PSI for %v, want plan and channel", cats)
	}
}

// TestStabilityFail: stability_fail thresholds fail a published run with
// a stability verdict; a segment below the threshold is flagged.
func TestStabilityFail(t *testing.T) {
	data, _ := blobs(40, 1)
	st := "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k: 6, n_init: 2, stability: {bootstraps: 8, threshold: 0.9}, stability_fail: {jaccard_below: 0.9, ari_below: 0.99}}\n"
	res, err := runJob(t, data, st)
	var ve *pipeline.VerdictError
	if !errors.As(err, &ve) || !slices.Contains(ve.Kinds(), pipeline.VerdictStability) {
		t.Fatalf("got %v", err)
	}
	if res == nil || res.State.Clusters.Stability == nil {
		t.Fatal("no stability")
	}
	unstable := 0
	for _, s := range res.State.Clusters.Stability.Segments {
		if s.Unstable {
			unstable++
		}
	}
	if unstable == 0 || len(ve.Reasons(pipeline.VerdictStability)) == 0 {
		t.Errorf("k = 6 on 3 blobs: %d unstable segments, reasons %v", unstable, ve.Reasons(pipeline.VerdictStability))
	}
	ok := mustRun(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k: 3, n_init: 2, stability: {bootstraps: 8}, stability_fail: {jaccard_below: 0.9}}\n")
	for _, s := range ok.State.Clusters.Stability.Segments {
		if s.MeanJaccard < 0.99 || s.Dissolved != 0 {
			t.Errorf("k = 3 on 3 blobs: segment %d mean Jaccard %v", s.ID, s.MeanJaccard)
		}
	}
}

// TestSelectGap: select: gap picks the three blobs and elbow.csv gets the
// gap and gap_s columns.
func TestSelectGap(t *testing.T) {
	data, _ := blobs(50, 2)
	res := mustRun(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, z], k_range: [1, 5], select: gap, n_init: 3, gap: {references: 10}}\n")
	if res.State.Clusters.K != 3 || res.State.Clusters.Choice.Rule != "gap" {
		t.Errorf("k %d rule %q", res.State.Clusters.K, res.State.Clusters.Choice.Rule)
	}
	elbow := string(readFile(t, res.Dir, "elbow.csv"))
	if !strings.HasPrefix(elbow, "k,inertia,silhouette,ch,db,separation,gap,gap_s,chosen,picked_by\n") || !strings.Contains(elbow, ",true,") {
		t.Errorf("elbow.csv:\n%s", elbow)
	}
	row := elbowRow(t, res.Dir, "3")
	if row["gap"] == "" || parseF(t, row["gap_s"]) <= 0 || !strings.Contains(row["picked_by"], "gap") {
		t.Errorf("k = 3 row %v", row)
	}
}

// TestMixedAssign: mode: assign with a k-prototypes model scores the rows
// frozen, as segment predict does: on the training rows every label, size,
// the cost, the modes, model.json, assignments.csv and the profile are the
// fit's; on new rows the labels are model.Codes + ScoreMixed's, and a
// category never seen in training is a warning with its count. A config
// that contradicts the model's categorical keys is refused naming the key.
func TestMixedAssign(t *testing.T) {
	data := mixedTable(100, 7, true)
	st := "  - type: ingest\n  - type: cluster\n    config: {features: [spend, months], categorical_features: [plan, channel], k: 3, n_init: 3%s}\n  - type: profile\n    config: {plots: []}\n"
	fitRun := mustRun(t, data, fmt.Sprintf(st, ", categorical_missing: category"))
	assign := fmt.Sprintf(st, ", categorical_missing: category, mode: assign, previous: "+fitRun.Dir)
	asg := mustRun(t, data, assign)
	a, b := fitRun.State.Clusters, asg.State.Clusters
	if !slices.Equal(a.Labels, b.Labels) || !slices.Equal(a.IDs, b.IDs) || !slices.Equal(a.Sizes, b.Sizes) || b.Gamma != a.Gamma ||
		math.Abs(b.Inertia-a.Inertia) > 1e-12*a.Inertia || b.SelectMethod == "" {
		t.Fatalf("assign: ids %v sizes %v cost %v gamma %v; fit: ids %v sizes %v cost %v gamma %v", b.IDs, b.Sizes, b.Inertia, b.Gamma, a.IDs, a.Sizes, a.Inertia, a.Gamma)
	}
	for s := range a.K {
		for f := range a.Categorical {
			if a.ModeText(s, f) != b.ModeText(s, f) {
				t.Errorf("segment %d %s: mode %s, fit %s", s, a.Categorical[f], b.ModeText(s, f), a.ModeText(s, f))
			}
		}
	}
	for _, f := range []string{"assignments.csv", "model.json", "profile.json"} {
		if !bytes.Equal(readFile(t, fitRun.Dir, f), readFile(t, asg.Dir, f)) {
			t.Errorf("%s differs between the fit and mode: assign", f)
		}
	}
	if d := asg.State.Drift; d == nil || d.Mode != "assign" || d.Transitions == nil || d.Transitions.ARI != 1 {
		t.Errorf("drift %+v", d)
	}
	psi := func(r *pipeline.RunResult) map[string]float64 {
		out := map[string]float64{}
		for _, p := range r.State.Drift.PSI {
			out[p.Feature] = p.PSI
		}
		return out
	}
	if got := psi(asg); len(got) != 4 || got["plan"] != 0 || got["channel"] != 0 {
		t.Errorf("PSI on the training rows: %v; want 0 for spend, months, plan and channel", got)
	}

	// New rows, with a channel never seen: predict's labels, and a warning.
	fresh := strings.ReplaceAll(mixedTable(60, 8, true), ",web,", ",fax,")
	r3 := mustRun(t, fresh, assign)
	m, err := model.Load(filepath.Join(r3.Dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	codes, unseen, probs, err := m.Codes(r3.State.Table, false)
	if err != nil || len(probs) > 0 || len(unseen) != 1 || unseen[0].Column != "channel" {
		t.Fatalf("codes: %v %v %+v", err, probs, unseen)
	}
	sc, err := m.ScoreMixed(slices.Clone(r3.State.Clusters.Original), codes, r3.State.Table.NumRows(), false)
	if err != nil || !slices.Equal(sc.Labels, r3.State.Clusters.Labels) {
		t.Errorf("assign labels differ from ScoreMixed: %v", err)
	}
	for c, f := range m.CategoricalFeatures {
		want, ok := m.CategoricalPSI(c, codes[c])
		if got := psi(r3)[f]; !ok || math.Abs(got-want) > 1e-12 || f == "channel" && !(got > 0.1) {
			t.Errorf("PSI of %s = %v, want %v", f, got, want)
		}
	}
	want := fmt.Sprintf(`categorical feature "channel": %d rows with categories the model never saw ("fax" (%d))`, unseen[0].Rows, unseen[0].Rows)
	if !slices.ContainsFunc(r3.Manifest.Warnings, func(w pipeline.Warning) bool { return strings.Contains(w.Message, want) }) {
		t.Errorf("warnings %q lack %q", r3.Manifest.Warnings, want)
	}

	// Missing categories against a model fitted with categorical_missing: error
	// (the default).
	strict := mustRun(t, mixedTable(30, 9, false), fmt.Sprintf(st, ""))
	strictAssign := fmt.Sprintf(st, ", mode: assign, previous: "+strict.Dir)
	for _, tc := range []struct{ data, stages, want string }{
		{data, strings.Replace(assign, "categorical_features: [plan, channel], ", "", 1), `mode: assign: the previous model is k-prototypes with categorical features ["plan", "channel"]; list them in categorical_features`},
		{data, strings.Replace(assign, "k: 3", "k: 3, gamma: 7", 1), `mode: assign: gamma is 7 but the previous model uses`},
		{data, strings.Replace(assign, "categorical_missing: category", "categorical_missing: error", 1), `mode: assign: categorical_missing is error but the previous model was fitted with category`},
		{data, strings.Replace(assign, "[plan, channel]", "[plan]", 1), `mode: assign: categorical features: `},
	} {
		_, err := runJob(t, tc.data, tc.stages)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	_, err = runJob(t, data, strictAssign)
	if err == nil || !regexp.MustCompile(`rows? cannot be scored: row \d+ \(cid C\d{4}\), column "channel": missing category`).MatchString(err.Error()) {
		t.Errorf("missing category under error: %v", err)
	}
}
