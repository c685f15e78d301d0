package cluster

import (
	"context"
	"fmt"
	"slices"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/pipeline"
)

// Factory describes the cluster stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "cluster",
		Summary:   "k-means segments (seeded k-means++ with restarts) on scaled features, k fixed or chosen by elbow/silhouette/CH/DB; assignments.csv, model.json, elbow plot",
		Needs:     []pipeline.Slot{pipeline.SlotTable},
		Provides:  []pipeline.Slot{pipeline.SlotClusters},
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
	c := s.cfg
	t := st.Table
	id := env.Config.Input.ID
	if c.idKnown {
		id = c.id
	}
	var idCol *frame.Column
	if id != "" {
		idCol = t.Col(id)
	}

	n, d := t.NumRows(), len(c.Features)
	if n == 0 {
		return fmt.Errorf("the table has no rows to cluster")
	}
	X, err := featureMatrix(t, c.Features)
	if err != nil {
		return err
	}
	ks := c.ks()
	if hi := ks[len(ks)-1]; hi > n {
		switch {
		case !c.K.Auto && c.K.Value > n:
			return fmt.Errorf("k = %d but the table has only %d row%s; lower k", c.K.Value, n, plural(n))
		case c.K.Auto:
			return fmt.Errorf("k_range goes up to %d but the table has only %d row%s; lower k_range", hi, n, plural(n))
		default:
			return fmt.Errorf("elbow goes up to %d but the table has only %d row%s; lower elbow", hi, n, plural(n))
		}
	}
	if err := checkConstant(X, n, d, c.Features); err != nil {
		return err
	}
	scaler, err := scale.Fit(c.Scale, X, n, d, c.Features, c.weights())
	if err != nil {
		return describeScaleError(err, idCol)
	}
	Z, err := scaler.Transform(X, n)
	if err != nil {
		return describeScaleError(err, idCol)
	}

	seed := c.seed(env.Seed)
	f := &fitter{Z: Z, n: n, d: d, set: fitSettings{
		engine: c.Engine, nInit: c.NInit, maxIter: c.MaxIter, tol: c.Tol, seed: seed,
		silSample: c.SilhouetteSample, silSeed: pipeline.DeriveSeed(seed, "silhouette"),
	}}
	desc := fmt.Sprintf("k-means k=%d", ks[0])
	if len(ks) > 1 {
		desc = fmt.Sprintf("k-means k=%d..%d", ks[0], ks[len(ks)-1])
	}
	bar := env.Progress.Bar(int64(len(ks)*c.NInit), desc, false)
	f.progress = func(done int) { bar.Set(int64(done)) }
	fits, scores, err := f.fitRange(ctx, ks, func(r *kmeans.Result, sc pipeline.KScore, warn string) {
		if warn != "" {
			env.Warn("%s", warn)
		}
		env.Log.Info("k done", "k", r.K, "inertia", r.Inertia, "iterations", r.Iterations, "silhouette", sc.Silhouette)
	})
	bar.Finish()
	if err != nil {
		return err
	}

	k, used := c.K.Value, ""
	if c.K.Auto {
		var warn string
		k, used, warn, err = choose(scores, c.Select)
		if err != nil {
			return err
		}
		if warn != "" {
			env.Warn("%s", warn)
		}
	}
	for i := range scores {
		scores[i].Chosen = scores[i].K == k
	}

	r := fits[k]
	if !r.Reproducible {
		env.NotReproducible("engine: muesli draws from math/rand's global source, which cannot be seeded; use engine: native for reproducible segments")
	}
	fin, err := finalize(r, Z, X, n, d)
	if err != nil {
		return err
	}
	res := &pipeline.ClusterResult{
		Features: slices.Clone(c.Features), Scale: c.Scale, Engine: c.Engine, K: k,
		Labels: fin.labels, IDs: make([]int, k), Names: make([]string, k), Sizes: fin.sizes,
		CentersScaled: fin.centersScaled, CentersOriginal: fin.centersOriginal,
		Scaled: Z, Original: X,
		Inertia: fin.inertia, Iterations: r.Iterations,
		Selection: scores, SelectMethod: used,
		Reproducible: r.Reproducible,
	}
	for s := range res.IDs {
		res.IDs[s] = s + 1
	}
	for _, sid := range sortedIntKeys(c.Names) {
		if sid > k {
			env.Warn("names: there is no segment %d with k = %d; the name %q is not used", sid, k, c.Names[sid])
			continue
		}
		res.Names[sid-1] = c.Names[sid]
	}

	if err := s.write(env, st, res, r, scaler, idCol, seed); err != nil {
		return err
	}
	env.Note("k", k)
	env.Note("inertia", res.Inertia)
	env.Note("iterations", res.Iterations)
	env.Note("engine", c.Engine)
	env.Note("scale", c.Scale)
	env.Note("seed", seed)
	env.Note("sizes", res.Sizes)
	if c.K.Auto {
		env.Note("select", used)
	}
	st.Clusters = res
	return nil
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
	inertia         float64
	centersScaled   [][]float64
	centersOriginal [][]float64
}

// finalize puts r in canonical order (largest segment first, ties by
// centroid) and relabels every row with kmeans.Assign on the canonical
// centroids, exactly as `segment predict` scores rows, so the run's
// assignments and a later prediction on the same rows agree even on exact
// ties. Original-unit centroids are the means of each segment's rows in X.
func finalize(r *kmeans.Result, Z, X []float64, n, d int) (*final, error) {
	kmeans.Canonicalize(r)
	k := r.K
	labels, inertia, err := kmeans.Assign(Z, n, d, r.Centers, k)
	if err != nil {
		return nil, err
	}
	sizes := make([]int, k)
	for _, l := range labels {
		sizes[l]++
	}
	var empty int
	for _, s := range sizes {
		if s == 0 {
			empty++
		}
	}
	if empty > 0 {
		return nil, fmt.Errorf("k = %d gives %d empty segment%s: the data has fewer distinct points than k; lower k", k, empty, plural(empty))
	}
	sums := make([]float64, k*d)
	for i, l := range labels {
		row, sum := X[i*d:i*d+d], sums[int(l)*d:int(l)*d+d]
		for j, v := range row {
			sum[j] += v
		}
	}
	fin := &final{labels: labels, sizes: sizes, inertia: inertia,
		centersScaled: make([][]float64, k), centersOriginal: make([][]float64, k)}
	for s := 0; s < k; s++ {
		fin.centersScaled[s] = slices.Clone(r.Centers[s*d : s*d+d])
		orig := make([]float64, d)
		for j := range orig {
			orig[j] = sums[s*d+j] / float64(sizes[s])
		}
		fin.centersOriginal[s] = orig
	}
	return fin, nil
}
