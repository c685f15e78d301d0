package cluster

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/featcheck"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the cluster stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "cluster",
		Summary:   "k-means segments (seeded k-means++ with restarts) on scaled features, or k-prototypes with categorical_features; sample weights; k fixed or chosen by elbow/silhouette/CH/DB/gap; bootstrap stability; assignments.csv, model.json, elbow plot; with previous: stable segment IDs, drift.json/drift.md, or mode: assign",
		Needs:     []pipeline.Slot{pipeline.SlotTable},
		Provides:  []pipeline.Slot{pipeline.SlotClusters, pipeline.SlotDrift}, // drift when previous: names a model
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

// Files the stage writes (prefixed "<name>-" when the stage's name is not
// "cluster").
const (
	FileAssignments = "assignments.csv"
	FileModel       = "model.json"
	FileElbowCSV    = "elbow.csv"
	FileElbowPlot   = "elbow" // + ".png" / ".svg"
)

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	switch env.Mode() {
	case pipeline.ModeDatabase:
		return s.runDatabase(ctx, env, st)
	case pipeline.ModeStream:
		return s.runStream(ctx, env, st)
	}
	c := s.cfg
	t := st.Table
	var idCol *frame.Column
	if env.IDColumn != "" {
		idCol = t.Col(env.IDColumn)
	}
	if t.NumRows() == 0 {
		return fmt.Errorf("the table has no rows to cluster")
	}
	prev, err := s.previous(env)
	if err != nil {
		return err
	}
	if c.Mode == ModeAssign {
		return s.runAssign(ctx, env, st, prev, idCol)
	}
	return s.runRefit(ctx, env, st, prev, idCol)
}

// previous loads the model previous: names; nil when none is set or it
// names nothing yet (the first night, said in an info line). In mode:
// assign a missing model is an error.
func (s *stage) previous(env *pipeline.Env) (*previous, error) {
	c := s.cfg
	if c.Previous == "" {
		return nil, nil
	}
	path := string(c.Previous)
	if c.Previous == PreviousLatest {
		if env.PreviousErr != nil {
			// latest-<job> (or an old folder's latest) is not a link to a
			// run: numbering from 1 again would silently break the chain.
			return nil, fmt.Errorf("previous: latest: %w", env.PreviousErr)
		}
		if env.Previous == nil {
			if c.Mode == ModeAssign {
				return nil, fmt.Errorf("mode: assign scores with the previous model, but the output folder has no earlier run yet; run once with mode: refit first, or point previous: at a model.json")
			}
			env.Log.Info("previous: latest: the output folder has no earlier run yet (first run?); segments are numbered 1..K and there is no drift report")
			return nil, nil
		}
		path = env.Previous.Dir
	}
	p, why, dangling, err := loadPrevious(path, env.FileName(FileModel))
	if err != nil {
		return nil, err
	}
	if p == nil {
		if c.Mode == ModeAssign {
			return nil, fmt.Errorf("mode: assign scores with the previous model, but %s; run once with mode: refit first, or point previous: at a model.json", why)
		}
		msg := "previous: " + why + "; segments are numbered 1..K and there is no drift report"
		if dangling {
			env.Warn("%s", msg)
		} else {
			env.Log.Info(msg)
		}
		return nil, nil
	}
	env.UseRun(p.resolved)
	env.Log.Info("previous model", "model", p.modelPath, "previous_run", p.run, "k", p.model.K, "mode", c.Mode)
	if env.Previous != nil && p.run != "" && p.run != env.Previous.ID {
		env.Log.Info("previous: is not the run latest pointed at in this run's output folder", "previous", p.run, "latest", env.Previous.ID)
	}
	return p, nil
}

// runRefit fits a new model; with a previous model its segments are
// matched and renumbered, and the drift is reported.
func (s *stage) runRefit(ctx context.Context, env *pipeline.Env, st *pipeline.State, prev *previous, idCol *frame.Column) error {
	f, err := s.fitTable(ctx, env, st, st.Table, prev, idCol)
	if err != nil {
		return err
	}
	res := f.res
	if err := s.write(env, res, idCol, f.m.Write); err != nil {
		return err
	}
	s.noteFit(env, res, f.seed, f.used)
	st.Clusters = res
	if prev == nil {
		return nil
	}
	c := s.cfg
	return s.drift(ctx, env, st, driftInput{
		mode: ModeRefit, prev: prev, order: f.order, res: res, toPrev: f.mt.toPrev, dist: f.mt.dist,
		matchSpace: matchSpaceText(f.scaler, false, f.cat != nil), maxShift: f.mt.maxShift, splitShare: c.SplitShare, fail: c.DriftFail, idCol: idCol,
	})
}

