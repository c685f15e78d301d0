package model

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/stats"
)

// MixedSchemaVersion is the schema_version of a model with categorical
// features (engine kprototypes). Models without them are still written as
// SchemaVersion 2, byte for byte as before, so older readers keep reading
// them; a version-2 reader refuses a mixed model instead of silently
// ignoring its categorical features.
const MixedSchemaVersion = 3

// NumericSchemaVersion is the schema_version of a model without
// categorical features (k-means).
const NumericSchemaVersion = 2

// Categorical missing-value policies (categorical_missing).
const (
	MissingError    = "error"
	MissingCategory = "category"
)

// Mixed reports whether the model has categorical features (k-prototypes).
func (m *Model) Mixed() bool { return len(m.CategoricalFeatures) > 0 }

// AllFeatures returns the numeric features, then the categorical ones.
func (m *Model) AllFeatures() []string {
	return slices.Concat(m.Features, m.CategoricalFeatures)
}

// Proto returns the k-prototypes model of a mixed model: the scaled
// centroids, the modes as codes into Categories (-1 the missing category)
// and γ.
func (m *Model) Proto() (*kproto.Model, error) {
	if !m.Mixed() {
		return nil, errors.New("model: not a mixed (k-prototypes) model")
	}
	p, q := m.Dim(), len(m.CategoricalFeatures)
	km := &kproto.Model{K: m.K, P: p, Q: q, Gamma: m.Gamma, Centroids: m.CentersFlat(), Modes: make([]int32, 0, m.K*q)}
	if m.CategoricalMissing == MissingCategory {
		km.Missing = kproto.MissingCategory
	}
	for s := range m.K {
		for c := range q {
			code, err := m.modeCode(s, c)
			if err != nil {
				return nil, err
			}
			km.Modes = append(km.Modes, code)
		}
	}
	return km, nil
}

// modeCode returns segment s's mode of categorical feature c as a code.
func (m *Model) modeCode(s, c int) (int32, error) {
	v := m.Modes[s][c]
	if v == nil {
		return -1, nil
	}
	at := slices.Index(m.Categories[c], *v)
	if at < 0 {
		return 0, fmt.Errorf("modes: segment %d's mode of %q, %q, is not one of its categories", m.IDs[s], m.CategoricalFeatures[c], *v)
	}
	return int32(at), nil
}

