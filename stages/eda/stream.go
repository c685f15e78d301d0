package eda

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// maxTextLevels bounds the distinct values of a text column (other than
// the id) that a streamed describe() counts in memory: its top value
// needs every value's count, in order of first appearance.
const maxTextLevels = 2 << 20

// runStream is the stage in execution mode stream: the same files from
// two passes over the table. The first gives every column's count,
// missing and exact distinct counts (in memory, then temporary partitions
// beyond a limit), a text column's counts by value in order of first
// appearance (top and freq as pandas breaks ties), a numeric column's
// moments (mean, std; merged batch by batch in batch order) and the
// histogram of its values, and the pairwise-complete co-moments of the
// correlated columns (Pearson). The second collects the values of the
// histogram bins that hold the quartiles, which are then exact. The
// feature checks of later cluster stages run on the stream's row sample.
func (s *stage) runStream(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	cfg := s.cfg
	if err := cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	str := st.Stream
	fields, err := str.Schema(ctx)
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		return fmt.Errorf("the table has no columns")
	}
	for _, n := range cfg.Columns {
		if k, ok := kindOf(fields, n); ok && k == frame.String {
			if why := env.NearNumeric(n); why != "" {
				return fmt.Errorf("columns: column %q holds text, and correlation needs numbers: %s", n, why)
			}
		}
	}
	id := env.IDColumn
	if id != "" && !slices.ContainsFunc(fields, func(f frame.Field) bool { return f.Name == id }) {
		id = ""
	}
	corrNames := corrCandidates(fields, cfg.Columns, id)
	if cfg.Columns == nil && len(corrNames) < 2 {
		return fmt.Errorf("correlation needs at least 2 numeric columns besides the id; the table has %d (%s): cast text columns to numbers in a clean step", len(corrNames), strings.Join(corrNames, ", "))
	}
	acc := newEDAAcc(fields, id, corrNames, str.TempDir())
	if n, ok := str.IDDistinct(); ok && id != "" {
		acc.idDistinct = n // counted by the ingest stage
	}
	err = str.Run(ctx, env, pipeline.Pass{Name: "eda statistics", Map: acc.mapBatch, Reduce: acc.reduce,
		Worker: acc.newWorker, Done: acc.done})
	if err != nil {
		return err
	}
	if err := acc.err; err != nil {
		return err
	}
	rows := str.Rows()
	// the quartiles: the values of the bins that hold them
	var numeric []string
	for j, f := range fields {
		if acc.cols[j].sketch != nil {
			acc.cols[j].sketch.PlanQuantiles(0.25, 0.5, 0.75)
			acc.cols[j].sketch.StartCollect()
			numeric = append(numeric, f.Name)
		}
	}
	if len(numeric) > 0 {
		if err := str.Run(ctx, env, pipeline.Pass{Name: "eda quartiles", Columns: numeric,
			Worker: func() any {
				w := make([]*streamstat.Sketch, len(fields))
				for j := range fields {
					if ca := acc.cols[j]; ca.sketch != nil {
						w[j] = &streamstat.Sketch{}
						w[j].Plan(ca.sketch)
					}
				}
				return w
			},
			Map: func(b *pipeline.Batch) (any, error) {
				w := b.Worker.([]*streamstat.Sketch)
				for j, f := range fields {
					if w[j] == nil {
						continue
					}
					x, err := floats(b.Table.Col(f.Name))
					if err != nil {
						return nil, err
					}
					w[j].CollectAll(x)
				}
				return nil, nil
			},
			Done: func(ws []any) error {
				for _, w := range ws {
					for j, sk := range w.([]*streamstat.Sketch) {
						if sk != nil {
							acc.cols[j].sketch.Merge(sk)
						}
					}
				}
				return nil
			}}); err != nil {
			return err
		}
		for j := range acc.cols {
			if sk := acc.cols[j].sketch; sk != nil {
				if err := sk.Finish(); err != nil {
					return err
				}
			}
		}
	}
	summary, err := acc.summary(int(rows))
	if err != nil {
		return err
	}
	if err := checkCorrColumns(fields, cfg.Columns, summary); err != nil {
		return err
	}
	corr, err := acc.correlation()
	if err != nil {
		return err
	}
	a, err := finishAnalysis(summary, corr, int(rows), len(fields), cfg)
	if err != nil {
		return err
	}
	sample, err := str.Sample(ctx, env)
	if err != nil {
		return err
	}
	env.Note("feature_checks_on", fmt.Sprintf("the row sample (%d rows)", sample.NumRows()))
	return s.publish(ctx, env, st, a, sample)
}

