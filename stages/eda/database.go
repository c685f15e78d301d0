package eda

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/internal/stats"
	"github.com/churnlab/segment/pipeline"
)

// topCap is the number of distinct values of a text column up to which
// its top value is found with pandas' tie rule over every value's count;
// above it only the values with the highest count come back.
const topCap = 10000

// runDatabase is the eda stage in execution.mode: database: the summary
// and the Pearson matrix are aggregate queries, so only aggregates leave
// the database, and the files are written from them as in memory.
func (s *stage) runDatabase(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	rel, ok := st.Database.(*pushdown.Relation)
	if !ok || rel == nil {
		return errors.New("execution.mode: database: there is no database table (the ingest stage opens it)")
	}
	if err := s.cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	sess := rel.Session()
	sess.Begin(env.Name)
	a, err := AnalyzeDatabase(ctx, rel, env.IDColumn, s.cfg)
	if err != nil {
		return err
	}
	for _, w := range a.Warnings {
		env.Warn("%s", w)
	}
	a.Result.FeatureChecks = []result.FeatureCheck{}
	env.Log.Info("feature checks: they need the rows, which stay in the database; the cluster stage checks its features on its sample")
	env.Note("database", pushdown.RecordOf(sess.Log()))
	return s.write(env, st, a)
}

