package cluster

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/churnlab/segment/internal/featcheck"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// runStream is the stage in execution mode stream (stream_fit.go has the
// passes):
//
//  1. The scaler is fitted on every row from exact statistics (the
//     stream's moments; a robust scaler's quartiles in two passes, a
//     log1p one's moments in one).
//  2. k-means (and with k: auto, the choice of k and its evidence) runs on
//     the stream's seeded uniform sample of execution.sample_rows rows,
//     exactly as in memory on those rows.
//  3. execution.refine_passes full-data Lloyd iterations refine the kept
//     centroids, one pass each (fewer when the centres stop moving by
//     k-means' tol).
//  4. One pass assigns every row (kmeans.Assign, as predict scores it),
//     writes assignments.csv as it goes, and sums the sizes, the inertia
//     and the original-unit centroids; it also counts the histograms of
//     each segment's distances and each feature's values, whose bins
//     holding the outlier thresholds and the PSI deciles a last pass
//     collects, so that model.json's thresholds and distributions are
//     exact.
//  5. With a previous model (previous:, mode: refit), the full-data
//     centroids are matched to it as in memory (matchPrevious; max_shift
//     by default from the scaled features' moments summed in step 4),
//     assignments.csv is renumbered to the stable IDs, and the drift
//     report is written: PSI from step 4's counts over the previous
//     model's edges, the previous sizes and the transitions from both
//     runs' assignments joined on disk (streamjoin.go).
//
// The files are the in-memory run's; what differs is stated in the
// manifest notes (sample_rows, refine_passes) and docs/config.md.
func (s *stage) runStream(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	c := s.cfg
	// What a stream cannot run (the run refused it before reading; this
	// is the same check, for a stage run on its own).
	if err := c.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	// previous: names nothing yet (the first night, a dangling link): the
	// stage says so as in memory, and numbers the segments 1..K.
	prev, err := s.previous(env)
	if err != nil {
		return err
	}
	var order []int // new feature → previous model column
	if prev != nil {
		if order, err = featureOrder(prev.model.Features, c.Features); err != nil {
			return err
		}
		if _, err := featureOrder(prev.model.CategoricalFeatures, nil); err != nil {
			return fmt.Errorf("categorical features: %w", err)
		}
	}
	str := st.Stream
	fields, err := str.Schema(ctx)
	if err != nil {
		return err
	}
	mom, err := str.Moments(ctx, env)
	if err != nil {
		return err
	}
	n := str.Rows()
	if n == 0 {
		return fmt.Errorf("the table has no rows to cluster")
	}
	d := len(c.Features)
	if err := checkStreamFeatures(fields, mom, c.Features, n, env.NearNumeric); err != nil {
		return err
	}
	ks := c.ks()
	if err := c.checkRows(ks, int(min(n, math.MaxInt32))); err != nil {
		return err
	}
	for _, f := range c.Features {
		if m := mom[f]; m.N >= 2 && m.Min == m.Max {
			return fmt.Errorf("feature %q has the same value (%s) in all %d rows (zero variance); it cannot separate segments: remove it from features", f, frame.FormatFloat(m.Min), n)
		}
	}
	scaler, err := s.streamScaler(ctx, env, str, mom)
	if err != nil {
		return err
	}
	var prevMatch [][]float64 // previous centroids in the matching space
	if prev != nil {
		if prevMatch, err = toMatchSpace(scaler, permuteRows(prev.model.CentersOriginal, order)); err != nil {
			return fmt.Errorf("previous model's centroids: %w", err)
		}
	}
	sample, err := str.Sample(ctx, env)
	if err != nil {
		return err
	}
	m := sample.NumRows()
	Xs, err := featureMatrix(sample, c.Features, env.NearNumeric)
	if err != nil {
		return err
	}
	Zs, err := scaler.Transform(Xs, m)
	if err != nil {
		return describeScaleError(err, nil)
	}
	checks := featcheck.Check(Xs, Zs, m, d, c.Features, featcheck.Options{Scale: c.Scale})
	for _, fc := range checks {
		env.Warn("%s", fc.Text)
	}
	if err := c.checkRows(ks, m); err != nil {
		return fmt.Errorf("the row sample (execution.sample_rows): %w", err)
	}
	seed := c.seed(env.Seed)
	fits, scores, err := s.fitKs(ctx, env, Zs, m, d, ks, seed, prev, prevMatch, nil, nil)
	if err != nil {
		return err
	}
	if c.K.Auto && c.Select == SelectGap {
		if err := s.addGap(ctx, env, Zs, m, d, ks, seed, nil, scores); err != nil {
			return err
		}
	}
	k, used, choice, err := s.chooseK(env, scores)
	if err != nil {
		return err
	}
	r := fits[k]
	fit := &streamFit{stage: s, env: env, str: str, scaler: scaler, features: c.Features, k: k, d: d, idColumn: env.IDColumn}
	passes := str.Execution().RefinePasses
	if int64(m) == n {
		passes = 0 // the sample is every row: the fit is the in-memory one
	}
	refined, err := fit.refine(ctx, r.km, varianceMean(Zs, m, d), passes)
	if err != nil {
		return err
	}
	if prev != nil {
		fit.psiEdges = psiEdges(prev.model, order)
		fit.wantZMom = c.MaxShift == nil
	}
	if err := fit.assign(ctx, refined); err != nil {
		return err
	}
	if err := fit.collect(ctx); err != nil {
		return err
	}
	res := &result.Clusters{
		Features: slices.Clone(c.Features), Scale: c.Scale, Engine: c.engine(), K: k,
		IDs: make([]int, k), Names: make([]string, k), Sizes: fit.sizes,
		CentersScaled: fit.centersScaled(), CentersOriginal: fit.centersOriginal,
		Inertia: fit.inertia, Iterations: r.Iterations + fit.passes,
		Selection: scores, SelectMethod: used, Choice: choice,
		Reproducible: true, Checks: checks,
		Stream: &result.StreamClusters{Rows: n, Label: fit.label, SampleRows: m, RefinePasses: fit.passes},
	}
	if !c.K.Auto {
		res.KSetBy = env.SetBy("k")
		if res.KSetBy == "file" {
			res.KSetBy = "config"
		}
	}
	for s := range res.IDs {
		res.IDs[s] = s + 1
	}
	mt := matching{highest: k}
	if prev != nil {
		maxShift := c.MaxShift
		if maxShift == nil {
			ms := rmsStd(fit.zMom)
			maxShift = &ms
		}
		if mt, err = c.matchPrevious(res, scaler, prev, prevMatch, *maxShift); err != nil {
			return err
		}
	}
	s.pinNames(env, res, prev != nil)
	if err := fit.number(res.IDs); err != nil {
		return err
	}
	r.Converged = fit.converged || (fit.passes == 0 && r.Converged)
	mdl := s.buildModel(env, st, res, r, scaler, idColumnOf(env), seed)
	mdl.MaxID = mt.highest
	if mdl.Transform == nil {
		mdl.Transform = model.TransformOf(emptyTable(fields), env.Config.Input.ID)
	}
	mdl.Distributions = fit.distributions
	mdl.OutlierDistance = fit.thresholds
	if err := fit.publishAssignments(); err != nil {
		return err
	}
	if err := s.writeModelElbow(env, res, mdl.Write); err != nil {
		return err
	}
	s.noteFit(env, res, seed, used)
	env.Note("sample_rows", m)
	env.Note("refine_passes", fit.passes)
	if fit.subRows > 0 {
		env.Note("refine_subsample", map[string]int{"rows": fit.subRows, "iterations": fit.subIterations})
	}
	env.Note("refine_inertia", fit.refineInertia)
	env.Note("selection_on", fmt.Sprintf("the row sample (%d of %d rows)", m, n))
	st.Clusters = res
	if prev == nil {
		return nil
	}
	return s.drift(ctx, env, st, driftInput{
		mode: ModeRefit, prev: prev, order: order, res: res, toPrev: mt.toPrev, dist: mt.dist,
		matchSpace: matchSpaceText(scaler, false, false), maxShift: mt.maxShift, splitShare: c.SplitShare, fail: c.DriftFail,
		stream: &streamDrift{rows: n, psiCounts: fit.psiCounts, idColumn: env.IDColumn, assignments: fit.path, tempDir: str.Execution().TempDir},
	})
}

