package sqlgen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/scale"
)

// tinyNorm is the row norm below which normalize leaves a row unchanged
// (internal/scale: 10·ε, scikit-learn's _handle_zeros_in_scale).
const tinyNorm = 10 * 0x1p-52

// ScoreOptions choose the score columns.
type ScoreOptions struct {
	// IDColumn is the carried internal id column (Query.Source), "" for
	// none; IDOut is its name in the output.
	IDColumn, IDOut string
	// AllDistances adds distance_<segment> for every segment.
	AllDistances bool
}

// Centroids are what rows are scored against: the features and their
// scaler, the centroids in scaled units and, for a k-prototypes model, the
// categorical features with each segment's modes and γ. A model gives
// them (ModelCentroids); pushdown's Lloyd passes give centroids of their
// own.
type Centroids struct {
	// Features are the numeric features, in model order, and Scaler maps
	// them to the space of Centers.
	Features []string
	Scaler   *scale.Scaler
	// Centers are the k centroids in scaled units (k rows of d).
	Centers [][]float64
	// Categorical are the categorical features (k-prototypes), Modes each
	// segment's category of each (nil: the missing category) and Gamma the
	// cost of one mismatch. A category is compared as predict compares
	// it: text as it is, a number or boolean by the text the table gives
	// it (frame.Column.Format).
	Categorical []string
	Modes       [][]*string
	Gamma       float64
	// MissingCategory makes a missing category a category of its own
	// (categorical_missing: category); otherwise it is a row's reason.
	MissingCategory bool
	// Segments names the centroids in comments ("segments 1, 2, 3").
	Segments string
	// Keep passes the features as doubles (Distances.X), scaled
	// (Distances.Z) and the categories (Distances.Cat) through the layers,
	// for aggregates of a Lloyd pass; export does not need them.
	Keep bool
}

// ModelCentroids are the centroids of a model.
func ModelCentroids(m *model.Model) Centroids {
	return Centroids{
		Features: m.Features, Scaler: m.Scaler, Centers: m.CentersScaled,
		Categorical: m.CategoricalFeatures, Modes: m.Modes, Gamma: m.Gamma,
		MissingCategory: m.CategoricalMissing == model.MissingCategory,
		Segments:        idList(m),
	}
}

// Distances names the internal columns Query.Distances adds.
type Distances struct {
	// X are the numeric features as doubles and Z the scaled ones (in the
	// layers before the distances), by feature.
	X, Z []string
	// Cat are the categorical features' columns (k-prototypes).
	Cat []Column
	// Squared holds each centroid's squared distance (k-prototypes: the
	// dissimilarity Σ (z − c)² + γ × mismatches), by centroid index.
	Squared []string
	// Nearest is the nearest centroid's index (after Query.Nearest).
	Nearest string
}

