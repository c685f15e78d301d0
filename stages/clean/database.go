package clean

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/pipeline"
)

// runDatabase is the clean stage in execution.mode: database: every step
// becomes SQL on the run's database table (internal/sqlgen's Step and
// Query.Apply, the compiler `segment export` uses), computed exactly as
// the step computes it in memory. A statistic a step needs (fillna mean,
// median or mode, clip quantiles, onehot levels) is one aggregate query
// first, and is frozen for model.json as in memory. A step with no exact
// SQL form (dedupe, an expression using len(), a cast from float to text,
// …) makes the run fail before any statement, naming the step and what
// cannot be expressed: the rows are never pulled to run it in memory
// (docs/warehouse.md).
//
// What the expressions need to type-check as in memory — whether an int
// column has missing values here — and the row counts model.json records
// come from count queries: one after each row step, and before an
// expression that reads columns not counted yet.
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
	// Every step must compile before a statement runs.
	dry := newDBClean(env, rel, true)
	if err := dry.run(ctx, s.cfg.Steps); err != nil {
		return err
	}
	d := newDBClean(env, rel, false)
	d.tr = st.Transform.Clone()
	if d.tr == nil {
		d.tr = &model.Transform{IDColumn: inputID(env), Steps: []model.Step{}}
		for _, c := range rel.Typed() {
			d.tr.Columns = append(d.tr.Columns, model.Column{Name: c.Name, Type: c.Kind.String()})
		}
	}
	if err := d.run(ctx, s.cfg.Steps); err != nil {
		return err
	}
	if err := d.finish(ctx); err != nil {
		return err
	}
	env.Note("database", pushdown.RecordOf(sess.Log()))
	st.Database = d.rel
	st.Transform = d.tr
	return nil
}

// dbClean runs a clean stage's steps as SQL.
type dbClean struct {
	env   *pipeline.Env
	stage string
	rel   *pushdown.Relation
	// missing holds the known NULL counts of current columns.
	missing map[string]int64
	// dry compiles without running statements: counts and statistics are
	// placeholders.
	dry bool
	tr  *model.Transform
	// derived are the derive steps, for the count of rows they left
	// without a value.
	derived []derivedColumn
	// id is the id column's name here (followed through renames).
	id string
}

type derivedColumn struct{ key, column string }

func newDBClean(env *pipeline.Env, rel *pushdown.Relation, dry bool) *dbClean {
	return &dbClean{env: env, stage: env.Name, rel: rel, missing: map[string]int64{}, dry: dry, id: env.IDColumn}
}

// refuse is the error of a step that has no SQL form.
func refuse(key string, err error) error {
	if errors.Is(err, sqlgen.ErrNotExpressible) {
		return fmt.Errorf("%s "+refuseFormat, key, err)
	}
	return fmt.Errorf("%s: %w", key, err)
}

// refuseFormat says that a step cannot run as SQL (%w: why, wrapping
// sqlgen.ErrNotExpressible) and what to do instead.
const refuseFormat = "cannot run as SQL in execution.mode: database: %w; rewrite the step with what SQL can express, compute it in input.query, or run with execution.mode: memory"

func (d *dbClean) run(ctx context.Context, steps []Step) error {
	for i := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := d.step(ctx, i, &steps[i]); err != nil {
			return err
		}
	}
	return nil
}

// count counts the rows and the NULLs of cols (their missing counts are
// then known).
func (d *dbClean) count(ctx context.Context, what string, cols []string) error {
	if d.dry {
		for _, c := range cols {
			if _, ok := d.missing[c]; !ok {
				d.missing[c] = 0
			}
		}
		return nil
	}
	rel, err := d.rel.Count(ctx, what, cols)
	if err != nil {
		return err
	}
	d.rel = rel
	for _, c := range cols {
		d.missing[c], _ = rel.Missing(c)
	}
	return nil
}

