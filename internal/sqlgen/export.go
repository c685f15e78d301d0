package sqlgen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
)

// DefaultTable is the table an export reads when none is named.
const DefaultTable = "customers"

// ExportOptions are the choices of `segment export`.
type ExportOptions struct {
	// Table is the table to score, possibly qualified (schema.table,
	// project.dataset.table); DefaultTable when empty.
	Table string
	// ID is the table's id column, copied to the output as it is (named
	// IDOut); "" for none.
	ID, IDOut string
	// RowsTraining keeps only the rows the model's filter and dropna steps
	// kept at fit time (predict's --rows training); by default every row is
	// scored, as predict does.
	RowsTraining bool
	// AllDistances adds distance_<segment> for every segment (predict's
	// --distances all).
	AllDistances bool
}

// Export is a model compiled to one SELECT.
type Export struct {
	// SQL is the query, with a header of comments.
	SQL string
	// Needs are the table's columns the query reads, with the type the
	// model read each as (the id column first when there is one).
	Needs []Column
	// NotApplied names the row steps the query does not apply (every row
	// is scored).
	NotApplied []string
}

// ExportModel compiles m into a SELECT that gives every row of the table
// its segment, segment name, distance, second segment and distance,
// margin, outlier flag and, for a row predict cannot score, NULL scores
// and the reason (see Query.Scores): the frozen clean steps that feed the
// features (Narrow, Query.Apply), then the scoring. An error names what
// cannot be expressed and wraps ErrNotExpressible.
func ExportModel(d *Dialect, m *model.Model, opt ExportOptions) (*Export, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("the model: %w", err)
	}
	if opt.Table == "" {
		opt.Table = DefaultTable
	}
	table, err := d.Table(opt.Table)
	if err != nil {
		return nil, err
	}
	var (
		steps    []Step
		raw      []Column
		reserved = m.AllFeatures()
		ex       = &Export{}
	)
	if m.Transform == nil {
		// Schema 1: the table holds the features.
		for _, f := range m.Features {
			raw = append(raw, Column{Name: f, Kind: frame.Float})
		}
	} else {
		all, err := StepsFromTransform(m.Transform)
		if err != nil {
			return nil, err
		}
		for _, s := range all {
			reserved = append(reserved, s.Produces()...)
			if s.isRow() && !opt.RowsTraining {
				ex.NotApplied = append(ex.NotApplied, s.Name)
			}
		}
		var need map[string]bool
		steps, need, err = Narrow(all, m.AllFeatures(), opt.RowsTraining)
		if err != nil {
			return nil, err
		}
		for _, c := range m.Transform.Columns {
			reserved = append(reserved, c.Name)
			if need[c.Name] {
				k, err := c.Kind()
				if err != nil {
					return nil, fmt.Errorf("the model's column %q: %v", c.Name, err)
				}
				raw = append(raw, Column{Name: c.Name, Kind: k})
				delete(need, c.Name)
			}
		}
		if len(need) > 0 {
			var names []string
			for n := range need {
				names = append(names, strconv.Quote(n))
			}
			return nil, fmt.Errorf("the model's steps do not produce %s and the raw input had no such column (was model.json edited?)", strings.Join(names, ", "))
		}
	}
	if len(raw) == 0 {
		return nil, errors.New("the model's features need no input column (was model.json edited?)")
	}
	q := NewQuery(d, table, reserved)
	if opt.ID != "" {
		ex.Needs = append(ex.Needs, Column{Name: opt.ID, Kind: frame.String})
	}
	ex.Needs = append(ex.Needs, raw...)
	id, err := q.Source(table, raw, opt.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range steps {
		if err := q.Apply(s); err != nil {
			return nil, err
		}
	}
	final, err := q.Scores(m, ScoreOptions{IDColumn: id, IDOut: opt.IDOut, AllDistances: opt.AllDistances})
	if err != nil {
		return nil, err
	}
	ex.SQL = q.SQL(exportHeader(d, m, opt, ex), final, "")
	return ex, nil
}

func exportHeader(d *Dialect, m *model.Model, opt ExportOptions, ex *Export) []string {
	ids := make([]string, m.K)
	for i, id := range m.IDs {
		ids[i] = strconv.Itoa(id)
	}
	h := []string{
		fmt.Sprintf("segment export (dialect %s): the segment of every row of %s, as `segment predict` gives it", d.Name(), strconv.Quote(opt.Table)),
		fmt.Sprintf("model: schema %d, k = %d (segments %s), scaler %s, features %s; fitted on %d rows (input sha256 %s)",
			m.SchemaVersion, m.K, strings.Join(ids, ", "), m.Scaler.Method, quotedList(m.Features), m.Input.Rows, m.Input.SHA256),
	}
	if m.Mixed() {
		missing := "a missing category is a row's reason"
		if m.CategoricalMissing == model.MissingCategory {
			missing = "a missing category is a category of its own"
		}
		h = append(h, fmt.Sprintf("k-prototypes: categorical features %s, gamma %s per category that differs from a segment's mode; %s; a category never seen in training differs from every mode",
			quotedList(m.CategoricalFeatures), FormatFloat(m.Gamma), missing))
	}
	h = append(h, "a row predict cannot score (a missing feature, a value it cannot read) gets NULL scores and the reason in \"reason\"")
	if len(ex.NotApplied) > 0 {
		h = append(h, "every row is scored, as predict does by default; row steps not applied: "+strings.Join(ex.NotApplied, ", "))
	} else if opt.RowsTraining {
		h = append(h, "only the rows the model's row steps kept at fit time are scored (predict --rows training)")
	}
	needs := make([]string, len(ex.Needs))
	for i, c := range ex.Needs {
		needs[i] = strconv.Quote(c.Name) + " " + c.Kind.String()
	}
	h = append(h, "reads: "+strings.Join(needs, ", "))
	return h
}