// Distances adds to q, whose current relation holds the features, the
// layers up to the squared distance of every row to each centroid: the
// features as doubles (a missing one, or one that cannot be read as a
// number, makes the row's reason; a k-prototypes model's categories are
// carried as they are), the scaler, and the squared Euclidean distances
// summed in feature order, as internal/kmeans and model.Score sum them;
// a k-prototypes model adds γ × the number of categories that differ from
// the centroid's modes, as kproto.Dissimilarity does. The current
// relation then holds the carried columns, the reason and the squared
// distances.
func (q *Query) Distances(c Centroids) (*Distances, error) {
	d := q.d
	if len(c.Centers) == 0 {
		return nil, fmt.Errorf("no centroids to score against")
	}
	for s, row := range c.Centers {
		if len(row) != len(c.Features) {
			return nil, fmt.Errorf("centroid %d has %d values for %d features", s, len(row), len(c.Features))
		}
	}
	if len(c.Categorical) > 0 && len(c.Modes) != len(c.Centers) {
		return nil, fmt.Errorf("%d rows of modes for %d centroids", len(c.Modes), len(c.Centers))
	}
	feats, cats, err := q.features(c)
	if err != nil {
		return nil, err
	}
	z, err := q.scale(c.Scaler, feats, cats, c.Keep)
	if err != nil {
		return nil, err
	}
	k := len(c.Centers)
	dist := make([]Out, k)
	for s := range k {
		terms := make([]string, len(z))
		for j, zj := range z {
			e := "(" + q.Ref(zj.Name) + " - " + d.Float(c.Centers[s][j]) + ")"
			terms[j] = e + " * " + e
		}
		sum := strings.Join(terms, "\n      + ")
		if len(cats) > 0 {
			if len(c.Modes[s]) != len(cats) {
				return nil, fmt.Errorf("centroid %d has %d modes for %d categorical features", s, len(c.Modes[s]), len(cats))
			}
			mis := make([]string, len(cats))
			for j, cc := range cats {
				m, err := q.mismatch(cc, c.Modes[s][j])
				if err != nil {
					return nil, fmt.Errorf("centroid %d, categorical feature %q: %w", s, c.Categorical[j], err)
				}
				mis[j] = m
			}
			sum = "(" + sum + ")\n      + " + d.Float(c.Gamma) + " * " + d.Cast("("+strings.Join(mis, " + ")+")", frame.Float)
		}
		dist[s] = Out{Column: Column{Name: q.Internal("sq_distance_" + strconv.Itoa(s)), Kind: frame.Float}, SQL: sum}
	}
	comment := "squared Euclidean distance to each centroid, summed in feature order"
	if len(cats) > 0 {
		comment = "k-prototypes dissimilarity to each centroid: squared Euclidean distance summed in feature order, plus gamma times the categories that differ from the centroid's modes"
	}
	if c.Segments != "" {
		comment += " (segment index order: " + c.Segments + ")"
	}
	outs := dist
	if c.Keep {
		outs = nil
		for _, x := range feats {
			outs = append(outs, q.Pass(Column{Name: x, Kind: frame.Float}))
		}
		for _, zj := range z {
			outs = append(outs, q.Pass(zj))
		}
		for _, cc := range cats {
			outs = append(outs, q.Pass(cc))
		}
		outs = append(outs, dist...)
	}
	if err := q.Layer("distances", comment, outs, nil, ""); err != nil {
		return nil, err
	}
	out := &Distances{Cat: cats}
	for _, x := range feats {
		out.X = append(out.X, x)
	}
	for j := range z {
		out.Z = append(out.Z, z[j].Name)
	}
	for s := range k {
		out.Squared = append(out.Squared, dist[s].Name)
	}
	return out, nil
}

// mismatch is 0 when the categorical column cc holds the mode (nil: the
// missing category) and 1 otherwise, as an int expression; a missing cell
// mismatches every mode but the missing category, a category never seen
// in training mismatches every mode.
func (q *Query) mismatch(cc Column, mode *string) (string, error) {
	if mode == nil {
		return "CASE WHEN " + q.Ref(cc.Name) + " IS NULL THEN 0 ELSE 1 END", nil
	}
	match, err := q.levelMatch(cc, *mode)
	if err != nil {
		return "", err
	}
	if match == "" {
		return "1", nil
	}
	return "CASE WHEN " + match + " THEN 0 ELSE 1 END", nil
}

// Nearest adds the layer of the nearest centroid's index by the squared
// distances ds: the first index whose distance is ≤ every later one (and
// so < every earlier one), which is kmeans' and predict's "ties go to the
// lowest index"; NULL for a row with a reason. It sets ds.Nearest.
func (q *Query) Nearest(ds *Distances) error {
	k := len(ds.Squared)
	reason := ""
	if q.reason != "" {
		reason = q.Ref(q.reason)
	}
	dq := make([]string, k)
	for s, name := range ds.Squared {
		dq[s] = q.Ref(name)
	}
	best := "CASE"
	if reason != "" {
		best += " WHEN " + reason + " IS NOT NULL THEN NULL"
	}
	for i := range k - 1 {
		var conds []string
		for j := i + 1; j < k; j++ {
			conds = append(conds, dq[i]+" <= "+dq[j])
		}
		best += "\n      WHEN " + strings.Join(conds, " AND ") + " THEN " + strconv.Itoa(i)
	}
	best += "\n      ELSE " + strconv.Itoa(k-1) + " END"
	if k == 1 && reason == "" {
		best = "0"
	}
	bestCol := Out{Column: Column{Name: q.Internal("nearest_index"), Kind: frame.Int}, SQL: best}
	outs := append(q.passAll(), bestCol)
	if err := q.Layer("nearest", "the nearest centroid: ties go to the lowest segment index, as in predict", outs, nil, ""); err != nil {
		return err
	}
	ds.Nearest = bestCol.Name
	return nil
}

// Scores adds to q, whose current relation holds the model's features, the
// layers that score each row exactly as model.Score (model.ScoreMixed for a
// k-prototypes model) does — Distances, Nearest, then the second nearest
// likewise — and returns the final SELECT list: the id, segment,
// segment_name, distance, second_segment, second_distance, margin,
// outlier, distance_<n> (with AllDistances) and reason. A row with a
// reason has NULL scores.
func (q *Query) Scores(m *model.Model, opt ScoreOptions) ([]string, error) {
	outs, err := q.ScoreOuts(m, opt)
	if err != nil {
		return nil, err
	}
	final := make([]string, len(outs))
	for i, o := range outs {
		final[i] = o.SQL + " AS " + q.d.mustIdentOr(o.Name)
	}
	return final, nil
}