// unknown are the columns of cols whose missing counts are not known.
func (d *dbClean) unknown(cols []string) []string {
	var out []string
	for _, c := range cols {
		if _, ok := d.missing[c]; !ok && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// rows is the number of rows now, counted when unknown (0 in the dry run).
func (d *dbClean) rows(ctx context.Context, key string) (int, error) {
	if d.dry {
		return 0, nil
	}
	if n, ok := d.rel.Rows(); ok {
		return n, nil
	}
	if err := d.count(ctx, key+": counting the rows", nil); err != nil {
		return 0, err
	}
	n, _ := d.rel.Rows()
	return n, nil
}

// vars are the current columns as an expression sees them.
func (d *dbClean) vars() []rowexpr.Var {
	cols := d.rel.Typed()
	out := make([]rowexpr.Var, len(cols))
	for i, c := range cols {
		out[i] = rowexpr.Var{Name: c.Name, Kind: c.Kind, HasMissing: d.missing[c.Name] > 0}
	}
	return out
}

// reads compiles an expression as the memory engine does (missing counts
// of the columns it reads counted first) and returns the columns it reads
// for the SQL compiler and for model.json.
func (d *dbClean) reads(ctx context.Context, key, expr string) ([]sqlgen.Read, []model.Column, error) {
	prog, err := rowexpr.Compile(expr, d.vars())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", key, err)
	}
	if need := d.unknown(prog.Columns()); len(need) > 0 {
		if err := d.count(ctx, key+": counting the missing values of the columns its expression reads", need); err != nil {
			return nil, nil, err
		}
		if prog, err = rowexpr.Compile(expr, d.vars()); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	var reads []sqlgen.Read
	var mreads []model.Column
	for _, name := range prog.Columns() {
		c, _ := d.rel.Col(name)
		miss := d.missing[name] > 0
		reads = append(reads, sqlgen.Read{Name: name, Kind: c.Kind, Missing: miss})
		mreads = append(mreads, model.Column{Name: name, Type: c.Kind.String(), Missing: miss})
	}
	return reads, mreads, nil
}

// step converts one step to SQL and adds it.
func (d *dbClean) step(ctx context.Context, i int, st *Step) error {
	key := st.key(i)
	sst := sqlgen.Step{Name: d.stage + ": " + key, Kind: st.Kind}
	var (
		frozen  Op = st.Op
		reads   []model.Column
		rowStep bool
		err     error
	)
	switch op := st.Op.(type) {
	case *Filter:
		if sst.Reads, reads, err = d.reads(ctx, key, string(*op)); err != nil {
			return err
		}
		sst.Filter, rowStep = string(*op), true
	case *Derive:
		if sst.Reads, reads, err = d.reads(ctx, key, op.Expr); err != nil {
			return err
		}
		sst.Derive = &sqlgen.Derive{Column: op.Name, Expr: op.Expr}
		if op.Type != "" {
			sst.Derive.Type, _ = frame.ParseKind(op.Type)
			sst.Derive.HasType = true
		}
		delete(d.missing, op.Name)
		d.derived = append(d.derived, derivedColumn{key, op.Name})
	case *Select:
		sst.Columns = slices.Clone(*op)
	case *Drop:
		sst.Columns = slices.Clone(*op)
		for _, c := range *op {
			delete(d.missing, c)
		}
	case *Rename:
		sst.Rename = maps.Clone(*op)
		if nn, ok := (*op)[d.id]; ok {
			d.id = nn
		}
		moved := map[string]int64{}
		for name, n := range d.missing {
			if nn, ok := (*op)[name]; ok {
				moved[nn] = n
			} else if _, renamed := moved[name]; !renamed {
				moved[name] = n
			}
		}
		d.missing = moved
	case *Cast:
		sst.Cast = map[string]frame.Kind{}
		for c, t := range *op {
			sst.Cast[c], _ = frame.ParseKind(t)
		}
	case *Dropna:
		cols := op.Columns
		if len(cols) == 0 {
			cols = d.rel.Columns()
		}
		sst.Columns, sst.How, rowStep = slices.Clone(cols), op.How, true
		frozen = &Dropna{Columns: slices.Clone(cols), How: op.How}
	case *Fillna:
		if frozen, err = d.fillna(ctx, key, op, &sst); err != nil {
			return err
		}
	case *Clip:
		if frozen, err = d.clip(ctx, key, op, &sst); err != nil {
			return err
		}
	case *Onehot:
		if frozen, err = d.onehot(ctx, key, op, &sst); err != nil {
			return err
		}
	case *Dedupe:
		return refuse(key, errDedupeSQL) // CheckMode refused it first
	default:
		return refuse(key, fmt.Errorf("%w: the step kind %q has no SQL form", sqlgen.ErrNotExpressible, st.Kind))
	}
	rowsIn, err := d.rows(ctx, key)
	if err != nil {
		return err
	}
	layer := pushdown.Layer{
		Name:     sst.Name,
		Produces: sst.Produces(),
		Apply: func(q *sqlgen.Query) error {
			err := q.Apply(sst)
			if u := errors.Unwrap(err); u != nil {
				return u // Apply names the step; the caller does too
			}
			return err
		},
	}
	next, err := d.rel.With(layer, !rowStep)
	if err != nil {
		return refuse(key, err)
	}
	d.rel = next
	if rowStep {
		// The rows changed: every missing count is stale; count them all
		// again with the rows (one statement).
		d.missing = map[string]int64{}
		if err := d.count(ctx, key+": counting the rows kept and the missing values", d.rel.Columns()); err != nil {
			return err
		}
	} else {
		// Columns the step dropped or replaced keep no count.
		for name := range d.missing {
			if _, ok := d.rel.Col(name); !ok {
				delete(d.missing, name)
			}
		}
	}
	if d.tr == nil {
		return nil
	}
	rowsOut, err := d.rows(ctx, key)
	if err != nil {
		return err
	}
	rec := model.Step{Stage: d.stage, Key: key, Kind: st.Kind, Reads: reads, RowsIn: rowsIn, RowsOut: rowsOut}
	b, err := json.Marshal(frozen)
	if err != nil {
		rec.NotFrozen = fmt.Sprintf("the frozen step does not encode: %v", err)
	} else {
		rec.Params = b
	}
	d.tr.Steps = append(d.tr.Steps, rec)
	return nil
}

// fillna fills with constants, and computes mean, median and mode first
// (as Freeze does, also for columns without missing values). A column with
// no missing value is left as it is, as in memory: an int column filled
// with a fractional number would otherwise become a float column.
func (d *dbClean) fillna(ctx context.Context, key string, op *Fillna, sst *sqlgen.Step) (Op, error) {
	names := slices.Sorted(maps.Keys(*op))
	for _, name := range names {
		c, ok := d.rel.Col(name)
		if !ok {
			return nil, fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: d.rel.Columns()})
		}
		if err := checkFill(&frame.Column{Name: name, Kind: c.Kind}, (*op)[name]); err != nil {
			return nil, fmt.Errorf("%s: fillna %q: %w", key, name, err)
		}
	}
	if need := d.unknown(names); len(need) > 0 {
		if err := d.count(ctx, key+": counting the missing values", need); err != nil {
			return nil, err
		}
	}
	frozen := make(Fillna, len(names))
	sst.Fill = map[string]any{}
	for _, name := range names {
		c, _ := d.rel.Col(name)
		f := (*op)[name]
		if f.Method != "" {
			v, err := d.statistic(ctx, key, name, c.Kind, f.Method)
			if err != nil {
				return nil, err
			}
			f = Fill{Value: v}
		}
		frozen[name] = f
		v := normalizeFill(f.Value)
		if d.missing[name] == 0 {
			continue // nothing to fill; the column keeps its type
		}
		sst.Fill[name] = v
		d.missing[name] = 0
	}
	return &frozen, nil
}

