package profile

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// runStream is the stage in execution mode stream. Every number of
// profile.csv and profile.json comes from two passes over the table, each
// row labelled as assignments.csv labels it (result.StreamClusters.Label):
// the first gives each segment's and column's moments (count, mean, std,
// min, max), the histograms of its values, categorical and outcome counts,
// the co-moments of the hypotheses' pairs per segment and of the scaled
// features (for the principal components); the second collects the
// values of the bins that hold the quartiles and the box plots' whisker
// ends, and finds each component's largest score (its sign, as
// scikit-learn's PCA sets it). The point plots draw from the stream's
// row sample (their caption says so); their centroids, the box plots and
// the projection are exact.
func (s *stage) runStream(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	cfg := s.cfg
	cl := st.Clusters
	if cl == nil || cl.Stream == nil {
		return fmt.Errorf("no streamed clusters to profile (add a cluster stage before profile)")
	}
	if err := cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	str := st.Stream
	a, err := analyzeStream(ctx, env, str, cl, cfg)
	if err != nil {
		return err
	}
	sample, err := str.Sample(ctx, env)
	if err != nil {
		return err
	}
	figs, err := a.sampleFigures(ctx, sample, cl, cfg, env.Seed)
	if err != nil {
		return err
	}
	env.Note("plots_from", fmt.Sprintf("the row sample (%d rows)", sample.NumRows()))
	return s.publish(ctx, env, st, a, figs)
}

// profCol is a profiled numeric column: a feature (its index in the
// feature matrix) or an extra column read from the table.
type profCol struct {
	name    string
	feature int // -1 for an extra column
}

// cell accumulates one column's values in one segment (or overall).
type cell struct {
	mom streamstat.Moments
	sk  streamstat.Sketch
}

// pairAcc holds the co-moments of two columns overall and per segment.
type pairAcc struct {
	x, y    string
	overall *streamstat.Pearson
	seg     []*streamstat.Pearson
}

// levelAcc counts a column's levels per segment in order of first
// appearance.
type levelAcc struct {
	name     string
	index    map[string]int
	levels   []string
	cnt      [][]int // [segment][level]
	missing  []int
	hits     []int // outcome: rows with the value, per segment
	outcome  string
	isTarget bool
}

type streamAnalysis struct {
	k         int
	cols      []profCol
	cells     [][]*cell // [column][segment k = overall]
	cats      []*levelAcc
	out       *levelAcc
	pairs     []*pairAcc
	pca       *streamstat.Pearson
	pcaMom    []streamstat.Moments
	d         int
	loadings  [2][]float64
	explained [2]float64
	means     []float64
	best      [2]struct {
		abs, score float64
		seen       bool
	}
}

