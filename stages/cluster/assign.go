package cluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// SelectPrevious is result.Clusters.SelectMethod in mode: assign: k is the
// previous model's.
const SelectPrevious = "the previous model in mode: assign"

// runAssign scores the rows with the previous model, frozen: no fit. Each
// row gets its nearest centroid exactly as `segment predict` does, so on
// the training rows the assignments are the training run's. model.json is
// a byte-for-byte copy of the previous model, so the next night chains.
func (s *stage) runAssign(ctx context.Context, env *pipeline.Env, st *pipeline.State, prev *previous, idCol *frame.Column) error {
	c := s.cfg
	m := prev.model
	t := st.Table
	n, d := t.NumRows(), m.Dim()
	if _, err := featureOrder(m.Features, c.Features); err != nil {
		return fmt.Errorf("mode: assign: %w", err)
	}
	if err := s.sameScaling(m.Scaler.Method, m.Features, m.Scaler.Weights); err != nil {
		return err
	}
	if err := s.sameMixed(m); err != nil {
		return err
	}
	X, err := featureMatrix(t, m.Features, env.NearNumeric)
	if err != nil {
		return err
	}
	var a *model.Assignment
	var cat *catData
	if m.Mixed() {
		if a, cat, err = assignMixed(env, m, t, X, n, idCol); err != nil {
			return err
		}
	} else if a, err = m.Assign(X, n); err != nil {
		return describeScaleError(err, idCol)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p := presentSegments(env, m, a.Labels, X, n)
	k := len(p.keep)
	seed := c.seed(env.Seed)
	f := &fitter{Z: a.Scaled, n: n, d: d, cat: cat, set: fitSettings{silSample: c.SilhouetteSample, silSeed: pipeline.DeriveSeed(seed, "silhouette")}}
	score, warn := f.score(&fit{K: k, Labels: p.labels, Cost: a.Inertia, gamma: m.Gamma})
	if warn != "" {
		env.Warn("%s", warn)
	}
	score.Chosen = true
	res := &result.Clusters{
		Features: slices.Clone(m.Features), Scale: m.Scaler.Method, Engine: m.Engine, K: k,
		Labels: p.labels, IDs: p.ids, Names: p.names, Sizes: p.sizes,
		CentersScaled: p.centersScaled, CentersOriginal: p.centersOriginal,
		Scaled: a.Scaled, Original: X,
		Inertia: a.Inertia, Selection: []result.KScore{score}, SelectMethod: SelectPrevious,
		Reproducible: true,
	}
	if cat != nil {
		cat.setOn(res, m.Gamma, p.modes)
	}
	for _, id := range slices.Sorted(maps.Keys(c.Names)) {
		at := slices.Index(m.IDs, id)
		if at < 0 || m.Names[at] != c.Names[id] {
			env.Warn("names: in mode: assign the segments keep the previous model's names; names.%d (%q) takes effect at the next refit", id, c.Names[id])
		}
	}
	if err := s.write(env, res, idCol, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(prev.modelBytes))
		return err
	}); err != nil {
		return err
	}
	env.Note("mode", ModeAssign)
	env.Note("k", k)
	env.Note("inertia", res.Inertia)
	env.Note("sizes", res.Sizes)
	env.Note("ids", res.IDs)
	st.Clusters = res

	// Drift: the same model, so every segment with customers is kept;
	// sizes, the movement of the members' means, transitions and PSI still
	// tell what changed.
	newMatch, err := toMatchSpace(m.Scaler, p.centersOriginal)
	if err != nil {
		return err
	}
	prevMatch, err := toMatchSpace(m.Scaler, m.CentersOriginal)
	if err != nil {
		return err
	}
	order := make([]int, d)
	for j := range order {
		order[j] = j
	}
	return s.drift(ctx, env, st, driftInput{
		mode: ModeAssign, prev: prev, order: order, res: res, toPrev: p.keep, dist: distances(newMatch, prevMatch),
		matchSpace: matchSpaceText(m.Scaler, true, cat != nil), maxShift: c.maxShift(a.Scaled, n, d), splitShare: c.SplitShare, fail: c.DriftFail, idCol: idCol,
	})
}