// normalizeFill gives a YAML constant the types sqlgen's fill takes.
func normalizeFill(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return float64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// statistic computes a fillna method's value over the current rows: the
// mean (avg, combined across partitions), the median (percentile_cont,
// pandas' linear interpolation) or the mode (the most frequent value,
// ties to the smallest as in memory).
func (d *dbClean) statistic(ctx context.Context, key, name string, kind frame.Kind, method string) (any, error) {
	if d.dry {
		switch {
		case kind == frame.String:
			return "x", nil
		case kind == frame.Bool:
			return false, nil
		}
		return 0.5, nil
	}
	what := fmt.Sprintf("%s: the %s of %q", key, method, name)
	noValue := fmt.Errorf("%s: fillna %q: every value is missing; there is no %s", key, name, method)
	switch method {
	case "mean":
		g, err := d.rel.Aggregate(ctx, what, func(q *sqlgen.Query) (pushdown.Spec, error) {
			return pushdown.Spec{Aggs: []pushdown.Agg{{Kind: pushdown.Moment, X: q.Dialect().Cast(q.Ref(name), frame.Float)}}}, nil
		})
		if err != nil {
			return nil, err
		}
		m := g.List[0].Vals[0].M
		if m.N == 0 {
			return nil, noValue
		}
		return m.Mean, nil
	case "median":
		v, err := d.quantiles(ctx, what, name, []float64{0.5})
		if err != nil {
			return nil, err
		}
		if math.IsNaN(v[0]) {
			return nil, noValue
		}
		return v[0], nil
	}
	var out any
	err := d.rel.Whole(ctx, what, func(q *sqlgen.Query) (string, error) {
		x := q.Ref(name)
		order := x
		if kind == frame.String {
			order += ` COLLATE "C"`
		}
		if kind == frame.Int {
			x = q.Dialect().Cast(x, frame.Float)
		}
		return q.Select(sqlgen.Select{List: []string{x}, Where: q.Ref(name) + " IS NOT NULL", GroupBy: []string{"1"},
			OrderBy: []string{"count(*) DESC", order}, Limit: 1}), nil
	}, func(rows pgx.Rows) error { return rows.Scan(&out) })
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, noValue
	}
	return out, nil
}

