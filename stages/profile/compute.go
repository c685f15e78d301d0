package profile

import (
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
)

// Analysis is the result of Analyze: the profile without file names, plus
// what the figures need.
type Analysis struct {
	Result   *result.Profile
	Warnings []string

	// values[j] holds profiled column j for every row (original units,
	// NaN where missing); members[s] lists segment s's rows, ascending.
	values  [][]float64
	members [][]int
	// boxes[j][s] are the box-plot statistics of column j in segment s.
	boxes [][]plotkit.BoxStats
	// catFeatures are the categorical clustering features profiled.
	catFeatures map[string]bool
	// sizes are the segments' sizes when members holds only a sample of
	// their rows (execution mode stream); nil otherwise.
	sizes []int
	// pca, when set, gives the projection of the point plots (the
	// streamed run's exact principal components) instead of pca2 on the
	// cluster stage's scaled rows.
	pca func() (*result.PCAResult, []float64, []float64, error)
	// pairMeans, when set, holds each segment's means of x and y over the
	// rows where both are present, by scatter pair "x\x00y": the centroids
	// of the point plots in original units, over every row.
	pairMeans map[string][][2]float64
	// w are the rows' sample weights (the cluster stage's, from
	// input.weight_column), nil when rows are unweighted.
	w []float64
	// dropValues lets Figures release values once the scatters are built,
	// before the PCA allocates its copies of the features (the stage's
	// peak memory on large tables); the stage sets it, as it draws once.
	dropValues bool

	// tally counts a column's values by segment (missing values as the
	// level missingAs when it is one): over the table's rows in memory,
	// with a GROUP BY in execution.mode: database.
	tally func(column, missingAs string) (*tallies, error)
	// hypothesis checks hypothesis i of the config.
	hypothesis func(i int) (*result.HypothesisResult, error)
	// plotOf is, in execution.mode: database, the whole table's rows of
	// which the plotted rows (members) are a seeded sample; 0 in memory.
	plotOf int
}

// Analyze profiles the segments of cl over table t with cfg: statistics
// per segment and column, z-scores, names, descriptions, categorical
// shares, the outcome rate and the hypothesis checks. Neither t nor cl is
// modified.
func Analyze(ctx context.Context, t *frame.Table, cl *result.Clusters, cfg *Config) (*Analysis, error) {
	if err := checkClusters(t, cl); err != nil {
		return nil, err
	}
	a := &Analysis{Result: &result.Profile{
		Rows: t.NumRows(), K: cl.K, Noun: cfg.Noun, Scale: cl.Scale,
		Hypotheses: []result.HypothesisResult{}, Categorical: []result.CategoricalProfile{},
	}}
	a.members = groupRows(cl.Labels, cl.K)
	if len(cl.Weights) == t.NumRows() {
		a.w = cl.Weights
		a.Result.Weighted = cl.WeightColumn
	}
	a.tally = func(column, missingAs string) (*tallies, error) {
		c := t.Col(column)
		if c == nil {
			return nil, &frame.UnknownColumnError{Name: column, Known: t.Names()}
		}
		return tallyRows(c, a.members, a.w, missingAs), nil
	}
	a.hypothesis = func(i int) (*result.HypothesisResult, error) {
		return checkHypothesis(t, cfg, i, a.members, a.Result.Segments)
	}
	if err := a.collectColumns(t, cl, cfg); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	perSeg, err := a.columnStats(ctx)
	if err != nil {
		return nil, err
	}
	sizes := make([]int, cl.K)
	var weights []float64
	var all float64
	for s, rows := range a.members {
		sizes[s] = len(rows)
	}
	if a.w != nil {
		weights = make([]float64, cl.K)
		for s, rows := range a.members {
			for _, i := range rows {
				weights[s] += a.w[i]
			}
		}
		for _, v := range a.w {
			all += v
		}
	}
	a.segments(cl, cfg, perSeg, sizes, weights, all)
	describeAll(a.Result, cfg)
	if err := a.featureCategories(cl, cfg); err != nil {
		return nil, err
	}
	if err := a.breakdowns(cfg); err != nil {
		return nil, err
	}
	return a, nil
}

