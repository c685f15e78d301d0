package clean

import (
	"encoding/json"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/rowexpr"
)

// Freezer is implemented by the step kinds whose form on new rows can be
// recorded in model.json (every kind today). A kind that does not implement
// it is recorded as not frozen, and a model fitted after it cannot score
// raw rows (segment predict says so).
//
// Freeze returns the step as it must run on new rows, given in, the table
// the step ran on at fit time: the same kind, with every statistic computed
// from in written out as a constant — fillna mean, median and mode become
// the value, clip quantiles become bounds, onehot gets its levels, dropna
// and dedupe without columns get in's columns. A kind without statistics
// returns itself. The step is not modified (a config stays as loaded).
//
// Its JSON form (the step's config form) is what model.json records, and
// what Replay decodes.
type Freezer interface {
	Op
	Freeze(in *frame.Table) (Op, error)
}

// Every kind is frozen.
var (
	_ Freezer = (*Filter)(nil)
	_ Freezer = (*Select)(nil)
	_ Freezer = (*Drop)(nil)
	_ Freezer = (*Rename)(nil)
	_ Freezer = (*Derive)(nil)
	_ Freezer = (*Cast)(nil)
	_ Freezer = (*Dropna)(nil)
	_ Freezer = (*Fillna)(nil)
	_ Freezer = (*Dedupe)(nil)
	_ Freezer = (*Clip)(nil)
	_ Freezer = (*Onehot)(nil)
)

// freezer records a clean stage's steps, frozen, after the transform the
// earlier clean stages left in the State (pipeline.State.Transform), for
// the cluster stage to write into model.json.
type freezer struct {
	stage string
	tr    *model.Transform
}

// newFreezer continues prev (not modified), or starts a transform at the
// table t when this is the first clean stage: t's columns are then the raw
// input's, and idColumn is input.id.
func newFreezer(stage string, prev *model.Transform, t *frame.Table, idColumn string) *freezer {
	tr := prev.Clone()
	if tr == nil {
		tr = model.TransformOf(t, idColumn)
	}
	return &freezer{stage: stage, tr: tr}
}

// add records step (at key) after it ran on in (rowsIn of its rows: a row
// step may run on a selection of in's rows, without expression) and left
// rowsOut rows; prog is the expression it ran with (nil for a kind without
// one). A step that cannot be frozen is recorded with the reason; the run
// goes on, since only predict needs the frozen form.
func (f *freezer) add(key string, step *Step, in *frame.Table, rowsIn, rowsOut int, prog *rowexpr.Program) {
	rec := model.Step{Stage: f.stage, Key: key, Kind: step.Kind, RowsIn: rowsIn, RowsOut: rowsOut}
	if prog != nil {
		for _, name := range prog.Columns() {
			if c := in.Col(name); c != nil {
				rec.Reads = append(rec.Reads, model.ColumnOf(c))
			}
		}
	}
	defer func() { f.tr.Steps = append(f.tr.Steps, rec) }()
	fz, ok := step.Op.(Freezer)
	if !ok {
		rec.NotFrozen = fmt.Sprintf("the step kind %q has no frozen form", step.Kind)
		return
	}
	op, err := fz.Freeze(in)
	if err != nil {
		rec.NotFrozen = err.Error()
		return
	}
	b, err := json.Marshal(op)
	if err != nil {
		rec.NotFrozen = fmt.Sprintf("the frozen step does not encode: %v", err)
		return
	}
	rec.Params = b
}