func analyzeStream(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, cl *result.Clusters, cfg *Config) (*Analysis, error) {
	k := cl.K
	fields, err := str.Schema(ctx)
	if err != nil {
		return nil, err
	}
	kinds := map[string]frame.Kind{}
	var names []string
	for _, f := range fields {
		kinds[f.Name] = f.Kind
		names = append(names, f.Name)
	}
	a := &Analysis{Result: &result.Profile{
		Rows: int(cl.Stream.Rows), K: k, Noun: cfg.Noun, Scale: cl.Scale,
		Hypotheses: []result.HypothesisResult{}, Categorical: []result.CategoricalProfile{},
	}, sizes: slices.Clone(cl.Sizes)}
	res := a.Result
	sa := &streamAnalysis{k: k, d: len(cl.Features)}
	read := map[string]bool{}
	isFeature := map[string]bool{}
	for j, f := range cl.Features {
		isFeature[f] = true
		res.Columns = append(res.Columns, result.ProfileColumn{Name: f, Role: result.RoleFeature})
		sa.cols = append(sa.cols, profCol{name: f, feature: j})
		read[f] = true
	}
	for i, name := range cfg.Extra {
		if isFeature[name] {
			a.Warnings = append(a.Warnings, fmt.Sprintf("extra[%d]: %q is a clustering feature and is profiled as one", i, name))
			continue
		}
		if err := numericKind(kinds, names, name, fmt.Sprintf("extra[%d]", i)); err != nil {
			return nil, err
		}
		res.Columns = append(res.Columns, result.ProfileColumn{Name: name, Role: result.RoleExtra})
		sa.cols = append(sa.cols, profCol{name: name, feature: -1})
		read[name] = true
	}
	for _, cc := range cfg.Categorical {
		if _, ok := kinds[cc.Column]; !ok {
			return nil, fmt.Errorf("categorical: %w", &frame.UnknownColumnError{Name: cc.Column, Known: names})
		}
		sa.cats = append(sa.cats, newLevelAcc(cc.Column, k))
		read[cc.Column] = true
	}
	if o := cfg.Outcome; o != nil {
		if _, ok := kinds[o.Column]; !ok {
			return nil, fmt.Errorf("outcome: %w", &frame.UnknownColumnError{Name: o.Column, Known: names})
		}
		sa.out = newLevelAcc(o.Column, k)
		sa.out.outcome, sa.out.isTarget = o.Value, true
		read[o.Column] = true
	}
	addPair := func(x, y, key string) error {
		for _, p := range sa.pairs {
			if p.x == x && p.y == y {
				return nil
			}
		}
		for _, c := range []struct{ name, key string }{{x, "x"}, {y, "y"}} {
			if err := numericKind(kinds, names, c.name, key+": "+c.key); err != nil {
				return err
			}
			read[c.name] = true
		}
		p := &pairAcc{x: x, y: y, overall: streamstat.NewPearson(2), seg: make([]*streamstat.Pearson, k)}
		for s := range p.seg {
			p.seg[s] = streamstat.NewPearson(2)
		}
		sa.pairs = append(sa.pairs, p)
		return nil
	}
	for i, h := range cfg.Hypotheses {
		if err := addPair(h.X, h.Y, fmt.Sprintf("hypotheses[%d]", i)); err != nil {
			return nil, err
		}
	}
	for i, pair := range cfg.Scatter {
		if cfg.units(pair) == UnitsOriginal {
			if err := addPair(pair.X, pair.Y, fmt.Sprintf("scatter[%d]", i)); err != nil {
				return nil, err
			}
		}
	}
	sa.cells = make([][]*cell, len(sa.cols))
	for j := range sa.cells {
		sa.cells[j] = make([]*cell, k+1)
		for s := range sa.cells[j] {
			sa.cells[j][s] = &cell{}
		}
	}
	if sa.d >= 2 {
		sa.pca = streamstat.NewPearson(sa.d)
		sa.pcaMom = make([]streamstat.Moments, sa.d)
	}
	columns := sortedKeys(read)
	if err := str.Run(ctx, env, pipeline.Pass{Name: "profile statistics", Columns: columns,
		Worker: func() any { return sa.newSketches(false) },
		Map:    func(b *pipeline.Batch) (any, error) { return sa.mapFirst(b, cl) },
		Reduce: func(v any, _ *pipeline.Batch) error { sa.reduceFirst(v.(*firstPart)); return nil },
		Done:   sa.mergeSketches}); err != nil {
		return nil, err
	}
	sa.plan()
	if err := sa.solvePCA(); err != nil {
		a.Warnings = append(a.Warnings, "pca: "+err.Error()+"; the plot is left out")
		sa.pca = nil
	}
	var numeric []string
	for _, c := range sa.cols {
		numeric = append(numeric, c.name)
	}
	if err := str.Run(ctx, env, pipeline.Pass{Name: "profile quartiles and whiskers", Columns: numeric,
		Worker: func() any { return sa.newSketches(true) },
		Map:    func(b *pipeline.Batch) (any, error) { return sa.mapSecond(b, cl) },
		Reduce: func(v any, _ *pipeline.Batch) error { sa.reduceSecond(v.(*secondPart)); return nil },
		Done:   sa.mergeSketches}); err != nil {
		return nil, err
	}
	perSeg, err := sa.columnStats(a)
	if err != nil {
		return nil, err
	}
	a.segments(cl, cfg, perSeg, a.sizes, nil, 0)
	describeAll(res, cfg)
	for _, la := range sa.cats {
		var cc CategoricalColumn
		for _, c := range cfg.Categorical {
			if c.Column == la.name {
				cc = c
			}
		}
		res.Categorical = append(res.Categorical, *la.tallies(cc.Missing).profile(cc, cfg.MaxLevels))
	}
	if sa.out != nil {
		op, warn := sa.out.tallies("").outcome(cfg.Outcome)
		if warn != "" {
			a.Warnings = append(a.Warnings, warn)
		}
		res.Outcome = op
	}
	for i, h := range cfg.Hypotheses {
		p := sa.pair(h.X, h.Y)
		r, n := p.overall.R(0, 1)
		hr := hypothesisResult(cfg, i, r, int(n))
		for s := range k {
			sr, sn := p.seg[s].R(0, 1)
			mx, my := p.seg[s].Means(0, 1)
			if sn < 2 {
				sr = math.NaN()
			}
			hr.Segments = append(hr.Segments, result.HypothesisSegment{Index: s, Label: res.Segments[s].Label, N: int(sn), MeanX: mx, MeanY: my, R: sr})
		}
		res.Hypotheses = append(res.Hypotheses, *hr)
	}
	a.pairMeans = map[string][][2]float64{}
	for _, p := range sa.pairs {
		m := make([][2]float64, k)
		for s := range k {
			m[s][0], m[s][1] = p.seg[s].Means(0, 1)
		}
		a.pairMeans[p.x+"\x00"+p.y] = m
	}
	if sa.pca != nil {
		a.pca = func() (*result.PCAResult, []float64, []float64, error) { return sa.pcaResult(), nil, sa.means, nil }
	}
	return a, nil
}

