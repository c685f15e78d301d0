package cluster

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// streamFit is a k-means model refined and applied over a streamed table.
type streamFit struct {
	stage    *stage
	env      *pipeline.Env
	str      *pipeline.Stream
	scaler   *scale.Scaler
	features []string
	k, d     int
	idColumn string

	centers       []float64 // k×d, canonical once assign has run
	passes        int       // refinement passes run
	subSeed       uint64    // the refinement subsample's hash seed
	subRows       int       // rows of the refinement's subsample (0: none)
	subIterations int       // Lloyd iterations on it
	converged     bool
	refineInertia []float64 // the full-data inertia before each refinement

	sizes           []int
	inertia         float64
	centersOriginal [][]float64
	dist            []*streamstat.Sketch // per segment: distances to the centroid
	feat            []*streamstat.Sketch // per feature: values
	thresholds      []float64
	distributions   []model.Distribution
	tmpPath, path   string
	// written maps the segment numbers the assign pass wrote (index + 1
	// in the order it labelled with) to the final canonical index.
	written []int
	// zMom are the moments of each scaled feature over every row (the
	// default max_shift), summed when wantZMom (a previous model to match
	// without a configured max_shift).
	zMom     []streamstat.Moments
	wantZMom bool
	// psiEdges are, per feature, the previous model's decile edges to
	// count this run's values over (nil: no previous distribution), and
	// psiCounts the counts, bin b holding (edge[b-1], edge[b]].
	psiEdges  [][]float64
	psiCounts [][]int
}

// matrices returns a batch's feature matrices, original and scaled.
func (f *streamFit) matrices(t *frame.Table) (X, Z []float64, err error) {
	if X, err = featureMatrix(t, f.features, nil); err != nil {
		return nil, nil, err
	}
	if Z, err = f.scaler.Transform(X, t.NumRows()); err != nil {
		return nil, nil, describeScaleError(err, nil)
	}
	return X, Z, nil
}

// runFeatures runs a pass over the features (and the columns extra): p's
// Map is mapX, called with each batch's feature matrices, original (X)
// and scaled (Z), both nil for a batch without rows.
func (f *streamFit) runFeatures(ctx context.Context, p pipeline.Pass, extra []string, mapX func(b *pipeline.Batch, X, Z []float64) (any, error)) error {
	p.Columns = append(slices.Clone(f.features), extra...)
	p.Map = func(b *pipeline.Batch) (any, error) {
		if b.Table.NumRows() == 0 {
			return mapX(b, nil, nil)
		}
		X, Z, err := f.matrices(b.Table)
		if err != nil {
			return nil, err
		}
		return mapX(b, X, Z)
	}
	return f.str.Run(ctx, f.env, p)
}

// label labels a batch with the final centroids (result.StreamClusters.Label).
func (f *streamFit) label(t *frame.Table) ([]int32, []float64, []float64, error) {
	X, Z, err := f.matrices(t)
	if err != nil {
		return nil, nil, nil, err
	}
	n := t.NumRows()
	if n == 0 {
		return []int32{}, Z, X, nil
	}
	labels, _, err := kmeans.Assign(Z, n, f.d, f.centers, f.k)
	return labels, Z, X, err
}

// refineTolShare makes the full-data refinement's stopping rule stricter
// than k-means' tol. The sample's optimum lies close to the full data's,
// so Lloyd iterations from it move the centres by little, and k-means'
// rule would stop them before the rows near the boundaries have settled:
// on 146,720 synthetic churn rows (k = 5, a sample of 20,000) stopping at
// tol left an adjusted Rand index of 0.988 against the in-memory run;
// converging further gave 0.997 and an inertia below the in-memory run's
// (which stops at tol itself).
const refineTolShare = 0.01