// fitted is a fit of the stage on a table, with its model.
type fitted struct {
	res    *result.Clusters
	m      *model.Model
	r      *fit
	fin    *final
	scaler *scale.Scaler
	cat    *catData
	X, Z   []float64
	n, d   int
	seed   uint64
	used   string
	order  []int // new feature → previous model column
	mt     matching
}

// fitTable fits the stage on the rows of t — every k asked for, k chosen,
// the kept fit in canonical order, every row labelled as predict labels
// it, stable IDs against prev, stability — and builds the model. Nothing
// is written.
func (s *stage) fitTable(ctx context.Context, env *pipeline.Env, st *pipeline.State, t *frame.Table, prev *previous, idCol *frame.Column) (*fitted, error) {
	c := s.cfg
	n, d := t.NumRows(), len(c.Features)
	X, err := featureMatrix(t, c.Features, env.NearNumeric)
	if err != nil {
		return nil, err
	}
	var cat *catData
	if c.mixed() {
		if cat, err = categoricalCodes(t, c.CategoricalFeatures, c.CategoricalMissing); err != nil {
			return nil, err
		}
	}
	w, err := env.Weights(t)
	if err != nil {
		return nil, err
	}
	if w != nil && c.engine() == EngineMuesli {
		return nil, fmt.Errorf("engine: muesli cannot weigh rows (input.weight_column %q); use engine: native", env.WeightColumn)
	}
	ks := c.ks()
	if err := c.checkRows(ks, positive(n, w)); err != nil {
		return nil, err
	}
	if err := checkConstant(X, n, d, c.Features); err != nil {
		return nil, err
	}
	var order []int // new feature → previous model column
	if prev != nil {
		if order, err = featureOrder(prev.model.Features, c.Features); err != nil {
			return nil, err
		}
		if _, err := featureOrder(prev.model.CategoricalFeatures, c.CategoricalFeatures); err != nil {
			return nil, fmt.Errorf("categorical features: %w", err)
		}
	}
	scaler, err := scale.FitWeighted(c.Scale, X, n, d, c.Features, c.weights(), w)
	if err != nil {
		return nil, describeScaleError(err, idCol)
	}
	Z, err := scaler.Transform(X, n)
	if err != nil {
		return nil, describeScaleError(err, idCol)
	}
	checks := featcheck.Check(X, Z, n, d, c.Features, featcheck.Options{Scale: c.Scale})
	for _, fc := range checks {
		env.Warn("%s", fc.Text)
	}
	var prevMatch [][]float64 // previous centroids in the matching space
	if prev != nil {
		if prevMatch, err = toMatchSpace(scaler, permuteRows(prev.model.CentersOriginal, order)); err != nil {
			return nil, fmt.Errorf("previous model's centroids: %w", err)
		}
	}

	seed := c.seed(env.Seed)
	fits, scores, err := s.fitKs(ctx, env, Z, n, d, ks, seed, prev, prevMatch, w, cat)
	if err != nil {
		return nil, err
	}
	if c.K.Auto && c.Select == SelectGap {
		if err := s.addGap(ctx, env, Z, n, d, ks, seed, w, scores); err != nil {
			return nil, err
		}
	}
	k, used, choice, err := s.chooseK(env, scores)
	if err != nil {
		return nil, err
	}
	r := fits[k]
	if !r.Reproducible {
		env.NotReproducible("engine: muesli draws from math/rand's global source, which cannot be seeded; use engine: native for reproducible segments")
	}
	var fin *final
	if cat != nil {
		fin, err = finalizeMixed(r, Z, X, n, d, cat, w)
	} else {
		fin, err = finalize(r.km, Z, X, n, d, w)
	}
	if err != nil {
		return nil, err
	}
	res := &result.Clusters{
		Features: slices.Clone(c.Features), Scale: c.Scale, Engine: c.engine(), K: k,
		Labels: fin.labels, IDs: make([]int, k), Names: make([]string, k), Sizes: fin.sizes,
		CentersScaled: fin.centersScaled, CentersOriginal: fin.centersOriginal,
		Scaled: Z, Original: X,
		Inertia: fin.inertia, Iterations: r.Iterations,
		Selection: scores, SelectMethod: used, Choice: choice,
		Reproducible: r.Reproducible, Checks: checks,
		Weights: w, WeightColumn: env.WeightColumn, SegmentWeights: fin.weights,
	}
	if cat != nil {
		cat.setOn(res, fin.gamma, fin.modes)
	}
	if !c.K.Auto {
		res.KSetBy = env.SetBy("k") // the --set flag, or "file"
		if res.KSetBy == "file" {
			res.KSetBy = "config"
		}
	}
	for s := range res.IDs {
		res.IDs[s] = s + 1
	}
	mt := matching{highest: k}
	if prev != nil {
		if mt, err = c.matchPrevious(res, scaler, prev, prevMatch, c.maxShift(Z, n, d)); err != nil {
			return nil, err
		}
	}
	s.pinNames(env, res, prev != nil)

	m := s.buildModel(env, st, res, r, scaler, idCol, seed)
	m.MaxID = mt.highest
	if m.Distributions, err = model.Distributions(c.Features, X, n); err != nil {
		return nil, err
	}
	if cat != nil {
		s.mixedModel(m, res, cat, fin)
		if m.OutlierDistance, err = model.OutlierThresholdsOf(fin.distances, res.Labels, k, m.OutlierQuantile); err != nil {
			return nil, err
		}
	} else if m.OutlierDistance, err = model.OutlierThresholds(Z, n, d, res.CentersScaled, res.Labels, m.OutlierQuantile); err != nil {
		return nil, err
	}
	if c.Stability != nil {
		if err := s.stability(ctx, env, res, Z, n, d, seed, w, cat, fin); err != nil {
			return nil, err
		}
	}
	return &fitted{res: res, m: m, r: r, fin: fin, scaler: scaler, cat: cat, X: X, Z: Z, n: n, d: d, seed: seed, used: used, order: order, mt: mt}, nil
}

