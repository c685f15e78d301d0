package pushdown

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/internal/sqlgen"
)

// SampleSpec says which rows and columns Sample pulls.
type SampleSpec struct {
	// Columns are the relation's columns to pull, in order.
	Columns []string
	// ID is the id column ("" for none): it orders the sample and, with
	// Seed, chooses it.
	ID string
	// Rows is the most rows to pull; 0 pulls every row.
	Rows int64
	// Seed chooses the rows when the relation has more than Rows.
	Seed uint64
	// Extend, when set, adds layers to the relation's query and returns
	// further columns (name → SQL over the extended query's current
	// relation) pulled after Columns, in order; Extra names them.
	Extend func(q *sqlgen.Query) ([]string, error)
	Extra  []string
}

// SampleInfo says what Sample pulled.
type SampleInfo struct {
	// Rows are the rows pulled; Of the relation's rows.
	Rows int64 `json:"rows"`
	Of   int64 `json:"of"`
	// Whole is true when every row was pulled.
	Whole bool `json:"whole"`
	// How says how the rows were chosen and ordered, in words.
	How string `json:"how"`
}

// hashColumn is the internal column of a row's sample hash.
const hashColumn = "segment_sample_hash"

// Sample pulls a seeded, repeatable sample of the relation's rows:
//
//   - every row when the relation holds at most spec.Rows (or spec.Rows
//     is 0), sorted by the id (text in byte order, NULLs last; rows
//     without an id in the order the server returns them): the rows and
//     the order the postgres source would read, so that a fit on them is
//     the in-memory fit;
//   - otherwise the spec.Rows rows with the smallest md5 of
//     "<seed>:<id>" (without an id: of the row's text), then sorted by the
//     id. The choice depends on the seed and the ids only — not on the
//     physical order of the rows, VACUUM or the partitioning — and the
//     same seed gives the same rows. In per-partition mode each partition
//     returns its smallest hashes (ORDER BY … LIMIT runs on the shard) and
//     the smallest overall are kept.
//
// The rows travel through pgio's binary COPY, so their values are the
// postgres source's. rel's row count must be known or is counted.
func (r *Relation) Sample(ctx context.Context, what string, spec SampleSpec) (*frame.Table, *SampleInfo, error) {
	rel := r
	if _, ok := rel.Rows(); !ok {
		var err error
		if rel, err = rel.Count(ctx, what+": counting the rows", nil); err != nil {
			return nil, nil, err
		}
	}
	total, _ := rel.Rows()
	info := &SampleInfo{Of: int64(total)}
	whole := spec.Rows <= 0 || int64(total) <= spec.Rows
	var parts []*frame.Table
	for _, on := range rel.On() {
		q, err := rel.Query(on, hashColumn)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", what, err)
		}
		for _, c := range spec.Columns {
			if _, ok := q.Col(c); !ok {
				return nil, nil, fmt.Errorf("%s: no column %q here", what, c)
			}
		}
		// refs read the columns pulled; with Extend they are carried
		// through its layers.
		refs := make([]string, len(spec.Columns))
		var extra []string
		if spec.Extend != nil {
			carried := make([]string, len(spec.Columns))
			for i, c := range spec.Columns {
				carried[i] = q.Carry("sample_column", q.Ref(c))
			}
			if extra, err = spec.Extend(q); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", what, err)
			}
			for i := range spec.Columns {
				refs[i] = q.Ref(carried[i])
			}
		} else {
			for i, c := range spec.Columns {
				refs[i] = q.Ref(c)
			}
		}
		list := make([]string, 0, len(refs)+len(extra)+1)
		for i, c := range spec.Columns {
			list = append(list, refs[i]+" AS "+ident(c))
		}
		for i, e := range extra {
			list = append(list, e+" AS "+ident(spec.Extra[i]))
		}
		idRef := ""
		if at := slices.Index(spec.Columns, spec.ID); spec.ID != "" && at >= 0 {
			idRef = refs[at]
		}
		sel := sqlgen.Select{List: list}
		switch {
		case whole && idRef != "" && on == OnSource:
			sel.OrderBy = []string{idRef + ` COLLATE "C" NULLS LAST`}
		case !whole:
			sel.List = append(sel.List, sampleHash(spec.Seed, idRef, refs)+" AS "+ident(hashColumn))
			sel.OrderBy = []string{ident(hashColumn) + " NULLS LAST"}
			sel.Limit = int(spec.Rows)
		}
		t, err := rel.s.pull(ctx, what, on, q.Select(sel))
		if err != nil {
			return nil, nil, err
		}
		parts = append(parts, t)
	}
	t, err := concat(parts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	if !whole {
		t = smallestHashes(t, int(spec.Rows))
		if t, err = dropColumn(t, hashColumn); err != nil {
			return nil, nil, err
		}
	}
	if spec.ID != "" && (!whole || rel.PerPartition()) {
		t = sortByText(t, spec.ID)
	}
	info.Rows, info.Whole = int64(t.NumRows()), whole
	switch {
	case whole && spec.ID != "":
		info.How = fmt.Sprintf("every row (%d), in %q order", t.NumRows(), spec.ID)
	case whole:
		info.How = fmt.Sprintf("every row (%d), in the order the server returned them", t.NumRows())
	case spec.ID != "":
		info.How = fmt.Sprintf("the %d of %d rows with the smallest md5('%d:' || %q), in %q order", t.NumRows(), total, spec.Seed, spec.ID, spec.ID)
	default:
		info.How = fmt.Sprintf("the %d of %d rows with the smallest md5 of '%d:' and the row's text", t.NumRows(), total, spec.Seed)
	}
	return t, info, nil
}