// refine runs up to passes (execution.refine_passes) full-data Lloyd iterations
// from the sample's fit km (one pass each: every row assigned to its
// nearest centre, the centres' sums accumulated in batch order), stopping
// early when the squared centre shift is at most refineTolShare × tol ×
// varMean (k-means' rule, with the sample's feature variances, made
// stricter: see refineTolShare). A centre that gets no row
// stays where it is. It returns the sizes of the last assignment (the
// sample's sizes without refinement), for the canonical order.
func (f *streamFit) refine(ctx context.Context, km *kmeans.Result, varMean float64, passes int) ([]int, error) {
	k, d := f.k, f.d
	f.centers = slices.Clone(km.Centers)
	sizes := slices.Clone(km.Sizes)
	tol := refineTolShare * f.stage.cfg.Tol * varMean
	type part struct {
		sums    []float64
		counts  []int
		inertia float64
		sub     []float64 // the batch's rows of the subsample (first pass)
	}
	keep := f.subsampleKeep(passes)
	var sub []float64
	for it := 0; it < passes; it++ {
		centers := f.centers
		sums, counts := make([]float64, k*d), make([]int, k)
		var inertia float64
		gather := it == 0 && keep != 0
		err := f.runFeatures(ctx, pipeline.Pass{Name: fmt.Sprintf("k-means refinement %d", it+1),
			Reduce: func(v any, _ *pipeline.Batch) error {
				p := v.(part)
				for i, x := range p.sums {
					sums[i] += x
				}
				for s, c := range p.counts {
					counts[s] += c
				}
				inertia += p.inertia
				sub = append(sub, p.sub...)
				return nil
			}}, nil,
			func(b *pipeline.Batch, _, Z []float64) (any, error) {
				n := b.Table.NumRows()
				p := part{sums: make([]float64, k*d), counts: make([]int, k)}
				if n == 0 {
					return p, nil
				}
				labels, in, err := kmeans.Assign(Z, n, d, centers, k)
				if err != nil {
					return nil, err
				}
				p.inertia = in
				for i, l := range labels {
					p.counts[l]++
					row, sum := Z[i*d:i*d+d], p.sums[int(l)*d:int(l)*d+d]
					for j, v := range row {
						sum[j] += v
					}
					if gather && subsampled(b.Row(i), f.subSeed, keep) {
						p.sub = append(p.sub, row...)
					}
				}
				return p, nil
			})
		if err != nil {
			return nil, err
		}
		next := slices.Clone(centers)
		var shift float64
		for s := range k {
			if counts[s] == 0 {
				continue
			}
			for j := range d {
				v := sums[s*d+j] / float64(counts[s])
				e := v - centers[s*d+j]
				shift += float64(e * e)
				next[s*d+j] = v
			}
		}
		f.centers, sizes = next, counts
		f.passes++
		f.refineInertia = append(f.refineInertia, inertia)
		f.env.Log.Info("k-means refinement", "pass", it+1, "inertia", inertia, "shift", shift, "tolerance", tol)
		if shift <= tol {
			f.converged = true
			break
		}
		if gather {
			if err := f.refineSubsample(ctx, sub); err != nil {
				return nil, err
			}
			sub = nil
		}
	}
	return sizes, nil
}

// subsampleShare is the size of the refinement's subsample as a multiple
// of execution.sample_rows, and subsampleBytes the most memory it may
// take.
const (
	subsampleShare = 10
	subsampleBytes = 256 << 20
)

// subsampleKeep is the threshold of the refinement's subsample (a row is
// in it when its hash is below; 0: no subsample). A subsample pays when
// more than one full pass may run and the table holds at least twice as many
// rows as it.
func (f *streamFit) subsampleKeep(passes int) uint64 {
	n := f.str.Rows() // at the stage's position (after the clean steps)
	if n < 0 {
		n = f.str.StoredRows()
	}
	want := int64(subsampleShare * f.str.Execution().SampleRows)
	want = min(want, int64(subsampleBytes/(8*f.d)))
	if passes < 2 || want <= 0 || n < 2*want {
		return 0
	}
	f.subSeed = f.stage.cfg.seed(f.env.Seed) ^ 0x5ab5a4b1e5 // a stream of its own
	return uint64(float64(want) / float64(n) * (1 << 63) * 2)
}