// collectColumns gathers the numeric columns profiled: the clustering
// features (from the cluster stage's original matrix when present), then
// the extra columns from the table.
func (a *Analysis) collectColumns(t *frame.Table, cl *result.Clusters, cfg *Config) error {
	res := a.Result
	n, d := res.Rows, len(cl.Features)
	isFeature := map[string]bool{}
	for j, f := range cl.Features {
		isFeature[f] = true
		res.Columns = append(res.Columns, result.ProfileColumn{Name: f, Role: result.RoleFeature})
		if len(cl.Original) == n*d {
			col := make([]float64, n)
			for i := range n {
				col[i] = cl.Original[i*d+j]
			}
			a.values = append(a.values, col)
			continue
		}
		col, err := numericColumn(t, f, "features")
		if err != nil {
			return err
		}
		a.values = append(a.values, col)
	}
	for i, name := range cfg.Extra {
		if isFeature[name] {
			a.Warnings = append(a.Warnings, fmt.Sprintf("extra[%d]: %q is a clustering feature and is profiled as one", i, name))
			continue
		}
		col, err := numericColumn(t, name, fmt.Sprintf("extra[%d]", i))
		if err != nil {
			return err
		}
		res.Columns = append(res.Columns, result.ProfileColumn{Name: name, Role: result.RoleExtra})
		a.values = append(a.values, col)
	}
	return nil
}

// columnStats computes every profiled column's statistics overall (into
// the result), per segment (returned, perSeg[column][segment]) and for the
// box plots, one column per task: the results do not depend on the number
// of workers.
func (a *Analysis) columnStats(ctx context.Context) (perSeg [][]result.FeatureStats, err error) {
	res := a.Result
	m := len(res.Columns)
	res.Overall = make([]result.FeatureStats, m)
	perSeg = make([][]result.FeatureStats, m)
	a.boxes = make([][]plotkit.BoxStats, m)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(m, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]float64, 0, 1024)
			for j := range next {
				res.Overall[j], perSeg[j], a.boxes[j] = columnStats(res.Columns[j].Name, a.values[j], a.members, a.w, &buf)
			}
		}()
	}
	for j := range m {
		if ctx.Err() != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	return perSeg, ctx.Err()
}

// segments builds each segment's profile (ID, name, label, colour, size,
// share and per-column statistics) from the segments' rows (sizes) and,
// with sample weights, their total weight (weights; nil unweighted) and
// the table's (all), warning about pinned names of segments that do not
// exist.
func (a *Analysis) segments(cl *result.Clusters, cfg *Config, perSeg [][]result.FeatureStats, sizes []int, weights []float64, all float64) {
	res := a.Result
	n := res.Rows
	names := segmentNames(cl, cfg)
	for _, id := range slices.Sorted(maps.Keys(cfg.Names)) {
		if !slices.Contains(cl.IDs, id) {
			a.Warnings = append(a.Warnings, fmt.Sprintf("names: there is no segment %d (segments are %s); its name is not used", id, intList(cl.IDs)))
		}
	}
	for s := range cl.K {
		sp := result.SegmentProfile{
			Index: s, ID: cl.IDs[s], Name: names[s],
			Color: plotkit.Hex(plotkit.SegmentColor(colorKey(cl.IDs[s]))),
			Size:  sizes[s],
		}
		if sp.Name != "" {
			sp.NameSource = NamePinned
		}
		sp.Label = sp.Name
		if sp.Label == "" {
			sp.Label = fmt.Sprintf("Segment %d", sp.ID)
		}
		if n > 0 {
			sp.Share = float64(sp.Size) / float64(n)
		}
		if weights != nil {
			sp.Weight, sp.Share = weights[s], weights[s]/all
		}
		if st := cl.Stability; st != nil && s < len(st.Segments) {
			ss := st.Segments[s]
			sp.Stability = &ss
		}
		for j := range perSeg {
			sp.Stats = append(sp.Stats, perSeg[j][s])
		}
		res.Segments = append(res.Segments, sp)
	}
}