// validateMixed checks the categorical parts: one dictionary per
// categorical feature (distinct values), K rows of modes naming a category
// (or null, the missing category, under categorical_missing: category), a
// finite γ ≥ 0 and a known missing policy. Features must not repeat
// across the two lists.
func (m *Model) validateMixed() error {
	q := len(m.CategoricalFeatures)
	if q == 0 {
		if len(m.Categories) > 0 || len(m.Modes) > 0 {
			return errors.New("the model has categories or modes but no categorical_features")
		}
		return nil
	}
	if m.SchemaVersion < MixedSchemaVersion {
		return fmt.Errorf("categorical_features need schema_version %d, the model has %d", MixedSchemaVersion, m.SchemaVersion)
	}
	seen := map[string]bool{}
	for _, f := range m.AllFeatures() {
		if seen[f] {
			return fmt.Errorf("feature %q is listed twice (features and categorical_features)", f)
		}
		seen[f] = true
	}
	if len(m.Categories) != q {
		return fmt.Errorf("%d categorical features but %d category lists", q, len(m.Categories))
	}
	for c, dict := range m.Categories {
		vals := map[string]bool{}
		for _, v := range dict {
			if vals[v] {
				return fmt.Errorf("categories of %q: %q appears twice", m.CategoricalFeatures[c], v)
			}
			vals[v] = true
		}
	}
	if err := m.validateShares(); err != nil {
		return err
	}
	if !(m.Gamma >= 0) || math.IsInf(m.Gamma, 0) {
		return fmt.Errorf("gamma is %v; want a finite number ≥ 0", m.Gamma)
	}
	switch m.CategoricalMissing {
	case MissingError, MissingCategory:
	default:
		return fmt.Errorf("categorical_missing is %q; want error or category", m.CategoricalMissing)
	}
	if len(m.Modes) != m.K {
		return fmt.Errorf("k is %d but there are %d rows of modes", m.K, len(m.Modes))
	}
	for s, row := range m.Modes {
		if len(row) != q {
			return fmt.Errorf("segment %d has %d modes for %d categorical features", m.IDs[s], len(row), q)
		}
		for c, v := range row {
			if v == nil && m.CategoricalMissing != MissingCategory {
				return fmt.Errorf("modes: segment %d's mode of %q is null (missing) but categorical_missing is error", m.IDs[s], m.CategoricalFeatures[c])
			}
			if _, err := m.modeCode(s, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// Unseen counts the rows whose category a categorical feature never had in
// training: such a category mismatches every prototype.
type Unseen struct {
	Column string
	Rows   int
	Levels []UnseenLevel // by rows, descending, then text
}

// UnseenLevel is one unseen category and its rows.
type UnseenLevel struct {
	Level string
	Rows  int
}

// Codes maps the categorical feature columns of t to the training codes
// (an index into Categories; -1 for a missing cell under
// categorical_missing: category). A category never seen in training gets
// the code len(Categories[c]), which mismatches every prototype, and is
// counted in unseen; with rejectUnseen it is a Problem instead. A missing
// cell under categorical_missing: error is a Problem. Numbers and booleans
// are matched by their text as the cluster stage wrote them. An absent
// column is an error. t is not modified.
func (m *Model) Codes(t *frame.Table, rejectUnseen bool) (cat [][]int32, unseen []Unseen, probs []Problem, err error) {
	n := t.NumRows()
	for _, f := range m.CategoricalFeatures {
		if !t.Has(f) {
			return nil, nil, nil, fmt.Errorf("categorical feature column: %w", &frame.UnknownColumnError{Name: f, Known: t.Names()})
		}
	}
	cat = make([][]int32, len(m.CategoricalFeatures))
	for c, f := range m.CategoricalFeatures {
		col := t.Col(f)
		index := make(map[string]int32, len(m.Categories[c]))
		for code, v := range m.Categories[c] {
			index[v] = int32(code)
		}
		unseenCode := int32(len(m.Categories[c]))
		codes := make([]int32, n)
		counts := map[string]int{}
		for i := range n {
			text, missing := CategoryText(col, i)
			if missing {
				if m.CategoricalMissing == MissingCategory {
					codes[i] = -1
				} else {
					codes[i] = -1
					probs = append(probs, Problem{Row: i, Column: f, Reason: "missing category (the model was fitted with categorical_missing: error)"})
				}
				continue
			}
			code, ok := index[text]
			if !ok {
				code = unseenCode
				if rejectUnseen {
					probs = append(probs, Problem{Row: i, Column: f, Value: text, Reason: "category never seen in training"})
				} else {
					counts[text]++
				}
			}
			codes[i] = code
		}
		cat[c] = codes
		if len(counts) > 0 {
			u := Unseen{Column: f}
			for l, r := range counts {
				u.Levels = append(u.Levels, UnseenLevel{l, r})
				u.Rows += r
			}
			sort.Slice(u.Levels, func(a, b int) bool {
				if u.Levels[a].Rows != u.Levels[b].Rows {
					return u.Levels[a].Rows > u.Levels[b].Rows
				}
				return u.Levels[a].Level < u.Levels[b].Level
			})
			unseen = append(unseen, u)
		}
	}
	slices.SortStableFunc(probs, func(a, b Problem) int { return a.Row - b.Row })
	return cat, unseen, probs, nil
}

// CategoryText is the text of a categorical cell as the cluster stage and
// Codes read it (a text cell as it is, a number or boolean formatted as
// the table formats it) and whether the cell is missing.
func CategoryText(c *frame.Column, i int) (string, bool) {
	if c.IsMissing(i) || c.Kind == frame.String && c.Code(i) < 0 {
		return "", true
	}
	if c.Kind == frame.String {
		return c.Dict[c.Code(i)], false
	}
	return c.Format(i), false
}

// ScoreMixed scores rows of a mixed model: X holds the numeric features
// (n×d, original units, no NaN) and cat the codes from Codes. A row's
// dissimilarity to segment s is Σ (z − c_s)² + γ × (mismatched
// categories) (internal/kproto); labels are the nearest prototype (lowest
// index among equal costs, as the fit), and Distance, SecondDistance and
// All hold the square root of the dissimilarity, which is the Euclidean
// distance when there are no mismatches. Outlier compares Distance with
// OutlierDistance as for a numeric model.
func (m *Model) ScoreMixed(X []float64, cat [][]int32, n int, all bool) (*Scores, error) {
	km, err := m.Proto()
	if err != nil {
		return nil, err
	}
	d, k := m.Dim(), m.K
	if len(X) != n*d {
		return nil, fmt.Errorf("model: %d values for %d rows × %d features", len(X), n, d)
	}
	Z := []float64{}
	if n > 0 {
		if Z, err = m.Scaler.Transform(X, n); err != nil {
			return nil, err
		}
	}
	labels, _, err := km.Predict(Z, n, cat, nil)
	if err != nil {
		return nil, err
	}
	sc := &Scores{Labels: labels, Distance: make([]float64, n), Second: make([]int32, n), SecondDistance: make([]float64, n)}
	if all {
		sc.All = make([]float64, n*k)
	}
	q := len(cat)
	codes := make([]int32, q)
	diss := make([]float64, k)
	for i := range n {
		for c := range q {
			codes[c] = cat[c][i]
		}
		z := Z[i*d : i*d+d]
		for s := range k {
			diss[s] = kproto.Dissimilarity(z, km.Centroids[s*d:s*d+d], codes, km.Modes[s*q:s*q+q], km.Gamma)
		}
		sc.Distance[i] = math.Sqrt(diss[labels[i]])
		sc.setRow(i, diss, all)
	}
	sc.flagOutliers(m.OutlierDistance, k)
	return sc, nil
}

// OutlierThresholdsOf returns, per segment, the quantile q (linear
// interpolation) of the distances dist of its rows (labels: segment
// indices 0..k-1). A segment without rows gets 0. Inputs are not modified.
func OutlierThresholdsOf(dist []float64, labels []int32, k int, q float64) ([]float64, error) {
	if len(dist) != len(labels) {
		return nil, fmt.Errorf("model: %d distances for %d labels", len(dist), len(labels))
	}
	if !(q > 0 && q <= 1) {
		return nil, fmt.Errorf("model: outlier quantile %v is not in (0, 1]", q)
	}
	per := make([][]float64, k)
	for i, l := range labels {
		if int(l) < 0 || int(l) >= k {
			return nil, fmt.Errorf("model: row %d has segment index %d, k is %d", i, l, k)
		}
		per[l] = append(per[l], dist[i])
	}
	out := make([]float64, k)
	for s, ds := range per {
		if len(ds) == 0 {
			continue
		}
		stats.SortFloat64s(ds)
		out[s] = stats.Quantile(ds, q)
	}
	return out, nil
}