// subsampled reports whether stored row ordinal is in the subsample: a
// hash of the ordinal and the seed under keep, so the subsample does not
// depend on how the batches were read.
func subsampled(ordinal int64, seed, keep uint64) bool {
	z := uint64(ordinal) + seed*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z^(z>>31) < keep
}

// refineSubsample runs Lloyd to convergence (at the refinement's
// tolerance) on the subsample of scaled rows the first pass kept, from
// the centres that pass gave: the centres come much closer to the full
// data's optimum than the sample's fit, in memory, so the full passes
// after it meet their stopping rule in fewer passes. Lloyd's convergence
// is linear and slow near an optimum: on 100M synthetic churn rows the
// inertia still fell by 0.8× its previous step each pass, and ten passes
// did not stop.
func (f *streamFit) refineSubsample(ctx context.Context, sub []float64) error {
	k, d := f.k, f.d
	m := len(sub) / d
	if m < 2*k {
		return nil
	}
	r, err := kmeans.Fit(ctx, sub, m, d, kmeans.Options{K: k, NInit: 1, MaxIter: 1000,
		Tol: refineTolShare * f.stage.cfg.Tol, Seed: f.subSeed, Init: f.centers, SampleAbove: -1})
	if err != nil {
		return fmt.Errorf("k-means on the refinement subsample: %w", err)
	}
	for s := range k {
		if r.Sizes[s] == 0 {
			return nil // a centre lost its rows: keep the full pass's centres
		}
	}
	f.centers = r.Centers
	f.subRows, f.subIterations = m, r.Iterations
	f.env.Log.Info("k-means refinement on a subsample", "rows", m, "iterations", r.Iterations, "inertia", r.Inertia)
	return nil
}

