package eda

import (
	"fmt"
	"math"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/stats"
)

// CorrColumns returns the columns to correlate: names when given (each must
// be numeric or bool), else every int, float and bool column of t except
// id, in table order.
func CorrColumns(t *frame.Table, names []string, id string) ([]string, error) {
	if names != nil {
		for _, n := range names {
			c := t.Col(n)
			if c == nil {
				return nil, fmt.Errorf("columns: %w", &frame.UnknownColumnError{Name: n, Known: t.Names()})
			}
			if c.Kind == frame.String {
				return nil, fmt.Errorf("columns: column %q holds text (%d distinct values such as %q); correlation needs numbers: cast it in a clean step or leave it out", n, c.Distinct(), firstValue(c))
			}
		}
		return append([]string(nil), names...), nil
	}
	var out []string
	for _, c := range t.Columns() {
		if c.Kind != frame.String && !(id != "" && c.Name == id) {
			out = append(out, c.Name)
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("correlation needs at least 2 numeric columns besides the id; the table has %d (%s): cast text columns to numbers in a clean step", len(out), strings.Join(out, ", "))
	}
	return out, nil
}

func firstValue(c *frame.Column) string {
	for i := range c.Len() {
		if !c.IsMissing(i) {
			return c.Str(i)
		}
	}
	return ""
}

// Correlate computes the correlation matrix of the named columns of t with
// method "pearson" or "spearman" (pairwise-complete rows, like pandas'
// DataFrame.corr()). A column with fewer than two distinct finite values
// (constant, or empty) is left out and listed in Excluded with the reason.
// It fails when fewer than two columns remain. t is not modified.
func Correlate(t *frame.Table, names []string, method string) (*result.Correlation, error) {
	return correlate(t, names, method, nil, nil)
}

// correlate is Correlate that takes the float64 values of column i of t
// from vals[i] when present (vals may be nil).
func correlate(t *frame.Table, names []string, method string, vals [][]float64, w []float64) (*result.Correlation, error) {
	res := &result.Correlation{Method: method, Excluded: []result.ExcludedColumn{}}
	var data [][]float64
	for _, name := range names {
		idx := t.Index(name)
		if idx < 0 {
			return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
		}
		c := t.Col(name)
		var x []float64
		if vals != nil {
			x = vals[idx]
		}
		if x == nil {
			var err error
			if x, err = floats(c); err != nil {
				return nil, err
			}
		}
		if why := constantReason(c, x); why != "" {
			res.Excluded = append(res.Excluded, result.ExcludedColumn{Column: name, Reason: why})
			continue
		}
		res.Columns = append(res.Columns, name)
		data = append(data, x)
	}
	if len(res.Columns) < 2 {
		msg := fmt.Sprintf("correlation needs at least 2 columns with varying values; %d of %d qualify", len(res.Columns), len(names))
		for _, e := range res.Excluded {
			msg += fmt.Sprintf("; %q is %s", e.Column, e.Reason)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	if w != nil {
		res.R, res.N = stats.CorrWeighted(data, w)
		return res, nil
	}
	r, n, err := stats.Corr(data, method)
	if err != nil {
		return nil, err
	}
	res.R, res.N = r, n
	return res, nil
}

// constantReason says why a column cannot be correlated: no finite value,
// or a single distinct one; "" when it has at least two.
func constantReason(c *frame.Column, x []float64) string {
	first, seen := 0.0, false
	for _, v := range x {
		if v-v != 0 { // NaN or ±Inf: missing for the correlation
			continue
		}
		if !seen {
			first, seen = v, true
		} else if v != first {
			return ""
		}
	}
	if !seen {
		return "empty (no finite values)"
	}
	return "constant (every value is " + formatCell(c, first) + ")"
}

// formatCell formats a value of column c for a sentence.
func formatCell(c *frame.Column, v float64) string { return formatValue(c.Kind, v) }

// formatValue writes a value of a column of kind k for a sentence.
func formatValue(k frame.Kind, v float64) string {
	switch k {
	case frame.Bool:
		if v != 0 {
			return "true"
		}
		return "false"
	case frame.Int:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return fmt.Sprintf("%d", int64(v))
		}
	}
	return frame.FormatFloat(v)
}
