package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// Write writes m as indented JSON followed by a newline. It validates m
// first, so an inconsistent model is never written. Encoding is
// deterministic: float64 values are written in the shortest form that reads
// back to the same value, maps with sorted keys.
func (m *Model) Write(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("model: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// Load reads and checks the model file at path. Messages name the file by
// its base name ("model.json has schema_version 2; this segment reads 1").
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read model %s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("cannot read model %s: %w", path, err)
	}
	return Parse(filepath.Base(path), b)
}

// Parse decodes and checks the model JSON in b; name is used in messages.
// It first checks schema_version (OldestSchemaVersion … SchemaVersion),
// then that no number is null (encoding/json would read null as 0, a
// silently wrong centroid), then decodes and runs Validate.
func Parse(name string, b []byte) (*Model, error) {
	var head struct {
		SchemaVersion *json.RawMessage `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s is not a segment model (invalid JSON: %v%s)", name, err, nanHint(b, err))
	}
	if head.SchemaVersion == nil {
		return nil, fmt.Errorf("%s has no schema_version; is it a model.json written by segment's cluster stage?", name)
	}
	var v int
	if err := json.Unmarshal(*head.SchemaVersion, &v); err != nil {
		return nil, fmt.Errorf("%s has schema_version %s; this segment reads %s", name, bytes.TrimSpace(*head.SchemaVersion), versionsRead())
	}
	if v < OldestSchemaVersion || v > SchemaVersion {
		return nil, fmt.Errorf("%s has schema_version %d; this segment reads %s", name, v, versionsRead())
	}
	if err := checkNulls(b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := &Model{}
	if err := json.Unmarshal(b, m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("%s: %q holds a %s where a %s is expected", name, te.Field, te.Value, te.Type)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// versionsRead is "1 and 2" (or "1 to 3", …).
func versionsRead() string {
	switch {
	case OldestSchemaVersion == SchemaVersion:
		return fmt.Sprint(SchemaVersion)
	case SchemaVersion == OldestSchemaVersion+1:
		return fmt.Sprintf("%d and %d", OldestSchemaVersion, SchemaVersion)
	}
	return fmt.Sprintf("%d to %d", OldestSchemaVersion, SchemaVersion)
}

// nanHint explains a syntax error at NaN or Infinity, which a hand edit (or
// another tool) may write but JSON has no such numbers.
func nanHint(b []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) || se.Offset < 1 || int(se.Offset) > len(b) {
		return ""
	}
	rest := b[se.Offset-1:]
	for _, w := range []string{"NaN", "Infinity", "-Infinity", "Inf"} {
		if bytes.HasPrefix(rest, []byte(w)) {
			return "; JSON has no NaN or Infinity: a model holds finite numbers only"
		}
	}
	return ""
}

// checkNulls reports a null where model.json holds a number: encoding/json
// leaves such an element 0, which would score rows against a wrong
// centroid without a word.
func checkNulls(b []byte) error {
	var shadow struct {
		CentersScaled   [][]*float64 `json:"centers_scaled"`
		CentersOriginal [][]*float64 `json:"centers_original"`
		Scaler          *struct {
			Center  []*float64 `json:"center"`
			Scale   []*float64 `json:"scale"`
			Weights []*float64 `json:"weights"`
		} `json:"scaler"`
		OutlierDistance []*float64 `json:"outlier_distance"`
	}
	if err := json.Unmarshal(b, &shadow); err != nil {
		return nil // the full decode reports it
	}
	for _, part := range []struct {
		name string
		m    [][]*float64
	}{{"centers_scaled", shadow.CentersScaled}, {"centers_original", shadow.CentersOriginal}} {
		for s, row := range part.m {
			for j, v := range row {
				if v == nil {
					return fmt.Errorf("%s: centroid %d, value %d is null; a model holds finite numbers only", part.name, s, j)
				}
			}
		}
	}
	lists := []struct {
		name string
		v    []*float64
	}{{"outlier_distance", shadow.OutlierDistance}}
	if sc := shadow.Scaler; sc != nil {
		lists = append(lists, struct {
			name string
			v    []*float64
		}{"scaler.center", sc.Center}, struct {
			name string
			v    []*float64
		}{"scaler.scale", sc.Scale}, struct {
			name string
			v    []*float64
		}{"scaler.weights", sc.Weights})
	}
	for _, l := range lists {
		for j, v := range l.v {
			if v == nil {
				return fmt.Errorf("%s: value %d is null; a model holds finite numbers only", l.name, j)
			}
		}
	}
	return nil
}

// Validate checks that the parts of m agree: schema version, at least one
// feature, a valid scaler over the same features, K ≥ 1 centroids of d
// finite values in both units, K distinct positive IDs, K names (distinct
// when set), K sizes, and, when present, one valid training distribution
// per feature in feature order. A schema-2 model must also have its outlier
// thresholds (K finite values ≥ 0, with a quantile in (0, 1]) and its
// transform (see Transform; the steps' values are checked when replayed).
func (m *Model) Validate() error {
	if m.SchemaVersion < OldestSchemaVersion || m.SchemaVersion > SchemaVersion {
		return fmt.Errorf("schema_version %d; this segment reads %s", m.SchemaVersion, versionsRead())
	}
	d := len(m.Features)
	if d == 0 {
		return errors.New("the model has no features")
	}
	if m.Scaler == nil {
		return errors.New("the model has no scaler")
	}
	if err := m.Scaler.Validate(); err != nil {
		return fmt.Errorf("scaler: %w", err)
	}
	if sd := m.Scaler.Dim(); sd != d {
		return fmt.Errorf("the scaler has %d features but the model %d (%q)", sd, d, m.Features)
	}
	if !slices.Equal(m.Scaler.Features, m.Features) {
		return fmt.Errorf("the scaler's features %q differ from the model's %q", m.Scaler.Features, m.Features)
	}
	if m.K < 1 {
		return fmt.Errorf("k is %d; it must be at least 1", m.K)
	}
	for _, part := range []struct {
		name string
		m    [][]float64
	}{{"centers_scaled", m.CentersScaled}, {"centers_original", m.CentersOriginal}} {
		if len(part.m) != m.K {
			return fmt.Errorf("k is %d but %s has %d centroids", m.K, part.name, len(part.m))
		}
		for s, c := range part.m {
			if len(c) != d {
				return fmt.Errorf("the scaler has %d features but the model %d %s columns (centroid %d)", d, len(c), part.name, s)
			}
			for j, v := range c {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%s: centroid %d, feature %q is %v", part.name, s, m.Features[j], v)
				}
			}
		}
	}
	if len(m.IDs) != m.K {
		return fmt.Errorf("k is %d but there are %d segment ids", m.K, len(m.IDs))
	}
	seen := map[int]bool{}
	for _, id := range m.IDs {
		if id < 1 {
			return fmt.Errorf("segment id %d: ids start at 1", id)
		}
		if seen[id] {
			return fmt.Errorf("segment id %d appears twice", id)
		}
		seen[id] = true
	}
	if len(m.Names) != m.K {
		return fmt.Errorf("k is %d but there are %d segment names (use \"\" for unnamed segments)", m.K, len(m.Names))
	}
	names := map[string]int{}
	for s, n := range m.Names {
		if n == "" {
			continue
		}
		if t, dup := names[n]; dup {
			return fmt.Errorf("segments %d and %d are both named %q", m.IDs[t], m.IDs[s], n)
		}
		names[n] = s
	}
	if len(m.Sizes) != m.K {
		return fmt.Errorf("k is %d but there are %d segment sizes", m.K, len(m.Sizes))
	}
	if m.MaxID < 0 {
		return fmt.Errorf("max_id is %d; it must be 0 (unset) or more", m.MaxID)
	}
	if len(m.Distributions) > 0 {
		if len(m.Distributions) != d {
			return fmt.Errorf("the model has %d features but %d distributions", d, len(m.Distributions))
		}
		for j, dist := range m.Distributions {
			if err := dist.validate(m.Features[j]); err != nil {
				return err
			}
		}
	}
	return m.validateV2()
}

// validateV2 checks the parts schema 2 added: required in a version-2
// model, checked when present in an older one.
func (m *Model) validateV2() error {
	v2 := m.SchemaVersion >= 2
	switch {
	case len(m.OutlierDistance) > 0 || v2:
		if len(m.OutlierDistance) != m.K {
			return fmt.Errorf("k is %d but there are %d outlier distances", m.K, len(m.OutlierDistance))
		}
		if !(m.OutlierQuantile > 0 && m.OutlierQuantile <= 1) {
			return fmt.Errorf("outlier_quantile is %v; it must be in (0, 1]", m.OutlierQuantile)
		}
		for s, v := range m.OutlierDistance {
			if !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("outlier_distance of segment %d is %v; want a finite distance ≥ 0", m.IDs[s], v)
			}
		}
	}
	if m.Transform == nil {
		if v2 {
			return errors.New("the model has no transform (schema 2 records the steps from the raw input to the features)")
		}
		return nil
	}
	return m.Transform.validate()
}
