package model

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/scale"
)

// Problem is a cell (or row) that cannot be scored.
type Problem struct {
	Row    int    // 0-based row of the table
	Step   string // what found it: "" for the features, "input" for reading, "<stage>: steps[i].<kind>" for a clean step
	Column string // the column concerned
	Value  string // the cell as read ("" when missing)
	Reason string // "missing value", "not a number", ...
}

func (p Problem) String() string {
	s := p.Reason
	if p.Value != "" {
		s += fmt.Sprintf(" (%q)", p.Value)
	}
	if p.Column != "" {
		s = fmt.Sprintf("column %q: %s", p.Column, s)
	}
	if p.Step != "" {
		s = p.Step + ": " + s
	}
	return s
}

// Matrix returns the model's feature columns of t as an n×d row-major
// matrix in original units, with NaN in every cell that cannot be scored,
// and the list of those cells ordered by row, then feature order.
//
// Int, float and bool (0/1) columns are used as they are; a column read as
// text (because some cells are not numbers, or because the caller read every
// column as text) is parsed cell by cell as a decimal number (surrounding
// spaces allowed; NaN, Inf, hexadecimal and underscores are not numbers, as
// in internal/csvio) or as true/false (1/0, any letter case). Missing cells, text
// that is not a number, and values ≤ −1 under log1p-standard are problems.
// An absent feature column is an error. t is not modified.
func (m *Model) Matrix(t *frame.Table) ([]float64, []Problem, error) {
	n, d := t.NumRows(), m.Dim()
	var missing []string
	for _, f := range m.Features {
		if !t.Has(f) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		if len(missing) == 1 {
			return nil, nil, fmt.Errorf("feature column: %w", &frame.UnknownColumnError{Name: missing[0], Known: t.Names()})
		}
		return nil, nil, fmt.Errorf("the input lacks %d of the model's feature columns: %s (it has %s)", len(missing), quoteList(missing), quoteList(t.Names()))
	}
	X := make([]float64, n*d)
	var probs []Problem
	log1p := m.Scaler.Method == scale.Log1pStandard
	for j, f := range m.Features {
		c := t.Col(f)
		var parsed []float64 // per dictionary code, for text columns
		var ok []bool
		if c.Kind == frame.String {
			parsed = make([]float64, len(c.Dict))
			ok = make([]bool, len(c.Dict))
			for code, s := range c.Dict {
				parsed[code], ok[code] = parseCell(s)
			}
		}
		for i := 0; i < n; i++ {
			var v float64
			switch {
			case c.IsMissing(i) || c.Kind == frame.String && c.Code(i) < 0:
				probs = append(probs, Problem{Row: i, Column: f, Reason: "missing value"})
				v = math.NaN()
			case c.Kind == frame.String:
				code := c.Code(i)
				if !ok[code] {
					probs = append(probs, Problem{Row: i, Column: f, Value: c.Dict[code], Reason: "not a number"})
					v = math.NaN()
				} else {
					v = parsed[code]
				}
			default:
				v, _ = c.Value(i)
			}
			if log1p && v <= -1 {
				probs = append(probs, Problem{Row: i, Column: f, Value: c.Format(i), Reason: "is ≤ -1, outside log1p-standard scaling's domain"})
				v = math.NaN()
			}
			X[i*d+j] = v
		}
	}
	slices.SortStableFunc(probs, func(a, b Problem) int { return a.Row - b.Row })
	return X, probs, nil
}

// parseCell parses a text feature cell: a number, or true/false as 1/0
// (how internal/csvio reads a bool column, and how Matrix uses one).
func parseCell(s string) (float64, bool) {
	if v, ok := ParseNumber(s); ok {
		return v, true
	}
	switch strings.ToLower(strings.Trim(s, " \t")) {
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	return 0, false
}

// ParseNumber parses a text cell as a decimal number the way internal/csvio
// reads float columns: optional surrounding spaces and tabs, an optional
// sign, digits with an optional decimal point and exponent. NaN, Inf,
// hexadecimal, underscores and out-of-range values are rejected.
func ParseNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t")
	if s == "" {
		return 0, false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Assignment is the result of Assign.
type Assignment struct {
	// Labels holds each row's segment index (0..K-1); Model.IDs maps it to
	// the segment ID.
	Labels []int32
	// Distance holds each row's Euclidean distance to its centroid in
	// scaled units.
	Distance []float64
	// Scaled is the n×d scaled matrix.
	Scaled []float64
	// Inertia is the sum of squared distances (as kmeans.Assign sums it).
	Inertia float64
}

// Assign scales the n×d matrix X (original units, no NaN) with the model's
// scaler and gives each row its nearest centroid. X is not modified.
func (m *Model) Assign(X []float64, n int) (*Assignment, error) {
	if m.Mixed() {
		return nil, fmt.Errorf("model: a model with categorical features is scored with ScoreMixed")
	}
	d := m.Dim()
	if len(X) != n*d {
		return nil, fmt.Errorf("model: %d values for %d rows × %d features", len(X), n, d)
	}
	if n == 0 {
		return &Assignment{Labels: []int32{}, Distance: []float64{}, Scaled: []float64{}}, nil
	}
	Z, err := m.Scaler.Transform(X, n)
	if err != nil {
		return nil, err
	}
	centers := m.CentersFlat()
	labels, inertia, err := kmeans.Assign(Z, n, d, centers, m.K)
	if err != nil {
		return nil, err
	}
	dist := make([]float64, n)
	for i, l := range labels {
		c, z := centers[int(l)*d:int(l)*d+d], Z[i*d:i*d+d]
		var ss float64
		for t, v := range z {
			e := v - c[t]
			ss += float64(e * e)
		}
		dist[i] = math.Sqrt(ss)
	}
	return &Assignment{Labels: labels, Distance: dist, Scaled: Z, Inertia: inertia}, nil
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}