// positive is the number of rows that count: n, or those with a positive
// weight.
func positive(n int, w []float64) int {
	if w == nil {
		return n
	}
	m := 0
	for _, v := range w {
		if v > 0 {
			m++
		}
	}
	return m
}

// checkRows reports k values the table has too few rows for, naming the
// key that asked for them.
func (c *Config) checkRows(ks []int, n int) error {
	hi := ks[len(ks)-1]
	switch {
	case hi <= n:
		return nil
	case !c.K.Auto && c.K.Value > n:
		return fmt.Errorf("k = %d but the table has only %d row%s; lower k", c.K.Value, n, plural(n))
	case c.K.Auto:
		return fmt.Errorf("k_range goes up to %d but the table has only %d row%s; lower k_range", hi, n, plural(n))
	}
	return fmt.Errorf("elbow goes up to %d but the table has only %d row%s; lower elbow", hi, n, plural(n))
}

// fitKs fits every k in ks on the scaled rows Z (k-means, or
// k-prototypes with cat), with a progress bar, and scores each fit. With
// warm_start, restart 0 of the previous model's k starts from its
// centroids (prevMatch).
func (s *stage) fitKs(ctx context.Context, env *pipeline.Env, Z []float64, n, d int, ks []int, seed uint64, prev *previous, prevMatch [][]float64, w []float64, cat *catData) (map[int]*fit, []result.KScore, error) {
	c := s.cfg
	f := &fitter{Z: Z, n: n, d: d, w: w, cat: cat, set: fitSettings{
		engine: c.engine(), nInit: c.NInit, maxIter: c.MaxIter, tol: c.Tol, seed: seed,
		silSample: c.SilhouetteSample, silSeed: pipeline.DeriveSeed(seed, "silhouette"),
		gamma: c.Gamma,
	}}
	if cat != nil {
		f.set.kpInit, _ = kproto.ParseInit(c.Init)
		f.set.missing, _ = kproto.ParseMissing(c.CategoricalMissing)
	}
	if prev != nil && c.WarmStart {
		if slices.Contains(ks, prev.model.K) {
			f.set.init, f.set.initK = slices.Concat(prevMatch...), prev.model.K
		} else {
			env.Warn("warm_start: the previous model has k = %d, which this run does not fit; k-means starts from k-means++ only", prev.model.K)
		}
	}
	algo := "k-means"
	if cat != nil {
		algo = "k-prototypes"
	}
	desc := fmt.Sprintf("%s k=%d", algo, ks[0])
	if len(ks) > 1 {
		desc = fmt.Sprintf("%s k=%d..%d", algo, ks[0], ks[len(ks)-1])
	}
	total := 0 // work units: a restart with k centroids counts k
	for _, k := range ks {
		total += k * c.NInit
	}
	bar := env.Progress.Bar(int64(total), desc, false)
	defer bar.Finish()
	start := time.Now()
	f.progress = func(work float64, restarts, k int) {
		rows := restarts * n
		detail := fmt.Sprintf("%d/%d restarts (k = %d), %s rows fitted", restarts, len(ks)*c.NInit, k, plotkit.Thousands(int64(rows)))
		if el := time.Since(start).Seconds(); el > 0 {
			detail += fmt.Sprintf(" (%s rows/s)", plotkit.Thousands(int64(float64(rows)/el)))
		}
		bar.SetWork(work, detail)
	}
	return f.fitRange(ctx, ks, func(r *fit, sc result.KScore, warn string) {
		if warn != "" {
			env.Warn("%s", warn)
		}
		if r.kp != nil {
			env.Log.Info("k done", "k", r.K, "cost", r.Cost, "gamma", r.kp.Gamma, "iterations", r.Iterations, "converged", r.Converged, "silhouette", sc.Silhouette)
			env.Log.Debug("k restarts", "k", r.K, "restart_cost", r.kp.RestartCosts, "restart_iterations", r.kp.RestartIterations, "restart_relocations", r.kp.RestartRelocations)
			return
		}
		env.Log.Info("k done", "k", r.K, "inertia", r.Cost, "iterations", r.Iterations, "silhouette", sc.Silhouette, "sample", r.km.Sample, "refined", len(r.km.Refined))
		env.Log.Debug("k restarts", "k", r.K, "restart_inertia", r.km.RestartInertia, "restart_iterations", r.km.RestartIterations, "restart_rows", r.km.RestartRows, "best_restart", r.km.BestRestart)
		for _, rf := range r.km.Refined {
			env.Log.Debug("k refinement", "k", r.K, "restart", rf.Restart, "sample_inertia", rf.SampleInertia, "inertia", rf.Inertia, "iterations", rf.Iterations, "converged", rf.Converged)
		}
	})
}

