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

// Scores adds to q, whose current relation holds the model's features, the
// layers that score each row exactly as model.Score does — the features as
// doubles (a missing one, or one predict cannot read, makes the row's
// reason), the model's scaler, the squared Euclidean distance to each
// centroid summed in feature order, the nearest centroid with ties to the
// lowest segment index, the second nearest likewise — and returns the
// final SELECT list: the id, segment, segment_name, distance,
// second_segment, second_distance, margin, outlier, distance_<n> (with
// AllDistances) and reason. A row with a reason has NULL scores.
//
// The distance is a sum of per-feature terms, so the k-prototypes scorer
// adds γ × mismatches as one more term per categorical feature (see
// docs/warehouse.md); the selection of the nearest centroid does not
// change.
func (q *Query) Scores(m *model.Model, opt ScoreOptions) ([]string, error) {
	d := q.d
	feats, err := q.features(m)
	if err != nil {
		return nil, err
	}
	z, err := q.scale(m.Scaler, feats)
	if err != nil {
		return nil, err
	}
	// Squared distances.
	k := m.K
	dist := make([]Out, k)
	for s := range k {
		terms := make([]string, len(z))
		for j, zj := range z {
			e := "(" + q.Ref(zj) + " - " + d.Float(m.CentersScaled[s][j]) + ")"
			terms[j] = e + " * " + e
		}
		dist[s] = Out{Column: Column{Name: q.Internal("sq_distance_" + strconv.Itoa(s)), Kind: frame.Float}, SQL: strings.Join(terms, "\n      + ")}
	}
	if err := q.Layer("distances", "squared Euclidean distance to each centroid, summed in feature order (segment index order: "+idList(m)+")", dist, nil, ""); err != nil {
		return nil, err
	}
	// refs reads the distances and the reason in the current relation.
	var reason string
	ds := make([]string, k)
	refs := func() {
		reason = q.Ref(q.reason)
		for s := range k {
			ds[s] = q.Ref(dist[s].Name)
		}
	}
	refs()
	// Nearest: the first index whose distance is ≤ every later one (and so
	// < every earlier one): kmeans' strict < over the indexes in order.
	best := "CASE WHEN " + reason + " IS NOT NULL THEN NULL"
	for i := range k - 1 {
		var conds []string
		for j := i + 1; j < k; j++ {
			conds = append(conds, ds[i]+" <= "+ds[j])
		}
		best += "\n      WHEN " + strings.Join(conds, " AND ") + " THEN " + strconv.Itoa(i)
	}
	best += "\n      ELSE " + strconv.Itoa(k-1) + " END"
	bestCol := Out{Column: Column{Name: q.Internal("nearest_index"), Kind: frame.Int}, SQL: best}
	outs := append(q.passAll(), bestCol)
	if err := q.Layer("nearest", "the nearest centroid: ties go to the lowest segment index, as in predict", outs, nil, ""); err != nil {
		return nil, err
	}
	b := q.Ref(bestCol.Name)
	refs()
	// Second nearest: the same over the other indexes.
	second := d.Null(frame.Int)
	if k > 1 {
		second = "CASE WHEN " + reason + " IS NOT NULL THEN NULL"
		for i := range k {
			conds := []string{b + " <> " + strconv.Itoa(i)}
			for j := i + 1; j < k; j++ {
				conds = append(conds, "("+b+" = "+strconv.Itoa(j)+" OR "+ds[i]+" <= "+ds[j]+")")
			}
			second += "\n      WHEN " + strings.Join(conds, " AND ") + " THEN " + strconv.Itoa(i)
		}
		second += " END"
	}
	secondCol := Out{Column: Column{Name: q.Internal("second_index"), Kind: frame.Int}, SQL: second}
	outs = append(q.passAll(), secondCol)
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
	distOut := Out{Column: Column{Name: q.Internal("distance"), Kind: frame.Float}, SQL: d.sqrtNonNeg(pick(b, ds, frame.Float))}
	secOut := Out{Column: Column{Name: q.Internal("second_distance"), Kind: frame.Float}, SQL: d.sqrtNonNeg(pick(sc, ds, frame.Float))}
	if k == 1 {
		secOut.SQL = d.Null(frame.Float)
	}
	outs = []Out{distOut, secOut, q.Pass(bestCol.Column), q.Pass(secondCol.Column)}
	bName, sName := outs[2].Name, outs[3].Name
	if opt.AllDistances {
		for s := range k {
			outs = append(outs, Out{Column: Column{Name: q.Internal("distance_" + strconv.Itoa(s)), Kind: frame.Float},
				SQL: "CASE WHEN " + reason + " IS NULL THEN " + d.sqrtNonNeg(ds[s]) + " END"})
		}
	}
	if err := q.Layer("scores", "the distances to the nearest and second nearest centroids", outs, nil, ""); err != nil {
		return nil, err
	}
	// The final SELECT list, named as predict's scored.csv.
	b, sc = q.Ref(bName), q.Ref(sName)
	reason = q.Ref(q.reason)
	dist0, sec0 := q.Ref(distOut.Name), q.Ref(secOut.Name)
	var final []string
	taken := map[string]bool{}
	if opt.IDColumn != "" {
		final = append(final, q.Ref(opt.IDColumn)+" AS "+d.mustIdentOr(opt.IDOut))
		taken[q.fold(opt.IDOut)] = true
	}
	add := func(name, sql string) {
		if taken[q.fold(name)] {
			if name == "segment" {
				name = "segment_id"
			} else {
				name += "_score"
			}
		}
		taken[q.fold(name)] = true
		final = append(final, sql+" AS "+d.mustIdent(name))
	}
	add("segment", pick(b, ids, frame.Int))
	add("segment_name", pick(b, names, frame.String))
	add("distance", dist0)
	add("second_segment", pick(sc, ids, frame.Int))
	add("second_distance", sec0)
	add("margin", sec0+" - "+dist0)
	if len(m.OutlierDistance) == k {
		add("outlier", dist0+" > "+pick(b, outl, frame.Float))
	} else {
		add("outlier", d.Null(frame.Bool))
	}
	if opt.AllDistances {
		order := make([]int, k)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, c int) int { return m.IDs[a] - m.IDs[c] })
		for _, s := range order {
			add("distance_"+strconv.Itoa(m.IDs[s]), q.Ref(outs[4+s].Name))
		}
	}
	add("reason", reason)
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