// AnalyzeDatabase is Analyze for a table that stays in the database:
// every column's count, missing and distinct counts, a numeric column's
// mean, std (ddof 1), min, max and quartiles (percentile_cont: pandas'
// linear interpolation), a text column's top value and its count, and the
// pairwise-complete Pearson matrix (co-moments per pair over the rows
// where both values are finite, as regr_sxx, regr_syy and regr_sxy give
// them; r = Sxy / sqrt(Sxx·Syy), PostgreSQL's corr). Counts, means,
// standard deviations, minima, maxima and co-moments are computed per
// partition of a sharded table and combined; quantiles, distinct counts and
// top values over the whole table.
func AnalyzeDatabase(ctx context.Context, rel *pushdown.Relation, id string, cfg *Config) (*Analysis, error) {
	cols := rel.Typed()
	if len(cols) == 0 {
		return nil, fmt.Errorf("the table has no columns")
	}
	if _, ok := rel.Col(id); !ok {
		id = ""
	}
	names, err := corrColumnsTyped(cols, cfg.Columns, id)
	if err != nil {
		return nil, err
	}
	numeric := func(c sqlgen.Column) bool { return c.Kind != frame.String && c.Name != id }
	// One statement per part: counts, moments, minima, maxima.
	g, err := rel.Aggregate(ctx, "the column statistics", func(q *sqlgen.Query) (pushdown.Spec, error) {
		aggs := []pushdown.Agg{{Kind: pushdown.Count}}
		for _, c := range cols {
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.NonNull, X: q.Ref(c.Name)})
			if numeric(c) {
				x := asDouble(q, c)
				aggs = append(aggs, pushdown.Agg{Kind: pushdown.Moment, X: x}, pushdown.Agg{Kind: pushdown.Min, X: x}, pushdown.Agg{Kind: pushdown.Max, X: x})
			}
		}
		return pushdown.Spec{Aggs: aggs}, nil
	})
	if err != nil {
		return nil, err
	}
	vals := g.List[0].Vals
	rows := int(vals[0].N)
	summary := make([]result.ColumnSummary, len(cols))
	at := 1
	nan := math.NaN()
	for i, c := range cols {
		s := result.ColumnSummary{Column: c.Name, Type: c.Kind.String(), Mean: nan, Std: nan, Min: nan, Q25: nan, Q50: nan, Q75: nan, Max: nan}
		s.Count = int(vals[at].N)
		s.Missing = rows - s.Count
		at++
		if c.Name == id {
			s.Role = result.RoleID
		}
		if numeric(c) {
			m := vals[at].M
			s.Mean, s.Std = m.MeanOrNaN(), m.Std()
			if m.N == 1 {
				s.Std = nan
			}
			s.Min, s.Max = vals[at+1].F, vals[at+2].F
			at += 3
		}
		if rows > 0 {
			s.MissingShare = float64(s.Missing) / float64(rows)
		}
		summary[i] = s
	}
	// Over the whole table: quartiles and distinct counts.
	if err := rel.Whole(ctx, "the quartiles and distinct counts", func(q *sqlgen.Query) (string, error) {
		var list []string
		for _, c := range cols {
			list = append(list, "count(DISTINCT "+q.Ref(c.Name)+")")
			if numeric(c) {
				x := asDouble(q, c)
				for _, p := range []string{"0.25", "0.5", "0.75"} {
					list = append(list, "percentile_cont("+p+") WITHIN GROUP (ORDER BY "+x+")")
				}
			}
		}
		return q.Select(sqlgen.Select{List: list}), nil
	}, func(r pgx.Rows) error {
		v, err := r.Values()
		if err != nil {
			return err
		}
		k := 0
		for i, c := range cols {
			n, _ := v[k].(int64)
			summary[i].Distinct = int(n)
			k++
			if numeric(c) {
				for _, p := range []*float64{&summary[i].Q25, &summary[i].Q50, &summary[i].Q75} {
					if f, ok := v[k].(float64); ok {
						*p = f
					}
					k++
				}
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i, c := range cols {
		if c.Kind != frame.String || c.Name == id || summary[i].Count == 0 {
			continue
		}
		top, freq, err := topValue(ctx, rel, c.Name, id, summary[i].Distinct)
		if err != nil {
			return nil, err
		}
		summary[i].Top, summary[i].Freq = top, freq
	}
	corr, err := correlateDatabase(ctx, rel, names, summary, cols)
	if err != nil {
		return nil, err
	}
	return finishAnalysis(summary, corr, rows, len(cols), cfg)
}

// asDouble reads a numeric column as a double: bool as 0/1.
func asDouble(q *sqlgen.Query, c sqlgen.Column) string {
	d := q.Dialect()
	x := q.Ref(c.Name)
	switch c.Kind {
	case frame.Float:
		return x
	case frame.Bool:
		return "CASE WHEN " + x + " THEN " + d.Float(1) + " WHEN NOT " + x + " THEN " + d.Float(0) + " END"
	}
	return d.Cast(x, frame.Float)
}

// finite is x where it is a finite double, else NULL (the correlation
// leaves NaN and ±Inf out, as in memory).
func finite(q *sqlgen.Query, c sqlgen.Column) string {
	x := asDouble(q, c)
	if c.Kind != frame.Float {
		return x
	}
	return sqlgen.Finite(q.Dialect(), x)
}

// corrColumnsTyped is CorrColumns for typed columns.
func corrColumnsTyped(cols []sqlgen.Column, names []string, id string) ([]string, error) {
	known := make([]string, len(cols))
	kind := map[string]frame.Kind{}
	for i, c := range cols {
		known[i] = c.Name
		kind[c.Name] = c.Kind
	}
	if names != nil {
		for _, n := range names {
			k, ok := kind[n]
			if !ok {
				return nil, fmt.Errorf("columns: %w", &frame.UnknownColumnError{Name: n, Known: known})
			}
			if k == frame.String {
				return nil, fmt.Errorf("columns: column %q holds text; correlation needs numbers: cast it in a clean step or leave it out", n)
			}
		}
		return slices.Clone(names), nil
	}
	var out []string
	for _, c := range cols {
		if c.Kind != frame.String && !(id != "" && c.Name == id) {
			out = append(out, c.Name)
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("correlation needs at least 2 numeric columns besides the id; the table has %d (%s): cast text columns to numbers in a clean step", len(out), strings.Join(out, ", "))
	}
	return out, nil
}

// correlateDatabase is the Pearson matrix of names: a column without a
// finite value, or with a single distinct one, is excluded as in memory
// (from the summary's min and max); the others' co-moments per pair.
func correlateDatabase(ctx context.Context, rel *pushdown.Relation, names []string, summary []result.ColumnSummary, cols []sqlgen.Column) (*result.Correlation, error) {
	res := &result.Correlation{Method: "pearson", Excluded: []result.ExcludedColumn{}}
	byName := map[string]int{}
	for i, c := range cols {
		byName[c.Name] = i
	}
	var use []sqlgen.Column
	for _, n := range names {
		s := summary[byName[n]]
		c := cols[byName[n]]
		switch {
		case s.Count == 0 || math.IsNaN(s.Min):
			res.Excluded = append(res.Excluded, result.ExcludedColumn{Column: n, Reason: "empty (no finite values)"})
			continue
		case s.Min == s.Max:
			res.Excluded = append(res.Excluded, result.ExcludedColumn{Column: n, Reason: "constant (every value is " + formatValue(c.Kind, s.Min) + ")"})
			continue
		}
		res.Columns = append(res.Columns, n)
		use = append(use, c)
	}
	if len(res.Columns) < 2 {
		msg := fmt.Sprintf("correlation needs at least 2 columns with varying values; %d of %d qualify", len(res.Columns), len(names))
		for _, e := range res.Excluded {
			msg += fmt.Sprintf("; %q is %s", e.Column, e.Reason)
		}
		return nil, errors.New(msg)
	}
	k := len(use)
	g, err := rel.Aggregate(ctx, "the Pearson correlation matrix", func(q *sqlgen.Query) (pushdown.Spec, error) {
		var aggs []pushdown.Agg
		for i := range k {
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.NonNull, X: finite(q, use[i])})
			for j := i + 1; j < k; j++ {
				aggs = append(aggs, pushdown.Agg{Kind: pushdown.CoMoment, X: finite(q, use[i]), Y: finite(q, use[j])})
			}
		}
		return pushdown.Spec{Aggs: aggs}, nil
	})
	if err != nil {
		return nil, err
	}
	vals := g.List[0].Vals
	res.R = make([][]float64, k)
	res.N = make([][]int, k)
	for i := range k {
		res.R[i] = make([]float64, k)
		res.N[i] = make([]int, k)
	}
	at := 0
	for i := range k {
		res.N[i][i] = int(vals[at].N)
		res.R[i][i] = 1
		at++
		for j := i + 1; j < k; j++ {
			c := vals[at].C
			at++
			r := c.Corr()
			res.R[i][j], res.R[j][i] = r, r
			res.N[i][j], res.N[j][i] = int(c.N), int(c.N)
		}
	}
	return res, nil
}

// topValue is a text column's most frequent value and its count, with
// pandas' tie rule over the values in order of first appearance — the
// smallest id among a value's rows, the postgres source's row order; by
// text without an id. With more than topCap distinct values only those of
// the highest count come back, and the first to appear wins.
func topValue(ctx context.Context, rel *pushdown.Relation, col, id string, distinct int) (string, int, error) {
	type group struct {
		value string
		n     int64
		first *string
	}
	var groups []group
	err := rel.Whole(ctx, fmt.Sprintf("the most frequent value of %q", col), func(q *sqlgen.Query) (string, error) {
		x := q.Ref(col)
		first := "CAST(NULL AS TEXT)"
		if id != "" {
			first = "min(" + q.Ref(id) + ` COLLATE "C")`
		}
		sel := sqlgen.Select{List: []string{x, "count(*)", first}, Where: x + " IS NOT NULL", GroupBy: []string{"1"}}
		if distinct > topCap {
			sel.Having = "count(*) = (SELECT max(n) FROM (SELECT count(*) AS n FROM " + q.From() + " WHERE " + x + " IS NOT NULL GROUP BY " + x + ") AS counts)"
		}
		return q.Select(sel), nil
	}, func(r pgx.Rows) error {
		var g group
		if err := r.Scan(&g.value, &g.n, &g.first); err != nil {
			return err
		}
		groups = append(groups, g)
		return nil
	})
	if err != nil || len(groups) == 0 {
		return "", 0, err
	}
	slices.SortFunc(groups, func(a, b group) int {
		switch {
		case a.first != nil && b.first != nil:
			if c := strings.Compare(*a.first, *b.first); c != 0 {
				return c
			}
		case a.first != nil:
			return -1
		case b.first != nil:
			return 1
		}
		return cmp.Compare(a.value, b.value)
	})
	counts := make([]int64, len(groups))
	for i, g := range groups {
		counts[i] = g.n
	}
	t := stats.Top(counts)
	return groups[t].value, int(groups[t].n), nil
}