// assign is the pass that labels every row with the refined centroids in
// canonical order (largest segment first), writes assignments.csv as it
// goes, and sums sizes, inertia and original-unit centroids; it counts
// each segment's distances and each feature's values for collect, sums
// the moments of the scaled features (the default max_shift) and counts
// the values over psiEdges (PSI against a previous model). When the
// full-data sizes order the segments differently from the sizes the
// order was fixed with, the segments are put in that order (f.written
// maps the numbers in the file); number rewrites the file with the
// final segment IDs.
func (f *streamFit) assign(ctx context.Context, sizes []int) error {
	k, d := f.k, f.d
	r := &kmeans.Result{K: k, D: d, Centers: f.centers, Sizes: slices.Clone(sizes)}
	kmeans.Canonicalize(r)
	f.centers = r.Centers
	path, err := f.env.Path(FileAssignments)
	if err != nil {
		return err
	}
	f.path, f.tmpPath = path, path+".partial"
	file, err := os.Create(f.tmpPath)
	if err != nil {
		return err
	}
	defer func() {
		if file != nil {
			file.Close()
			os.Remove(f.tmpPath)
		}
	}()
	w := bufio.NewWriterSize(file, 1<<20)
	idName := f.idColumn
	first := idName
	if first == "" {
		first = "row"
	}
	segName := "segment"
	if first == segName {
		segName = "segment_id"
	}
	header, err := csvBytes(frame.NewString(first, nil, nil), frame.NewInt(segName, nil, nil))
	if err != nil {
		return err
	}
	w.Write(header)
	f.dist = make([]*streamstat.Sketch, k)
	for s := range f.dist {
		f.dist[s] = &streamstat.Sketch{}
	}
	f.feat = make([]*streamstat.Sketch, d)
	for j := range f.feat {
		f.feat[j] = &streamstat.Sketch{}
	}
	f.sizes = make([]int, k)
	sums := make([]float64, k*d)
	f.inertia = 0
	centers := f.centers
	type part struct {
		labels  []int32
		sums    []float64
		sizes   []int
		inertia float64
		csv     []byte
		zMom    []streamstat.Moments
		psi     [][]int
	}
	f.zMom = make([]streamstat.Moments, d)
	f.psiCounts = make([][]int, d)
	for j, e := range f.psiEdges {
		if e != nil {
			f.psiCounts[j] = make([]int, len(e)+1)
		}
	}
	type worker struct{ dist, feat []*streamstat.Sketch }
	var extra []string
	if idName != "" {
		extra = []string{idName}
	}
	var row int64
	reduce := func(v any, _ *pipeline.Batch) error {
		p := v.(part)
		if idName == "" && len(p.labels) > 0 {
			rows := make([]int64, len(p.labels))
			for i := range rows {
				rows[i] = row + int64(i) + 1
			}
			var err error
			if p.csv, err = assignmentLines(nil, frame.NewInt("row", rows, nil), p.labels, segName); err != nil {
				return err
			}
		}
		row += int64(len(p.labels))
		if _, err := w.Write(p.csv); err != nil {
			return err
		}
		for i, x := range p.sums {
			sums[i] += x
		}
		for s, c := range p.sizes {
			f.sizes[s] += c
		}
		f.inertia += p.inertia
		for j, m := range p.zMom {
			f.zMom[j].Merge(m)
		}
		for j, c := range p.psi {
			for b, v := range c { // nil for a feature without edges
				f.psiCounts[j][b] += v
			}
		}
		return nil
	}
	err = f.runFeatures(ctx, pipeline.Pass{Name: "assign every row",
		Worker: func() any {
			w := worker{dist: make([]*streamstat.Sketch, k), feat: make([]*streamstat.Sketch, d)}
			for s := range w.dist {
				w.dist[s] = &streamstat.Sketch{}
			}
			for j := range w.feat {
				w.feat[j] = &streamstat.Sketch{}
			}
			return w
		},
		Done: func(ws []any) error {
			for _, w := range ws {
				f.mergeSketches(w.(worker).dist, w.(worker).feat)
			}
			return nil
		},
		Reduce: reduce}, extra,
		func(b *pipeline.Batch, X, Z []float64) (any, error) {
			n := b.Table.NumRows()
			p := part{sums: make([]float64, k*d), sizes: make([]int, k)}
			if n == 0 {
				return p, nil
			}
			w := b.Worker.(worker)
			labels, in, err := kmeans.Assign(Z, n, d, centers, k)
			if err != nil {
				return nil, err
			}
			p.labels, p.inertia = labels, in
			for i, l := range labels {
				p.sizes[l]++
				w.dist[l].Add(math.Sqrt(sqDist(Z[i*d:i*d+d], centers[int(l)*d:int(l)*d+d])))
				row, sum := X[i*d:i*d+d], p.sums[int(l)*d:int(l)*d+d]
				for j, v := range row {
					sum[j] += v
					w.feat[j].Add(v)
				}
			}
			if idName != "" {
				if p.csv, err = assignmentLines(b.Table.Col(idName), nil, labels, segName); err != nil {
					return nil, err
				}
			}
			p.zMom, p.psi = f.columnStats(X, Z, n)
			return p, nil
		})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = file.Close()
	}
	if err != nil {
		return err
	}
	file = nil
	var empty int
	for s := range k {
		if f.sizes[s] == 0 {
			empty++
		}
	}
	if empty > 0 {
		os.Remove(f.tmpPath)
		return fmt.Errorf("k = %d gives %d empty segment%s: the data has fewer distinct points than k; lower k", k, empty, plural(empty))
	}
	// The canonical order by the full-data sizes.
	final := &kmeans.Result{K: k, D: d, Centers: slices.Clone(f.centers), Sizes: slices.Clone(f.sizes)}
	perm := kmeans.Canonicalize(final)
	f.written = perm
	if !isIdentity(perm) {
		f.env.Log.Info("segments renumbered by their full-data sizes", "perm", perm)
		f.centers = final.Centers
		f.sizes = final.Sizes
		dist := make([]*streamstat.Sketch, k)
		ps := make([]float64, k*d)
		for old, nw := range perm {
			dist[nw] = f.dist[old]
			copy(ps[nw*d:nw*d+d], sums[old*d:old*d+d])
		}
		f.dist, sums = dist, ps
	}
	f.centersOriginal = make([][]float64, k)
	for s := range k {
		f.centersOriginal[s] = make([]float64, d)
		for j := range d {
			f.centersOriginal[s][j] = sums[s*d+j] / float64(f.sizes[s])
		}
	}
	return nil
}