// psiEdges are, per feature of this run (order: its column in the
// previous model), the previous model's decile edges; nil for all when
// the model stores no distributions, or for a feature whose distribution
// is malformed (its PSI is then NaN, as model.Distribution.PSI gives).
func psiEdges(pm *model.Model, order []int) [][]float64 {
	if len(pm.Distributions) == 0 {
		return nil
	}
	out := make([][]float64, len(order))
	for j, p := range order {
		if dd := pm.Distributions[p]; len(dd.Shares) == len(dd.Edges)+1 {
			out[j] = slices.Clone(dd.Edges)
			if out[j] == nil {
				out[j] = []float64{}
			}
		}
	}
	return out
}

// rmsStd is the default max_shift from the moments of every scaled
// feature: sqrt(mean_j var_j), population variances (autoMaxShift over
// the whole table).
func rmsStd(mom []streamstat.Moments) float64 {
	if len(mom) == 0 {
		return math.NaN()
	}
	var total float64
	for _, m := range mom {
		total += m.Var(0)
	}
	return math.Sqrt(total / float64(len(mom)))
}

// checkStreamFeatures reports, all at once, features that are not numeric
// columns without missing values (as featureMatrix does in memory).
func checkStreamFeatures(fields []frame.Field, mom map[string]streamstat.Moments, features []string, n int64, nearNumeric func(string) string) error {
	names := make([]string, len(fields))
	kinds := map[string]frame.Kind{}
	for i, f := range fields {
		names[i] = f.Name
		kinds[f.Name] = f.Kind
	}
	var problems []string
	for _, f := range features {
		k, ok := kinds[f]
		switch {
		case !ok:
			problems = append(problems, (&frame.UnknownColumnError{Name: f, Known: names}).Error())
		case k == frame.String && nearNumeric != nil && nearNumeric(f) != "":
			problems = append(problems, fmt.Sprintf("feature %q is a text column, not numeric: %s", f, nearNumeric(f)))
		case k == frame.String:
			problems = append(problems, fmt.Sprintf("feature %q is a text column, not numeric; turn categories into 0/1 columns with a clean onehot step (and list those), or cast it", f))
		case mom[f].N < n:
			m := n - mom[f].N
			problems = append(problems, fmt.Sprintf("feature %q has %d missing value%s (of %d rows); fill them with a clean fillna step or drop them with dropna", f, m, plural(int(m)), n))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", joinLines(problems))
	}
	return nil
}

func joinLines(s []string) string {
	out := ""
	for i, p := range s {
		if i > 0 {
			out += "\n"
		}
		out += p
	}
	return out
}

// idColumnOf is an empty column named as the id column (buildModel reads
// its name), nil without one.
func idColumnOf(env *pipeline.Env) *frame.Column {
	if env.IDColumn == "" {
		return nil
	}
	return frame.NewString(env.IDColumn, nil, nil)
}

// emptyTable is a table with no rows and the given columns.
func emptyTable(fields []frame.Field) *frame.Table {
	cols := make([]*frame.Column, len(fields))
	for i, f := range fields {
		cols[i] = &frame.Column{Name: f.Name, Kind: f.Kind}
	}
	t, _ := frame.New(cols...)
	return t
}

// varianceMean is the mean over features of the variance of the n×d
// matrix Z: k-means' tol is relative to it.
func varianceMean(Z []float64, n, d int) float64 {
	if n < 1 {
		return 0
	}
	var total float64
	for j := range d {
		var m streamstat.Moments
		col := make([]float64, n)
		for i := range n {
			col[i] = Z[i*d+j]
		}
		m.Add(col)
		total += m.Var(0)
	}
	return total / float64(d)
}

// streamScaler fits the scaler on every row from exact statistics: the
// stream's moments (standard, minmax), two passes for the median and
// quartiles (robust), one for the moments of log1p (log1p-standard).
func (s *stage) streamScaler(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, mom map[string]streamstat.Moments) (*scale.Scaler, error) {
	c := s.cfg
	d := len(c.Features)
	sc := &scale.Scaler{Method: c.Scale, Features: slices.Clone(c.Features), Weights: c.weights()}
	fail := func(f, problem string) error {
		return describeScaleError(&scale.FeatureError{Feature: f, Row: -1, Problem: problem}, nil)
	}
	for _, f := range c.Features {
		m := mom[f]
		if m.Inf > 0 {
			return nil, fail(f, "has infinite values")
		}
		if c.Scale == scale.Log1pStandard && m.Min <= -1 {
			return nil, fail(f, fmt.Sprintf("value %v is <= -1, so log1p is undefined; use another scale method", m.Min))
		}
	}
	switch c.Scale {
	case scale.Normalize, scale.None:
		return sc, sc.Validate()
	}
	sc.Center, sc.Scale = make([]float64, d), make([]float64, d)
	const eps = 0x1p-52
	const tinyScale = 10 * eps
	standard := func(j int, m streamstat.Moments, f string) error {
		n := float64(m.N)
		mean, variance := m.Mean(), m.Var(0)
		if math.IsNaN(variance) || math.IsInf(variance, 0) || math.IsInf(mean, 0) {
			return fail(f, "has values too large to standardise")
		}
		if bound := float64(n*eps*variance) + float64((n*mean*eps)*(n*mean*eps)); variance <= bound {
			return fail(f, "has zero variance; drop it or use scale: none")
		}
		sc.Center[j], sc.Scale[j] = mean, math.Sqrt(variance)
		return nil
	}
	switch c.Scale {
	case scale.Standard:
		for j, f := range c.Features {
			if err := standard(j, mom[f], f); err != nil {
				return nil, err
			}
		}
	case scale.MinMax:
		for j, f := range c.Features {
			lo, hi := mom[f].Extremes()
			r := hi - lo
			if math.IsInf(r, 0) {
				return nil, fail(f, "has a range too large to represent")
			}
			if r < tinyScale {
				return nil, fail(f, "has zero range (all values equal); drop it or use scale: none")
			}
			sc.Center[j], sc.Scale[j] = lo, r
		}
	case scale.Log1pStandard:
		logMom, err := logMoments(ctx, env, str, c.Features)
		if err != nil {
			return nil, err
		}
		for j, f := range c.Features {
			if err := standard(j, logMom[j], f); err != nil {
				return nil, err
			}
		}
	case scale.Robust:
		med, iqr, err := robustStats(ctx, env, str, c.Features)
		if err != nil {
			return nil, err
		}
		for j, f := range c.Features {
			if math.IsInf(med[j], 0) || math.IsInf(iqr[j], 0) {
				return nil, fail(f, "has values too large to scale")
			}
			if iqr[j] < tinyScale {
				return nil, fail(f, "has zero interquartile range; drop it or use scale: none")
			}
			sc.Center[j], sc.Scale[j] = med[j], iqr[j]
		}
	default:
		return nil, fmt.Errorf("scale: %s has no streamed fit", c.Scale)
	}
	return sc, sc.Validate()
}