// ScoreOuts is Scores with the final columns as outputs: their names and
// kinds, and their SQL without the alias (for a statement that wraps them,
// such as an aggregate).
func (q *Query) ScoreOuts(m *model.Model, opt ScoreOptions) ([]Out, error) {
	ds, err := q.Distances(ModelCentroids(m))
	if err != nil {
		return nil, err
	}
	return q.ScoreFrom(m, ds, opt)
}

// ScoreFrom is ScoreOuts over squared distances already in the current
// relation (ds.Squared, by centroid index, as Distances adds them): the
// layers of the nearest and second nearest centroids and the scores. A
// statement that computes the distances in one place (the shards of a
// sharded setup, an aggregate per row) and the rest in another uses it
// over the distances' relation; opt.AllDistances is not supported then
// (it reads the distances' reason as Distances leaves it).
func (q *Query) ScoreFrom(m *model.Model, ds *Distances, opt ScoreOptions) ([]Out, error) {
	d := q.d
	if len(ds.Squared) != m.K {
		return nil, fmt.Errorf("%d distances for k = %d", len(ds.Squared), m.K)
	}
	if q.reason == "" {
		// Every row can be scored; the reason column is still written.
		q.reason = q.Internal("segment_reason")
	}
	k := m.K
	// refs reads the distances and the reason in the current relation.
	var reason string
	ds2 := make([]string, k)
	refs := func() {
		reason = q.Ref(q.reason)
		for s := range k {
			ds2[s] = q.Ref(ds.Squared[s])
		}
	}
	if err := q.Nearest(ds); err != nil {
		return nil, err
	}
	bestCol := Column{Name: ds.Nearest, Kind: frame.Int}
	b := q.Ref(bestCol.Name)
	refs()
	// Second nearest: the same over the other indexes.
	second := d.Null(frame.Int)
	if k > 1 {
		second = "CASE WHEN " + reason + " IS NOT NULL THEN NULL"
		for i := range k {
			conds := []string{b + " <> " + strconv.Itoa(i)}
			for j := i + 1; j < k; j++ {
				conds = append(conds, "("+b+" = "+strconv.Itoa(j)+" OR "+ds2[i]+" <= "+ds2[j]+")")
			}
			second += "\n      WHEN " + strings.Join(conds, " AND ") + " THEN " + strconv.Itoa(i)
		}
		second += " END"
	}
	secondCol := Out{Column: Column{Name: q.Internal("second_index"), Kind: frame.Int}, SQL: second}
	outs := append(q.passAll(), secondCol)
	if err := q.Layer("second", "the second nearest centroid, ties to the lowest index", outs, nil, ""); err != nil {
		return nil, err
	}
	sc := q.Ref(secondCol.Name)
	b = q.Ref(bestCol.Name)
	refs()
	pick := func(idx string, vals []string, kind frame.Kind) string {
		s := "CASE " + idx
		for i, v := range vals {
			s += " WHEN " + strconv.Itoa(i) + " THEN " + v
		}
		return s + " END"
	}
	ids := make([]string, k)
	names := make([]string, k)
	outl := make([]string, k)
	for s := range k {
		ids[s] = strconv.Itoa(m.IDs[s])
		n, err := d.String(m.Label(s))
		if err != nil {
			return nil, fmt.Errorf("segment %d's name: %w", m.IDs[s], err)
		}
		names[s] = n
		if len(m.OutlierDistance) == k {
			outl[s] = d.Float(m.OutlierDistance[s])
		}
	}
	// Distances.
	distOut := Out{Column: Column{Name: q.Internal("distance"), Kind: frame.Float}, SQL: d.sqrtNonNeg(pick(b, ds2, frame.Float))}
	secOut := Out{Column: Column{Name: q.Internal("second_distance"), Kind: frame.Float}, SQL: d.sqrtNonNeg(pick(sc, ds2, frame.Float))}
	if k == 1 {
		secOut.SQL = d.Null(frame.Float)
	}
	outs = []Out{distOut, secOut, q.Pass(bestCol), q.Pass(secondCol.Column)}
	bName, sName := outs[2].Name, outs[3].Name
	if opt.AllDistances {
		for s := range k {
			outs = append(outs, Out{Column: Column{Name: q.Internal("distance_" + strconv.Itoa(s)), Kind: frame.Float},
				SQL: "CASE WHEN " + reason + " IS NULL THEN " + d.sqrtNonNeg(ds2[s]) + " END"})
		}
	}
	if err := q.Layer("scores", "the distances to the nearest and second nearest centroids", outs, nil, ""); err != nil {
		return nil, err
	}
	// The final SELECT list, named as predict's scored.csv.
	b, sc = q.Ref(bName), q.Ref(sName)
	reason = q.Ref(q.reason)
	dist0, sec0 := q.Ref(distOut.Name), q.Ref(secOut.Name)
	var final []Out
	taken := map[string]bool{}
	if opt.IDColumn != "" {
		name := opt.IDOut
		if _, err := d.Ident(name); err != nil {
			name = "id"
		}
		final = append(final, Out{Column: Column{Name: name, Kind: frame.String}, SQL: q.Ref(opt.IDColumn)})
		taken[q.fold(opt.IDOut)] = true
	}
	add := func(name string, kind frame.Kind, sql string) {
		if taken[q.fold(name)] {
			if name == "segment" {
				name = "segment_id"
			} else {
				name += "_score"
			}
		}
		taken[q.fold(name)] = true
		final = append(final, Out{Column: Column{Name: name, Kind: kind}, SQL: sql})
	}
	add("segment", frame.Int, pick(b, ids, frame.Int))
	add("segment_name", frame.String, pick(b, names, frame.String))
	add("distance", frame.Float, dist0)
	add("second_segment", frame.Int, pick(sc, ids, frame.Int))
	add("second_distance", frame.Float, sec0)
	add("margin", frame.Float, sec0+" - "+dist0)
	if len(m.OutlierDistance) == k {
		add("outlier", frame.Bool, dist0+" > "+pick(b, outl, frame.Float))
	} else {
		add("outlier", frame.Bool, d.Null(frame.Bool))
	}
	if opt.AllDistances {
		order := make([]int, k)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, c int) int { return m.IDs[a] - m.IDs[c] })
		for _, s := range order {
			add("distance_"+strconv.Itoa(m.IDs[s]), frame.Float, q.Ref(outs[4+s].Name))
		}
	}
	add("reason", frame.String, reason)
	return final, nil
}