// chooseK returns the k to keep — the fixed k, or the one select: picks
// with k: auto — the method used (select:, or silhouette when elbow fell
// back to it) and the evidence (each index's pick and the rule, in words;
// nil for a fixed k fitted alone), and marks k chosen in scores.
func (s *stage) chooseK(env *pipeline.Env, scores []result.KScore) (k int, used string, choice *result.KChoice, err error) {
	c := s.cfg
	k = c.K.Value
	switch {
	case c.K.Auto:
		var warn string
		if choice, warn, err = kselect.Choose(scores, c.Select, c.MinSeparation); err != nil {
			return 0, "", nil, err
		}
		if warn != "" {
			env.Warn("%s", warn)
		}
		k, used = choice.K, c.Select
		if choice.Rule == SelectSilhouette && c.Select == SelectElbow {
			used = SelectSilhouette
		}
		env.Log.Info("k chosen", "k", k, "select", c.Select, "rule", choice.Rule, "picks", choice.Picks)
		if choice.Disagreement != "" {
			env.Log.Info(choice.Disagreement)
		}
	case len(scores) > 1:
		choice = kselect.Fixed(scores, k, c.MinSeparation)
	}
	for i := range scores {
		scores[i].Chosen = scores[i].K == k
	}
	return k, used, choice, nil
}

// matching is how this run's segments matched the previous model's.
type matching struct {
	toPrev   []int       // new segment index → previous segment index, -1 when unmatched
	dist     [][]float64 // new × previous centroid distances in the matching space
	maxShift float64     // the largest distance still called the same segment
	highest  int         // the highest segment ID used so far
}