// newSketches is a worker's histograms of every cell (planned as the
// cells are, for the second pass).
func (sa *streamAnalysis) newSketches(planned bool) any {
	w := make([][]*streamstat.Sketch, len(sa.cells))
	for j, cells := range sa.cells {
		w[j] = make([]*streamstat.Sketch, len(cells))
		for s, c := range cells {
			w[j][s] = &streamstat.Sketch{}
			if planned {
				w[j][s].Plan(&c.sk)
			}
		}
	}
	return w
}

// mergeSketches adds the workers' histograms (or collected values) to the
// cells.
func (sa *streamAnalysis) mergeSketches(ws []any) error {
	for _, w := range ws {
		for j, row := range w.([][]*streamstat.Sketch) {
			for s, sk := range row {
				sa.cells[j][s].sk.Merge(sk)
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// numericKind checks that a column exists and is numeric (as
// numericColumn does in memory).
func numericKind(kinds map[string]frame.Kind, names []string, name, key string) error {
	k, ok := kinds[name]
	if !ok {
		return fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: names})
	}
	if k == frame.String {
		return fmt.Errorf("%s: column %q holds text; only numeric (int, float, bool) columns can be profiled this way", key, name)
	}
	return nil
}

func newLevelAcc(name string, k int) *levelAcc {
	return &levelAcc{name: name, index: map[string]int{}, cnt: make([][]int, k), missing: make([]int, k), hits: make([]int, k)}
}

// tallies are the column's counts per segment and level (unweighted);
// with missingAs naming a level, missing values count as that level (as
// tallyRows counts them).
func (la *levelAcc) tallies(missingAs string) *tallies {
	k := len(la.cnt)
	tl := &tallies{levels: la.levels, cnt: make([][]int, k), mass: make([][]float64, k), missCnt: slices.Clone(la.missing), missMass: make([]float64, k)}
	at := -1
	if missingAs != "" {
		at = slices.Index(la.levels, missingAs)
	}
	for s := range k {
		tl.cnt[s] = make([]int, len(la.levels))
		copy(tl.cnt[s], la.cnt[s])
		if at >= 0 && tl.missCnt[s] > 0 {
			tl.cnt[s][at] += tl.missCnt[s]
			tl.missCnt[s], tl.merged = 0, true
		}
		tl.mass[s] = make([]float64, len(la.levels))
		for l, c := range tl.cnt[s] {
			tl.mass[s][l] = float64(c)
		}
		tl.missMass[s] = float64(tl.missCnt[s])
	}
	return tl
}

func (sa *streamAnalysis) pair(x, y string) *pairAcc {
	for _, p := range sa.pairs {
		if p.x == x && p.y == y {
			return p
		}
	}
	return nil
}

// batchLevels is one batch's levels of a column: its texts in order of
// first appearance, and per segment the rows of each, the missing rows
// and (outcome) the rows with the value.
type batchLevels struct {
	texts   []string
	cnt     [][]int
	missing []int
	hits    []int
}

type firstPart struct {
	labels []int32
	vals   [][]float64 // per profiled column
	mom    [][]streamstat.Moments
	levels []batchLevels
	out    *batchLevels
	pairs  [][]*streamstat.Pearson // [pair][segment k = overall]
	pca    *streamstat.Pearson
	pcaMom []streamstat.Moments
}

// columnValues returns the profiled columns of a batch: features from the
// original feature matrix, extras from the table.
func (sa *streamAnalysis) columnValues(t *frame.Table, X []float64) ([][]float64, error) {
	n, d := t.NumRows(), sa.d
	vals := make([][]float64, len(sa.cols))
	for j, c := range sa.cols {
		if c.feature >= 0 {
			x := make([]float64, n)
			for i := range n {
				x[i] = X[i*d+c.feature]
			}
			vals[j] = x
			continue
		}
		x, err := numericColumn(t, c.name, "extra")
		if err != nil {
			return nil, err
		}
		vals[j] = x
	}
	return vals, nil
}

func bySegment(x []float64, labels []int32, k int) [][]float64 {
	counts := make([]int, k)
	for _, l := range labels {
		counts[l]++
	}
	out := make([][]float64, k)
	for s := range out {
		out[s] = make([]float64, 0, counts[s])
	}
	for i, l := range labels {
		out[l] = append(out[l], x[i])
	}
	return out
}

func (sa *streamAnalysis) mapFirst(b *pipeline.Batch, cl *result.Clusters) (*firstPart, error) {
	t := b.Table
	k := sa.k
	labels, Z, X, err := cl.Stream.Label(t)
	if err != nil {
		return nil, err
	}
	p := &firstPart{labels: labels}
	if p.vals, err = sa.columnValues(t, X); err != nil {
		return nil, err
	}
	p.mom = make([][]streamstat.Moments, len(sa.cols))
	w := b.Worker.([][]*streamstat.Sketch)
	for j, x := range p.vals {
		p.mom[j] = make([]streamstat.Moments, k+1)
		for s, xs := range bySegment(x, labels, k) {
			p.mom[j][s].Add(xs)
			w[j][s].AddAll(xs)
		}
		p.mom[j][k].Add(x)
		w[j][k].AddAll(x)
	}
	for _, la := range sa.cats {
		p.levels = append(p.levels, levelsOf(t.Col(la.name), labels, k, ""))
	}
	if sa.out != nil {
		bl := levelsOf(t.Col(sa.out.name), labels, k, sa.out.outcome)
		p.out = &bl
	}
	for _, pr := range sa.pairs {
		x, err := numericColumn(t, pr.x, "x")
		if err != nil {
			return nil, err
		}
		y, err := numericColumn(t, pr.y, "y")
		if err != nil {
			return nil, err
		}
		acc := make([]*streamstat.Pearson, k+1)
		xs, ys := bySegment(x, labels, k), bySegment(y, labels, k)
		for s := range k {
			acc[s] = streamstat.NewPearson(2)
			acc[s].Add([][]float64{xs[s], ys[s]})
		}
		acc[k] = streamstat.NewPearson(2)
		acc[k].Add([][]float64{x, y})
		p.pairs = append(p.pairs, acc)
	}
	if sa.pca != nil {
		n, d := t.NumRows(), sa.d
		zc := make([][]float64, d)
		p.pcaMom = make([]streamstat.Moments, d)
		for j := range d {
			zc[j] = make([]float64, n)
			for i := range n {
				zc[j][i] = Z[i*d+j]
			}
			p.pcaMom[j].Add(zc[j])
		}
		p.pca = streamstat.NewPearson(d)
		p.pca.Add(zc)
	}
	return p, nil
}

// levelsOf counts a batch's levels of column c per segment (the text of a
// cell as levelCodes gives it); value, when not "", is the outcome value
// whose rows are counted in hits.
func levelsOf(c *frame.Column, labels []int32, k int, value string) batchLevels {
	bl := batchLevels{cnt: make([][]int, k), missing: make([]int, k), hits: make([]int, k)}
	index := map[string]int{}
	var hit []bool // by level: the outcome value
	level := func(s string) int {
		at, ok := index[s]
		if !ok {
			at = len(bl.texts)
			index[s] = at
			bl.texts = append(bl.texts, s)
			hit = append(hit, value != "" && s == value)
			for seg := range bl.cnt {
				bl.cnt[seg] = append(bl.cnt[seg], 0)
			}
		}
		return at
	}
	// a text column's codes find their level once each (by their text:
	// two codes of one text are one level)
	var byCode []int32 // code → level + 1; 0: not seen yet
	if c.Kind == frame.String {
		byCode = make([]int32, len(c.Dict))
	}
	for i, l := range labels {
		if c.IsMissing(i) {
			bl.missing[l]++
			continue
		}
		var at int
		if byCode != nil {
			code := c.Code(i)
			if a := byCode[code]; a > 0 {
				at = int(a - 1)
			} else {
				at = level(c.Dict[code])
				byCode[code] = int32(at + 1)
			}
		} else {
			at = level(c.Format(i))
		}
		bl.cnt[l][at]++
		if hit[at] {
			bl.hits[l]++
		}
	}
	return bl
}

func (la *levelAcc) add(bl *batchLevels) {
	for at, s := range bl.texts {
		g, ok := la.index[s]
		if !ok {
			g = len(la.levels)
			la.index[s] = g
			la.levels = append(la.levels, s)
			for seg := range la.cnt {
				la.cnt[seg] = append(la.cnt[seg], 0)
			}
		}
		for seg := range la.cnt {
			la.cnt[seg][g] += bl.cnt[seg][at]
		}
	}
	for seg := range la.cnt {
		la.missing[seg] += bl.missing[seg]
		la.hits[seg] += bl.hits[seg]
	}
}

func (sa *streamAnalysis) reduceFirst(p *firstPart) {
	k := sa.k
	for j := range p.vals {
		for s := range k + 1 {
			sa.cells[j][s].mom.Merge(p.mom[j][s])
		}
	}
	for c, la := range sa.cats {
		la.add(&p.levels[c])
	}
	if p.out != nil {
		sa.out.add(p.out)
	}
	for q, pr := range sa.pairs {
		for s := range k {
			pr.seg[s].Merge(p.pairs[q][s])
		}
		pr.overall.Merge(p.pairs[q][k])
	}
	if p.pca != nil && sa.pca != nil {
		sa.pca.Merge(p.pca)
		for j := range sa.pcaMom {
			sa.pcaMom[j].Merge(p.pcaMom[j])
		}
	}
}

// rankBounds is the range a q-quantile can take after the first pass.
func rankBounds(sk *streamstat.Sketch, q float64) (lo, hi float64) {
	n := sk.N()
	v := float64(n-1) * q
	i := int64(math.Floor(v))
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, r := range []int64{i, min(i+1, n-1)} {
		a, b, ok := sk.RankBounds(r)
		if !ok {
			continue
		}
		lo, hi = min(lo, a), max(hi, b)
	}
	return lo, hi
}

// plan marks, in every cell, the bins of the quartiles and of the whisker
// ends (the smallest value at or above Q1 − 1.5 IQR, the largest at or
// below Q3 + 1.5 IQR), whose fences are bounded by the quartiles' bins.
func (sa *streamAnalysis) plan() {
	for _, cells := range sa.cells {
		for _, c := range cells {
			sk := &c.sk
			if sk.N() == 0 {
				sk.StartCollect()
				continue
			}
			sk.PlanQuantiles(0.25, 0.5, 0.75)
			lo1, hi1 := rankBounds(sk, 0.25)
			lo3, hi3 := rankBounds(sk, 0.75)
			iqrLo, iqrHi := max(0, lo3-hi1), hi3-lo1
			slack := func(v float64) float64 { return 1e-9 * math.Max(1, math.Abs(v)) }
			fLoMin, fLoMax := lo1-1.5*iqrHi, hi1-1.5*iqrLo
			fHiMin, fHiMax := lo3+1.5*iqrLo, hi3+1.5*iqrHi
			sk.PlanCeil(fLoMin-slack(fLoMin), fLoMax+slack(fLoMax))
			sk.PlanFloor(fHiMin-slack(fHiMin), fHiMax+slack(fHiMax))
			sk.StartCollect()
		}
	}
}

type secondPart struct {
	labels []int32
	best   [2]struct {
		abs, score float64
		seen       bool
	}
}

func (sa *streamAnalysis) mapSecond(b *pipeline.Batch, cl *result.Clusters) (*secondPart, error) {
	t := b.Table
	labels, Z, X, err := cl.Stream.Label(t)
	if err != nil {
		return nil, err
	}
	p := &secondPart{labels: labels}
	vals, err := sa.columnValues(t, X)
	if err != nil {
		return nil, err
	}
	w := b.Worker.([][]*streamstat.Sketch)
	for j, x := range vals {
		all := w[j][sa.k]
		for i, v := range x {
			w[j][labels[i]].Collect(v)
			all.Collect(v)
		}
	}
	if sa.pca != nil {
		d := sa.d
		for i := range labels {
			for c := range 2 {
				s := 0.0
				for j := range d {
					s += (Z[i*d+j] - sa.means[j]) * sa.loadings[c][j]
				}
				if a := math.Abs(s); !p.best[c].seen || a > p.best[c].abs {
					p.best[c].abs, p.best[c].score, p.best[c].seen = a, s, true
				}
			}
		}
	}
	return p, nil
}

func (sa *streamAnalysis) reduceSecond(p *secondPart) {
	for c := range 2 {
		if b := p.best[c]; b.seen && (!sa.best[c].seen || b.abs > sa.best[c].abs) {
			sa.best[c] = b
		}
	}
}

// numeric is the describe() of a cell from its moments and sketch.
func (c *cell) numeric() (stats.Numeric, error) {
	nan := math.NaN()
	d := stats.Numeric{Count: int(c.mom.N), Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}
	if c.mom.N == 0 {
		return d, nil
	}
	d.Mean = c.mom.Mean()
	d.Min, d.Max = c.mom.Extremes()
	if c.mom.N > 1 {
		d.Std = c.mom.Std(1)
	}
	var ok [3]bool
	d.Q25, ok[0] = c.sk.Quantile(0.25)
	d.Q50, ok[1] = c.sk.Quantile(0.5)
	d.Q75, ok[2] = c.sk.Quantile(0.75)
	if !ok[0] || !ok[1] || !ok[2] {
		return d, fmt.Errorf("the quartiles could not be found exactly")
	}
	return d, nil
}

// columnStats is columnStats of compute.go from the cells: overall and
// per-segment statistics with z-scores, and the box plots.
func (sa *streamAnalysis) columnStats(a *Analysis) ([][]result.FeatureStats, error) {
	res := a.Result
	k := sa.k
	res.Overall = make([]result.FeatureStats, len(sa.cols))
	perSeg := make([][]result.FeatureStats, len(sa.cols))
	a.boxes = make([][]plotkit.BoxStats, len(sa.cols))
	for j, col := range sa.cols {
		for _, c := range sa.cells[j] {
			if err := c.sk.Finish(); err != nil {
				return nil, err
			}
		}
		od, err := sa.cells[j][k].numeric()
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", col.name, err)
		}
		overall := featureStats(col.name, od)
		overall.Z = 0
		res.Overall[j] = overall
		perSeg[j] = make([]result.FeatureStats, k)
		a.boxes[j] = make([]plotkit.BoxStats, k)
		for s := range k {
			c := sa.cells[j][s]
			d, err := c.numeric()
			if err != nil {
				return nil, fmt.Errorf("column %q, segment %d: %w", col.name, s+1, err)
			}
			fs := featureStats(col.name, d)
			fs.Z = math.NaN()
			if overall.Std > 0 && !math.IsInf(overall.Std, 0) {
				fs.Z = (fs.Mean - overall.Mean) / overall.Std
			}
			perSeg[j][s] = fs
			lo, hi := math.NaN(), math.NaN()
			if d.Count > 0 {
				iqr := d.Q75 - d.Q25
				loFence, hiFence := d.Q25-1.5*iqr, d.Q75+1.5*iqr
				var ok1, ok2 bool
				lo, ok1 = c.sk.Ceil(loFence)
				hi, ok2 = c.sk.Floor(hiFence)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("column %q, segment %d: the whisker ends could not be found exactly", col.name, s+1)
				}
			}
			a.boxes[j][s] = plotkit.BoxStats{N: d.Count, Q1: d.Q25, Median: d.Q50, Q3: d.Q75, Mean: d.Mean, Low: lo, High: hi}
		}
	}
	return perSeg, nil
}

