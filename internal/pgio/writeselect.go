package pgio

import (
	"context"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/frame"
)

// SelectColumn is a column that WriteSelect writes: its name and kind
// (bigint, double precision, boolean or text when the target is created).
type SelectColumn struct {
	Name string
	Kind frame.Kind
}

// SelectWriteOptions control WriteSelect.
type SelectWriteOptions struct {
	// KeyColumn and KeyValue: when KeyColumn is set, only the target's rows
	// whose KeyColumn equals KeyValue (a run id) are replaced; rows of other
	// runs stay. Empty replaces every row of the target.
	KeyColumn, KeyValue string
	// NoCreate refuses to create a missing target instead of creating it.
	NoCreate bool
	// Op names the write in errors ("writing the assignments"); default
	// "writing <target>".
	Op string
}

// WriteSelect is Write for rows that never leave the server: the rows are
// the results of selects, SELECT statements over the server's own tables
// producing cols in order (one statement, or one per partition of a
// source). In one transaction:
//
//  1. if the target does not exist it is created with cols' types (unless
//     NoCreate); an existing target must have every column of cols (by
//     exact name), of any type the values CAST to;
//  2. LOCK TABLE target IN SHARE ROW EXCLUSIVE MODE (waits for and blocks
//     other writers, never readers);
//  3. DELETE the target's rows of KeyValue (every row without KeyColumn);
//  4. INSERT INTO target (cols) <select>, for each select;
//  5. COMMIT.
//
// As with Write, readers see the previous rows or the new ones, never a
// mix, and a failure or a cancelled ctx before COMMIT leaves the target as
// it was. The role needs INSERT and DELETE on the target (and SELECT on it
// with KeyColumn), CREATE on its schema to create it, and SELECT on what
// the selects read.
func (db *DB) WriteSelect(ctx context.Context, target string, cols []SelectColumn, selects []string, opt SelectWriteOptions) (*WriteResult, error) {
	ref, err := ParseTableName(target)
	if err != nil {
		return nil, &Error{Op: "writing", Message: err.Error()}
	}
	op := opt.Op
	if op == "" {
		op = "writing " + ref.Quoted()
	}
	if len(cols) == 0 || len(selects) == 0 {
		return nil, &Error{Op: op, Message: "nothing to write"}
	}
	if err := db.ensure(ctx); err != nil {
		return nil, err
	}
	res := &WriteResult{Target: ref.Quoted()}
	existing, err := db.targetColumns(ctx, ref)
	if err != nil {
		return nil, err
	}
	if existing == nil && opt.NoCreate {
		return nil, &Error{Op: op, Code: "42P01", Message: fmt.Sprintf("relation %s does not exist", ref.Quoted()), Advice: "create it first, or let segment create it"}
	}
	names := make([]string, len(cols))
	defs := make([]string, len(cols))
	for i, c := range cols {
		names[i] = QuoteIdent(c.Name)
		defs[i] = names[i] + " " + sqlType(c.Kind)
		if existing != nil {
			if _, ok := existing[c.Name]; !ok {
				return nil, &Error{Op: op, Message: fmt.Sprintf("the table %s has no column %q", ref.Quoted(), c.Name),
					Advice: fmt.Sprintf("add it (ALTER TABLE %s ADD COLUMN %s %s) or write to a new table", ref.Quoted(), names[i], sqlType(c.Kind))}
			}
		}
	}

	wt, err := db.beginWrite(ctx, op, ref)
	if err != nil {
		return nil, err
	}
	defer wt.rollback()
	exec := wt.exec
	if existing == nil {
		if _, err := exec("creating the table", "CREATE TABLE "+ref.Quoted()+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return nil, err
		}
		res.Created = true
	}
	if _, err := exec("locking the table against other writers", "LOCK TABLE "+ref.Quoted()+" IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return nil, err
	}
	del := "DELETE FROM " + ref.Quoted()
	var args []any
	if opt.KeyColumn != "" {
		del += " WHERE " + QuoteIdent(opt.KeyColumn) + " = $1"
		args = append(args, opt.KeyValue)
	}
	if res.Deleted, err = exec("deleting the rows being replaced", del, args...); err != nil {
		return nil, err
	}
	for _, sel := range selects {
		sel = strings.TrimSuffix(strings.TrimSpace(sel), ";")
		n, err := exec("inserting the rows", "INSERT INTO "+ref.Quoted()+" ("+strings.Join(names, ", ")+")\n"+sel)
		if err != nil {
			return nil, err
		}
		res.Inserted += n
	}
	if err := wt.commit(); err != nil {
		return nil, err
	}
	return res, nil
}
