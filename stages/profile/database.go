package profile

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/pipeline"
)

// runDatabase is the profile stage in execution.mode: database. Every row
// gets its segment from the run's model.json in SQL (sqlgen's scoring,
// as `segment export` writes it), and the profile is aggregate queries
// grouped by it: each column's count, mean, std, min and max (per
// partition, combined), its quartiles and median and the box plots'
// whiskers (percentile_cont, over the whole table), the level counts of
// the categorical columns and the outcome, and the hypotheses' co-moments.
// The point plots (scatter, PCA) draw a seeded sample of at most
// max_points rows, pulled with their segment; the other figures and every
// number are the whole table's.
func (s *stage) runDatabase(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	rel, ok := st.Database.(*pushdown.Relation)
	if !ok || rel == nil {
		return errors.New("execution.mode: database: there is no database table (the ingest stage opens it)")
	}
	cl := st.Clusters
	if cl == nil || cl.ModelFile == "" {
		return errors.New("no clusters to profile (add a cluster stage before profile)")
	}
	if err := s.cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	sess := rel.Session()
	sess.Begin(env.Name)
	m, err := model.Load(filepath.Join(env.Dir, cl.ModelFile))
	if err != nil {
		return fmt.Errorf("the run's model: %w", err)
	}
	a, err := analyzeDatabase(ctx, rel, cl, m, s.cfg)
	if err != nil {
		return err
	}
	plotT, plotCl, err := plotSample(ctx, rel, cl, m, s.cfg, a, env.IDColumn, env.Seed)
	if err != nil {
		return err
	}
	full := a.Result.Rows
	a.Result.Rows = plotT.NumRows()
	figs, err := a.Figures(ctx, plotT, plotCl, s.cfg, env.Seed)
	a.Result.Rows = full
	if err != nil {
		return err
	}
	env.Note("database", pushdown.RecordOf(sess.Log()))
	return s.publish(ctx, env, st, a, figs)
}

// scored adds to q the layers that give every row its segment index with
// the model, carrying cols (current columns) through them; it returns the
// segment index's SQL and each carried column's.
func scored(q *sqlgen.Query, m *model.Model, cols []string) (string, map[string]string, error) {
	carried := map[string]string{}
	for _, c := range cols {
		if _, done := carried[c]; done {
			continue
		}
		if _, ok := q.Col(c); !ok {
			return "", nil, fmt.Errorf("no column %q here", c)
		}
		carried[c] = q.Carry("profile_column", q.Ref(c))
	}
	ds, err := q.Distances(sqlgen.ModelCentroids(m))
	if err != nil {
		return "", nil, err
	}
	if err := q.Nearest(ds); err != nil {
		return "", nil, err
	}
	refs := map[string]string{}
	for c, name := range carried {
		refs[c] = q.Ref(name)
	}
	return q.Ref(ds.Nearest), refs, nil
}

// double is a numeric column's value as a double (bool 0/1), NaN never
// (NULL when missing).
func double(d *sqlgen.Dialect, x string, k frame.Kind) string {
	switch k {
	case frame.Float:
		return x
	case frame.Bool:
		return "CASE WHEN " + x + " THEN " + d.Float(1) + " WHEN NOT " + x + " THEN " + d.Float(0) + " END"
	}
	return d.Cast(x, frame.Float)
}

// segmentIndex reads a GROUP BY key holding a segment index.
func segmentIndex(v any, k int) (int, bool) {
	var s int
	switch x := v.(type) {
	case int32:
		s = int(x)
	case int64:
		s = int(x)
	default:
		return 0, false
	}
	return s, s >= 0 && s < k
}