// breakdowns adds the categorical shares, the outcome rates and the
// hypothesis checks.
func (a *Analysis) breakdowns(cfg *Config) error {
	res := a.Result
	for i, cc := range cfg.Categorical {
		if a.isFeature(cc.Column) {
			continue // profiled with its modes by featureCategories
		}
		tl, err := a.tally(cc.Column, cc.Missing)
		if err != nil {
			return fmt.Errorf("categorical[%d]: %w", i, err)
		}
		res.Categorical = append(res.Categorical, *tl.profile(cc, cfg.MaxLevels))
	}
	if cfg.Outcome != nil {
		tl, err := a.tally(cfg.Outcome.Column, "")
		if err != nil {
			return fmt.Errorf("outcome: %w", err)
		}
		op, warn := tl.outcome(cfg.Outcome)
		if warn != "" {
			a.Warnings = append(a.Warnings, warn)
		}
		res.Outcome = op
	}
	for i := range cfg.Hypotheses {
		h, err := a.hypothesis(i)
		if err != nil {
			return fmt.Errorf("hypotheses[%d]: %w", i, err)
		}
		res.Hypotheses = append(res.Hypotheses, *h)
	}
	return nil
}

// featureCategories profiles the categorical clustering features (k-
// prototypes) first: their category shares per segment (every category:
// max_levels does not pool them, since the prototypes' modes must show)
// and each segment's mode. A categorical: entry naming one keeps its
// missing label.
func (a *Analysis) featureCategories(cl *result.Clusters, cfg *Config) error {
	a.catFeatures = map[string]bool{}
	for f, name := range cl.Categorical {
		cc := CategoricalColumn{Column: name}
		for _, c := range cfg.Categorical {
			if c.Column == name {
				cc = c
			}
		}
		levels := 1
		if f < len(cl.Categories) {
			levels = len(cl.Categories[f]) + 2
		}
		tl, err := a.tally(name, cc.Missing)
		if err != nil {
			return fmt.Errorf("categorical feature %q: %w", name, err)
		}
		cp := tl.profile(cc, max(levels, cfg.MaxLevels))
		cp.Feature = true
		for s := range cl.K {
			mode := cl.ModeText(s, f)
			if mode == result.MissingLevel && cp.MissingLevel != "" {
				mode = cp.MissingLevel
			}
			cp.Modes = append(cp.Modes, mode)
		}
		a.Result.Categorical = append(a.Result.Categorical, *cp)
		a.catFeatures[name] = true
	}
	return nil
}

// isFeature reports whether a categorical column is a clustering feature.
func (a *Analysis) isFeature(name string) bool { return a.catFeatures[name] }

// checkClusters verifies that cl describes t's rows.
func checkClusters(t *frame.Table, cl *result.Clusters) error {
	switch {
	case t == nil:
		return fmt.Errorf("no table to profile")
	case cl == nil:
		return fmt.Errorf("no clusters to profile (add a cluster stage before profile)")
	case cl.K < 1:
		return fmt.Errorf("the clustering has %d segments", cl.K)
	case len(cl.Labels) != t.NumRows():
		return fmt.Errorf("the clustering labels %d rows but the table has %d; profile must follow the cluster stage directly (no stage may change the rows in between)", len(cl.Labels), t.NumRows())
	case len(cl.IDs) != cl.K:
		return fmt.Errorf("the clustering has %d segment IDs for %d segments", len(cl.IDs), cl.K)
	case len(cl.Features) == 0:
		return fmt.Errorf("the clustering has no features")
	}
	for i, l := range cl.Labels {
		if l < 0 || int(l) >= cl.K {
			return fmt.Errorf("row %d has segment index %d outside 0…%d", i+1, l, cl.K-1)
		}
	}
	return nil
}