// columnStats are a batch's moments of each scaled feature (Z, n rows) and
// its counts of each feature's original values (X) over psiEdges, as
// metrics.BinCounts counts them (NaN left out, as model.Distribution.PSI
// does).
func (f *streamFit) columnStats(X, Z []float64, n int) ([]streamstat.Moments, [][]int) {
	d := f.d
	var mom []streamstat.Moments
	if f.wantZMom {
		mom = make([]streamstat.Moments, d)
		col := make([]float64, n)
		for j := range d {
			for i := range n {
				col[i] = Z[i*d+j]
			}
			mom[j].Add(col)
		}
	}
	var psi [][]int
	for j, edges := range f.psiEdges {
		if edges == nil {
			continue
		}
		if psi == nil {
			psi = make([][]int, d)
		}
		c := make([]int, len(edges)+1)
		for i := range n {
			if v := X[i*d+j]; !math.IsNaN(v) {
				c[sort.SearchFloat64s(edges, v)]++
			}
		}
		psi[j] = c
	}
	return mom, psi
}

// number writes the final segment IDs into assignments.csv: ids[s] is
// the ID of the segment with canonical index s. The file is rewritten
// only when an ID differs from the number the assign pass wrote.
func (f *streamFit) number(ids []int) error {
	to := make([]int, len(f.written))
	same := true
	for old, s := range f.written {
		to[old] = ids[s]
		same = same && to[old] == old+1
	}
	if same {
		return nil
	}
	if err := relabel(f.tmpPath, to); err != nil {
		os.Remove(f.tmpPath)
		return err
	}
	return nil
}

// collect is the pass that keeps the distances and feature values of the
// histogram bins holding each segment's outlier threshold and each
// feature's deciles: model.json's thresholds and training distributions,
// exactly as in memory.
func (f *streamFit) collect(ctx context.Context) error {
	k, d := f.k, f.d
	q := model.DefaultOutlierQuantile
	for _, sk := range f.dist {
		sk.PlanQuantiles(q)
		sk.StartCollect()
	}
	for _, sk := range f.feat {
		for j := 1; j < model.PSIBins; j++ {
			sk.PlanQuantiles(float64(j) / float64(model.PSIBins))
		}
		sk.StartCollect()
	}
	centers := f.centers
	type worker struct{ dist, feat []*streamstat.Sketch }
	err := f.runFeatures(ctx, pipeline.Pass{Name: "outlier thresholds and feature deciles",
		Worker: func() any {
			w := worker{dist: make([]*streamstat.Sketch, k), feat: make([]*streamstat.Sketch, d)}
			for s := range w.dist {
				w.dist[s] = &streamstat.Sketch{}
				w.dist[s].Plan(f.dist[s])
			}
			for j := range w.feat {
				w.feat[j] = &streamstat.Sketch{}
				w.feat[j].Plan(f.feat[j])
			}
			return w
		},
		Done: func(ws []any) error {
			for _, w := range ws {
				f.mergeSketches(w.(worker).dist, w.(worker).feat)
			}
			return nil
		},
	}, nil,
		func(b *pipeline.Batch, X, Z []float64) (any, error) {
			n := b.Table.NumRows()
			if n == 0 {
				return nil, nil
			}
			w := b.Worker.(worker)
			labels, _, err := kmeans.Assign(Z, n, d, centers, k)
			if err != nil {
				return nil, err
			}
			for i, l := range labels {
				w.dist[l].Collect(math.Sqrt(sqDist(Z[i*d:i*d+d], centers[int(l)*d:int(l)*d+d])))
				for j := range d {
					w.feat[j].Collect(X[i*d+j])
				}
			}
			return nil, nil
		})
	if err != nil {
		return err
	}
	f.thresholds = make([]float64, k)
	for s, sk := range f.dist {
		if err := sk.Finish(); err != nil {
			return err
		}
		if sk.N() > 0 {
			f.thresholds[s], _ = sk.Quantile(q)
		}
	}
	for j, sk := range f.feat {
		if err := sk.Finish(); err != nil {
			return err
		}
		cuts := []float64{}
		for b := 1; b < model.PSIBins; b++ {
			v, ok := sk.Quantile(float64(b) / float64(model.PSIBins))
			if !ok {
				return fmt.Errorf("feature %q: the decile %d could not be found exactly", f.features[j], b)
			}
			if len(cuts) == 0 || v > cuts[len(cuts)-1] {
				cuts = append(cuts, v)
			}
		}
		counts := make([]int, len(cuts)+1)
		prev := int64(0)
		for b, c := range cuts {
			le, ok := sk.CountLE(c)
			if !ok {
				return fmt.Errorf("feature %q: the values up to the decile %v could not be counted exactly", f.features[j], c)
			}
			counts[b] = int(le - prev)
			prev = le
		}
		counts[len(cuts)] = int(sk.N() - prev)
		f.distributions = append(f.distributions, model.Distribution{Feature: f.features[j], Edges: cuts, Shares: metrics.Shares(counts)})
	}
	return nil
}