// features adds the layer of the model's features as doubles, as
// model.Matrix reads them, and returns their internal names.
func (q *Query) features(m *model.Model) ([]string, error) {
	d := q.d
	log1p := m.Scaler.Method == scale.Log1pStandard
	outs := make([]Out, len(m.Features))
	var checks []Check
	names := make([]string, len(m.Features))
	for j, f := range m.Features {
		c, ok := q.Col(f)
		if !ok {
			return nil, fmt.Errorf("the model's steps do not produce the feature %q", f)
		}
		x := q.Ref(f)
		col := fmt.Sprintf("column %q: ", f)
		checks = append(checks, Check{Cond: x + " IS NULL", Reason: col + "missing value"})
		var v string
		switch c.Kind {
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
				return nil, fmt.Errorf("the feature %q holds text, read as numbers: %w", f, err)
			}
			lower := d.Lower(t)
			v = "CASE WHEN " + isNum + " THEN " + d.parseDouble(x) + " WHEN " + lower + " = 'true' THEN " + d.Float(1) +
				" WHEN " + lower + " = 'false' THEN " + d.Float(0) + " END"
			checks = append(checks, Check{Cond: "NOT (" + isNum + " OR " + lower + " IN ('true', 'false'))", Reason: col + "not a number"})
		}
		if log1p {
			checks = append(checks, Check{Cond: v + " <= -1", Reason: col + "is ≤ -1, outside log1p-standard scaling's domain"})
		}
		names[j] = q.Internal("x_" + strconv.Itoa(j+1))
		outs[j] = Out{Column: Column{Name: names[j], Kind: frame.Float}, SQL: v}
	}
	comment := "the features as doubles (" + quotedList(m.Features) + "); a missing one makes the row's reason"
	if err := q.Layer("features", comment, outs, checks, ""); err != nil {
		return nil, err
	}
	return names, nil
}

// scale adds the scaler's layers and returns the scaled columns' names.
func (q *Query) scale(sc *scale.Scaler, x []string) ([]string, error) {
	d := q.d
	dim := len(x)
	z := make([]string, dim)
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
	for j := range x {
		if len(sc.Weights) > 0 {
			outs[j].SQL = "(" + outs[j].SQL + ") * " + d.Float(sc.Weights[j])
		}
		z[j] = q.Internal("z_" + strconv.Itoa(j+1))
		outs[j].Column = Column{Name: z[j], Kind: frame.Float}
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