// mustIdentOr quotes a name read from a model (validated UTF-8 text).
func (d *Dialect) mustIdentOr(name string) string {
	q, err := d.Ident(name)
	if err != nil {
		return d.mustIdent("id")
	}
	return q
}

func idList(m *model.Model) string {
	s := make([]string, m.K)
	for i, id := range m.IDs {
		s[i] = strconv.Itoa(id)
	}
	return "segments " + strings.Join(s, ", ")
}

// features adds the layer of the features as doubles, as model.Matrix
// reads them, followed by the categorical features as they are (their
// columns with the kind the relation holds), and returns their internal
// names. A missing feature, a text that is not a number, a value ≤ −1
// under log1p-standard and, unless c.MissingCategory, a missing category
// make the row's reason, in predict's words and order (the numeric
// features' problems first).
func (q *Query) features(c Centroids) ([]string, []Column, error) {
	d := q.d
	log1p := c.Scaler != nil && c.Scaler.Method == scale.Log1pStandard
	outs := make([]Out, 0, len(c.Features)+len(c.Categorical))
	var checks []Check
	names := make([]string, len(c.Features))
	for j, f := range c.Features {
		col, ok := q.Col(f)
		if !ok {
			return nil, nil, fmt.Errorf("the model's steps do not produce the feature %q", f)
		}
		x := q.Ref(f)
		msg := fmt.Sprintf("column %q: ", f)
		checks = append(checks, Check{Cond: x + " IS NULL", Reason: msg + "missing value"})
		var v string
		switch col.Kind {
		case frame.Float:
			v = x
		case frame.Int:
			v = d.Cast(x, frame.Float)
		case frame.Bool:
			v = "CASE WHEN " + x + " THEN " + d.Float(1) + " WHEN NOT " + x + " THEN " + d.Float(0) + " END"
		default:
			t := d.TrimSpace(x)
			isNum, err := d.FullMatch(t, numberPattern)
			if err != nil {
				return nil, nil, fmt.Errorf("the feature %q holds text, read as numbers: %w", f, err)
			}
			lower := d.Lower(t)
			v = "CASE WHEN " + isNum + " THEN " + d.parseDouble(x) + " WHEN " + lower + " = 'true' THEN " + d.Float(1) +
				" WHEN " + lower + " = 'false' THEN " + d.Float(0) + " END"
			checks = append(checks, Check{Cond: "NOT (" + isNum + " OR " + lower + " IN ('true', 'false'))", Reason: msg + "not a number"})
		}
		if log1p {
			checks = append(checks, Check{Cond: v + " <= -1", Reason: msg + "is ≤ -1, outside log1p-standard scaling's domain"})
		}
		names[j] = q.Internal("x_" + strconv.Itoa(j+1))
		outs = append(outs, Out{Column: Column{Name: names[j], Kind: frame.Float}, SQL: v})
	}
	cats := make([]Column, len(c.Categorical))
	for j, f := range c.Categorical {
		col, ok := q.Col(f)
		if !ok {
			return nil, nil, fmt.Errorf("the model's steps do not produce the categorical feature %q", f)
		}
		if !c.MissingCategory {
			checks = append(checks, Check{Cond: q.Ref(f) + " IS NULL",
				Reason: fmt.Sprintf("column %q: missing category (the model was fitted with categorical_missing: error)", f)})
		}
		cats[j] = Column{Name: q.Internal("category_" + strconv.Itoa(j+1)), Kind: col.Kind}
		outs = append(outs, Out{Column: cats[j], SQL: q.Ref(f)})
	}
	comment := "the features as doubles (" + quotedList(c.Features) + "); a missing one makes the row's reason"
	if len(cats) > 0 {
		comment += "; then the categorical features as they are (" + quotedList(c.Categorical) + ")"
	}
	if err := q.Layer("features", comment, outs, checks, ""); err != nil {
		return nil, nil, err
	}
	return names, cats, nil
}

