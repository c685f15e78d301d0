package cluster

import (
	"fmt"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

// sameMixed checks that the config's categorical keys are the frozen
// model's: a k-prototypes model is scored on its own categorical
// features, γ and missing-category rule, so a config that says otherwise
// would silently not apply (and a k-means model has no categories to
// score).
func (s *stage) sameMixed(m *model.Model) error {
	c := s.cfg
	switch {
	case !m.Mixed() && c.mixed():
		return fmt.Errorf("mode: assign: categorical_features %s, but the previous model is k-means on numeric features only; remove categorical_features (or refit)", quoted(c.CategoricalFeatures))
	case m.Mixed() && !c.mixed():
		return fmt.Errorf("mode: assign: the previous model is k-prototypes with categorical features %s; list them in categorical_features (or refit)", quoted(m.CategoricalFeatures))
	case !m.Mixed():
		return nil
	}
	if _, err := featureOrder(m.CategoricalFeatures, c.CategoricalFeatures); err != nil {
		return fmt.Errorf("mode: assign: categorical features: %w", err)
	}
	if c.Gamma != nil && *c.Gamma != m.Gamma {
		return fmt.Errorf("mode: assign: gamma is %g but the previous model uses %g; assign scores with the model's gamma, so set gamma: %g or leave it out (or refit)", *c.Gamma, m.Gamma, m.Gamma)
	}
	if c.CategoricalMissing != m.CategoricalMissing {
		return fmt.Errorf("mode: assign: categorical_missing is %s but the previous model was fitted with %s; set categorical_missing: %s (or refit)", c.CategoricalMissing, m.CategoricalMissing, m.CategoricalMissing)
	}
	return nil
}

// assignMixed scores the rows with a frozen k-prototypes model exactly as
// `segment predict` does (model.Codes, then the prototypes' Predict on the
// model's scaling): the same labels, and an Assignment whose Inertia is the
// k-prototypes cost and Distance the square root of each row's
// dissimilarity. A category never seen in training mismatches every
// prototype and is reported as a warning with its count; a missing cell
// under categorical_missing: error is an error naming the first rows.
func assignMixed(env *pipeline.Env, m *model.Model, t *frame.Table, X []float64, n int, idCol *frame.Column) (*model.Assignment, *catData, error) {
	codes, unseen, probs, err := m.Codes(t, false)
	if err != nil {
		return nil, nil, fmt.Errorf("mode: assign: %w", err)
	}
	if len(probs) > 0 {
		return nil, nil, fmt.Errorf("mode: assign: %s", problemList(probs, idCol))
	}
	for _, u := range unseen {
		levels := make([]string, 0, min(len(u.Levels), 5))
		for _, l := range u.Levels[:min(len(u.Levels), 5)] {
			levels = append(levels, fmt.Sprintf("%q (%d)", l.Level, l.Rows))
		}
		more := ""
		if len(u.Levels) > 5 {
			more = fmt.Sprintf(" and %d more", len(u.Levels)-5)
		}
		env.Warn("categorical feature %q: %d row%s with categories the model never saw (%s%s); they mismatch every segment's mode", u.Column, u.Rows, plural(u.Rows), strings.Join(levels, ", "), more)
	}
	Z := []float64{}
	if n > 0 {
		if Z, err = m.Scaler.Transform(X, n); err != nil {
			return nil, nil, describeScaleError(err, idCol)
		}
	}
	km, err := m.Proto()
	if err != nil {
		return nil, nil, fmt.Errorf("mode: assign: previous model: %w", err)
	}
	labels, cost, err := km.Predict(Z, n, codes, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("mode: assign: %w", err)
	}
	cat := &catData{names: slices.Clone(m.CategoricalFeatures), codes: codes, dicts: m.Categories}
	dist := mixedDistances(Z, n, m.Dim(), cat, km, labels)
	return &model.Assignment{Labels: labels, Distance: dist, Scaled: Z, Inertia: cost}, cat, nil
}

// problemList describes the first rows Codes refused, by row number and
// id.
func problemList(probs []model.Problem, idCol *frame.Column) string {
	const show = 3
	parts := make([]string, 0, show)
	for _, p := range probs[:min(len(probs), show)] {
		row := fmt.Sprintf("row %d", p.Row+1)
		if idCol != nil {
			row += fmt.Sprintf(" (%s %s)", idCol.Name, idCol.Str(p.Row))
		}
		parts = append(parts, fmt.Sprintf("%s, column %q: %s", row, p.Column, p.Reason))
	}
	more := ""
	if len(probs) > show {
		more = fmt.Sprintf("; and %d more", len(probs)-show)
	}
	return fmt.Sprintf("%d row%s cannot be scored: %s%s; fill them with a clean fillna step", len(probs), plural(len(probs)), strings.Join(parts, "; "), more)
}

func quoted(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