// numericColumn returns a table column as floats (NaN where missing).
func numericColumn(t *frame.Table, name, key string) ([]float64, error) {
	c := t.Col(name)
	if c == nil {
		return nil, fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: t.Names()})
	}
	if c.Kind == frame.String {
		return nil, fmt.Errorf("%s: column %q holds text; only numeric (int, float, bool) columns can be profiled this way", key, name)
	}
	return c.Float64s()
}

// groupRows lists each segment's rows in ascending order.
func groupRows(labels []int32, k int) [][]int {
	counts := make([]int, k)
	for _, l := range labels {
		counts[l]++
	}
	out := make([][]int, k)
	for s := range out {
		out[s] = make([]int, 0, counts[s])
	}
	for i, l := range labels {
		out[l] = append(out[l], i)
	}
	return out
}

// columnStats returns a column's overall statistics, its statistics per
// segment (with z-scores) and its box-plot statistics per segment. buf is
// scratch space.
//
// With sample weights w every statistic is frequency-weighted
// (stats.DescribeWeighted: weighted mean, ddof-1 std over Σw − 1, the
// linear quantiles of the repeated rows), as are the z-scores; the box
// plots' whiskers span the rows with a positive weight.
func columnStats(name string, x []float64, members [][]int, w []float64, buf *[]float64) (result.FeatureStats, []result.FeatureStats, []plotkit.BoxStats) {
	describe := stats.Describe
	var wbuf []float64
	if w != nil {
		describe = func(v []float64) stats.Numeric { return stats.DescribeWeighted(v, wbuf) }
		wbuf = w
	}
	overall := featureStats(name, describe(x))
	overall.Z = 0
	seg := make([]result.FeatureStats, len(members))
	boxes := make([]plotkit.BoxStats, len(members))
	for s, rows := range members {
		v := (*buf)[:0]
		var ws []float64
		for _, i := range rows {
			if w != nil && !(w[i] > 0) {
				continue
			}
			v = append(v, x[i])
			if w != nil {
				ws = append(ws, w[i])
			}
		}
		*buf = v
		wbuf = ws
		d := describe(v)
		fs := featureStats(name, d)
		fs.Z = math.NaN()
		if overall.Std > 0 && !math.IsInf(overall.Std, 0) {
			fs.Z = (fs.Mean - overall.Mean) / overall.Std
		}
		seg[s] = fs
		lo, hi := plotkit.Whiskers(v, d.Q25, d.Q75)
		boxes[s] = plotkit.BoxStats{N: d.Count, Q1: d.Q25, Median: d.Q50, Q3: d.Q75, Mean: d.Mean, Low: lo, High: hi}
	}
	return overall, seg, boxes
}

func featureStats(name string, d stats.Numeric) result.FeatureStats {
	return result.FeatureStats{Column: name, Count: d.Count, Mean: d.Mean, Median: d.Q50, Std: d.Std,
		Min: d.Min, Max: d.Max, Q25: d.Q25, Q75: d.Q75}
}

// colorKey is the palette index of segment ID id: segment 1 is always the
// first colour, whatever its size rank, so a segment keeps its colour from
// night to night (its ID is stable) and across every figure and table.
func colorKey(id int) int { return id - 1 }

// segmentNames returns each segment's name: the config's (by ID), else the
// cluster stage's, else "".
func segmentNames(cl *result.Clusters, cfg *Config) []string {
	names := make([]string, cl.K)
	for s := range cl.K {
		if s < len(cl.Names) {
			names[s] = cl.Names[s]
		}
		if nm, ok := cfg.Names[cl.IDs[s]]; ok {
			names[s] = nm
		}
	}
	return names
}

func intList(v []int) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(x)
	}
	return s
}
