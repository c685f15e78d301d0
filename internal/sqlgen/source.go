package sqlgen

import (
	"fmt"

	"github.com/churnlab/segment/internal/frame"
)

// Source adds the first layer: the raw columns of source (a quoted table
// or a parenthesised subquery), each brought to the type it was read as at
// fit time, as predict brings a raw input's cells to their fit types:
//
//	int     CAST to BIGINT, when the value is a whole number; otherwise
//	        NULL with the reason 'column "c": not a whole number …'
//	float   CAST to DOUBLE; NaN and ±Inf are NULL with the reason
//	        'column "c": not a number' (predict does not read them)
//	bool    CAST to BOOLEAN
//	string  CAST to text
//
// The table is expected to hold the columns in types that convert (numbers
// as numbers, as the PostgreSQL sink and `\copy` of the run's input write
// them); a text column holding something else fails the engine's CAST,
// which stops the query rather than scoring a row wrong. The column
// idColumn, when not empty, is carried through every layer as it is, under
// an internal name, which Source returns.
func (q *Query) Source(source string, raw []Column, idColumn string) (string, error) {
	q.setFrom(source, q.alias)
	var id string
	if idColumn != "" {
		if _, err := q.d.Ident(idColumn); err != nil {
			return "", fmt.Errorf("the id column: %w", err)
		}
		id = q.Carry("segment_row_id", q.Ref(idColumn))
	}
	outs := make([]Out, 0, len(raw))
	var checks []Check
	d := q.d
	for _, c := range raw {
		if _, err := d.Ident(c.Name); err != nil {
			return "", fmt.Errorf("column %q: %w", c.Name, err)
		}
		x := q.Ref(c.Name)
		o := Out{Column: c}
		col := fmt.Sprintf("column %q: ", c.Name)
		switch c.Kind {
		case frame.Int:
			f := d.Cast(x, frame.Float)
			whole := f + " = " + d.Floor(f)
			o.SQL = "CASE WHEN " + whole + " THEN " + d.Cast(x, frame.Int) + " END"
			checks = append(checks, Check{Cond: x + " IS NOT NULL AND NOT (" + whole + ")",
				Reason: col + "not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float)"})
		case frame.Float:
			f := d.Cast(x, frame.Float)
			fin := d.IsFinite(f)
			o.SQL = "CASE WHEN " + fin + " THEN " + f + " END"
			checks = append(checks, Check{Cond: x + " IS NOT NULL AND NOT " + fin, Reason: col + "not a number"})
		default:
			o.SQL = d.Cast(x, c.Kind)
		}
		outs = append(outs, o)
	}
	if err := q.Layer("source", "the raw columns, typed as the model read them", outs, checks, ""); err != nil {
		return "", err
	}
	return id, nil
}