// quantiles are linear-interpolation quantiles (percentile_cont) of a
// numeric column's values, NaN without values.
func (d *dbClean) quantiles(ctx context.Context, what, name string, qs []float64) ([]float64, error) {
	out := make([]float64, len(qs))
	if d.dry {
		return out, nil
	}
	err := d.rel.Whole(ctx, what, func(q *sqlgen.Query) (string, error) {
		x := q.Dialect().Cast(q.Ref(name), frame.Float)
		list := make([]string, len(qs))
		for i, p := range qs {
			list[i] = "percentile_cont(" + q.Dialect().Float(p) + ") WITHIN GROUP (ORDER BY " + x + ")"
		}
		return q.Select(sqlgen.Select{List: list}), nil
	}, func(rows pgx.Rows) error {
		ptrs := make([]any, len(qs))
		vals := make([]*float64, len(qs))
		for i := range ptrs {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			out[i] = math.NaN()
			if v != nil {
				out[i] = *v
			}
		}
		return nil
	})
	return out, err
}

// clip turns quantile bounds into values (as Freeze does) and clips.
func (d *dbClean) clip(ctx context.Context, key string, op *Clip, sst *sqlgen.Step) (Op, error) {
	frozen := make(Clip, len(*op))
	sst.Clip = map[string]sqlgen.Bounds{}
	for _, name := range slices.Sorted(maps.Keys(*op)) {
		c, ok := d.rel.Col(name)
		if !ok {
			return nil, fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: d.rel.Columns()})
		}
		if !c.Kind.Numeric() {
			return nil, fmt.Errorf("%s: clip %q: the column holds %ss, not numbers", key, name, c.Kind)
		}
		b := (*op)[name]
		fz := ClipBounds{Lower: b.Lower, Upper: b.Upper}
		var qs []float64
		if b.LowerQuantile != nil {
			qs = append(qs, *b.LowerQuantile)
		}
		if b.UpperQuantile != nil {
			qs = append(qs, *b.UpperQuantile)
		}
		if len(qs) > 0 {
			v, err := d.quantiles(ctx, fmt.Sprintf("%s: the quantile bounds of %q", key, name), name, qs)
			if err != nil {
				return nil, err
			}
			for _, x := range v {
				if math.IsNaN(x) {
					return nil, fmt.Errorf("%s: clip %q: every value is missing; its quantiles are undefined", key, name)
				}
			}
			if b.LowerQuantile != nil {
				lo := v[0]
				fz.Lower = &lo
				v = v[1:]
			}
			if b.UpperQuantile != nil {
				hi := v[0]
				fz.Upper = &hi
			}
		}
		frozen[name] = fz
		sst.Clip[name] = sqlgen.Bounds{Lower: fz.Lower, Upper: fz.Upper}
	}
	return &frozen, nil
}

// onehot finds each column's levels (the distinct values, ordered as in
// memory) with one query per column and encodes with them.
func (d *dbClean) onehot(ctx context.Context, key string, op *Onehot, sst *sqlgen.Step) (Op, error) {
	frozen := *op
	frozen.Columns = slices.Clone(op.Columns)
	frozen.Levels = map[string][]string{}
	for _, name := range op.Columns {
		c, ok := d.rel.Col(name)
		if !ok {
			return nil, fmt.Errorf("%s: %w", key, &frame.UnknownColumnError{Name: name, Known: d.rel.Columns()})
		}
		if fixed, ok := op.Levels[name]; ok {
			frozen.Levels[name] = slices.Clone(fixed)
			continue
		}
		levels, err := d.levels(ctx, key, name, c.Kind, op.MaxLevels)
		if err != nil {
			return nil, err
		}
		if len(levels) > op.MaxLevels {
			return nil, fmt.Errorf("%s: onehot %q: %d distinct values, more than max_levels %d (an id or free-text column?); raise max_levels if this is intended", key, name, len(levels), op.MaxLevels)
		}
		frozen.Levels[name] = levels
	}
	sst.Onehot = &sqlgen.Onehot{Columns: frozen.Columns, Levels: frozen.Levels, DropFirst: op.DropFirst, PrefixSep: op.PrefixSep}
	for _, name := range op.Columns {
		delete(d.missing, name)
	}
	return &frozen, nil
}

