package frame

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// parallelCells is the table size (rows × columns) from which Take copies
// columns on several cores.
const parallelCells = 1 << 20

// Table is an immutable collection of equally long, uniquely named columns.
type Table struct {
	cols   []*Column
	byName map[string]int
	rows   int
}

// New builds a table. Column names must be non-empty and unique and all
// columns must have the same length. The columns are not copied.
func New(cols ...*Column) (*Table, error) {
	t := &Table{cols: cols, byName: make(map[string]int, len(cols))}
	for i, c := range cols {
		if c == nil {
			return nil, fmt.Errorf("column %d is nil", i)
		}
		if c.Name == "" {
			return nil, fmt.Errorf("column %d has an empty name", i+1)
		}
		if _, dup := t.byName[c.Name]; dup {
			return nil, fmt.Errorf("duplicate column name %q", c.Name)
		}
		t.byName[c.Name] = i
		if i == 0 {
			t.rows = c.Len()
		} else if c.Len() != t.rows {
			return nil, fmt.Errorf("column %q has %d rows, column %q has %d", c.Name, c.Len(), cols[0].Name, t.rows)
		}
	}
	return t, nil
}

// NumRows returns the number of rows.
func (t *Table) NumRows() int { return t.rows }

// NumCols returns the number of columns.
func (t *Table) NumCols() int { return len(t.cols) }

// Names returns the column names in order.
func (t *Table) Names() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.Name
	}
	return out
}

// Columns returns the columns in order. The slice is a copy; the columns
// themselves are shared and must not be modified.
func (t *Table) Columns() []*Column { return append([]*Column(nil), t.cols...) }

// Col returns the named column, or nil.
func (t *Table) Col(name string) *Column {
	if i, ok := t.byName[name]; ok {
		return t.cols[i]
	}
	return nil
}

// Index returns the position of the named column, or -1.
func (t *Table) Index(name string) int {
	if i, ok := t.byName[name]; ok {
		return i
	}
	return -1
}

// Has reports whether the table has the named column.
func (t *Table) Has(name string) bool { _, ok := t.byName[name]; return ok }

// Select returns a table with only the named columns, in the given order.
func (t *Table) Select(names ...string) (*Table, error) {
	cols := make([]*Column, 0, len(names))
	for _, n := range names {
		c := t.Col(n)
		if c == nil {
			return nil, t.unknown(n)
		}
		cols = append(cols, c)
	}
	return t.reshaped(cols)
}

// reshaped is New(cols...) for a table made from t's columns: with no
// columns left it keeps t's number of rows (a table of rows without
// columns, as a pass that reads no column sees a batch).
func (t *Table) reshaped(cols []*Column) (*Table, error) {
	out, err := New(cols...)
	if err == nil && len(cols) == 0 {
		out.rows = t.rows
	}
	return out, err
}

// Drop returns a table without the named columns.
func (t *Table) Drop(names ...string) (*Table, error) {
	drop := make(map[string]bool, len(names))
	for _, n := range names {
		if !t.Has(n) {
			return nil, t.unknown(n)
		}
		drop[n] = true
	}
	cols := make([]*Column, 0, len(t.cols))
	for _, c := range t.cols {
		if !drop[c.Name] {
			cols = append(cols, c)
		}
	}
	return t.reshaped(cols)
}

// Rename returns a table with columns renamed old → new.
func (t *Table) Rename(names map[string]string) (*Table, error) {
	for old := range names {
		if !t.Has(old) {
			return nil, t.unknown(old)
		}
	}
	cols := make([]*Column, len(t.cols))
	for i, c := range t.cols {
		if nn, ok := names[c.Name]; ok && nn != c.Name {
			cols[i] = c.Renamed(nn)
		} else {
			cols[i] = c
		}
	}
	return t.reshaped(cols)
}

// With returns a table where col replaces the column of the same name, or is
// appended when no such column exists.
func (t *Table) With(col *Column) (*Table, error) {
	cols := append([]*Column(nil), t.cols...)
	if i, ok := t.byName[col.Name]; ok {
		cols[i] = col
	} else {
		cols = append(cols, col)
	}
	return New(cols...)
}

// Take returns a table holding the given rows in order. Large tables are
// copied on all cores, a column at a time.
func (t *Table) Take(rows []int) *Table { return t.take(rows, false) }

// TakeOwned is Take for a caller that holds the only reference to t and
// gives it up: t lets go of each column once its rows are copied, so the
// whole input and the whole output are not needed at once (a column that
// another table shares stays, through that table). t has no columns
// afterwards and must not be used.
func (t *Table) TakeOwned(rows []int) *Table { return t.take(rows, true) }

func (t *Table) take(rows []int, release bool) *Table {
	cols := make([]*Column, len(t.cols))
	workers := 1
	if len(rows)*len(t.cols) >= parallelCells {
		workers = min(runtime.GOMAXPROCS(0), len(t.cols))
	}
	one := func(i int) {
		cols[i] = t.cols[i].Take(rows)
		if release {
			t.cols[i] = nil
		}
	}
	if workers <= 1 {
		for i := range t.cols {
			one(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1) - 1); i < len(t.cols); i = int(next.Add(1) - 1) {
					one(i)
				}
			}()
		}
		wg.Wait()
	}
	if release {
		t.cols, t.byName, t.rows = nil, nil, 0
	}
	out, _ := New(cols...) // same names and equal lengths by construction
	if len(cols) == 0 {
		out.rows = len(rows)
	}
	return out
}

// Filter returns the rows where keep is true.
func (t *Table) Filter(keep []bool) *Table {
	rows := make([]int, 0, len(keep))
	for i, k := range keep {
		if k {
			rows = append(rows, i)
		}
	}
	if len(rows) == t.rows {
		return t
	}
	return t.Take(rows)
}

// Field describes one column of a table's schema.
type Field struct {
	Name    string `json:"name"`
	Kind    Kind   `json:"-"`
	Type    string `json:"type"`
	Missing int    `json:"missing"`
}

// Schema lists the columns with their kinds and missing counts.
func (t *Table) Schema() []Field {
	out := make([]Field, len(t.cols))
	for i, c := range t.cols {
		out[i] = Field{Name: c.Name, Kind: c.Kind, Type: c.Kind.String(), Missing: c.NumMissing()}
	}
	return out
}

func (t *Table) unknown(name string) error {
	return &UnknownColumnError{Name: name, Known: t.Names()}
}

// UnknownColumnError names a column that does not exist and suggests the
// closest existing name.
type UnknownColumnError struct {
	Name  string
	Known []string
}

func (e *UnknownColumnError) Error() string {
	msg := fmt.Sprintf("unknown column %q", e.Name)
	if s := Suggest(e.Name, e.Known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg
}

// Suggest returns the candidate closest to name by edit distance
// (case-insensitive), or "" when none is close enough to be a likely typo.
func Suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	ln := strings.ToLower(name)
	for _, c := range candidates {
		d := editDistance(ln, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := len([]rune(name))/3 + 1
	if limit > 4 {
		limit = 4
	}
	if best != "" && bestD <= limit {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// SortedNames returns the column names sorted, for stable messages.
func (t *Table) SortedNames() []string {
	n := t.Names()
	sort.Strings(n)
	return n
}
