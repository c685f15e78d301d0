package cluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/pipeline"
)

// runDatabase is the cluster stage in execution.mode: database:
//
//  1. the features' missing values are counted in SQL (an error, as in
//     memory);
//  2. a seeded sample (database.sample_rows; the whole table when it is
//     smaller, in the id's order) is pulled and the stage fits on it
//     exactly as in memory: scaler, every k, the choice of k, canonical
//     order, stability;
//  3. database.refine_passes Lloyd iterations run as SQL over every row,
//     one GROUP BY nearest-centroid query each (new centroids = the sums
//     over the counts, computed in Go), stopping at a fixed point;
//  4. one more such query gives every segment's rows, original-unit
//     means and the inertia of the whole table, and one the outlier
//     thresholds (percentile_cont per segment);
//  5. model.json and the elbow are written as in memory, and every row's
//     segment is written to database.table just before the run is
//     published (INSERT … SELECT of the model's scoring in one
//     transaction).
//
// When the sample is the whole table and no pass runs, the fit is the
// in-memory fit and its numbers are kept; the SQL statistics check them
// (recorded as inertia_sql and sizes_sql).
func (s *stage) runDatabase(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	c := s.cfg
	rel, ok := st.Database.(*pushdown.Relation)
	if !ok || rel == nil {
		return errors.New("execution.mode: database: there is no database table (the ingest stage opens it)")
	}
	if err := c.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	sess := rel.Session()
	sess.Begin(env.Name)
	db := c.Database
	id := env.IDColumn
	if _, ok := rel.Col(id); !ok {
		id = ""
	}
	// 1. The features: numeric, no missing value (as featureMatrix).
	if err := s.checkFeaturesDB(ctx, rel); err != nil {
		return err
	}
	// 2. The sample and the fit.
	cols := slices.Concat(c.Features, c.CategoricalFeatures)
	if id != "" {
		cols = append([]string{id}, cols...)
	}
	seed := c.seed(env.Seed)
	sample, info, err := rel.Sample(ctx, "the fit's sample", pushdown.SampleSpec{Columns: cols, ID: id, Rows: int64(db.SampleRows), Seed: seed})
	if err != nil {
		return err
	}
	env.Log.Info("sample pulled for the fit", "rows", info.Rows, "of", info.Of, "how", info.How)
	var idCol *frame.Column
	if id != "" {
		idCol = sample.Col(id)
	}
	f, err := s.fitTable(ctx, env, st, sample, nil, idCol)
	if err != nil {
		return err
	}
	// 3-4. Refinement and the whole table's statistics.
	full, err := s.refineDB(ctx, env, rel, f, info)
	if err != nil {
		return err
	}
	res, m := f.res, f.m
	m.Input.Rows = int(info.Of)
	if m.Transform == nil {
		m.Transform = relationTransform(rel, env.Config.Input.ID)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	modelSHA := hex.EncodeToString(sum[:])
	if err := s.writeModelElbow(env, res, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	// 5. The assignments, written just before the run is published.
	wr := &dbWrite{Table: db.Table, Mode: db.Mode, RunID: env.RunID, ModelSHA256: modelSHA, Status: "pending", Rows: info.Of}
	rec := &pushdown.Record{}
	if err := s.deferAssignments(ctx, env, st, rel, m, id, wr, rec); err != nil {
		return err
	}
	s.noteFit(env, res, f.seed, f.used)
	note := map[string]any{
		"sample":       info,
		"refine":       full.record,
		"assignments":  wr,
		"partitions":   len(sess.Parts()),
		"inertia_sql":  full.inertiaSQL,
		"sizes_sql":    full.sizesSQL,
		"sample_model": full.sampleKept,
	}
	*rec = *pushdown.RecordOf(sess.Log())
	note["record"] = rec // the write adds its statements when it runs
	env.Note("database", note)
	res.SampleOf = int(info.Of)
	st.Clusters = res
	return nil
}

// checkFeaturesDB reports, as featureMatrix and categoricalCodes do, the
// features that are text and those with missing values (counted in SQL).
func (s *stage) checkFeaturesDB(ctx context.Context, rel *pushdown.Relation) error {
	c := s.cfg
	var problems []string
	count := slices.Clone(c.Features)
	for _, name := range c.Features {
		col, ok := rel.Col(name)
		switch {
		case !ok:
			problems = append(problems, (&frame.UnknownColumnError{Name: name, Known: rel.Columns()}).Error())
		case col.Kind == frame.String:
			problems = append(problems, fmt.Sprintf("feature %q is a text column, not numeric; turn categories into 0/1 columns with a clean onehot step (and list those), or cast it", name))
		}
	}
	for _, name := range c.CategoricalFeatures {
		if _, ok := rel.Col(name); !ok {
			problems = append(problems, (&frame.UnknownColumnError{Name: name, Known: rel.Columns()}).Error())
		} else if c.CategoricalMissing == "error" {
			count = append(count, name)
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	counted, err := rel.Count(ctx, "counting the features' missing values", count)
	if err != nil {
		return err
	}
	n, _ := counted.Rows()
	for _, name := range count {
		m, _ := counted.Missing(name)
		if m == 0 {
			continue
		}
		if slices.Contains(c.Features, name) {
			problems = append(problems, fmt.Sprintf("feature %q has %d missing value%s (of %d rows); fill them with a clean fillna step or drop them with dropna", name, m, plural(int(m)), n))
		} else {
			problems = append(problems, fmt.Sprintf("categorical feature %q has %d missing value%s (of %d rows); set categorical_missing: category to treat them as a category of their own, or fill them with a clean fillna step", name, m, plural(int(m)), n))
		}
	}
	if n == 0 {
		return fmt.Errorf("the table has no rows to cluster")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// relationTransform is model.json's transform without a clean stage: the
// table's columns as the input's.
func relationTransform(rel *pushdown.Relation, id string) *model.Transform {
	tr := &model.Transform{IDColumn: id, Steps: []model.Step{}}
	for _, c := range rel.Typed() {
		tr.Columns = append(tr.Columns, model.Column{Name: c.Name, Type: c.Kind.String()})
	}
	return tr
}

// passStats are one Lloyd pass over every row: by centroid index, the
// rows, the sums of the original and scaled features, the category counts
// (k-prototypes), and the total squared distance (dissimilarity).
type passStats struct {
	n    []int64
	sumX [][]float64
	sumZ [][]float64
	cats [][]map[string]int64 // [segment][categorical feature] category → rows
	cost float64
}

// fullStats are the whole table's statistics of the final model.
type fullStats struct {
	record     []passRecord
	inertiaSQL float64
	sizesSQL   []int64
	sampleKept bool
}

// passRecord is one SQL pass in the manifest.
type passRecord struct {
	Pass    int     `json:"pass"`
	Inertia float64 `json:"inertia"`
	Moved   bool    `json:"moved"`
}

// centroidsOf are the centroids of f's model for the SQL scorer.
func centroidsOf(f *fitted, centers [][]float64, modes [][]*string) sqlgen.Centroids {
	c := sqlgen.Centroids{Features: f.res.Features, Scaler: f.scaler, Centers: centers, Keep: true}
	if f.cat != nil {
		c.Categorical, c.Modes, c.Gamma = f.cat.names, modes, f.res.Gamma
		c.MissingCategory = f.m.CategoricalMissing == model.MissingCategory
	}
	return c
}

// pass runs one Lloyd pass as SQL: GROUP BY the nearest centroid, per
// part, combined.
func pass(ctx context.Context, rel *pushdown.Relation, what string, cent sqlgen.Centroids) (*passStats, error) {
	k, d := len(cent.Centers), len(cent.Features)
	var ds *sqlgen.Distances
	g, err := rel.Aggregate(ctx, what, func(q *sqlgen.Query) (pushdown.Spec, error) {
		var err error
		if ds, err = q.Distances(cent); err != nil {
			return pushdown.Spec{}, err
		}
		if err := q.Nearest(ds); err != nil {
			return pushdown.Spec{}, err
		}
		aggs := []pushdown.Agg{{Kind: pushdown.Count}}
		for _, x := range ds.X {
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.Sum, X: q.Ref(x)})
		}
		for _, z := range ds.Z {
			aggs = append(aggs, pushdown.Agg{Kind: pushdown.Sum, X: q.Ref(z)})
		}
		aggs = append(aggs, pushdown.Agg{Kind: pushdown.Sum, X: chosen(q, ds)})
		return pushdown.Spec{Keys: []string{q.Ref(ds.Nearest)}, Aggs: aggs}, nil
	})
	if err != nil {
		return nil, err
	}
	ps := &passStats{n: make([]int64, k), sumX: make([][]float64, k), sumZ: make([][]float64, k)}
	for s := range k {
		ps.sumX[s], ps.sumZ[s] = make([]float64, d), make([]float64, d)
	}
	for _, gr := range g.List {
		idx, ok := gr.Key[0].(int32)
		s := int(idx)
		if !ok {
			if v, ok64 := gr.Key[0].(int64); ok64 {
				s, ok = int(v), true
			}
		}
		if !ok || s < 0 || s >= k {
			return nil, fmt.Errorf("%s: a row has no nearest centroid (%v)", what, gr.Key[0])
		}
		ps.n[s] = gr.Vals[0].N
		for j := range d {
			ps.sumX[s][j] = gr.Vals[1+j].F
			ps.sumZ[s][j] = gr.Vals[1+d+j].F
		}
		ps.cost += gr.Vals[1+2*d].F
	}
	if len(cent.Categorical) > 0 {
		ps.cats = make([][]map[string]int64, k)
		for s := range k {
			ps.cats[s] = make([]map[string]int64, len(cent.Categorical))
			for j := range ps.cats[s] {
				ps.cats[s][j] = map[string]int64{}
			}
		}
		for j := range cent.Categorical {
			g, err := rel.Aggregate(ctx, what+fmt.Sprintf(": categories of %q", cent.Categorical[j]), func(q *sqlgen.Query) (pushdown.Spec, error) {
				ds, err := q.Distances(cent)
				if err != nil {
					return pushdown.Spec{}, err
				}
				if err := q.Nearest(ds); err != nil {
					return pushdown.Spec{}, err
				}
				return pushdown.Spec{Keys: []string{q.Ref(ds.Nearest), q.Dialect().Cast(q.Ref(ds.Cat[j].Name), frame.String)}, Aggs: []pushdown.Agg{{Kind: pushdown.Count}}}, nil
			})
			if err != nil {
				return nil, err
			}
			for _, gr := range g.List {
				s := keyInt(gr.Key[0])
				text, ok := gr.Key[1].(string)
				if !ok {
					continue // a missing category: never a mode of the refit
				}
				ps.cats[s][j][text] += gr.Vals[0].N
			}
		}
	}
	return ps, nil
}

func keyInt(v any) int {
	switch x := v.(type) {
	case int32:
		return int(x)
	case int64:
		return int(x)
	}
	return -1
}

// chosen is the squared distance to the nearest centroid.
func chosen(q *sqlgen.Query, ds *sqlgen.Distances) string {
	s := "CASE " + q.Ref(ds.Nearest)
	for i, d := range ds.Squared {
		s += " WHEN " + strconv.Itoa(i) + " THEN " + q.Ref(d)
	}
	return s + " END"
}

// refineDB runs the refine passes and the whole table's statistics, and
// updates f's result and model with them (unless the fit saw every row and
// no pass ran: then the fit's exact numbers stay and the SQL's are a
// check).
func (s *stage) refineDB(ctx context.Context, env *pipeline.Env, rel *pushdown.Relation, f *fitted, info *pushdown.SampleInfo) (*fullStats, error) {
	c := s.cfg
	res, m := f.res, f.m
	k, d := res.K, len(res.Features)
	centers := cloneMatrix(res.CentersScaled)
	modes := slices.Clone(m.Modes)
	full := &fullStats{}
	ps, err := pass(ctx, rel, "the whole table's rows, sums and inertia by nearest centroid", centroidsOf(f, centers, modes))
	if err != nil {
		return nil, err
	}
	full.record = append(full.record, passRecord{Pass: 0, Inertia: ps.cost})
	for p := 1; p <= c.Database.RefinePasses; p++ {
		next, nextModes := cloneMatrix(centers), slices.Clone(modes)
		for sIdx := range k {
			if ps.n[sIdx] == 0 {
				continue // an empty segment keeps its centroid
			}
			for j := range d {
				next[sIdx][j] = ps.sumZ[sIdx][j] / float64(ps.n[sIdx])
			}
			if f.cat != nil {
				nextModes[sIdx] = modesOf(ps.cats[sIdx], f.cat.dicts, modes[sIdx])
			}
		}
		moved := !equalMatrix(next, centers) || !equalModes(nextModes, modes)
		full.record[len(full.record)-1].Moved = moved
		if !moved {
			break
		}
		centers, modes = next, nextModes
		if ps, err = pass(ctx, rel, fmt.Sprintf("Lloyd pass %d over the whole table", p), centroidsOf(f, centers, modes)); err != nil {
			return nil, err
		}
		full.record = append(full.record, passRecord{Pass: p, Inertia: ps.cost})
		env.Log.Info("Lloyd pass in SQL", "pass", p, "inertia", ps.cost)
	}
	full.inertiaSQL, full.sizesSQL = ps.cost, slices.Clone(ps.n)
	for sIdx, n := range ps.n {
		if n == 0 {
			return nil, fmt.Errorf("k = %d gives an empty segment over the whole table (segment index %d after the SQL passes); lower k", k, sIdx)
		}
	}
	full.sampleKept = info.Whole && len(full.record) == 1
	if full.sampleKept {
		for sIdx, n := range ps.n {
			if int(n) != res.Sizes[sIdx] {
				env.Warn("the SQL statistics give segment %d %d rows, the fit on every row %d: the SQL scoring and the fit disagree on some rows", res.IDs[sIdx], n, res.Sizes[sIdx])
			}
		}
		if rd := math.Abs(ps.cost-res.Inertia) / math.Max(math.Abs(res.Inertia), 1e-300); rd > 1e-9 {
			env.Warn("the SQL inertia %v differs from the fit's %v by %.3g (relative)", ps.cost, res.Inertia, rd)
		}
		return full, nil
	}
	// The whole table's model: canonical order by rows, then centroid,
	// then modes.
	order := make([]int, k)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if ps.n[ia] != ps.n[ib] {
			return ps.n[ia] > ps.n[ib]
		}
		if c := slices.Compare(centers[ia], centers[ib]); c != 0 {
			return c < 0
		}
		if f.cat != nil {
			return compareModes(modes[ia], modes[ib]) < 0
		}
		return ia < ib
	})
	res.Sizes = make([]int, k)
	res.CentersScaled = make([][]float64, k)
	res.CentersOriginal = make([][]float64, k)
	newModes := make([][]*string, k)
	var stab []result.SegmentStability
	if res.Stability != nil {
		stab = slices.Clone(res.Stability.Segments)
	}
	for nw, old := range order {
		res.Sizes[nw] = int(ps.n[old])
		res.CentersScaled[nw] = centers[old]
		orig := make([]float64, d)
		for j := range d {
			orig[j] = ps.sumX[old][j] / float64(ps.n[old])
		}
		res.CentersOriginal[nw] = orig
		if f.cat != nil {
			newModes[nw] = modes[old]
		}
		if stab != nil {
			res.Stability.Segments[nw] = stab[old]
			res.Stability.Segments[nw].ID = nw + 1
		}
	}
	res.Inertia = ps.cost
	for i := range res.IDs {
		res.IDs[i] = i + 1
		res.Names[i] = ""
	}
	s.pinNames(env, res, false)
	m.Sizes, m.CentersScaled, m.CentersOriginal, m.Inertia = slices.Clone(res.Sizes), res.CentersScaled, res.CentersOriginal, res.Inertia
	m.IDs, m.Names = slices.Clone(res.IDs), slices.Clone(res.Names)
	if f.cat != nil {
		m.Modes = newModes
		res.Modes = make([][]int32, k)
		for sIdx, row := range newModes {
			res.Modes[sIdx] = make([]int32, len(row))
			for j, v := range row {
				res.Modes[sIdx][j] = -1
				if v != nil {
					res.Modes[sIdx][j] = int32(slices.Index(f.cat.dicts[j], *v))
				}
			}
		}
	}
	// Outlier thresholds over every row, and the sample relabelled with
	// the final model (its rows are what the plots and the report draw).
	if m.OutlierDistance, err = outlierThresholdsDB(ctx, rel, centroidsOf(f, res.CentersScaled, m.Modes), m.OutlierQuantile); err != nil {
		return nil, err
	}
	if f.cat == nil {
		flat := make([]float64, 0, k*d)
		for _, row := range res.CentersScaled {
			flat = append(flat, row...)
		}
		if res.Labels, _, err = kmeans.Assign(f.Z, f.n, d, flat, k); err != nil {
			return nil, err
		}
	} else {
		km, err := m.Proto()
		if err != nil {
			return nil, err
		}
		if res.Labels, _, err = km.Predict(f.Z, f.n, f.cat.codes, nil); err != nil {
			return nil, err
		}
	}
	return full, nil
}

// modesOf is each categorical feature's most frequent category among a
// segment's rows, ties to the lowest code (the first in text order), as
// k-prototypes updates a mode; categories the model does not know (never
// in the sample) are not candidates, and a feature without a known
// category keeps its mode.
func modesOf(counts []map[string]int64, dicts [][]string, prev []*string) []*string {
	out := make([]*string, len(counts))
	for j, cnt := range counts {
		out[j] = prev[j]
		best := int64(0)
		for _, v := range dicts[j] {
			if n := cnt[v]; n > best {
				v := v
				out[j], best = &v, n
			}
		}
	}
	return out
}

func compareModes(a, b []*string) int {
	for j := range a {
		switch {
		case a[j] == nil && b[j] == nil:
		case a[j] == nil:
			return -1
		case b[j] == nil:
			return 1
		default:
			if c := strings.Compare(*a[j], *b[j]); c != 0 {
				return c
			}
		}
	}
	return 0
}

func equalModes(a, b [][]*string) bool {
	for i := range a {
		if compareModes(a[i], b[i]) != 0 {
			return false
		}
	}
	return true
}

func cloneMatrix(m [][]float64) [][]float64 {
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = slices.Clone(r)
	}
	return out
}

func equalMatrix(a, b [][]float64) bool {
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// outlierThresholdsDB is model.OutlierThresholds over every row: per
// segment the quantile q (percentile_cont: linear interpolation) of the
// rows' distances to their centroid.
func outlierThresholdsDB(ctx context.Context, rel *pushdown.Relation, cent sqlgen.Centroids, q float64) ([]float64, error) {
	out := make([]float64, len(cent.Centers))
	err := rel.Whole(ctx, "the outlier thresholds (each segment's 99th percentile of distances)", func(qq *sqlgen.Query) (string, error) {
		cent.Keep = false
		ds, err := qq.Distances(cent)
		if err != nil {
			return "", err
		}
		if err := qq.Nearest(ds); err != nil {
			return "", err
		}
		return qq.Select(sqlgen.Select{
			List:    []string{qq.Ref(ds.Nearest), "percentile_cont(" + qq.Dialect().Float(q) + ") WITHIN GROUP (ORDER BY SQRT(" + chosen(qq, ds) + "))"},
			GroupBy: []string{"1"},
		}), nil
	}, func(rows pgx.Rows) error {
		var s int64
		var v float64
		if err := rows.Scan(&s, &v); err != nil {
			return err
		}
		if s >= 0 && int(s) < len(out) {
			out[s] = v
		}
		return nil
	})
	return out, err
}

// dbWrite is the manifest's record of the assignments' write (under
// notes.database.assignments), updated when it runs.
type dbWrite struct {
	Table        string `json:"table"`
	Mode         string `json:"mode"`
	RunID        string `json:"run_id"`
	ModelSHA256  string `json:"model_sha256"`
	Status       string `json:"status"` // pending, committed, failed, interrupted
	Rows         int64  `json:"rows"`
	RowsReplaced int64  `json:"rows_replaced"`
	Created      bool   `json:"created"`
	Grouped      bool   `json:"grouped,omitempty"` // scored per partition, grouped by the raw columns
	Error        string `json:"error,omitempty"`
}

// Columns the assignments table holds besides predict's score columns.
const (
	colRunID       = "run_id"
	colModelSHA256 = "model_sha256"
	colRows        = "segment_rows"
)

// deferAssignments builds the statements that write every row's segment
// (the model's scoring in SQL, as `segment export` writes it) and defers
// them to just before the run is published.
func (s *stage) deferAssignments(ctx context.Context, env *pipeline.Env, st *pipeline.State, rel *pushdown.Relation, m *model.Model, id string, wr *dbWrite, rec *pushdown.Record) error {
	c := s.cfg
	sess := rel.Session()
	raw := rawColumns(st, m, rel)
	var selects, on []string
	var cols []pgio.SelectColumn
	for _, part := range rel.On() {
		sel, outs, err := assignmentSQL(rel, part, m, id, raw, env.RunID, wr.ModelSHA256)
		if err != nil {
			return fmt.Errorf("database.table: the scoring query: %w", err)
		}
		selects, on = append(selects, sel), append(on, part)
		cols = outs
	}
	wr.Grouped = rel.PerPartition()
	opt := pgio.SelectWriteOptions{NoCreate: !c.Database.Create}
	if c.Database.Mode == DBModeAppendRun {
		opt.KeyColumn, opt.KeyValue = colRunID, env.RunID
	}
	ref, err := pgio.ParseTableName(c.Database.Table)
	if err != nil {
		return fmt.Errorf("database.table: %w", err)
	}
	wr.Table = ref.Quoted()
	stage := env.Name
	env.BeforePublish(fmt.Sprintf("write every row's segment to PostgreSQL table %s (%s)", ref.Quoted(), c.Database.Mode), func(ctx context.Context) error {
		wr.Status = "failed"
		res, err := sess.Write(ctx, stage, "writing the assignments to "+ref.Quoted(), c.Database.Table, cols, selects, on, opt)
		rec.Add(sess.Last(len(selects))...)
		if err != nil {
			wr.Error = err.Error()
			if ctx.Err() != nil {
				wr.Status = "interrupted"
			}
			return fmt.Errorf("database.table: %w", err)
		}
		wr.Status, wr.Rows, wr.RowsReplaced, wr.Created = "committed", res.Inserted, res.Deleted, res.Created
		env.Log.Info("assignments written to PostgreSQL", "table", wr.Table, "rows", wr.Rows, "rows_replaced", wr.RowsReplaced, "created", wr.Created)
		return nil
	})
	return nil
}

// rawColumns are the source columns the scoring reads (predict's
// narrowing of the frozen steps to the features, row steps included):
// what the per-partition write groups by. All source columns when the
// steps cannot be narrowed.
func rawColumns(st *pipeline.State, m *model.Model, rel *pushdown.Relation) []string {
	all := rel.SourceColumns
	tr := m.Transform
	if tr == nil {
		return all()
	}
	steps, err := sqlgen.StepsFromTransform(tr)
	if err != nil {
		return all()
	}
	_, need, err := sqlgen.Narrow(steps, m.AllFeatures(), true)
	if err != nil {
		return all()
	}
	var out []string
	for _, c := range tr.Columns {
		if need[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// assignmentSQL is the SELECT of every row's segment on one part: the
// model's scores (sqlgen's Query.ScoreOuts, as `segment export` writes
// them, without the reason: the clean stages left no row with one) with
// the run id and the model's sha256.
//
// On a partition of a sharded table it is two statements in one: the
// squared distances to each centroid, grouped by the id and the raw
// columns the scoring reads, which postgres_fdw computes on the shard (an
// aggregate over one foreign table: rows equal in all of them have equal
// distances), and around it, on the coordinator, the nearest and second
// nearest centroids and the scores of each group, whose row generate_series
// repeats as many times as the group has rows. The scoring is split there
// because its layers merged into one expression (which shipping needs)
// repeat the distances wherever the nearest and second nearest centroids
// read them, a tree that grows with the product of the layers' references.
func assignmentSQL(rel *pushdown.Relation, part string, m *model.Model, id string, raw []string, runID, modelSHA string) (string, []pgio.SelectColumn, error) {
	grouped := part != pushdown.OnSource
	var carry []string
	if grouped {
		carry = raw
	}
	q, carried, err := rel.QueryCarrying(part, carry, colRunID, colModelSHA256, colRows)
	if err != nil {
		return "", nil, err
	}
	opt := sqlgen.ScoreOptions{}
	if id != "" {
		opt.IDColumn, opt.IDOut = q.Carry("row_id", q.Ref(id)), id
	}
	d := q.Dialect()
	run, _ := d.String(runID)
	sha, _ := d.String(modelSHA)
	tail := []pgio.SelectColumn{{Name: colRunID, Kind: frame.String}, {Name: colModelSHA256, Kind: frame.String}}
	if !grouped {
		outs, err := q.ScoreOuts(m, opt)
		if err != nil {
			return "", nil, err
		}
		outs = outs[:len(outs)-1] // the reason
		var cols []pgio.SelectColumn
		list := make([]string, 0, len(outs)+2)
		for _, o := range outs {
			list = append(list, o.SQL+" AS "+ident(o.Name))
			cols = append(cols, pgio.SelectColumn{Name: o.Name, Kind: o.Kind})
		}
		list = append(list, run+" AS "+ident(colRunID), sha+" AS "+ident(colModelSHA256))
		return strings.TrimSuffix(q.Select(sqlgen.Select{List: list}), ";\n"), append(cols, tail...), nil
	}
	// The shard's part: the squared distances per group.
	ds, err := q.Distances(sqlgen.ModelCentroids(m))
	if err != nil {
		return "", nil, err
	}
	var list, group, names []string
	if id != "" {
		list = append(list, q.Ref(opt.IDColumn)+" AS "+ident(opt.IDColumn))
		group = append(group, q.Ref(opt.IDColumn))
		names = append(names, opt.IDColumn)
	}
	for _, sq := range ds.Squared {
		list = append(list, "min("+q.Ref(sq)+") AS "+ident(sq))
		names = append(names, sq)
	}
	list = append(list, "count(*) AS "+ident(colRows))
	names = append(names, colRows)
	for _, c := range carried {
		group = append(group, q.Ref(c))
	}
	inner := strings.TrimSuffix(q.Select(sqlgen.Select{List: list, GroupBy: group}), ";\n")
	// The coordinator's part: the scores of each group.
	o := sqlgen.NewQuery(d, "(\n"+inner+"\n) AS \"g\"", names)
	var first []sqlgen.Out
	oopt := sqlgen.ScoreOptions{}
	if id != "" {
		oopt.IDColumn, oopt.IDOut = o.Carry("row_id", ident(opt.IDColumn)), id
	}
	for _, sq := range ds.Squared {
		first = append(first, o.Pass(sqlgen.Column{Name: sq, Kind: frame.Float}))
	}
	rows := o.Carry("rows", ident(colRows))
	// A row whose features cannot be scored has NULL distances (the stage
	// refuses missing features before; the check keeps the reason column
	// the scoring layers read).
	unscored := []sqlgen.Check{{Cond: o.Ref(ds.Squared[0]) + " IS NULL", Reason: "a feature is missing or not a number"}}
	if err := o.Layer("grouped", "the squared distances of each group of equal rows, computed on the shard", first, unscored, ""); err != nil {
		return "", nil, err
	}
	outs, err := o.ScoreFrom(m, &sqlgen.Distances{Squared: ds.Squared}, oopt)
	if err != nil {
		return "", nil, err
	}
	outs = outs[:len(outs)-1] // the reason
	var cols []pgio.SelectColumn
	var sel, outer []string
	for _, x := range outs {
		sel = append(sel, x.SQL+" AS "+ident(x.Name))
		outer = append(outer, `"s".`+ident(x.Name))
		cols = append(cols, pgio.SelectColumn{Name: x.Name, Kind: x.Kind})
	}
	sel = append(sel, o.Ref(rows)+" AS "+ident(colRows))
	scored := strings.TrimSuffix(o.Select(sqlgen.Select{List: sel}), ";\n")
	outer = append(outer, run+" AS "+ident(colRunID), sha+" AS "+ident(colModelSHA256))
	sql := "SELECT " + strings.Join(outer, ", ") + "\nFROM (\n" + scored + "\n) AS \"s\"\nCROSS JOIN LATERAL generate_series(1, \"s\"." + ident(colRows) + ")"
	return sql, append(cols, tail...), nil
}

func ident(name string) string { return pgio.QuoteIdent(name) }