func kindOf(fields []frame.Field, name string) (frame.Kind, bool) {
	for _, f := range fields {
		if f.Name == name {
			return f.Kind, true
		}
	}
	return 0, false
}

// corrCandidates are the columns to correlate as CorrColumns picks them:
// names when given, else every non-text column but the id.
func corrCandidates(fields []frame.Field, names []string, id string) []string {
	if names != nil {
		return slices.Clone(names)
	}
	var out []string
	for _, f := range fields {
		if f.Kind != frame.String && !(id != "" && f.Name == id) {
			out = append(out, f.Name)
		}
	}
	return out
}

// checkCorrColumns is CorrColumns' check of the columns named (or found),
// with the summary's facts for the messages.
func checkCorrColumns(fields []frame.Field, names []string, summary []result.ColumnSummary) error {
	if names != nil {
		for _, n := range names {
			k, ok := kindOf(fields, n)
			if !ok {
				known := make([]string, len(fields))
				for i, f := range fields {
					known[i] = f.Name
				}
				return fmt.Errorf("columns: %w", &frame.UnknownColumnError{Name: n, Known: known})
			}
			if k == frame.String {
				var cs result.ColumnSummary
				for _, c := range summary {
					if c.Column == n {
						cs = c
					}
				}
				return fmt.Errorf("columns: column %q holds text (%d distinct values such as %q); correlation needs numbers: cast it in a clean step or leave it out", n, cs.Distinct, cs.Top)
			}
		}
	}
	return nil
}

// edaAcc accumulates a streamed describe() and correlation.
type edaAcc struct {
	fields []frame.Field
	cols   []colAcc
	corr   []string // the candidate columns, in order
	corrIx []int    // their field index
	pear   *streamstat.Pearson
	vary   []varying
	err    error
	dir    string
	// idDistinct is the id column's distinct count when the ingest stage's
	// still holds (-1: count it).
	idDistinct int64
}

// edaWorker is a worker's share of what does not depend on batch order:
// the histograms and the distinct values.
type edaWorker struct {
	sk   []*streamstat.Sketch
	dist []*streamstat.Distinct
	ks   streamstat.KeySet
}

func (a *edaAcc) newWorker() any {
	w := &edaWorker{sk: make([]*streamstat.Sketch, len(a.fields)), dist: make([]*streamstat.Distinct, len(a.fields))}
	for j := range a.fields {
		if a.cols[j].sketch != nil {
			w.sk[j] = &streamstat.Sketch{}
		}
		w.dist[j] = &streamstat.Distinct{Dir: a.dir}
	}
	return w
}

// done merges the workers' histograms and counts the distinct values.
func (a *edaAcc) done(ws []any) error {
	for j := range a.fields {
		c := &a.cols[j]
		var ds []*streamstat.Distinct
		for _, w := range ws {
			ew := w.(*edaWorker)
			if c.sketch != nil {
				c.sketch.Merge(ew.sk[j])
			}
			ds = append(ds, ew.dist[j])
		}
		if c.isID && a.idDistinct >= 0 {
			c.distinct = a.idDistinct
		} else {
			n, err := streamstat.CountAll(ds)
			if err != nil {
				return err
			}
			c.distinct = n
		}
		for _, d := range ds {
			d.Close()
		}
	}
	return nil
}

// colAcc is one column's accumulator.
type colAcc struct {
	isID     bool
	missing  int64
	rows     int64
	distinct int64
	mom      streamstat.Moments
	sketch   *streamstat.Sketch
	// text columns: counts by value, in order of first appearance
	index  map[string]int
	keys   []string
	counts []int64
}

// varying says whether a correlated column has a finite value and more
// than one distinct finite value, in table order.
type varying struct {
	seen, varies bool
	first        float64
}

func (v *varying) merge(o varying) {
	switch {
	case !o.seen:
	case !v.seen:
		*v = o
	default:
		v.varies = v.varies || o.varies || o.first != v.first
	}
}