// scale adds the scaler's layers and returns the scaled columns; the
// categorical columns cats are passed through, and the unscaled x too with
// keep.
func (q *Query) scale(sc *scale.Scaler, x []string, cats []Column, keep bool) ([]Column, error) {
	d := q.d
	if sc == nil {
		return nil, fmt.Errorf("no scaler")
	}
	dim := len(x)
	outs := make([]Out, dim)
	comment := "scaled: " + sc.Method
	if sc.Method == scale.Normalize {
		// The row's L2 norm, summed in feature order.
		terms := make([]string, dim)
		for j, xj := range x {
			terms[j] = q.Ref(xj) + " * " + q.Ref(xj)
		}
		norm := Out{Column: Column{Name: q.Internal("row_norm"), Kind: frame.Float}, SQL: d.sqrtNonNeg(strings.Join(terms, " + "))}
		if err := q.Layer("row_norm", "the row's Euclidean norm (normalize)", append(q.passAll(), norm), nil, ""); err != nil {
			return nil, err
		}
		n := q.Ref(norm.Name)
		for j, xj := range x {
			v := "CASE WHEN " + n + " < " + d.Float(tinyNorm) + " THEN " + q.Ref(xj) + " ELSE " + q.Ref(xj) + " / " + n + " END"
			outs[j] = Out{SQL: v}
		}
		comment += " (each row divided by its norm; a row whose norm is below 10·ε is left as it is)"
	} else {
		if len(sc.Center) != dim || len(sc.Scale) != dim {
			if sc.Method != scale.None {
				return nil, fmt.Errorf("the scaler has %d centres and %d scales for %d features", len(sc.Center), len(sc.Scale), dim)
			}
		}
		for j, xj := range x {
			v := q.Ref(xj)
			switch sc.Method {
			case scale.Standard, scale.MinMax, scale.Robust:
				v = "(" + v + " - " + d.Float(sc.Center[j]) + ") / " + d.Float(sc.Scale[j])
			case scale.Log1pStandard:
				v = "(" + d.Log1p(v) + " - " + d.Float(sc.Center[j]) + ") / " + d.Float(sc.Scale[j])
			case scale.None:
			default:
				return nil, fmt.Errorf("scaler %q has no SQL form", sc.Method)
			}
			outs[j] = Out{SQL: v}
		}
	}
	if len(sc.Weights) > 0 {
		comment += ", then weighted"
	}
	z := make([]Column, dim)
	for j := range x {
		if len(sc.Weights) > 0 {
			outs[j].SQL = "(" + outs[j].SQL + ") * " + d.Float(sc.Weights[j])
		}
		z[j] = Column{Name: q.Internal("z_" + strconv.Itoa(j+1)), Kind: frame.Float}
		outs[j].Column = z[j]
	}
	for _, c := range cats {
		outs = append(outs, q.Pass(c))
	}
	if keep {
		for _, xj := range x {
			outs = append(outs, q.Pass(Column{Name: xj, Kind: frame.Float}))
		}
	}
	if err := q.Layer("scaled", comment, outs, nil, ""); err != nil {
		return nil, err
	}
	return z, nil
}

func quotedList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}
