package rowexpr

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/expr-lang/expr/vm"

	"github.com/churnlab/segment/internal/frame"
)

// chunkRows is the fixed unit of parallel work.
const chunkRows = 8192

// RowError is a failure while evaluating one row.
type RowError struct {
	Row int // 0-based row of the table
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row+1, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// bind checks that t has the columns the program was compiled for.
func (p *Program) bind(t *frame.Table) ([]*frame.Column, error) {
	cols := make([]*frame.Column, len(p.vars))
	for _, r := range p.refs {
		v := p.vars[r]
		c := t.Col(v.Name)
		if c == nil || c.Kind != v.Kind || (c.Missing != nil) != v.HasMissing && v.Kind == frame.Int {
			return nil, fmt.Errorf("rowexpr: table does not match the schema the expression %q was compiled for", p.Source)
		}
		cols[r] = c
	}
	return cols, nil
}

type worker struct {
	p     *Program
	cols  []*frame.Column
	env   map[string]any
	keys  [][]string // env keys per var
	miss  []string   // env key of each var's missing flag
	boxed [][]any    // per string var: its dictionary values already boxed (no allocation per row)
	vm    vm.VM
}

func (p *Program) newWorker(cols []*frame.Column) *worker {
	w := &worker{p: p, cols: cols, env: map[string]any{}, keys: make([][]string, len(p.vars)), boxed: make([][]any, len(p.vars)), miss: make([]string, len(p.vars))}
	for _, r := range p.refs {
		if c := cols[r]; c.Kind == frame.String {
			w.boxed[r] = make([]any, len(c.Dict))
			for i, s := range c.Dict {
				w.boxed[r][i] = s
			}
		}
	}
	for i, v := range p.vars {
		z := zeroOf(v)
		w.env[colVar(i)] = z
		w.env[missVar(i)] = false
		w.miss[i] = missVar(i)
		if isIdent(v.Name) && !reserved[v.Name] {
			w.env[v.Name] = z
			w.keys[i] = []string{colVar(i), v.Name}
		} else {
			w.keys[i] = []string{colVar(i)}
		}
	}
	return w
}

// load puts row i into the environment and reports whether any column the
// expression reads is missing there.
func (w *worker) load(i int) bool {
	anyMissing := false
	for _, r := range w.p.refs {
		c := w.cols[r]
		miss := c.IsMissing(i)
		anyMissing = anyMissing || miss
		var val any
		switch c.Kind {
		case frame.Float:
			val = c.Floats[i]
		case frame.Int:
			if c.Missing != nil {
				if miss {
					val = math.NaN()
				} else {
					val = float64(c.Int(i))
				}
			} else {
				val = int(c.Int(i))
			}
		case frame.Bool:
			val = c.Bools[i]
		default:
			if miss {
				val = ""
			} else {
				val = w.boxed[r][c.Code(i)]
			}
		}
		for _, k := range w.keys[r] {
			w.env[k] = val
		}
		w.env[w.miss[r]] = miss
	}
	return anyMissing
}

// forChunks runs fn over fixed row chunks on all cores.
func forChunks(ctx context.Context, n int, fn func(w int, lo, hi int) error, workers int) error {
	chunks := (n + chunkRows - 1) / chunkRows
	if workers > chunks {
		workers = chunks
	}
	if workers < 1 {
		workers = 1
	}
	var (
		mu    sync.Mutex
		next  int
		first error
		ferr  = -1
		wg    sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				c := next
				next++
				stop := first != nil && c > ferr
				mu.Unlock()
				if c >= chunks || stop {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					if first == nil {
						first, ferr = err, c
					}
					mu.Unlock()
					return
				}
				lo, hi := c*chunkRows, min((c+1)*chunkRows, n)
				if err := safeChunk(fn, w, lo, hi); err != nil {
					mu.Lock()
					// keep the error of the earliest chunk, so the message
					// does not depend on scheduling
					if first == nil || c < ferr {
						first, ferr = err, c
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// safeChunk runs fn on one chunk, turning a panic into an error: a panic in
// a worker goroutine could not be recovered by the caller and would end the
// process.
func safeChunk(fn func(w int, lo, hi int) error, w, lo, hi int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error evaluating rows %d…%d (a bug in segment, please report it): %v\n%s", lo+1, hi, r, debug.Stack())
		}
	}()
	return fn(w, lo, hi)
}

// Filter evaluates a boolean expression for every row.
func (p *Program) Filter(ctx context.Context, t *frame.Table) ([]bool, error) {
	keep, _, err := p.filter(ctx, t, false)
	return keep, err
}

// FilterEach is Filter, except that a row whose evaluation fails is false
// and listed in fails (in row order) instead of stopping the evaluation:
// segment predict reports such rows and goes on with the others.
func (p *Program) FilterEach(ctx context.Context, t *frame.Table) (keep []bool, fails []RowError, err error) {
	return p.filter(ctx, t, true)
}

func (p *Program) filter(ctx context.Context, t *frame.Table, each bool) ([]bool, []RowError, error) {
	if err := p.CheckFilter(); err != nil {
		return nil, nil, err
	}
	cols, err := p.bind(t)
	if err != nil {
		return nil, nil, err
	}
	n := t.NumRows()
	keep := make([]bool, n)
	workers := runtime.GOMAXPROCS(0)
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = p.newWorker(cols)
	}
	fails := newFailures(n, each)
	err = forChunks(ctx, n, func(wi, lo, hi int) error {
		w := ws[wi]
		for i := lo; i < hi; i++ {
			w.load(i)
			out, err := w.vm.Run(p.prog, w.env)
			if err != nil {
				if err := fails.add(i, err); err != nil {
					return err
				}
				continue
			}
			keep[i], _ = out.(bool)
		}
		return nil
	}, workers)
	if err != nil {
		return nil, nil, err
	}
	return keep, fails.list(), nil
}

// CheckFilter reports whether the expression can be a filter: true or
// false for every row.
func (p *Program) CheckFilter() error {
	if p.out != reflect.Bool {
		return fmt.Errorf("a filter must be true or false for each row; %q gives %s", p.Source, kindWord(p.out))
	}
	return nil
}

// CheckDerive reports whether the expression can make a column: one type
// of value (number, string or true/false) for every row.
func (p *Program) CheckDerive() error {
	if p.out == reflect.Interface || p.out == reflect.Invalid {
		return fmt.Errorf("%q does not give one type of value (number, string or true/false) for every row", p.Source)
	}
	switch p.out {
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32, reflect.String:
		return nil
	}
	return fmt.Errorf("%q gives %s; a column needs a number, string or true/false", p.Source, kindWord(p.out))
}

// DeriveStats counts the rows a derive left without a value, by cause.
type DeriveStats struct {
	// InputMissing rows read a missing value (and the expression does not
	// handle it with is_missing or fill).
	InputMissing int
	// Undefined rows gave a result that is not a number (NaN or ±Inf:
	// division by zero, log of 0, ...).
	Undefined int
}

// UndefinedCause says in words what makes this expression's result
// undefined: "division by zero", "a logarithm or square root out of
// range", both, or "an arithmetic overflow".
func (p *Program) UndefinedCause() string {
	switch {
	case p.divides && p.domain:
		return "division by zero or a logarithm or square root out of range"
	case p.divides:
		return "division by zero"
	case p.domain:
		return "a logarithm or square root out of range"
	}
	return "an arithmetic overflow"
}

// Derive evaluates the expression for every row into a new column.
func (p *Program) Derive(ctx context.Context, t *frame.Table, name string) (*frame.Column, error) {
	col, _, _, err := p.derive(ctx, t, name, false)
	return col, err
}

// DeriveWithStats is Derive, also counting the rows left missing by cause.
func (p *Program) DeriveWithStats(ctx context.Context, t *frame.Table, name string) (*frame.Column, DeriveStats, error) {
	col, _, st, err := p.derive(ctx, t, name, false)
	return col, st, err
}

// DeriveEach is Derive, except that a row whose evaluation fails is missing
// in the column and listed in fails (in row order) instead of stopping the
// evaluation: segment predict reports such rows and scores the others.
func (p *Program) DeriveEach(ctx context.Context, t *frame.Table, name string) (col *frame.Column, fails []RowError, err error) {
	col, fails, _, err = p.derive(ctx, t, name, true)
	return col, fails, err
}

func (p *Program) derive(ctx context.Context, t *frame.Table, name string, each bool) (*frame.Column, []RowError, DeriveStats, error) {
	var st DeriveStats
	kind := p.ResultKind()
	if err := p.CheckDerive(); err != nil {
		return nil, nil, st, err
	}
	cols, err := p.bind(t)
	if err != nil {
		return nil, nil, st, err
	}
	n := t.NumRows()
	col := &frame.Column{Name: name, Kind: kind, Missing: make([]bool, n)}
	var ints []int64
	switch kind {
	case frame.Float:
		col.Floats = make([]float64, n)
	case frame.Int:
		ints = make([]int64, n)
	case frame.Bool:
		col.Bools = make([]bool, n)
	}
	strs := []string(nil)
	if kind == frame.String {
		strs = make([]string, n)
	}
	workers := runtime.GOMAXPROCS(0)
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = p.newWorker(cols)
	}
	fails := newFailures(n, each)
	counts := make([]DeriveStats, workers)
	err = forChunks(ctx, n, func(wi, lo, hi int) error {
		w := ws[wi]
		for i := lo; i < hi; i++ {
			if w.load(i) && !p.explicit {
				counts[wi].InputMissing++
				col.Missing[i] = true
				if kind == frame.Float {
					col.Floats[i] = math.NaN()
				}
				continue
			}
			out, err := w.vm.Run(p.prog, w.env)
			if err != nil {
				if err := fails.add(i, err); err != nil {
					return err
				}
				col.Missing[i] = true
				if kind == frame.Float {
					col.Floats[i] = math.NaN()
				}
				continue
			}
			// The value's type may differ from the type checked at
			// compile time (max(x, n) gives an int or a float64 row by
			// row): store by the column's kind.
			switch v := out.(type) {
			case int:
				if kind == frame.Int {
					ints[i] = int64(v)
					continue
				}
				out = float64(v)
			}
			switch v := out.(type) {
			case float64:
				if kind != frame.Float {
					return &RowError{Row: i, Err: fmt.Errorf("gives the number %v where other rows give %s", v, kindWord(p.out))}
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					counts[wi].Undefined++
					col.Missing[i] = true
					v = math.NaN()
				}
				col.Floats[i] = v
			case bool:
				if kind != frame.Bool {
					return &RowError{Row: i, Err: fmt.Errorf("gives %v where other rows give %s", v, kindWord(p.out))}
				}
				col.Bools[i] = v
			case string:
				if kind != frame.String {
					return &RowError{Row: i, Err: fmt.Errorf("gives the text %q where other rows give %s", v, kindWord(p.out))}
				}
				strs[i] = v
			default:
				if err := fails.add(i, fmt.Errorf("unexpected value %v (%T)", out, out)); err != nil {
					return err
				}
				col.Missing[i] = true
			}
		}
		return nil
	}, workers)
	if err != nil {
		return nil, nil, st, err
	}
	for _, c := range counts {
		st.InputMissing += c.InputMissing
		st.Undefined += c.Undefined
	}
	if kind == frame.String {
		return frame.NewString(name, strs, col.Missing), fails.list(), st, nil
	}
	anyMissing := false
	for _, m := range col.Missing {
		anyMissing = anyMissing || m
	}
	if !anyMissing {
		col.Missing = nil
	}
	if kind == frame.Int {
		col = frame.NewIntOwned(name, ints, col.Missing)
	}
	return col, fails.list(), st, nil
}

// failures collects the rows whose evaluation failed, per chunk so that the
// list is in row order whatever the scheduling. When rows are not to be
// collected, add returns the failure as a *RowError, which stops the
// evaluation.
type failures struct {
	each   bool
	chunks [][]RowError
}

func newFailures(n int, each bool) *failures {
	f := &failures{each: each}
	if each {
		f.chunks = make([][]RowError, (n+chunkRows-1)/chunkRows)
	}
	return f
}

// add records the failure of row i; chunks are evaluated by one worker
// each, so no lock is needed.
func (f *failures) add(i int, err error) error {
	if !f.each {
		return &RowError{Row: i, Err: err}
	}
	c := i / chunkRows
	f.chunks[c] = append(f.chunks[c], RowError{Row: i, Err: err})
	return nil
}

func (f *failures) list() []RowError {
	var out []RowError
	for _, c := range f.chunks {
		out = append(out, c...)
	}
	return out
}

func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "true/false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Interface:
		return "values of mixed type"
	}
	return k.String()
}

// Matches reports whether t has the column types the program was compiled
// for.
func (p *Program) Matches(t *frame.Table) bool {
	_, err := p.bind(t)
	return err == nil
}