// levels are a column's distinct values as onehot's levels (at most
// max+1 are fetched).
func (d *dbClean) levels(ctx context.Context, key, name string, kind frame.Kind, max int) ([]string, error) {
	if d.dry {
		return []string{"1"}, nil
	}
	var ints []int64
	var floats []float64
	var bools []bool
	var strs []string
	err := d.rel.Whole(ctx, fmt.Sprintf("%s: the levels of %q", key, name), func(q *sqlgen.Query) (string, error) {
		x := q.Ref(name)
		return q.Select(sqlgen.Select{List: []string{x}, Where: x + " IS NOT NULL", GroupBy: []string{"1"}, Limit: max + 1}), nil
	}, func(rows pgx.Rows) error {
		switch kind {
		case frame.Int:
			var v int64
			if err := rows.Scan(&v); err != nil {
				return err
			}
			ints = append(ints, v)
		case frame.Float:
			var v float64
			if err := rows.Scan(&v); err != nil {
				return err
			}
			floats = append(floats, v)
		case frame.Bool:
			var v bool
			if err := rows.Scan(&v); err != nil {
				return err
			}
			bools = append(bools, v)
		default:
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			strs = append(strs, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var col *frame.Column
	switch kind {
	case frame.Int:
		col = frame.NewInt(name, ints, nil)
	case frame.Float:
		col = frame.NewFloat(name, floats, nil)
	case frame.Bool:
		col = frame.NewBool(name, bools, nil)
	default:
		col = frame.NewString(name, strs, nil)
	}
	levels, _, err := levelsOf(col)
	return levels, err
}

// finish checks the rows the steps leave: a value a cast could not
// convert (the SQL's reason) fails the run as the cast fails in memory;
// no row left is an error; derived columns left without a value are
// warned about.
func (d *dbClean) finish(ctx context.Context) error {
	q, err := d.rel.Query(pushdown.OnSource)
	if err != nil {
		return err
	}
	var derived []derivedColumn
	for _, dc := range d.derived {
		if _, ok := q.Col(dc.column); ok && !slices.ContainsFunc(derived, func(x derivedColumn) bool { return x.column == dc.column }) {
			derived = append(derived, dc)
		}
	}
	reason := q.Reason()
	id := d.id
	if _, ok := q.Col(id); !ok {
		id = ""
	}
	_, known := d.rel.Rows()
	if reason == "" && len(derived) == 0 && known {
		n, _ := d.rel.Rows()
		return noRows(n)
	}
	var total, bad int64
	var firstReason, firstID *string
	nulls := make([]int64, len(derived))
	err = d.rel.EachPart(ctx, "checking the rows the steps leave", func(q *sqlgen.Query) (string, error) {
		list := []string{"count(*)"}
		if r := q.Reason(); r != "" {
			list = append(list, "count("+q.Ref(r)+")", "min("+q.Ref(r)+")")
			if id != "" {
				list = append(list, "min("+q.Ref(id)+") FILTER (WHERE "+q.Ref(r)+" IS NOT NULL)")
			} else {
				list = append(list, "CAST(NULL AS TEXT)")
			}
		} else {
			list = append(list, "0", "CAST(NULL AS TEXT)", "CAST(NULL AS TEXT)")
		}
		for _, dc := range derived {
			list = append(list, "count(*) - count("+q.Ref(dc.column)+")")
		}
		return q.Select(sqlgen.Select{List: list}), nil
	}, func(_ string, rows pgx.Rows) error {
		var n, b int64
		var r, i *string
		vals := make([]int64, len(derived))
		dest := []any{&n, &b, &r, &i}
		for k := range vals {
			dest = append(dest, &vals[k])
		}
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		total += n
		bad += b
		if r != nil && (firstReason == nil || *r < *firstReason) {
			firstReason, firstID = r, i
		}
		for k, v := range vals {
			nulls[k] += v
		}
		return nil
	})
	if err != nil {
		return err
	}
	d.rel.SetRows(total)
	if bad > 0 {
		msg := *firstReason
		if firstID != nil {
			msg += fmt.Sprintf(" (%d %s; one is %s %s)", bad, rowsWord(bad), id, strconv.Quote(*firstID))
		} else {
			msg += fmt.Sprintf(" (%d %s)", bad, rowsWord(bad))
		}
		return errors.New(msg)
	}
	for k, dc := range derived {
		if nulls[k] > 0 {
			d.env.Warn("%s: %s left without a value (a column it reads was missing, or the expression gave no value)", dc.key, rowCount(int(nulls[k])))
		}
	}
	return noRows(int(total))
}

func noRows(n int) error {
	if n == 0 {
		return errors.New("no rows left after the clean steps; check the filters")
	}
	return nil
}

func rowsWord(n int64) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}
