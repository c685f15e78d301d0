package sqlgen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
)

// Column is a column of a relation: its name and the kind of its values,
// held as the dialect's SQL type of that kind (Dialect.Type).
type Column struct {
	Name string
	Kind frame.Kind
}

// Check is a condition under which a row cannot be used (predict's
// "problem"): when Cond is true the row's reason becomes Reason, unless an
// earlier check already set one.
type Check struct {
	Cond   string
	Reason string
}

// Query is a SELECT built as a chain of common table expressions, one per
// step: each reads the one before and projects the live columns. It is the
// shared builder of `segment export` (the frozen clean steps, then the
// scoring) and of pushdown (clean steps compiled to SQL, with aggregates on
// top of Relation).
//
// Besides the data columns a query may carry internal columns through
// every layer (Carry: an id) and a reason column (Checks: why a row cannot
// be used; NULL when it can). Their names are chosen not to collide with
// any data column the query will ever see (NewQuery's reserved names,
// Internal).
type Query struct {
	d      *Dialect
	ctes   []cte
	from   string   // the current relation: a CTE name or the source table
	alias  string   // its alias when the dialect qualifies column references
	cols   []Column // its data columns
	carry  []string // internal columns carried through, by name
	reason string   // the reason column's name, "" when there is none yet
	live   bool     // the current relation holds the reason column
	flat   bool     // no fence after the layers (Flat)

	pending map[string]string // carried columns the next layer computes: name → SQL

	names    map[string]bool // every name used, for unique internal names
	cteNames map[string]bool
}

type cte struct {
	name    string
	comment string
	sql     string
}

// NewQuery starts a query over source (a table name quoted with
// Dialect.Table, or a parenthesised subquery); the first layer is usually
// Source, or a Layer of its columns. reserved are every column name the
// table has and the query's steps will create, so that internal columns
// (Internal, Carry, the reason) never collide with them.
func NewQuery(d *Dialect, source string, reserved []string) *Query {
	q := &Query{d: d, names: map[string]bool{}, cteNames: map[string]bool{}}
	for _, n := range reserved {
		q.names[q.fold(n)] = true
	}
	q.setFrom(source, q.Internal("input_table"))
	return q
}

// Dialect returns the query's dialect.
func (q *Query) Dialect() *Dialect { return q.d }

// fold is the form of a name as the engine compares names.
func (q *Query) fold(name string) string {
	if q.d.CaseInsensitiveNames() {
		return strings.ToLower(name)
	}
	return name
}

// Internal returns a name for an internal column, derived from base and
// distinct from every data column name the query knows of and every
// internal name given before.
func (q *Query) Internal(base string) string {
	name := base
	for i := 2; q.names[q.fold(name)]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	q.names[q.fold(name)] = true
	return name
}

