package eda

import (
	"fmt"

	"github.com/churnlab/segment/internal/featcheck"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/pipeline"
)

// featureChecks checks the features of every cluster stage after this one
// (named self) on table t, scaled as that stage will scale them: one-hot
// dummies that dominate the distance and near-duplicates. A stage whose
// features are not all numeric columns without missing values here (they
// are made by a later clean step, say) is skipped, with why in notes; the
// cluster stage checks them itself.
func featureChecks(cfg *pipeline.Config, self string, t *frame.Table) (checks []result.FeatureCheck, notes []string) {
	after := false
	for _, spec := range cfg.Stages {
		if spec.Name == self {
			after = true
			continue
		}
		fc, ok := spec.Config.(pipeline.FeatureConfig)
		if !after || !ok {
			continue
		}
		features, method, weights := fc.ClusterFeatures()
		X, why := featureMatrix(t, features)
		if why != "" {
			notes = append(notes, fmt.Sprintf("stage %q: %s; its features are checked when it runs", spec.Name, why))
			continue
		}
		n, d := t.NumRows(), len(features)
		var w []float64
		if len(weights) > 0 {
			w = make([]float64, d)
			for j, f := range features {
				w[j] = 1
				if v, ok := weights[f]; ok {
					w[j] = v
				}
			}
		}
		sc, err := scale.Fit(method, X, n, d, features, w)
		if err != nil {
			notes = append(notes, fmt.Sprintf("stage %q: %v", spec.Name, err))
			continue
		}
		Z, err := sc.Transform(X, n)
		if err != nil {
			notes = append(notes, fmt.Sprintf("stage %q: %v", spec.Name, err))
			continue
		}
		for _, c := range featcheck.Check(X, Z, n, d, features, featcheck.Options{Scale: method}) {
			c.Stage = spec.Name
			checks = append(checks, c)
		}
	}
	return checks, notes
}

// featureMatrix returns the features as an n×d matrix, or why it cannot.
func featureMatrix(t *frame.Table, features []string) ([]float64, string) {
	n, d := t.NumRows(), len(features)
	if n < 2 || d < 2 {
		return nil, "fewer than 2 rows or features"
	}
	X := make([]float64, n*d)
	for j, f := range features {
		c := t.Col(f)
		switch {
		case c == nil:
			return nil, fmt.Sprintf("feature %q is not a column at this point", f)
		case c.Kind == frame.String:
			return nil, fmt.Sprintf("feature %q is a text column here", f)
		case c.NumMissing() > 0:
			return nil, fmt.Sprintf("feature %q has missing values here", f)
		}
		for i := 0; i < n; i++ {
			X[i*d+j], _ = c.Value(i)
		}
	}
	return X, ""
}