// matchPrevious gives res's segments stable IDs: each is matched with the
// previous model's centroids (prevMatch, in the matching space), and a
// matched segment keeps its previous ID and name; the others get new IDs.
// maxShift is max_shift, or its default for this run's scaled rows.
func (c *Config) matchPrevious(res *result.Clusters, scaler *scale.Scaler, prev *previous, prevMatch [][]float64, maxShift float64) (matching, error) {
	newMatch, err := toMatchSpace(scaler, res.CentersOriginal)
	if err != nil {
		return matching{}, err
	}
	mt := matching{dist: distances(newMatch, prevMatch), maxShift: maxShift}
	if res.Categorical != nil {
		order, err := featureOrder(prev.model.CategoricalFeatures, res.Categorical)
		if err != nil {
			return matching{}, fmt.Errorf("categorical features: %w", err)
		}
		newModes := make([][]*string, res.K)
		for s := range res.K {
			newModes[s] = make([]*string, len(res.Categorical))
			for f, code := range res.Modes[s] {
				if code >= 0 {
					v := res.Categories[f][code]
					newModes[s][f] = &v
				}
			}
		}
		prevModes := make([][]*string, len(prev.model.Modes))
		for p, row := range prev.model.Modes {
			prevModes[p] = make([]*string, len(order))
			for f, j := range order {
				prevModes[p][f] = row[j]
			}
		}
		mt.dist = mixedMatchDistances(newMatch, prevMatch, newModes, prevModes, res.Gamma)
	}
	if mt.toPrev, err = match(mt.dist, mt.maxShift); err != nil {
		return matching{}, err
	}
	res.IDs, mt.highest = stableIDs(mt.toPrev, prev.model.IDs, prev.model.HighestID())
	for s, p := range mt.toPrev {
		if p >= 0 {
			res.Names[s] = prev.model.Names[p]
		}
	}
	return mt, nil
}

// noteFit records the fit in the manifest.
func (s *stage) noteFit(env *pipeline.Env, res *result.Clusters, seed uint64, used string) {
	c := s.cfg
	env.Note("k", res.K)
	env.Note("inertia", res.Inertia)
	env.Note("iterations", res.Iterations)
	env.Note("engine", c.engine())
	if len(res.Categorical) > 0 {
		env.Note("categorical_features", res.Categorical)
		env.Note("gamma", res.Gamma)
	}
	if res.WeightColumn != "" {
		env.Note("weight_column", res.WeightColumn)
	}
	if st := res.Stability; st != nil {
		jac := make([]float64, len(st.Segments))
		for i, s := range st.Segments {
			jac[i] = s.MeanJaccard
		}
		env.Note("stability_jaccard", jac)
		env.Note("stability_ari", st.MeanARI)
	}
	env.Note("scale", c.Scale)
	env.Note("seed", seed)
	env.Note("sizes", res.Sizes)
	env.Note("ids", res.IDs)
	if c.K.Auto {
		env.Note("select", used)
	}
}

// maxShift returns max_shift, or its default for the scaled rows Z.
func (c *Config) maxShift(Z []float64, n, d int) float64 {
	if c.MaxShift != nil {
		return *c.MaxShift
	}
	return autoMaxShift(Z, n, d)
}

// matchSpaceText describes where centroids are compared.
func matchSpaceText(s *scale.Scaler, assign, mixed bool) string {
	if assign {
		return "the model's scaled space (" + s.Method + "; both original-unit centroids scaled with the model's scaler)"
	}
	if mixed {
		return "this run's scaled space (" + s.Method + "; both original-unit centroids scaled with this run's scaler) plus γ per categorical mode that differs (the k-prototypes dissimilarity, square-rooted)"
	}
	return "this run's scaled space (" + s.Method + "; both original-unit centroids scaled with this run's scaler)"
}