func newEDAAcc(fields []frame.Field, id string, corr []string, dir string) *edaAcc {
	a := &edaAcc{fields: fields, cols: make([]colAcc, len(fields)), corr: corr, dir: dir, idDistinct: -1}
	for j, f := range fields {
		c := &a.cols[j]
		c.isID = f.Name == id && id != ""
		if !c.isID && f.Kind == frame.String {
			c.index = map[string]int{}
		}
		if !c.isID && f.Kind != frame.String {
			c.sketch = &streamstat.Sketch{}
		}
	}
	for _, n := range corr {
		ix := slices.IndexFunc(fields, func(f frame.Field) bool { return f.Name == n })
		if ix >= 0 && fields[ix].Kind != frame.String {
			a.corrIx = append(a.corrIx, ix)
		} else {
			a.corrIx = append(a.corrIx, -1)
		}
	}
	a.pear = streamstat.NewPearson(len(corr))
	a.vary = make([]varying, len(corr))
	return a
}

// batchPart is one batch's share of the accumulators.
type batchPart struct {
	missing []int64
	mom     []streamstat.Moments
	texts   [][]string // text columns' values in order of first appearance in the batch
	tcounts [][]int64
	pear    *streamstat.Pearson
	vary    []varying
	vals    [][]float64
}

func (a *edaAcc) mapBatch(b *pipeline.Batch) (any, error) {
	t := b.Table
	w := b.Worker.(*edaWorker)
	p := &batchPart{missing: make([]int64, len(a.fields)), mom: make([]streamstat.Moments, len(a.fields)),
		texts: make([][]string, len(a.fields)), tcounts: make([][]int64, len(a.fields)), vals: make([][]float64, len(a.fields))}
	for j, f := range a.fields {
		c := t.Col(f.Name)
		if c == nil {
			return nil, fmt.Errorf("column %q is missing from a batch", f.Name)
		}
		p.missing[j] = int64(c.NumMissing())
		if c.Kind == frame.String {
			p.texts[j], p.tcounts[j] = textCounts(c)
			if !(a.cols[j].isID && a.idDistinct >= 0) {
				for _, s := range p.texts[j] {
					w.dist[j].AddString(s)
				}
			}
			continue
		}
		x, err := floats(c)
		if err != nil {
			return nil, err
		}
		p.vals[j] = x
		p.mom[j].Add(x)
		if c.Kind == frame.Int {
			w.dist[j].AddKeys(w.ks.Ints(c.Int64s(), c.Missing))
		} else {
			w.dist[j].AddKeys(w.ks.Floats(x))
		}
		if sk := w.sk[j]; sk != nil {
			sk.AddAll(x)
		}
	}
	if len(a.corr) >= 2 {
		cols := make([][]float64, len(a.corr))
		for k, ix := range a.corrIx {
			if ix < 0 {
				cols[k] = nanColumn(t.NumRows())
				continue
			}
			cols[k] = p.vals[ix]
		}
		p.pear = streamstat.NewPearson(len(a.corr))
		p.pear.Add(cols)
		p.vary = make([]varying, len(a.corr))
		for k, x := range cols {
			for _, v := range x {
				if v-v != 0 {
					continue
				}
				if !p.vary[k].seen {
					p.vary[k] = varying{seen: true, first: v}
				} else if v != p.vary[k].first {
					p.vary[k].varies = true
					break
				}
			}
		}
	}
	return p, nil
}

func nanColumn(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.NaN()
	}
	return x
}

// textCounts returns a text column's distinct values in order of first
// appearance in the batch and their counts.
func textCounts(c *frame.Column) ([]string, []int64) {
	pos := make([]int32, len(c.Dict))
	for i := range pos {
		pos[i] = -1
	}
	var texts []string
	var counts []int64
	for i := range c.Len() {
		if c.IsMissing(i) {
			continue
		}
		code := c.Code(i)
		if pos[code] < 0 {
			pos[code] = int32(len(texts))
			texts = append(texts, c.Dict[code])
			counts = append(counts, 0)
		}
		counts[pos[code]]++
	}
	return texts, counts
}

func (a *edaAcc) reduce(v any, b *pipeline.Batch) error {
	p := v.(*batchPart)
	n := int64(b.Table.NumRows())
	for j, f := range a.fields {
		c := &a.cols[j]
		c.rows += n
		c.missing += p.missing[j]
		if f.Kind == frame.String {
			for k, s := range p.texts[j] {
				if c.index == nil {
					continue
				}
				at, ok := c.index[s]
				if !ok {
					if len(c.keys) >= maxTextLevels {
						if a.err == nil {
							a.err = fmt.Errorf("column %q has more than %d distinct text values: describing it (its most frequent value) in stream mode keeps every value's count in memory; drop the column in a clean step or make it input.id", f.Name, maxTextLevels)
						}
						continue
					}
					at = len(c.keys)
					c.index[s] = at
					c.keys = append(c.keys, s)
					c.counts = append(c.counts, 0)
				}
				c.counts[at] += p.tcounts[j][k]
			}
			continue
		}
		c.mom.Merge(p.mom[j])
	}
	if p.pear != nil {
		a.pear.Merge(p.pear)
		for k := range a.vary {
			a.vary[k].merge(p.vary[k])
		}
	}
	return nil
}

