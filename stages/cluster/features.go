package cluster

import (
	"errors"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/scale"
)

// featureMatrix returns the feature columns of t as an n×d row-major
// matrix. Every problem is reported at once: a missing column, a text
// column (with the cells that made it text when the input source found it
// nearly numeric: nearNumeric, which may be nil), missing values (with
// their count).
func featureMatrix(t *frame.Table, features []string, nearNumeric func(string) string) ([]float64, error) {
	var problems []string
	cols := make([]*frame.Column, len(features))
	for j, f := range features {
		c := t.Col(f)
		switch {
		case c == nil:
			problems = append(problems, (&frame.UnknownColumnError{Name: f, Known: t.Names()}).Error())
		case c.Kind == frame.String && nearNumeric != nil && nearNumeric(f) != "":
			problems = append(problems, fmt.Sprintf("feature %q is a text column, not numeric: %s", f, nearNumeric(f)))
		case c.Kind == frame.String:
			problems = append(problems, fmt.Sprintf("feature %q is a text column, not numeric; turn categories into 0/1 columns with a clean onehot step (and list those), or cast it", f))
		case c.NumMissing() > 0:
			m := c.NumMissing()
			problems = append(problems, fmt.Sprintf("feature %q has %d missing value%s (of %d rows); fill them with a clean fillna step or drop them with dropna", f, m, plural(m), c.Len()))
		}
		cols[j] = c
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	n, d := t.NumRows(), len(features)
	X := make([]float64, n*d)
	for j, c := range cols {
		switch c.Kind { // the values Value gives, without its switch per value
		case frame.Float:
			for i, v := range c.Floats[:n] {
				X[i*d+j] = v
			}
		case frame.Int:
			for i := range n {
				X[i*d+j] = float64(c.Int(i))
			}
		default:
			for i := range n {
				X[i*d+j], _ = c.Value(i)
			}
		}
	}
	return X, nil
}

// checkConstant reports the first feature whose values are all equal: it
// cannot separate segments whatever the scaling.
func checkConstant(X []float64, n, d int, features []string) error {
	if n < 2 {
		return nil
	}
	for j, f := range features {
		v0 := X[j]
		same := true
		for i := 1; i < n && same; i++ {
			same = X[i*d+j] == v0
		}
		if same {
			return fmt.Errorf("feature %q has the same value (%s) in all %d rows (zero variance); it cannot separate segments: remove it from features", f, frame.FormatFloat(v0), n)
		}
	}
	return nil
}

// describeScaleError names the row of a scaler error by its 1-based number
// and id.
func describeScaleError(err error, idCol *frame.Column) error {
	var fe *scale.FeatureError
	if !errors.As(err, &fe) || fe.Row < 0 {
		return fmt.Errorf("scale: %w", err)
	}
	row := fmt.Sprintf("row %d", fe.Row+1)
	if idCol != nil {
		row += fmt.Sprintf(" (%s %s)", idCol.Name, idCol.Str(fe.Row))
	}
	return fmt.Errorf("scale: feature %q, %s: %s", fe.Feature, row, fe.Problem)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