// pinNames applies the names: key by segment ID over the names carried
// from the previous model; a carried name that a pinned one now uses for
// another segment is dropped.
func (s *stage) pinNames(env *pipeline.Env, res *result.Clusters, stable bool) {
	c := s.cfg
	pinned := map[int]bool{}
	for _, sid := range slices.Sorted(maps.Keys(c.Names)) {
		at := slices.Index(res.IDs, sid)
		if at < 0 {
			if stable {
				env.Warn("names: there is no segment %d (segments are %s); the name %q is not used", sid, intList(res.IDs), c.Names[sid])
			} else {
				env.Warn("names: there is no segment %d with k = %d; the name %q is not used", sid, res.K, c.Names[sid])
			}
			continue
		}
		res.Names[at] = c.Names[sid]
		pinned[at] = true
	}
	owner := map[string]int{}
	for s, name := range res.Names {
		if pinned[s] {
			owner[name] = s
		}
	}
	for s, name := range res.Names {
		if pinned[s] || name == "" {
			continue
		}
		if o, taken := owner[name]; taken {
			env.Warn("names: segment %d was called %q, which names: now gives segment %d; segment %d is left unnamed", res.IDs[s], name, res.IDs[o], res.IDs[s])
			res.Names[s] = ""
			continue
		}
		owner[name] = s
	}
}

// drift compares with the previous model, leaves the result in the State
// and writes drift.json and drift.md.
func (s *stage) drift(ctx context.Context, env *pipeline.Env, st *pipeline.State, in driftInput) error {
	dr, warnings, err := computeDrift(ctx, in)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		env.Warn("%s", w)
	}
	if _, err := env.WriteFile(FileDriftJSON, "data", "Drift against the previous run (segments, transitions, PSI)", func(w io.Writer) error {
		return writeDriftJSON(w, dr)
	}); err != nil {
		return err
	}
	if _, err := env.WriteFile(FileDriftMD, "report", "Drift against the previous run", func(w io.Writer) error {
		return writeDriftMarkdown(w, env.RunID, dr)
	}); err != nil {
		return err
	}
	prevName := dr.Previous.Run
	if prevName == "" {
		prevName = dr.Previous.Model
	}
	env.Note("previous", prevName)
	var kept, added, retired []int
	for _, sd := range dr.Segments {
		switch sd.Status {
		case result.SegmentKept:
			kept = append(kept, sd.ID)
		case result.SegmentNew:
			added = append(added, sd.ID)
		case result.SegmentRetired:
			retired = append(retired, sd.ID)
		}
	}
	env.Note("segments_kept", kept)
	env.Note("segments_new", added)
	env.Note("segments_retired", retired)
	if dr.Transitions != nil {
		env.Note("ari", dr.Transitions.ARI)
	}
	for _, sp := range dr.Splits {
		env.Log.Info("drift: " + dr.SplitText(sp))
	}
	for _, f := range dr.Failed {
		env.Log.Warn("drift threshold crossed", "reason", f)
	}
	env.FailAfterPublish(pipeline.VerdictDrift, dr.Failed...)
	st.Drift = dr
	return nil
}

func intList(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// ks lists the k values to fit, increasing: k_range for k: auto, else k
// and the elbow range.
func (c *Config) ks() []int {
	if c.K.Auto {
		return c.KRange.Ks()
	}
	ks := []int{c.K.Value}
	if c.Elbow != nil {
		ks = append(ks, c.Elbow.Ks()...)
		slices.Sort(ks)
		ks = slices.Compact(ks)
	}
	return ks
}

// weights returns the per-feature weights in feature order (nil when none
// are set).
func (c *Config) weights() []float64 {
	if len(c.Weights) == 0 {
		return nil
	}
	w := make([]float64, len(c.Features))
	for j, f := range c.Features {
		w[j] = 1
		if v, ok := c.Weights[f]; ok {
			w[j] = v
		}
	}
	return w
}

// final is the kept fit in canonical order.
type final struct {
	labels          []int32
	sizes           []int
	weights         []float64 // Σ sample weights per segment (nil without weights)
	inertia         float64
	centersScaled   [][]float64
	centersOriginal [][]float64

	// k-prototypes
	gamma     float64
	modes     [][]int32 // per segment, codes (-1 = missing category)
	proto     *kproto.Model
	distances []float64 // every row's distance to its prototype
}

// finalize puts r in canonical order (largest segment first, ties by
// centroid) and relabels every row with kmeans.Assign on the canonical
// centroids (AssignWeighted with weights), exactly as `segment predict`
// scores rows, so the run's assignments and a later prediction on the same
// rows agree even on exact ties. Original-unit centroids are the
// (weighted) means of each segment's rows in X.
func finalize(r *kmeans.Result, Z, X []float64, n, d int, w []float64) (*final, error) {
	kmeans.Canonicalize(r)
	if w != nil {
		byWeight(r, w)
	}
	k := r.K
	var (
		labels  []int32
		inertia float64
		err     error
	)
	if w != nil {
		labels, inertia, err = kmeans.AssignWeighted(Z, n, d, r.Centers, k, w)
	} else {
		labels, inertia, err = kmeans.Assign(Z, n, d, r.Centers, k)
	}
	if err != nil {
		return nil, err
	}
	fin := &final{labels: labels, inertia: inertia, centersScaled: make([][]float64, k)}
	for s := 0; s < k; s++ {
		fin.centersScaled[s] = slices.Clone(r.Centers[s*d : s*d+d])
	}
	return fin, fin.summarize(X, n, d, k, w)
}

// byWeight reorders the canonical k-means result r by total sample weight
// descending, ties by centre (lexicographic), as kmeans.Canonicalize
// orders by size: the order of the table with every row repeated w times.
func byWeight(r *kmeans.Result, w []float64) {
	k, d := r.K, r.D
	tot := make([]float64, k)
	for i, l := range r.Labels {
		tot[l] += w[i]
	}
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if tot[a] != tot[b] {
			if tot[a] > tot[b] {
				return -1
			}
			return 1
		}
		return slices.Compare(r.Centers[a*d:a*d+d], r.Centers[b*d:b*d+d])
	})
	perm := make([]int32, k)
	centers := make([]float64, k*d)
	sizes := make([]int, k)
	for nw, old := range order {
		perm[old] = int32(nw)
		copy(centers[nw*d:nw*d+d], r.Centers[old*d:old*d+d])
		sizes[nw] = r.Sizes[old]
	}
	copy(r.Centers, centers)
	copy(r.Sizes, sizes)
	for i, l := range r.Labels {
		r.Labels[i] = perm[l]
	}
}