// cteName returns a unique CTE name from base.
func (q *Query) cteName(base string) string {
	name := base
	for i := 2; q.cteNames[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	q.cteNames[name] = true
	return name
}

// Columns returns the current relation's data columns.
func (q *Query) Columns() []Column { return append([]Column(nil), q.cols...) }

// Col returns the current data column named name, if there is one.
func (q *Query) Col(name string) (Column, bool) {
	for _, c := range q.cols {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Ref is the SQL that reads a column (data or internal) of the current
// relation. On ClickHouse it is qualified by the relation ("step"."col"):
// there an alias of the same SELECT list takes precedence over a column of
// the FROM, so `CASE … x … END AS x, x IS NULL` would read the new x.
func (q *Query) Ref(name string) string {
	if q.d.qualifies() {
		return q.d.mustIdent(q.alias) + "." + q.d.mustIdent(name)
	}
	return q.d.mustIdent(name)
}

// setFrom makes rel (a quoted name) the current relation, aliased as
// alias where references are qualified.
func (q *Query) setFrom(rel, alias string) {
	q.from, q.alias = rel, alias
}

// fromClause is the current relation as a FROM item.
func (q *Query) fromClause() string {
	if q.d.qualifies() && q.from != q.d.mustIdent(q.alias) {
		return q.from + " AS " + q.d.mustIdent(q.alias)
	}
	return q.from
}

// Reason is the name of the reason column, "" while no check was added.
func (q *Query) Reason() string { return q.reason }

// Carried returns the internal columns carried through each layer.
func (q *Query) Carried() []string { return append([]string(nil), q.carry...) }

// Out is one output column of a layer: its name, kind and SQL over the
// current relation.
type Out struct {
	Column
	SQL string
}

// Pass is the output that keeps a current column as it is.
func (q *Query) Pass(c Column) Out { return Out{Column: c, SQL: q.Ref(c.Name)} }

// Layer adds a CTE whose data columns are outs, computed from the current
// relation, with the carried columns passed through, the reason column
// updated with checks (in order; the first true one wins, an earlier
// reason is kept) and, when where is not empty, only the rows where it is
// true. The comment names the step; base names the CTE. The CTE becomes
// the current relation. Names of outs must be distinct (as the engine
// compares them).
func (q *Query) Layer(base, comment string, outs []Out, checks []Check, where string) error {
	seen := map[string]string{}
	for _, o := range outs {
		if prev, dup := seen[q.fold(o.Name)]; dup {
			if prev == o.Name {
				return fmt.Errorf("%s: the column %q would appear twice", comment, o.Name)
			}
			return fmt.Errorf("%s: the columns %q and %q differ only in letter case, which %s does not tell apart", comment, prev, o.Name, q.d.name)
		}
		seen[q.fold(o.Name)] = o.Name
		q.names[q.fold(o.Name)] = true
	}
	var sel []string
	for _, c := range q.carry {
		id := q.d.mustIdent(c)
		switch x, ok := q.pending[c]; {
		case ok:
			sel = append(sel, x+" AS "+id)
		case q.Ref(c) != id:
			sel = append(sel, q.Ref(c)+" AS "+id)
		default:
			sel = append(sel, id)
		}
	}
	q.pending = nil
	for _, o := range outs {
		id, err := q.d.Ident(o.Name)
		if err != nil {
			return fmt.Errorf("%s: %w", comment, err)
		}
		if o.SQL == id {
			sel = append(sel, id)
		} else {
			sel = append(sel, o.SQL+" AS "+id)
		}
	}
	if len(checks) > 0 || q.reason != "" {
		if q.reason == "" {
			q.reason = q.Internal("segment_reason")
		}
		r, err := q.reasonSQL(checks)
		if err != nil {
			return fmt.Errorf("%s: %w", comment, err)
		}
		sel = append(sel, r)
		q.live = true
	}
	var b strings.Builder
	b.WriteString("SELECT\n    ")
	b.WriteString(strings.Join(sel, ",\n    "))
	b.WriteString("\n  FROM ")
	b.WriteString(q.fromClause())
	if where != "" {
		b.WriteString("\n  WHERE ")
		b.WriteString(where)
	}
	if f := q.d.fence(); f != "" && !q.flat {
		b.WriteString("\n  " + f)
	}
	name := q.cteName(base)
	q.ctes = append(q.ctes, cte{name: name, comment: comment, sql: b.String()})
	q.setFrom(q.d.mustIdent(name), name)
	q.cols = q.cols[:0:0]
	for _, o := range outs {
		q.cols = append(q.cols, o.Column)
	}
	return nil
}

// reasonSQL is the reason column of a new layer: the current reason, else
// the first check that holds. It reads the current reason once
// (COALESCE), so that an engine that merges the layers (Flat) does not
// double the expression at every layer.
func (q *Query) reasonSQL(checks []Check) (string, error) {
	id := q.d.mustIdent(q.reason)
	var prev string
	if q.live {
		prev = q.Ref(q.reason)
	}
	if len(checks) == 0 {
		if prev == id {
			return id, nil
		}
		return prev + " AS " + id, nil
	}
	var b strings.Builder
	b.WriteString("CASE")
	for _, c := range checks {
		s, err := q.d.String(c.Reason)
		if err != nil {
			return "", err
		}
		b.WriteString(" WHEN " + c.Cond + " THEN " + s)
	}
	b.WriteString(" END")
	if prev != "" && q.flat {
		// postgres_fdw 15 does not ship COALESCE; the CASE form repeats
		// the earlier reason (twice per layer with checks).
		return "CASE WHEN " + prev + " IS NULL THEN " + b.String() + " ELSE " + prev + " END AS " + id, nil
	}
	if prev != "" {
		return "COALESCE(" + prev + ", " + b.String() + ") AS " + id, nil
	}
	return b.String() + " AS " + id, nil
}

// Carry adds an internal column named from base (see Internal), computed
// by sql over the current relation in the next layer and passed through
// every later one, and returns its name.
func (q *Query) Carry(base, sql string) string {
	name := q.Internal(base)
	q.carry = append(q.carry, name)
	if q.pending == nil {
		q.pending = map[string]string{}
	}
	q.pending[name] = sql
	return name
}

// Flat leaves the fence out of the layers added from now on, so that the
// engine may merge them into one SELECT (PostgreSQL inlines a CTE read
// once and pulls the subquery up). Pushdown needs that for queries on a
// postgres_fdw foreign table: only an aggregate over the foreign table
// itself is shipped to the remote server, never one over a subquery that
// stays a subquery. The merged expressions repeat a column's expression
// wherever a later layer reads the column, so keep such chains short.
func (q *Query) Flat() { q.flat = true }

// SQL writes the query: WITH the layers, then final (a SELECT list over
// the current relation; "*" when empty), ordered by orderBy when given.
func (q *Query) SQL(header []string, final []string, orderBy string) string {
	var order []string
	if orderBy != "" {
		order = []string{orderBy}
	}
	return q.Select(Select{Header: header, List: final, OrderBy: order})
}

// Select is a SELECT over a query's current relation (Query.Select).
type Select struct {
	// Header lines are written as comments before the statement.
	Header []string
	// List is the SELECT list over the current relation ("*" when empty).
	List []string
	// Where, GroupBy, Having, OrderBy and Limit (> 0) are the clauses, in
	// SQL over the current relation; empty ones are left out.
	Where   string
	GroupBy []string
	Having  string
	OrderBy []string
	Limit   int
}

// Select writes the statement s: WITH the layers, then s over the current
// relation (an aggregate of a pushdown query, the scores of an export).
func (q *Query) Select(s Select) string {
	var b strings.Builder
	for _, h := range s.Header {
		b.WriteString("-- " + oneLine(h) + "\n")
	}
	b.WriteString(q.With())
	sel := "*"
	if len(s.List) > 0 {
		sel = "\n  " + strings.Join(s.List, ",\n  ")
	}
	b.WriteString("SELECT" + sel + "\nFROM " + q.fromClause())
	if s.Where != "" {
		b.WriteString("\nWHERE " + s.Where)
	}
	if len(s.GroupBy) > 0 {
		b.WriteString("\nGROUP BY " + strings.Join(s.GroupBy, ", "))
	}
	if s.Having != "" {
		b.WriteString("\nHAVING " + s.Having)
	}
	if len(s.OrderBy) > 0 {
		b.WriteString("\nORDER BY " + strings.Join(s.OrderBy, ", "))
	}
	if s.Limit > 0 {
		b.WriteString("\nLIMIT " + strconv.Itoa(s.Limit))
	}
	b.WriteString(";\n")
	return b.String()
}

// With is the WITH clause of the layers (ending in a newline; "" when
// there is none), for a statement built around the current relation
// (From).
func (q *Query) With() string {
	if len(q.ctes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("WITH\n")
	for i, c := range q.ctes {
		if c.comment != "" {
			b.WriteString("-- " + oneLine(c.comment) + "\n")
		}
		b.WriteString(q.d.mustIdent(c.name) + " AS (\n  " + c.sql + "\n)")
		if i < len(q.ctes)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// From is the current relation as a FROM item.
func (q *Query) From() string { return q.fromClause() }

// oneLine keeps a comment on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
