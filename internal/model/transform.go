package model

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
)

// Transform is the row transformation from the raw input to the feature
// columns, as model.json records it (schema 2): the input's columns with
// the types they were read as, and every clean step in run order, frozen.
//
// A step's Params is the step in the form a clean config writes it, with
// every statistic fitted on the training rows written out as a constant:
// fillna mean/median/mode become the value, clip quantiles become bounds,
// onehot gets its levels, dropna and dedupe without columns get the
// columns of the table they ran on. So a frozen step is itself a valid
// clean step (the clean stage decodes and replays it: stages/clean.Replay).
// Row steps (filter, dropna, dedupe) are recorded too: predict scores every
// row it is given and reports how many rows each would have dropped (or,
// asked to, drops them as the run did).
type Transform struct {
	// IDColumn is the id column in the raw input (input.id), "" when none.
	// Model.Input.IDColumn is its name after the clean steps' renames.
	IDColumn string `json:"id_column,omitempty"`
	// Columns are the raw input columns as the first clean step saw them,
	// in table order, with their types.
	Columns []Column `json:"columns"`
	// Steps are the clean steps of every clean stage before the cluster
	// stage, in run order.
	Steps []Step `json:"steps"`
}

// Column is a column and its type: int, float, bool or string.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Missing reports, in Step.Reads, that the column had missing values
	// when the step ran (an int column with missing values is a float to an
	// expression).
	Missing bool `json:"missing,omitempty"`
}

// Step is one clean step, frozen.
type Step struct {
	// Stage is the name of the clean stage the step belongs to.
	Stage string `json:"stage"`
	// Key is the step's config path in that stage: steps[<i>].<kind>.
	Key string `json:"key"`
	// Kind is the step kind (filter, select, drop, rename, derive, cast,
	// dropna, fillna, dedupe, clip, onehot).
	Kind string `json:"kind"`
	// Params is the frozen step's value, as a clean config writes it.
	Params json.RawMessage `json:"params,omitempty"`
	// Reads lists, for a step computed from an expression (filter, derive),
	// the columns the expression read and their types at fit time, so
	// predict evaluates it with the same types.
	Reads []Column `json:"reads,omitempty"`
	// RowsIn and RowsOut are the training rows before and after the step.
	RowsIn  int `json:"rows_in"`
	RowsOut int `json:"rows_out"`
	// NotFrozen says why the step has no frozen form (its kind cannot be
	// frozen, or a statistic could not be); a model with such a step cannot
	// score raw rows.
	NotFrozen string `json:"not_frozen,omitempty"`
}

// Name is how messages name the step: "<stage>: <key>".
func (s *Step) Name() string { return s.Stage + ": " + s.Key }

// Kind returns the column's type as a frame.Kind.
func (c Column) Kind() (frame.Kind, error) { return frame.ParseKind(c.Type) }

// ColumnOf describes column c: its name, type and whether it has missing
// values.
func ColumnOf(c *frame.Column) Column {
	return Column{Name: c.Name, Type: c.Kind.String(), Missing: c.NumMissing() > 0}
}

// TransformOf starts a transform at the table t: its columns as the raw
// schema, no steps.
func TransformOf(t *frame.Table, idColumn string) *Transform {
	tr := &Transform{IDColumn: idColumn, Columns: make([]Column, 0, t.NumCols()), Steps: []Step{}}
	for _, c := range t.Columns() {
		tr.Columns = append(tr.Columns, Column{Name: c.Name, Type: c.Kind.String()})
	}
	return tr
}

// Clone returns a deep copy of tr.
func (tr *Transform) Clone() *Transform {
	if tr == nil {
		return nil
	}
	out := &Transform{IDColumn: tr.IDColumn, Columns: append([]Column(nil), tr.Columns...), Steps: make([]Step, len(tr.Steps))}
	for i, s := range tr.Steps {
		s.Params = bytes.Clone(s.Params)
		s.Reads = append([]Column(nil), s.Reads...)
		out.Steps[i] = s
	}
	return out
}

// Column returns the raw column named name, if any.
func (tr *Transform) Column(name string) (Column, bool) {
	for _, c := range tr.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Replayable reports whether every step has a frozen form; otherwise it
// returns the first step that has none.
func (tr *Transform) Replayable() (*Step, bool) {
	for i := range tr.Steps {
		if tr.Steps[i].NotFrozen != "" {
			return &tr.Steps[i], false
		}
	}
	return nil, true
}

// validate checks the parts of the transform that do not depend on the step
// kinds: column names and types, the id column, and that each step names
// its stage, key and kind and has params unless it says why not. The step
// values themselves are checked by the clean stage when they are replayed.
func (tr *Transform) validate() error {
	seen := map[string]bool{}
	for i, c := range tr.Columns {
		if c.Name == "" {
			return fmt.Errorf("transform: column %d has no name", i)
		}
		if seen[c.Name] {
			return fmt.Errorf("transform: column %q is listed twice", c.Name)
		}
		seen[c.Name] = true
		if _, err := c.Kind(); err != nil {
			return fmt.Errorf("transform: column %q: %v", c.Name, err)
		}
	}
	if tr.IDColumn != "" && !seen[tr.IDColumn] {
		return fmt.Errorf("transform: the id column %q is not one of the input columns", tr.IDColumn)
	}
	for i, s := range tr.Steps {
		switch {
		case s.Stage == "" || s.Key == "" || s.Kind == "":
			return fmt.Errorf("transform: step %d lacks its stage, key or kind", i)
		case s.NotFrozen == "" && len(s.Params) == 0:
			return fmt.Errorf("transform: step %d (%s) has no params", i, s.Name())
		case s.RowsIn < 0 || s.RowsOut < 0:
			return fmt.Errorf("transform: step %d (%s) has negative row counts", i, s.Name())
		}
		for _, r := range s.Reads {
			if _, err := r.Kind(); err != nil {
				return fmt.Errorf("transform: step %d (%s) reads %q: %v", i, s.Name(), r.Name, err)
			}
		}
	}
	return nil
}