// sampleHash is the SQL of a row's sample hash: the md5 of the seed and
// the id, or without an id of the seed and the row's text.
func sampleHash(seed uint64, idRef string, refs []string) string {
	prefix := "'" + strconv.FormatUint(seed, 10) + ":'"
	if idRef != "" {
		return "md5(" + prefix + " || " + idRef + ")"
	}
	return "md5(" + prefix + " || CAST(ROW(" + strings.Join(refs, ", ") + ") AS TEXT))"
}

func ident(name string) string { return pgio.QuoteIdent(name) }

// pull reads the rows of sql through pgio (binary COPY) and logs them as a
// sample.
func (s *Session) pull(ctx context.Context, what, on, sql string) (*frame.Table, error) {
	t0 := time.Now()
	res, err := s.db.Read(ctx, pgio.Source{Query: sql})
	e := Entry{Stage: s.stage, What: what, On: on, SQL: sql, Sample: true, Seconds: seconds(time.Since(t0))}
	if res != nil {
		e.Rows = int64(res.Table.NumRows())
	}
	s.log = append(s.log, e)
	if err != nil {
		return nil, s.explain(err, what, on, sql)
	}
	return res.Table, nil
}

// concat appends tables of the same columns.
func concat(ts []*frame.Table) (*frame.Table, error) {
	if len(ts) == 1 {
		return ts[0], nil
	}
	var cols []*frame.Column
	for j, c := range ts[0].Columns() {
		parts := make([]*frame.Column, len(ts))
		for i, t := range ts {
			parts[i] = t.Columns()[j]
			if parts[i].Name != c.Name || parts[i].Kind != c.Kind {
				return nil, fmt.Errorf("the partitions return different columns (%s %s, %s %s)", c.Name, c.Kind, parts[i].Name, parts[i].Kind)
			}
		}
		cols = append(cols, appendColumns(parts))
	}
	return frame.New(cols...)
}

// appendColumns appends columns of one name and kind.
func appendColumns(cs []*frame.Column) *frame.Column {
	n := 0
	for _, c := range cs {
		n += c.Len()
	}
	missing := make([]bool, 0, n)
	anyMissing := false
	for _, c := range cs {
		for i := range c.Len() {
			m := c.IsMissing(i)
			missing = append(missing, m)
			anyMissing = anyMissing || m
		}
	}
	if !anyMissing {
		missing = nil
	}
	name := cs[0].Name
	switch cs[0].Kind {
	case frame.Int:
		var v []int64
		for _, c := range cs {
			v = append(v, c.Int64s()...)
		}
		return frame.NewInt(name, v, missing)
	case frame.Float:
		var v []float64
		for _, c := range cs {
			v = append(v, c.Floats...)
		}
		return frame.NewFloat(name, v, missing)
	case frame.Bool:
		var v []bool
		for _, c := range cs {
			v = append(v, c.Bools...)
		}
		return frame.NewBool(name, v, missing)
	}
	v := make([]string, 0, n)
	for _, c := range cs {
		for i := range c.Len() {
			v = append(v, c.Str(i))
		}
	}
	return frame.NewString(name, v, missing)
}

// smallestHashes keeps the n rows of t with the smallest hash (ties by the
// row's values), in that order.
func smallestHashes(t *frame.Table, n int) *frame.Table {
	rows := make([]int, t.NumRows())
	for i := range rows {
		rows[i] = i
	}
	h := t.Col(hashColumn)
	cols := t.Columns()
	slices.SortStableFunc(rows, func(a, b int) int {
		if c := compareCells(h, a, b); c != 0 {
			return c
		}
		for _, c := range cols {
			if v := compareCells(c, a, b); v != 0 {
				return v
			}
		}
		return 0
	})
	if len(rows) > n {
		rows = rows[:n]
	}
	return t.Take(rows)
}

// sortByText orders t's rows by a text column in byte order, missing
// last, stably.
func sortByText(t *frame.Table, col string) *frame.Table {
	c := t.Col(col)
	if c == nil {
		return t
	}
	rows := make([]int, t.NumRows())
	for i := range rows {
		rows[i] = i
	}
	slices.SortStableFunc(rows, func(a, b int) int { return compareCells(c, a, b) })
	return t.Take(rows)
}

// compareCells orders two cells of a column: values by kind (text in byte
// order), missing last.
func compareCells(c *frame.Column, a, b int) int {
	ma, mb := c.IsMissing(a), c.IsMissing(b)
	switch {
	case ma && mb:
		return 0
	case ma:
		return 1
	case mb:
		return -1
	}
	switch c.Kind {
	case frame.Int:
		return cmp.Compare(c.Int(a), c.Int(b))
	case frame.Float:
		return cmp.Compare(c.Floats[a], c.Floats[b])
	case frame.Bool:
		return cmp.Compare(b2i(c.Bools[a]), b2i(c.Bools[b]))
	}
	return strings.Compare(c.Str(a), c.Str(b))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dropColumn removes a column.
func dropColumn(t *frame.Table, name string) (*frame.Table, error) {
	var keep []string
	for _, n := range t.Names() {
		if n != name {
			keep = append(keep, n)
		}
	}
	return t.Select(keep...)
}
