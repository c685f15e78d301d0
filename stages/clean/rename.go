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

// Freeze implements Freezer.
func (r *Rename) Freeze(*frame.Table) (Op, error) { return r, nil }

// restrict implements replayer: a needed new name needs its old name.
func (r *Rename) restrict(need map[string]bool, _ []string) (Op, []string) {
	inv := make(map[string]string, len(*r))
	for old, nw := range *r {
		inv[nw] = old
	}
	before := map[string]bool{}
	var uses []string
	for c := range need {
		if old, ok := inv[c]; ok {
			before[old] = true
			uses = append(uses, old)
		} else if _, renamed := (*r)[c]; !renamed {
			before[c] = true
		}
	}
	clear(need)
	for c := range before {
		need[c] = true
	}
	return r, uses
}

// replay implements replayOp: the replayed table holds only the columns the
// features need, so only those of the map that are there are renamed.
func (r *Rename) replay(_ context.Context, t *frame.Table, _ *replayCtx) (*frame.Table, error) {
	present := map[string]string{}
	for old, nw := range *r {
		if t.Has(old) {
			present[old] = nw
		}
	}
	return t.Rename(present)
}