// solvePCA finds the first two principal components of the scaled
// features from their covariance over every row (the eigenvectors of the
// covariance are the right singular vectors stat.PC computes).
func (sa *streamAnalysis) solvePCA() error {
	if sa.pca == nil {
		return fmt.Errorf("a 2-D projection needs at least 2 features")
	}
	d := sa.d
	if sa.pcaMom[0].N < 3 {
		return fmt.Errorf("a 2-D projection needs at least 3 rows, got %d", sa.pcaMom[0].N)
	}
	cov := mat.NewSymDense(d, nil)
	sa.means = make([]float64, d)
	for i := range d {
		sa.means[i] = sa.pcaMom[i].Mean()
		cov.SetSym(i, i, sa.pcaMom[i].Var(1))
		for j := i + 1; j < d; j++ {
			cov.SetSym(i, j, sa.pca.Cov(i, j, 1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return fmt.Errorf("the principal component analysis did not converge")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	total := 0.0
	for _, v := range vals {
		total += v
	}
	if !(total > 0) {
		return fmt.Errorf("the scaled features have no variance")
	}
	// eigenvalues come in ascending order
	for c := range 2 {
		col := d - 1 - c
		w := make([]float64, d)
		for j := range d {
			w[j] = vecs.At(j, col)
		}
		sa.loadings[c] = w
	}
	sa.explained = [2]float64{vals[d-1] / total, vals[d-2] / total}
	return nil
}

// pcaResult is the projection with each component's sign set as
// scikit-learn's svd_flip on U sets it: the row with the largest |score|
// scores positive.
func (sa *streamAnalysis) pcaResult() *result.PCAResult {
	pr := &result.PCAResult{Explained: sa.explained}
	for c := range 2 {
		w := slices.Clone(sa.loadings[c])
		if sa.best[c].score < 0 {
			for j := range w {
				w[j] = -w[j]
			}
		}
		pr.Loadings[c] = w
	}
	return pr
}

// sampleFigures draws the figures: the point plots from the stream's row
// sample (labelled as every row is), the box plots and projection exact.
func (a *Analysis) sampleFigures(ctx context.Context, sample *frame.Table, cl *result.Clusters, cfg *Config, seed uint64) ([]Figure, error) {
	labels, Z, X, err := cl.Stream.Label(sample)
	if err != nil {
		return nil, err
	}
	scl := *cl
	scl.Labels, scl.Scaled, scl.Original = labels, Z, X
	a.members = groupRows(labels, cl.K)
	d := len(cl.Features)
	for j, c := range a.Result.Columns {
		if fj := slices.Index(cl.Features, c.Name); fj >= 0 && j < d {
			x := make([]float64, len(labels))
			for i := range x {
				x[i] = X[i*d+fj]
			}
			a.values = append(a.values, x)
			continue
		}
		x, err := numericColumn(sample, c.Name, "extra")
		if err != nil {
			return nil, err
		}
		a.values = append(a.values, x)
	}
	if a.pca != nil {
		full := a.pca
		a.pca = func() (*result.PCAResult, []float64, []float64, error) {
			pr, _, means, err := full()
			if err != nil {
				return nil, nil, nil, err
			}
			n := len(labels)
			scores := make([]float64, 2*n)
			for i := range n {
				for c := range 2 {
					s := 0.0
					for j := range d {
						s += (Z[i*d+j] - means[j]) * pr.Loadings[c][j]
					}
					scores[i*2+c] = s
				}
			}
			return pr, scores, means, nil
		}
	} else {
		a.pca = func() (*result.PCAResult, []float64, []float64, error) {
			return nil, nil, nil, fmt.Errorf("no projection")
		}
	}
	return a.Figures(ctx, sample, &scl, cfg, seed)
}
