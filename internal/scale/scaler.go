package scale

import (
	"errors"
	"fmt"
	"math"
)

// Names of the scaling methods, as written in the YAML configuration.
const (
	Standard      = "standard"
	MinMax        = "minmax"
	Robust        = "robust"
	Normalize     = "normalize"
	Log1pStandard = "log1p-standard"
	None          = "none"
)

// Methods returns the names of the supported scaling methods in a fixed
// order. The returned slice is a new copy on each call.
func Methods() []string {
	return []string{Standard, MinMax, Robust, Normalize, Log1pStandard, None}
}

// stateful reports whether method stores per-feature Center and Scale values.
// ok is false for an unknown method.
func stateful(method string) (fitted, ok bool) {
	switch method {
	case Standard, MinMax, Robust, Log1pStandard:
		return true, true
	case Normalize, None:
		return false, true
	}
	return false, false
}

// Scaler is a fitted feature scaler. Its exported fields are the complete
// state, so a Scaler survives a JSON round trip unchanged (encoding/json
// writes float64 values with enough digits to be read back exactly).
//
// A Scaler is immutable after Fit and safe for concurrent use.
type Scaler struct {
	// Method is one of the names returned by Methods.
	Method string `json:"method"`
	// Features names the d columns, in order.
	Features []string `json:"features"`
	// Center holds, per feature, the value subtracted before scaling:
	// the mean (standard), the mean of log1p(x) (log1p-standard), the
	// median (robust) or the minimum (minmax). Empty for normalize and none.
	Center []float64 `json:"center,omitempty"`
	// Scale holds, per feature, the divisor applied after centring: the
	// population standard deviation, the interquartile range or the range.
	// Empty for normalize and none.
	Scale []float64 `json:"scale,omitempty"`
	// Weights, if not empty, multiply the scaled columns.
	Weights []float64 `json:"weights,omitempty"`
}

// FeatureError reports a value or a column that a scaler cannot handle.
type FeatureError struct {
	// Feature is the name of the offending column.
	Feature string
	// Row is the 0-based row index of the offending value, or −1 when the
	// problem concerns the whole column.
	Row int
	// Problem describes what is wrong.
	Problem string
}

// Error implements the error interface.
func (e *FeatureError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("feature %q %s", e.Feature, e.Problem)
	}
	return fmt.Sprintf("feature %q, row %d: %s", e.Feature, e.Row, e.Problem)
}

// Dim returns the number of features d.
func (s *Scaler) Dim() int { return len(s.Features) }

// Validate checks that s is internally consistent: a known method, at least
// one feature, unique non-empty feature names, Center and Scale of length d
// (finite, Scale > 0) for the fitted methods and empty for normalize and
// none, and Weights either empty or of length d, finite and > 0. It is meant
// for a Scaler decoded from JSON; a Scaler returned by Fit is always valid.
func (s *Scaler) Validate() error {
	if s == nil {
		return errors.New("scaler is nil")
	}
	fitted, ok := stateful(s.Method)
	if !ok {
		return fmt.Errorf("unknown scaling method %q (want one of %q)", s.Method, Methods())
	}
	if err := checkFeatureNames(s.Features); err != nil {
		return err
	}
	d := len(s.Features)
	if fitted {
		if len(s.Center) != d || len(s.Scale) != d {
			return fmt.Errorf("scaler %q: %d features but %d center and %d scale values", s.Method, d, len(s.Center), len(s.Scale))
		}
		for j, name := range s.Features {
			c, sc := s.Center[j], s.Scale[j]
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return fmt.Errorf("scaler %q: feature %q has non-finite center %v", s.Method, name, c)
			}
			if !(sc > 0) || math.IsInf(sc, 0) {
				return fmt.Errorf("scaler %q: feature %q has scale %v, want finite and > 0", s.Method, name, sc)
			}
		}
	} else if len(s.Center) != 0 || len(s.Scale) != 0 {
		return fmt.Errorf("scaler %q is stateless but has %d center and %d scale values", s.Method, len(s.Center), len(s.Scale))
	}
	return checkWeights(s.Weights, s.Features)
}

func checkFeatureNames(features []string) error {
	if len(features) == 0 {
		return errors.New("scaler has no features")
	}
	seen := make(map[string]int, len(features))
	for j, name := range features {
		if name == "" {
			return fmt.Errorf("feature %d has an empty name", j)
		}
		if k, dup := seen[name]; dup {
			return fmt.Errorf("feature %q appears twice (columns %d and %d)", name, k, j)
		}
		seen[name] = j
	}
	return nil
}

func checkWeights(weights []float64, features []string) error {
	if len(weights) == 0 {
		return nil
	}
	if len(weights) != len(features) {
		return fmt.Errorf("%d weights for %d features", len(weights), len(features))
	}
	for j, w := range weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return fmt.Errorf("feature %q has weight %v, want finite and > 0 (remove the feature instead of giving it weight 0)", features[j], w)
		}
	}
	return nil
}
