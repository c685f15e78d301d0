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
// It first checks schema_version, then decodes and runs Validate.
func Parse(name string, b []byte) (*Model, error) {
	var head struct {
		SchemaVersion *json.RawMessage `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%s is not a segment model (invalid JSON: %v)", name, err)
	}
	if head.SchemaVersion == nil {
		return nil, fmt.Errorf("%s has no schema_version; is it a model.json written by segment's cluster stage?", name)
	}
	var v int
	if err := json.Unmarshal(*head.SchemaVersion, &v); err != nil {
		return nil, fmt.Errorf("%s has schema_version %s; this segment reads %d", name, bytes.TrimSpace(*head.SchemaVersion), SchemaVersion)
	}
	if v != SchemaVersion {
		return nil, fmt.Errorf("%s has schema_version %d; this segment reads %d", name, v, SchemaVersion)
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

// Validate checks that the parts of m agree: schema version, at least one
// feature, a valid scaler over the same features, K ≥ 1 centroids of d
// finite values in both units, K distinct positive IDs, K names (distinct
// when set), K sizes, and, when present, one valid training distribution
// per feature in feature order.
func (m *Model) Validate() error {
	if m.SchemaVersion != SchemaVersion {
		return fmt.Errorf("schema_version %d; this segment reads %d", m.SchemaVersion, SchemaVersion)
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
	return nil
}