// analyzeDatabase computes the profile's numbers with aggregate queries.
func analyzeDatabase(ctx context.Context, rel *pushdown.Relation, cl *result.Clusters, m *model.Model, cfg *Config) (*Analysis, error) {
	n, ok := rel.Rows()
	if !ok {
		counted, err := rel.Count(ctx, "counting the rows", nil)
		if err != nil {
			return nil, err
		}
		n, _ = counted.Rows()
	}
	k := cl.K
	a := &Analysis{Result: &result.Profile{
		Rows: n, K: k, Noun: cfg.Noun, Scale: cl.Scale,
		Hypotheses: []result.HypothesisResult{}, Categorical: []result.CategoricalProfile{},
	}}
	res := a.Result
	// The profiled columns: the features, then the extra columns.
	var kinds []frame.Kind
	add := func(name, key, role string) error {
		c, ok := rel.Col(name)
		if !ok {
			return fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: rel.Columns()})
		}
		if c.Kind == frame.String {
			return fmt.Errorf("%s: column %q holds text; only numeric (int, float, bool) columns can be profiled this way", key, name)
		}
		res.Columns = append(res.Columns, result.ProfileColumn{Name: name, Role: role})
		kinds = append(kinds, c.Kind)
		return nil
	}
	for _, f := range cl.Features {
		if err := add(f, "features", result.RoleFeature); err != nil {
			return nil, err
		}
	}
	for i, name := range cfg.Extra {
		if slices.Contains(cl.Features, name) {
			a.Warnings = append(a.Warnings, fmt.Sprintf("extra[%d]: %q is a clustering feature and is profiled as one", i, name))
			continue
		}
		if err := add(name, fmt.Sprintf("extra[%d]", i), result.RoleExtra); err != nil {
			return nil, err
		}
	}
	names := make([]string, len(res.Columns))
	for j, c := range res.Columns {
		names[j] = c.Name
	}
	perSeg, sizes, err := columnStatsDB(ctx, rel, m, names, kinds, k, a)
	if err != nil {
		return nil, err
	}
	a.segments(cl, cfg, perSeg, sizes, nil, 0)
	describeAll(res, cfg)
	a.tally = func(column, missingAs string) (*tallies, error) {
		return tallyDB(ctx, rel, m, column, missingAs, k)
	}
	hyps, err := hypothesesDB(ctx, rel, m, cfg, k)
	if err != nil {
		return nil, err
	}
	a.hypothesis = func(i int) (*result.HypothesisResult, error) { return hyps(i, res.Segments) }
	if err := a.featureCategories(cl, cfg); err != nil {
		return nil, err
	}
	if err := a.breakdowns(cfg); err != nil {
		return nil, err
	}
	return a, nil
}