// finalizeMixed puts a k-prototypes fit in canonical order (total weight
// descending, then centroid, then modes) and relabels every row with the
// model's Predict, as segment predict scores rows.
func finalizeMixed(r *fit, Z, X []float64, n, d int, cat *catData, w []float64) (*final, error) {
	kp := r.kp
	kproto.Canonicalize(kp)
	km := kp.Model()
	labels, cost, err := km.Predict(Z, n, cat.codes, w)
	if err != nil {
		return nil, err
	}
	k, q := kp.K, kp.Q
	fin := &final{labels: labels, inertia: cost, gamma: kp.Gamma, proto: km,
		centersScaled: make([][]float64, k), modes: make([][]int32, k)}
	for s := range k {
		fin.centersScaled[s] = slices.Clone(kp.Centroids[s*d : s*d+d])
		fin.modes[s] = slices.Clone(kp.Modes[s*q : s*q+q])
	}
	fin.distances = mixedDistances(Z, n, d, cat, km, labels)
	return fin, fin.summarize(X, n, d, k, w)
}

// summarize fills the sizes, weights and original-unit centroids (weighted
// means), refusing empty segments.
func (fin *final) summarize(X []float64, n, d, k int, w []float64) error {
	fin.sizes = make([]int, k)
	tot := make([]float64, k)
	for i, l := range fin.labels {
		fin.sizes[l]++
		if w != nil {
			tot[l] += w[i]
		} else {
			tot[l]++
		}
	}
	var empty int
	for s := range k {
		if fin.sizes[s] == 0 || !(tot[s] > 0) {
			empty++
		}
	}
	if empty > 0 {
		what := "distinct points"
		if w != nil {
			what = "distinct points with a positive weight"
		}
		return fmt.Errorf("k = %d gives %d empty segment%s: the data has fewer %s than k; lower k", k, empty, plural(empty), what)
	}
	sums := make([]float64, k*d)
	for i, l := range fin.labels {
		row, sum := X[i*d:i*d+d], sums[int(l)*d:int(l)*d+d]
		if w != nil {
			for j, v := range row {
				sum[j] += float64(w[i] * v)
			}
			continue
		}
		for j, v := range row {
			sum[j] += v
		}
	}
	if w != nil {
		fin.weights = tot
	}
	fin.centersOriginal = make([][]float64, k)
	for s := range k {
		orig := make([]float64, d)
		for j := range orig {
			orig[j] = sums[s*d+j] / tot[s]
		}
		fin.centersOriginal[s] = orig
	}
	return nil
}
