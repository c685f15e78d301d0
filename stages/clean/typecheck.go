package clean

import (
	"errors"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// typeCheck follows the typed columns through the steps during the column
// check, when the schema knows the input's types (segment validate reads
// them): every expression is compiled against the columns the steps before
// it produce, as the run will, so `Contract / tenure` (text divided by a
// number) or `TotalCharges != " "` (a number compared with text) fail in
// validate as they fail in run. A derive whose expression does not compile
// leaves its column's type unknown: a later expression reading it is not
// type-checked (its name still is). After a step whose columns it cannot
// follow (a one-hot encoding of values it does not know) it stops checking
// types.
type typeCheck struct {
	s    *pipeline.Schema
	vars []rowexpr.Var
	on   bool
}

func newTypeCheck(s *pipeline.Schema) *typeCheck {
	tc := &typeCheck{s: s}
	if s.Typed() {
		tc.vars, tc.on = schemaVars(s)
	}
	return tc
}

// schemaVars describes the schema's columns for expressions; ok is false
// when a column's type is unknown.
func schemaVars(s *pipeline.Schema) (vars []rowexpr.Var, ok bool) {
	for _, name := range s.Names() {
		t, known := s.Type(name)
		if !known {
			return nil, false
		}
		vars = append(vars, rowexpr.Var{Name: name, Kind: t.Kind, HasMissing: t.HasMissing})
	}
	return vars, true
}

// compile type-checks step i's expression (if it has one), reporting a
// type error under the expression's key.
func (tc *typeCheck) compile(st *Step, i int) *rowexpr.Program {
	e, ok := st.Op.(exprOp)
	if !tc.on || !ok {
		return nil
	}
	key := st.key(i)
	if _, isDerive := st.Op.(*Derive); isDerive {
		key += ".expr"
	}
	p, err := rowexpr.Compile(e.expression(), tc.vars)
	if err == nil {
		if _, isFilter := st.Op.(*Filter); isFilter {
			err = p.CheckFilter()
		} else {
			err = p.CheckDerive()
		}
	}
	if err != nil {
		var unknown *frame.UnknownColumnError
		if !errors.As(err, &unknown) { // the name check reports those, with "did you mean"
			tc.s.Errorf(key, "%v", err)
		}
		return nil
	}
	return p
}

// follow updates the typed columns after a step (whose names the schema
// already follows) and records their types in the schema.
func (tc *typeCheck) follow(st *Step, prog *rowexpr.Program) {
	if !tc.on {
		return
	}
	v, ok := st.Op.(varsOp)
	if !ok {
		return
	}
	if d, isDerive := st.Op.(*Derive); isDerive && prog == nil {
		tc.vars = removeVar(tc.vars, d.Name) // type unknown; see compile
		return
	}
	out, known := v.Vars(append([]rowexpr.Var(nil), tc.vars...), prog)
	if !known {
		// onehot: the schema has its columns (with types) when the levels
		// were known
		tc.vars, tc.on = schemaVars(tc.s)
		return
	}
	tc.vars = out
	for _, v := range out {
		t := pipeline.ColumnType{Kind: v.Kind, HasMissing: v.HasMissing}
		if old, had := tc.s.Type(v.Name); had && old.Kind == v.Kind && old.HasMissing == v.HasMissing {
			t.Levels = old.Levels
		}
		tc.s.SetType(v.Name, t)
	}
}
