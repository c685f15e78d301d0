package cluster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stability"
	"github.com/churnlab/segment/pipeline"
)

// kmeansFunc is the native k-means fit the bootstraps and the gap
// statistic refit with: the stage's settings, nInit restarts.
func (s *stage) kmeansFunc(nInit int) stability.KMeansFunc {
	c := s.cfg
	return func(ctx context.Context, X []float64, n, d, k int, w []float64, seed uint64) ([]int32, float64, error) {
		r, err := kmeans.Fit(ctx, X, n, d, kmeans.Options{K: k, NInit: nInit, MaxIter: c.MaxIter, Tol: c.Tol, Seed: seed, Weights: w, Workers: 0})
		if err != nil {
			return nil, 0, err
		}
		return r.Labels, r.Inertia, nil
	}
}

// addGap computes the gap statistic over ks (consecutive k) on the scaled
// rows and fills the scores' Gap and GapS.
func (s *stage) addGap(ctx context.Context, env *pipeline.Env, Z []float64, n, d int, ks []int, seed uint64, w []float64, scores []result.KScore) error {
	c := s.cfg
	ref, _ := stability.ParseReference(c.Gap.Reference)
	t0 := time.Now()
	g, err := stability.Gap(ctx, Z, n, d, s.kmeansFunc(c.NInit), stability.GapOptions{
		KMin: ks[0], KMax: ks[len(ks)-1], B: c.Gap.References, Reference: ref,
		Seed: pipeline.DeriveSeed(seed, "gap"), Weights: w, SampleSize: c.Gap.Sample,
	})
	if err != nil {
		return fmt.Errorf("select: gap: %w", err)
	}
	for i := range scores {
		if at := slices.Index(g.K, scores[i].K); at >= 0 {
			scores[i].Gap, scores[i].GapS = g.Gap[at], g.S[at]
		}
	}
	env.Log.Info("gap statistic", "k", g.K, "gap", g.Gap, "s", g.S, "best", g.Best, "rule_met", g.RuleMet, "references", g.B, "seconds", time.Since(t0).Seconds())
	return nil
}