// centersScaled returns the centroids as rows.
// mergeSketches merges a worker's sketches of the distances (per segment)
// and of the features into the fit's.
func (f *streamFit) mergeSketches(dist, feat []*streamstat.Sketch) {
	for s, sk := range dist {
		f.dist[s].Merge(sk)
	}
	for j, sk := range feat {
		f.feat[j].Merge(sk)
	}
}

func (f *streamFit) centersScaled() [][]float64 {
	out := make([][]float64, f.k)
	for s := range out {
		out[s] = slices.Clone(f.centers[s*f.d : s*f.d+f.d])
	}
	return out
}

// publishAssignments moves the written assignments into place and records
// them.
func (f *streamFit) publishAssignments() error {
	if err := os.Rename(f.tmpPath, f.path); err != nil {
		return err
	}
	f.env.AddArtifact("table", FileAssignments, "Segment of every customer")
	return nil
}

// sqDist is model's squared distance, summed in feature order as
// internal/kmeans sums it.
func sqDist(a, b []float64) float64 {
	var s float64
	for t, v := range a {
		e := v - b[t]
		s += float64(e * e)
	}
	return s
}

// csvBytes is the CSV of the columns (header included).
func csvBytes(cols ...*frame.Column) ([]byte, error) {
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := csvio.WriteCSV(&buf, t); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// assignmentLines are the lines of assignments.csv for a batch (without
// the header): the id (or the row number) and the segment ID (index + 1).
func assignmentLines(id, rows *frame.Column, labels []int32, segName string) ([]byte, error) {
	first := id
	if first == nil {
		first = rows
	}
	seg := make([]int64, len(labels))
	for i, l := range labels {
		seg[i] = int64(l) + 1
	}
	b, err := csvBytes(first, frame.NewInt(segName, seg, nil))
	if err != nil {
		return nil, err
	}
	if i := bytes.IndexByte(b, '\n'); i >= 0 && !bytes.ContainsRune(b[:i], '"') {
		return b[i+1:], nil
	}
	head, err := csvBytes(&frame.Column{Name: first.Name, Kind: first.Kind}, frame.NewInt(segName, nil, nil))
	if err != nil {
		return nil, err
	}
	return bytes.TrimPrefix(b, head), nil
}

func isIdentity(perm []int) bool {
	for i, p := range perm {
		if i != p {
			return false
		}
	}
	return true
}

// relabel rewrites the segment IDs (the last field of each line after the
// header) of an assignments file: the ID written as v becomes to[v-1].
func relabel(path string, to []int) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(path + ".renumbered")
	if err != nil {
		return err
	}
	defer out.Close()
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(out, 1<<20)
	header := true
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			if header {
				header = false
				w.Write(line)
			} else {
				body := bytes.TrimSuffix(line, []byte("\n"))
				i := bytes.LastIndexByte(body, ',')
				id, perr := strconv.Atoi(string(body[i+1:]))
				if i < 0 || perr != nil || id < 1 || id > len(to) {
					return fmt.Errorf("assignments: cannot renumber the line %q", body)
				}
				w.Write(body[:i+1])
				w.WriteString(strconv.Itoa(to[id-1]))
				w.WriteByte('\n')
			}
		}
		if err != nil {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(path+".renumbered", path)
}

