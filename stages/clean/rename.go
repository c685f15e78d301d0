package clean

import (
	"context"
	"maps"
	"slices"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// Rename maps old column names to new names.
type Rename map[string]string

// Validate implements Op.
func (r *Rename) Validate(fe *confyaml.FieldErrors, key string) {
	seen := map[string]string{}
	for _, old := range slices.Sorted(maps.Keys(*r)) {
		nw := (*r)[old]
		if nw == "" {
			fe.Add(confyaml.MapKey(key, old), "the new name is empty")
		}
		if prev, dup := seen[nw]; dup {
			fe.Add(confyaml.MapKey(key, old), "%q and %q would both be renamed to %q", prev, old, nw)
		}
		seen[nw] = old
	}
}

// CheckColumns implements Op.
func (r *Rename) CheckColumns(s *pipeline.Schema, key string) {
	olds := slices.Sorted(maps.Keys(*r))
	for _, old := range olds {
		s.Require(confyaml.MapKey(key, old), old)
	}
	for _, old := range olds {
		s.Rename(old, (*r)[old])
	}
}

// Vars implements varsOp.
func (r *Rename) Vars(vars []rowexpr.Var, _ *rowexpr.Program) ([]rowexpr.Var, bool) {
	for i := range vars {
		if nn, ok := (*r)[vars[i].Name]; ok {
			vars[i].Name = nn
		}
	}
	return vars, true
}

// Apply implements Op.
func (r *Rename) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	return t.Rename(*r)
}