// present is the model's segments that have customers in this run,
// renumbered 0..k-1 in model order.
type present struct {
	keep            []int   // segment → the model's segment index
	labels          []int32 // each row's segment
	sizes           []int
	centersOriginal [][]float64 // the members' means in original units
	centersScaled   [][]float64 // the model's centroids
	ids             []int
	names           []string
	modes           [][]int32 // k-prototypes: the model's modes (codes), nil for k-means
}

// presentSegments keeps the model's segments with customers among the
// rows (modelLabels are the rows' model segments, X their original
// features): segments without any are left out of the result, with a
// warning (later stages profile the segments present; the drift report
// lists them as empty).
func presentSegments(env *pipeline.Env, m *model.Model, modelLabels []int32, X []float64, n int) present {
	d := m.Dim()
	counts := make([]int, m.K)
	for _, l := range modelLabels {
		counts[l]++
	}
	var p present
	at := make([]int32, m.K)
	for s, c := range counts {
		at[s] = -1
		if c == 0 {
			env.Warn("segment %d has no customers in this run; it is left out of this run's segments (its model centroid stays)", m.IDs[s])
			continue
		}
		at[s] = int32(len(p.keep))
		p.keep = append(p.keep, s)
	}
	k := len(p.keep)
	p.labels = make([]int32, n)
	for i, l := range modelLabels {
		p.labels[i] = at[l]
	}
	p.sizes = make([]int, k)
	sums := make([]float64, k*d)
	for i, l := range p.labels {
		p.sizes[l]++
		row, sum := X[i*d:i*d+d], sums[int(l)*d:int(l)*d+d]
		for j, v := range row {
			sum[j] += v
		}
	}
	p.centersOriginal = make([][]float64, k)
	p.centersScaled = make([][]float64, k)
	p.ids = make([]int, k)
	p.names = make([]string, k)
	for s, ms := range p.keep {
		p.centersOriginal[s] = make([]float64, d)
		for j := range d {
			p.centersOriginal[s][j] = sums[s*d+j] / float64(p.sizes[s])
		}
		p.centersScaled[s] = slices.Clone(m.CentersScaled[ms])
		p.ids[s], p.names[s] = m.IDs[ms], m.Names[ms]
	}
	if m.Mixed() {
		q := len(m.CategoricalFeatures)
		km, _ := m.Proto() // validated when the model was loaded
		p.modes = make([][]int32, k)
		for s, ms := range p.keep {
			p.modes[s] = slices.Clone(km.Modes[ms*q : ms*q+q])
		}
	}
	return p
}

// sameScaling checks that the config's scale and weights are the frozen
// model's: mode: assign scores with the model's scaler, so a different
// setting in the config would silently not apply.
func (s *stage) sameScaling(method string, features []string, weights []float64) error {
	c := s.cfg
	if c.Scale != method {
		return fmt.Errorf("mode: assign: scale is %s but the previous model uses %s; assign scores with the model's scaler, so set scale: %s (or refit)", c.Scale, method, method)
	}
	var diff []string
	for j, f := range features {
		want := 1.0
		if len(weights) > 0 {
			want = weights[j]
		}
		got, ok := c.Weights[f]
		if !ok {
			got = 1
		}
		if math.Abs(got-want) > 0 {
			diff = append(diff, fmt.Sprintf("%s: %g in the config, %g in the model", f, got, want))
		}
	}
	if len(diff) > 0 {
		return fmt.Errorf("mode: assign: weights differ from the previous model's (%s); assign scores with the model's scaler, so match them (or refit)", strings.Join(diff, "; "))
	}
	return nil
}