// logMoments are the moments of log1p of each feature over every row.
func logMoments(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, features []string) ([]streamstat.Moments, error) {
	out := make([]streamstat.Moments, len(features))
	err := str.Run(ctx, env, pipeline.Pass{Name: "log1p moments", Columns: features,
		Map: func(b *pipeline.Batch) (any, error) {
			p := make([]streamstat.Moments, len(features))
			for j, name := range features {
				x, err := b.Table.Col(name).Float64s()
				if err != nil {
					return nil, err
				}
				for i, v := range x {
					x[i] = math.Log1p(v)
				}
				p[j].Add(x)
			}
			return p, nil
		},
		Reduce: func(v any, _ *pipeline.Batch) error {
			for j, m := range v.([]streamstat.Moments) {
				out[j].Merge(m)
			}
			return nil
		}})
	return out, err
}

// robustStats are each feature's median and interquartile range over every
// row, exact (two passes), with scikit-learn's RobustScaler arithmetic
// (numpy's median and percentile, as internal/scale computes them).
func robustStats(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, features []string) (med, iqr []float64, err error) {
	sk := make([]*streamstat.Sketch, len(features))
	for j := range sk {
		sk[j] = &streamstat.Sketch{}
	}
	pass := func(name string, collect bool) error {
		return str.Run(ctx, env, pipeline.Pass{Name: name, Columns: features,
			Reduce: func(_ any, b *pipeline.Batch) error {
				for j, f := range features {
					x, err := b.Table.Col(f).Float64s()
					if err != nil {
						return err
					}
					if collect {
						sk[j].CollectAll(x)
					} else {
						sk[j].AddAll(x)
					}
				}
				return nil
			}})
	}
	if err := pass("robust scaling (counts)", false); err != nil {
		return nil, nil, err
	}
	for _, s := range sk {
		n := s.N()
		s.PlanRanks(n/2-1, n/2)
		for _, q := range []float64{0.25, 0.75} {
			i, _ := numpyIndex(n, q)
			s.PlanRanks(i, i+1)
		}
		s.StartCollect()
	}
	if err := pass("robust scaling (values)", true); err != nil {
		return nil, nil, err
	}
	med, iqr = make([]float64, len(features)), make([]float64, len(features))
	for j, s := range sk {
		if err := s.Finish(); err != nil {
			return nil, nil, err
		}
		n := s.N()
		val := func(r int64) float64 { v, _ := s.Value(r); return v }
		if n%2 == 1 {
			med[j] = val(n / 2)
		} else {
			med[j] = (val(n/2-1) + val(n/2)) / 2
		}
		quant := func(q float64) float64 {
			i, t := numpyIndex(n, q)
			if i >= n-1 {
				return val(n - 1)
			}
			if i < 0 {
				return val(0)
			}
			a, b := val(i), val(i+1)
			diff := b - a
			if t >= 0.5 {
				return b - float64(diff*(1-t))
			}
			return a + float64(diff*t)
		}
		iqr[j] = quant(0.75) - quant(0.25)
	}
	return med, iqr, nil
}

// numpyIndex is numpy's linear percentile's virtual index split into its
// floor and fraction, evaluated as internal/scale's quantileSorted does.
func numpyIndex(n int64, q float64) (int64, float64) {
	const alpha, beta = 1.0, 1.0
	vi := float64(n)*q + (alpha + q*(1-alpha-beta)) - 1
	lo := math.Floor(vi)
	return int64(lo), vi - lo
}
