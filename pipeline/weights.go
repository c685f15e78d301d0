package pipeline

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/frame"
)

// Weights returns the sample weights of t's rows from the weight column
// (input.weight_column as this stage sees it), or nil when the run has
// none: every consumer (eda, cluster, profile) reads them here, so they
// agree on what a weight means. A missing, negative, NaN or infinite
// weight, or a text column, is an error naming the column and the 1-based
// data row (and the row's id when the input has one); weights of 0 are
// allowed (the row is ignored by the statistics). All weights 0 is an
// error. t is not modified.
func (e *Env) Weights(t *frame.Table) ([]float64, error) {
	if e.WeightColumn == "" || t == nil {
		return nil, nil
	}
	return ColumnWeights(t, e.WeightColumn, e.IDColumn)
}

// ColumnWeights reads column name of t as sample weights (see
// Env.Weights); idCol, when set, names rows in errors.
func ColumnWeights(t *frame.Table, name, idCol string) ([]float64, error) {
	c := t.Col(name)
	if c == nil {
		return nil, fmt.Errorf("input.weight_column: %w", &frame.UnknownColumnError{Name: name, Known: t.Names()})
	}
	if c.Kind == frame.String {
		return nil, fmt.Errorf("input.weight_column: column %q holds text; sample weights are numbers ≥ 0", name)
	}
	ids := t.Col(idCol)
	row := func(i int) string {
		s := fmt.Sprintf("row %d", i+1)
		if ids != nil && idCol != "" {
			s += fmt.Sprintf(" (%s %s)", idCol, ids.Str(i))
		}
		return s
	}
	n := t.NumRows()
	w := make([]float64, n)
	var total float64
	for i := range n {
		if c.IsMissing(i) {
			return nil, fmt.Errorf("input.weight_column: column %q, %s: the weight is missing; give every row a weight ≥ 0 (0 leaves the row out of the statistics)", name, row(i))
		}
		v, _ := c.Value(i)
		switch {
		case math.IsNaN(v):
			return nil, fmt.Errorf("input.weight_column: column %q, %s: the weight is NaN; weights are finite numbers ≥ 0", name, row(i))
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("input.weight_column: column %q, %s: the weight is %v; weights are finite numbers ≥ 0", name, row(i), v)
		case v < 0:
			return nil, fmt.Errorf("input.weight_column: column %q, %s: the weight %s is negative; weights are finite numbers ≥ 0", name, row(i), frame.FormatFloat(v))
		}
		w[i] = v
		total += v
	}
	if n > 0 && !(total > 0) {
		return nil, fmt.Errorf("input.weight_column: every weight in column %q is 0; at least one row must count", name)
	}
	return w, nil
}