// summary is the describe() of every column, as Summarize gives it.
func (a *edaAcc) summary(rows int) ([]result.ColumnSummary, error) {
	out := make([]result.ColumnSummary, len(a.fields))
	for j, f := range a.fields {
		c := &a.cols[j]
		s := result.ColumnSummary{Column: f.Name, Type: f.Kind.String()}
		nan := math.NaN()
		s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max = nan, nan, nan, nan, nan, nan, nan
		s.Missing = int(c.missing)
		s.Count = int(c.rows - c.missing)
		s.Distinct = int(c.distinct)
		switch {
		case c.isID:
			s.Role = result.RoleID
		case f.Kind == frame.String:
			var cat stats.Categorical
			if len(c.keys) > 0 {
				cat = stats.TopOf(c.keys, c.counts)
			}
			s.Top, s.Freq = cat.Top, cat.Freq
		default:
			s.Count = int(c.mom.N)
			s.Missing = int(c.rows - c.mom.N)
			if c.mom.N > 0 {
				s.Mean = c.mom.Mean()
				s.Min, s.Max = c.mom.Extremes()
				if c.mom.N > 1 {
					s.Std = c.mom.Std(1)
				}
				var ok [3]bool
				s.Q25, ok[0] = c.sketch.Quantile(0.25)
				s.Q50, ok[1] = c.sketch.Quantile(0.5)
				s.Q75, ok[2] = c.sketch.Quantile(0.75)
				if !ok[0] || !ok[1] || !ok[2] {
					return nil, fmt.Errorf("column %q: the quartiles could not be found exactly", f.Name)
				}
			}
		}
		if rows > 0 {
			s.MissingShare = float64(s.Missing) / float64(rows)
		}
		out[j] = s
	}
	return out, nil
}

// correlation is correlate's result from the co-moments.
func (a *edaAcc) correlation() (*result.Correlation, error) {
	res := &result.Correlation{Method: "pearson", Excluded: []result.ExcludedColumn{}}
	var kept []int
	for k, name := range a.corr {
		v := a.vary[k]
		switch {
		case !v.seen:
			res.Excluded = append(res.Excluded, result.ExcludedColumn{Column: name, Reason: "empty (no finite values)"})
			continue
		case !v.varies:
			res.Excluded = append(res.Excluded, result.ExcludedColumn{Column: name, Reason: "constant (every value is " + formatCell(zeroColumnOf(a.fields[a.corrIx[k]]), v.first) + ")"})
			continue
		}
		res.Columns = append(res.Columns, name)
		kept = append(kept, k)
	}
	if len(res.Columns) < 2 {
		msg := fmt.Sprintf("correlation needs at least 2 columns with varying values; %d of %d qualify", len(res.Columns), len(a.corr))
		for _, e := range res.Excluded {
			msg += fmt.Sprintf("; %q is %s", e.Column, e.Reason)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	m := len(kept)
	res.R, res.N = make([][]float64, m), make([][]int, m)
	for i := range m {
		res.R[i], res.N[i] = make([]float64, m), make([]int, m)
	}
	for i, ki := range kept {
		res.N[i][i] = int(a.cols[a.corrIx[ki]].finite())
		res.R[i][i] = 1 // two distinct finite values (a varying column)
		for j := i + 1; j < m; j++ {
			r, n := a.pear.R(ki, kept[j])
			res.R[i][j], res.R[j][i] = r, r
			res.N[i][j], res.N[j][i] = int(n), int(n)
		}
	}
	return res, nil
}

// finite is the number of finite values of a numeric column.
func (c *colAcc) finite() int64 { return c.mom.N - c.mom.Inf }

// zeroColumnOf is an empty column of f's kind, for formatCell.
func zeroColumnOf(f frame.Field) *frame.Column { return &frame.Column{Name: f.Name, Kind: f.Kind} }