// stability refits the kept k on bootstrap resamples (clusterboot) and
// records each segment's mean Jaccard, dissolved and recovered counts, the
// ARI between the fit and the refits, and the stability_fail verdict.
// Rows of weight 0 take no part.
func (s *stage) stability(ctx context.Context, env *pipeline.Env, res *result.Clusters, Z []float64, n, d int, seed uint64, w []float64, cat *catData, fin *final) error {
	c := s.cfg
	cfg := *c.Stability
	nInit := cfg.NInit
	if nInit == 0 {
		nInit = c.NInit
	}
	// the rows that count
	rows := make([]int, 0, n)
	for i := range n {
		if w == nil || w[i] > 0 {
			rows = append(rows, i)
		}
	}
	m := len(rows)
	sub := make([]float64, 0, m*d)
	labels := make([]int32, m)
	var ws []float64
	if w != nil {
		ws = make([]float64, m)
	}
	for t, i := range rows {
		sub = append(sub, Z[i*d:i*d+d]...)
		labels[t] = res.Labels[i]
		if ws != nil {
			ws[t] = w[i]
		}
	}
	var fitter stability.Fitter
	if cat != nil {
		codes := make([][]int32, len(cat.codes))
		for f, col := range cat.codes {
			codes[f] = make([]int32, m)
			for t, i := range rows {
				codes[f][t] = col[i]
			}
		}
		opt := kproto.Options{K: res.K, NInit: nInit, MaxIter: c.MaxIter, Tol: c.Tol, Gamma: fin.gamma, Weights: ws, CategoricalNames: cat.names}
		opt.Init, _ = kproto.ParseInit(c.Init)
		opt.Missing, _ = kproto.ParseMissing(c.CategoricalMissing)
		fitter = stability.KPrototypes(sub, m, d, codes, opt)
	} else {
		fitter = stability.KMeans(sub, m, d, res.K, ws, s.kmeansFunc(nInit))
	}
	t0 := time.Now()
	bar := env.Progress.Bar(int64(cfg.Bootstraps), "stability bootstraps", false)
	done := 0
	fit := func(ctx context.Context, rows []int32, mult []float64, seed uint64) ([]int32, []int32, error) {
		a, b, err := fitter(ctx, rows, mult, seed)
		done++
		bar.SetWork(float64(done), fmt.Sprintf("%d/%d bootstrap refits", done, cfg.Bootstraps))
		return a, b, err
	}
	b, err := stability.Bootstrap(ctx, labels, res.K, fit, stability.BootOptions{
		B: cfg.Bootstraps, Seed: pipeline.DeriveSeed(seed, "stability"), SampleSize: cfg.Sample,
		Weights: ws, Unstable: cfg.Threshold,
	})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("stability: %w", err)
	}
	st := &result.Stability{Bootstraps: b.B, Sample: b.SampleSize, Threshold: cfg.Threshold,
		MeanARI: b.MeanARI, SDARI: b.SDARI, Seconds: time.Since(t0).Seconds()}
	for sIdx, cs := range b.Clusters {
		st.Segments = append(st.Segments, result.SegmentStability{ID: res.IDs[sIdx], MeanJaccard: cs.MeanJaccard,
			Dissolved: cs.Dissolved, Recovered: cs.Recovered, Unstable: cs.Unstable})
	}
	f := c.StabilityFail
	for _, ss := range st.Segments {
		if ss.Unstable {
			env.Warn("stability: segment %d is unstable: its mean bootstrap Jaccard similarity is %.2f (below %.2f); it dissolved in %d of %d bootstraps", ss.ID, ss.MeanJaccard, cfg.Threshold, ss.Dissolved, st.Bootstraps)
		}
		if f.JaccardBelow != nil && ss.MeanJaccard < *f.JaccardBelow {
			st.Failed = append(st.Failed, fmt.Sprintf("segment %d's mean bootstrap Jaccard similarity %.3f is below stability_fail.jaccard_below %g", ss.ID, ss.MeanJaccard, *f.JaccardBelow))
		}
	}
	if f.ARIBelow != nil && st.MeanARI < *f.ARIBelow {
		st.Failed = append(st.Failed, fmt.Sprintf("the mean ARI between the fit and its bootstrap refits, %.3f, is below stability_fail.ari_below %g", st.MeanARI, *f.ARIBelow))
	}
	env.Log.Info("stability", "bootstraps", st.Bootstraps, "sample", st.Sample, "mean_ari", st.MeanARI, "sd_ari", st.SDARI, "seconds", st.Seconds)
	for _, r := range st.Failed {
		env.Log.Warn("stability threshold crossed", "reason", r)
	}
	env.FailAfterPublish(pipeline.VerdictStability, st.Failed...)
	res.Stability = st
	return nil
}

// mixedModel adds the k-prototypes parts to model.json (schema 3).
func (s *stage) mixedModel(m *model.Model, res *result.Clusters, cat *catData, fin *final) {
	c := s.cfg
	m.SchemaVersion = model.MixedSchemaVersion
	m.CategoricalFeatures = slices.Clone(cat.names)
	m.Categories = cat.dicts
	m.Gamma = fin.gamma
	m.CategoricalMissing = c.CategoricalMissing
	m.Init = c.Init
	m.Modes = make([][]*string, res.K)
	for sIdx, modes := range fin.modes {
		m.Modes[sIdx] = cat.modeText(modes)
	}
	m.CategoryShares = make([][]float64, len(cat.codes))
	for f, codes := range cat.codes {
		m.CategoryShares[f], _ = model.CategorySharesOf(codes, len(cat.dicts[f])) // codes are the dictionary's
	}
}