// columnStatsDB are the profiled columns' statistics per segment and over
// every row, and the box plots' (a.boxes); it returns each segment's rows.
func columnStatsDB(ctx context.Context, rel *pushdown.Relation, m *model.Model, names []string, kinds []frame.Kind, k int, a *Analysis) ([][]result.FeatureStats, []int, error) {
	res := a.Result
	nc := len(names)
	g, err := rel.Aggregate(ctx, "each segment's column statistics", func(q *sqlgen.Query) (pushdown.Spec, error) {
		seg, refs, err := scored(q, m, names)
		if err != nil {
			return pushdown.Spec{}, err
		}
		aggs := []pushdown.Agg{{Kind: pushdown.Count}}
		for j, name := range names {
			x := double(q.Dialect(), refs[name], kinds[j])
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.Moment, X: x}, pushdown.Agg{Kind: pushdown.Min, X: x}, pushdown.Agg{Kind: pushdown.Max, X: x})
		}
		return pushdown.Spec{Keys: []string{seg}, Aggs: aggs}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	sizes := make([]int, k)
	moments := make([][]pushdown.Moments, nc) // [column][segment]
	mins, maxs := make([][]float64, nc), make([][]float64, nc)
	for j := range nc {
		moments[j] = make([]pushdown.Moments, k)
		mins[j], maxs[j] = make([]float64, k), make([]float64, k)
		for s := range k {
			mins[j][s], maxs[j][s] = math.NaN(), math.NaN()
		}
	}
	for _, gr := range g.List {
		s, ok := segmentIndex(gr.Key[0], k)
		if !ok {
			return nil, nil, fmt.Errorf("a row has no segment (%v)", gr.Key[0])
		}
		sizes[s] = int(gr.Vals[0].N)
		for j := range nc {
			moments[j][s] = gr.Vals[1+3*j].M
			mins[j][s], maxs[j][s] = gr.Vals[2+3*j].F, gr.Vals[3+3*j].F
		}
	}
	// Quartiles per segment and overall.
	qs := make([][][3]float64, nc) // [column][segment or k for overall]
	for j := range nc {
		qs[j] = make([][3]float64, k+1)
		for s := range qs[j] {
			qs[j][s] = [3]float64{math.NaN(), math.NaN(), math.NaN()}
		}
	}
	err = rel.Whole(ctx, "each segment's quartiles", func(q *sqlgen.Query) (string, error) {
		seg, refs, err := scored(q, m, names)
		if err != nil {
			return "", err
		}
		list := []string{seg}
		for j, name := range names {
			x := double(q.Dialect(), refs[name], kinds[j])
			for _, p := range []string{"0.25", "0.5", "0.75"} {
				list = append(list, "percentile_cont("+p+") WITHIN GROUP (ORDER BY "+x+")")
			}
		}
		return q.Select(sqlgen.Select{List: list, GroupBy: []string{"GROUPING SETS ((" + seg + "), ())"}}), nil
	}, func(r pgx.Rows) error {
		v, err := r.Values()
		if err != nil {
			return err
		}
		s := k
		if v[0] != nil {
			var ok bool
			if s, ok = segmentIndex(v[0], k); !ok {
				return fmt.Errorf("a row has no segment (%v)", v[0])
			}
		}
		for j := range nc {
			for t := range 3 {
				if f, ok := v[1+3*j+t].(float64); ok {
					qs[j][s][t] = f
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// Whiskers: the most extreme values within 1.5 IQR of each box.
	lows, highs := make([][]float64, nc), make([][]float64, nc)
	for j := range nc {
		lows[j], highs[j] = make([]float64, k), make([]float64, k)
		for s := range k {
			lows[j][s], highs[j][s] = math.NaN(), math.NaN()
		}
	}
	err = rel.Whole(ctx, "the box plots' whiskers", func(q *sqlgen.Query) (string, error) {
		seg, refs, err := scored(q, m, names)
		if err != nil {
			return "", err
		}
		d := q.Dialect()
		list := []string{seg}
		fence := func(j int, low bool) string {
			s := "CASE " + seg
			for sIdx := range k {
				q1, q3 := qs[j][sIdx][0], qs[j][sIdx][2]
				iqr := q3 - q1
				v := q3 + 1.5*iqr
				if low {
					v = q1 - 1.5*iqr
				}
				if math.IsNaN(v) {
					continue
				}
				s += " WHEN " + strconv.Itoa(sIdx) + " THEN " + d.Float(v)
			}
			return s + " END"
		}
		for j, name := range names {
			x := double(d, refs[name], kinds[j])
			list = append(list, "min("+x+") FILTER (WHERE "+x+" >= "+fence(j, true)+")", "max("+x+") FILTER (WHERE "+x+" <= "+fence(j, false)+")")
		}
		return q.Select(sqlgen.Select{List: list, GroupBy: []string{"1"}}), nil
	}, func(r pgx.Rows) error {
		v, err := r.Values()
		if err != nil {
			return err
		}
		s, ok := segmentIndex(v[0], k)
		if !ok {
			return fmt.Errorf("a row has no segment (%v)", v[0])
		}
		for j := range nc {
			if f, ok := v[1+2*j].(float64); ok {
				lows[j][s] = f
			}
			if f, ok := v[2+2*j].(float64); ok {
				highs[j][s] = f
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	res.Overall = make([]result.FeatureStats, nc)
	perSeg := make([][]result.FeatureStats, nc)
	a.boxes = make([][]plotkit.BoxStats, nc)
	for j, name := range names {
		var all pushdown.Moments
		lo, hi := math.NaN(), math.NaN()
		for s := range k {
			all = all.Add(moments[j][s])
			if v := mins[j][s]; !math.IsNaN(v) && (math.IsNaN(lo) || v < lo) {
				lo = v
			}
			if v := maxs[j][s]; !math.IsNaN(v) && (math.IsNaN(hi) || v > hi) {
				hi = v
			}
		}
		ov := featureStatsOf(name, all, lo, hi, qs[j][k])
		ov.Z = 0
		res.Overall[j] = ov
		perSeg[j] = make([]result.FeatureStats, k)
		a.boxes[j] = make([]plotkit.BoxStats, k)
		for s := range k {
			fs := featureStatsOf(name, moments[j][s], mins[j][s], maxs[j][s], qs[j][s])
			fs.Z = math.NaN()
			if ov.Std > 0 && !math.IsInf(ov.Std, 0) {
				fs.Z = (fs.Mean - ov.Mean) / ov.Std
			}
			perSeg[j][s] = fs
			a.boxes[j][s] = plotkit.BoxStats{N: fs.Count, Q1: fs.Q25, Median: fs.Median, Q3: fs.Q75, Mean: fs.Mean, Low: lows[j][s], High: highs[j][s]}
		}
	}
	return perSeg, sizes, nil
}

// featureStatsOf are a column's statistics from its moments, extremes and
// quartiles, as stats.Describe gives them (std NaN below two values).
func featureStatsOf(name string, m pushdown.Moments, lo, hi float64, q [3]float64) result.FeatureStats {
	return result.FeatureStats{Column: name, Count: int(m.N), Mean: m.MeanOrNaN(), Std: m.Std(),
		Min: lo, Max: hi, Q25: q[0], Median: q[1], Q75: q[2]}
}

// tallyDB counts a column's values by segment with a GROUP BY (per
// partition, combined). Values are levels by the text the table gives
// them (numbers and booleans formatted as in memory).
func tallyDB(ctx context.Context, rel *pushdown.Relation, m *model.Model, column, missingAs string, k int) (*tallies, error) {
	c, ok := rel.Col(column)
	if !ok {
		return nil, &frame.UnknownColumnError{Name: column, Known: rel.Columns()}
	}
	g, err := rel.Aggregate(ctx, fmt.Sprintf("each segment's values of %q", column), func(q *sqlgen.Query) (pushdown.Spec, error) {
		seg, refs, err := scored(q, m, []string{column})
		if err != nil {
			return pushdown.Spec{}, err
		}
		return pushdown.Spec{Keys: []string{seg, refs[column]}, Aggs: []pushdown.Agg{{Kind: pushdown.Count}}}, nil
	})
	if err != nil {
		return nil, err
	}
	tl := &tallies{cnt: make([][]int, k), mass: make([][]float64, k), missCnt: make([]int, k), missMass: make([]float64, k)}
	index := map[string]int{}
	type cell struct{ s, level, n int }
	var cells []cell
	for _, gr := range g.List {
		s, ok := segmentIndex(gr.Key[0], k)
		if !ok {
			return nil, fmt.Errorf("a row has no segment (%v)", gr.Key[0])
		}
		n := int(gr.Vals[0].N)
		if gr.Key[1] == nil {
			tl.missCnt[s] += n
			continue
		}
		text := levelText(gr.Key[1], c.Kind)
		l, seen := index[text]
		if !seen {
			l = len(tl.levels)
			index[text] = l
			tl.levels = append(tl.levels, text)
		}
		cells = append(cells, cell{s, l, n})
	}
	for s := range k {
		tl.cnt[s], tl.mass[s] = make([]int, len(tl.levels)), make([]float64, len(tl.levels))
	}
	for _, c := range cells {
		tl.cnt[c.s][c.level] += c.n
	}
	if at, ok := index[missingAs]; missingAs != "" && ok {
		for s := range k {
			if tl.missCnt[s] > 0 {
				tl.cnt[s][at] += tl.missCnt[s]
				tl.missCnt[s], tl.merged = 0, true
			}
		}
	}
	// Levels in text order (the first appearance of a value is not known
	// without the rows; the profile orders levels by count, then text).
	order := make([]int, len(tl.levels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case tl.levels[a] < tl.levels[b]:
			return -1
		case tl.levels[a] > tl.levels[b]:
			return 1
		}
		return 0
	})
	sorted := &tallies{levels: make([]string, len(order)), cnt: make([][]int, k), mass: make([][]float64, k), missCnt: tl.missCnt, missMass: make([]float64, k), merged: tl.merged}
	for nw, old := range order {
		sorted.levels[nw] = tl.levels[old]
	}
	for s := range k {
		sorted.cnt[s], sorted.mass[s] = make([]int, len(order)), make([]float64, len(order))
		for nw, old := range order {
			sorted.cnt[s][nw] = tl.cnt[s][old]
			sorted.mass[s][nw] = float64(tl.cnt[s][old])
		}
		sorted.missMass[s] = float64(sorted.missCnt[s])
	}
	return sorted, nil
}

// levelText is a value's text as the profile's levels (frame.Column.Format).
func levelText(v any, k frame.Kind) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return frame.FormatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// hypothesesDB computes every hypothesis's co-moments per segment in one
// aggregate (per partition, combined) and returns a function building
// hypothesis i's result from them.
func hypothesesDB(ctx context.Context, rel *pushdown.Relation, m *model.Model, cfg *Config, k int) (func(i int, segs []result.SegmentProfile) (*result.HypothesisResult, error), error) {
	if len(cfg.Hypotheses) == 0 {
		return func(int, []result.SegmentProfile) (*result.HypothesisResult, error) {
			return nil, errors.New("no hypotheses")
		}, nil
	}
	var cols []string
	kinds := map[string]frame.Kind{}
	for i, h := range cfg.Hypotheses {
		for _, p := range []struct{ name, key string }{{h.X, "x"}, {h.Y, "y"}} {
			c, ok := rel.Col(p.name)
			if !ok {
				return nil, fmt.Errorf("hypotheses[%d]: %s: %w", i, p.key, &frame.UnknownColumnError{Name: p.name, Known: rel.Columns()})
			}
			if c.Kind == frame.String {
				return nil, fmt.Errorf("hypotheses[%d]: %s: column %q holds text; only numeric (int, float, bool) columns can be profiled this way", i, p.key, p.name)
			}
			kinds[p.name] = c.Kind
			cols = append(cols, p.name)
		}
	}
	g, err := rel.Aggregate(ctx, "the hypotheses' correlations by segment", func(q *sqlgen.Query) (pushdown.Spec, error) {
		seg, refs, err := scored(q, m, cols)
		if err != nil {
			return pushdown.Spec{}, err
		}
		d := q.Dialect()
		var aggs []pushdown.Agg
		for _, h := range cfg.Hypotheses {
			x := sqlgen.Finite(d, double(d, refs[h.X], kinds[h.X]))
			y := sqlgen.Finite(d, double(d, refs[h.Y], kinds[h.Y]))
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.CoMoment, X: x, Y: y})
		}
		return pushdown.Spec{Keys: []string{seg}, Aggs: aggs}, nil
	})
	if err != nil {
		return nil, err
	}
	per := make([][]pushdown.CoMoments, len(cfg.Hypotheses)) // [hypothesis][segment]
	for i := range per {
		per[i] = make([]pushdown.CoMoments, k)
	}
	for _, gr := range g.List {
		s, ok := segmentIndex(gr.Key[0], k)
		if !ok {
			return nil, fmt.Errorf("a row has no segment (%v)", gr.Key[0])
		}
		for i := range per {
			per[i][s] = gr.Vals[i].C
		}
	}
	return func(i int, segs []result.SegmentProfile) (*result.HypothesisResult, error) {
		h := cfg.Hypotheses[i]
		var all pushdown.CoMoments
		for s := range k {
			all = all.Add(per[i][s])
		}
		out := &result.HypothesisResult{
			Name: cfg.hypothesisName(i), Statement: h.Statement, X: h.X, Y: h.Y,
			Expect: h.Expect, Method: h.Method, MinR: h.MinR, R: all.Corr(), N: int(all.N),
		}
		out.Supported, out.Text = verdict(out.R, out.N, h.Expect, h.MinR)
		out.Verdict = "not supported"
		if out.Supported {
			out.Verdict = "supported"
		}
		for s := range k {
			c := per[i][s]
			hs := result.HypothesisSegment{Index: s, Label: segs[s].Label, N: int(c.N), MeanX: math.NaN(), MeanY: math.NaN(), R: c.Corr()}
			if c.N > 0 {
				hs.MeanX, hs.MeanY = c.MeanX, c.MeanY
			}
			out.Segments = append(out.Segments, hs)
		}
		return out, nil
	}, nil
}

// plotSample pulls the rows the point plots draw: a seeded sample of at
// most max_points rows (every row when the table is smaller) with each
// row's segment and scaled features, and sets a's plotted rows. It
// returns the sample as a table and as the clusters the figures read.
func plotSample(ctx context.Context, rel *pushdown.Relation, cl *result.Clusters, m *model.Model, cfg *Config, a *Analysis, id string, seed uint64) (*frame.Table, *result.Clusters, error) {
	var cols []string
	add := func(name string) {
		if _, ok := rel.Col(name); ok && !slices.Contains(cols, name) {
			cols = append(cols, name)
		}
	}
	if _, ok := rel.Col(id); ok {
		add(id)
	} else {
		id = ""
	}
	for _, c := range a.Result.Columns {
		add(c.Name)
	}
	for _, p := range cfg.Scatter {
		add(p.X)
		add(p.Y)
	}
	d := len(cl.Features)
	extra := []string{"segment_plot_index"}
	for j := range d {
		extra = append(extra, "segment_plot_z_"+strconv.Itoa(j+1))
	}
	t, info, err := rel.Sample(ctx, "the plotted rows", pushdown.SampleSpec{
		Columns: cols, ID: id, Rows: int64(cfg.MaxPoints), Seed: seed, Extra: extra,
		Extend: func(q *sqlgen.Query) ([]string, error) {
			cent := sqlgen.ModelCentroids(m)
			cent.Keep = true
			ds, err := q.Distances(cent)
			if err != nil {
				return nil, err
			}
			if err := q.Nearest(ds); err != nil {
				return nil, err
			}
			out := []string{q.Ref(ds.Nearest)}
			for _, z := range ds.Z {
				out = append(out, q.Ref(z))
			}
			return out, nil
		},
	})
	if err != nil {
		return nil, nil, err
	}
	n := t.NumRows()
	idx := t.Col(extra[0])
	labels := make([]int32, n)
	for i := range n {
		v, _ := idx.Value(i)
		labels[i] = int32(v)
	}
	scaled := make([]float64, n*d)
	for j := range d {
		col := t.Col(extra[1+j])
		for i := range n {
			scaled[i*d+j], _ = col.Value(i)
		}
	}
	pc := *cl
	pc.Labels, pc.Scaled, pc.Original, pc.Codes, pc.Weights = labels, scaled, nil, nil, nil
	a.members = groupRows(labels, cl.K)
	a.values = make([][]float64, len(a.Result.Columns))
	for j, c := range a.Result.Columns {
		if a.values[j], err = t.Col(c.Name).Float64s(); err != nil {
			return nil, nil, err
		}
	}
	a.plotOf = int(info.Of)
	return t, &pc, nil
}
