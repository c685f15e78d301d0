package clean

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// streamStep is one clean step of a streamed run (execution mode stream):
// the step frozen — its statistics computed over every row in a pass
// before it was appended — applied to each batch of every later pass. It
// tolerates batches that lack columns it does not need to produce the
// columns a pass reads (passes read only the columns they need; Needs
// says which).
type streamStep struct {
	kind, key string
	op        Op               // the frozen step
	prog      *rowexpr.Program // filter, derive: compiled for the whole table's column types
	reads     []string         // the columns the expression reads
	// pad lists the int columns the expression reads that have missing
	// values somewhere in the table: a batch without any still presents
	// them as such, so the expression sees the types it was compiled for
	// (an int column with missing values is a float to an expression).
	pad map[string]bool
	// toFloat lists fillna's int columns that the fill makes float (the
	// column has missing values and the fill is not a whole number): every
	// batch converts them, also one without a missing value.
	toFloat map[string]bool
	// skip lists fillna's columns without any missing value: left as they
	// are (the in-memory step skips them too, so their type stays).
	skip map[string]bool
	// kept marks the stored rows a dedupe keeps.
	kept []uint64

	count atomic.Pointer[stepCount] // set while the clean stage counts rows
}

// stepCount is what a counting pass tallies for a step.
type stepCount struct {
	in, out                 atomic.Int64
	undefined, inputMissing atomic.Int64
}

var _ pipeline.StreamOp = (*streamStep)(nil)

// Needs implements pipeline.StreamOp: the frozen step's replay
// narrowing (restrict) gives the columns needed before it.
func (s *streamStep) Needs(out []string) []string {
	if out == nil {
		return nil
	}
	need := map[string]bool{}
	for _, c := range out {
		need[c] = true
	}
	if s.kind == "dedupe" {
		return append([]string{}, out...) // the kept rows are known: no column is read
	}
	if s.kind == "derive" && s.count.Load() != nil {
		need[s.op.(*Derive).Name] = true // a counting pass computes it
	}
	r, ok := s.op.(replayer)
	if !ok {
		return nil
	}
	r.restrict(need, s.reads)
	return append([]string{}, slices.Sorted(maps.Keys(need))...)
}

// Apply implements pipeline.StreamOp.
func (s *streamStep) Apply(ctx context.Context, b *pipeline.Batch) (*pipeline.Batch, error) {
	out, err := s.apply(ctx, b)
	if err != nil {
		return nil, err
	}
	if c := s.count.Load(); c != nil {
		c.in.Add(int64(b.Table.NumRows()))
		c.out.Add(int64(out.Table.NumRows()))
	}
	return out, nil
}

func (s *streamStep) apply(ctx context.Context, b *pipeline.Batch) (*pipeline.Batch, error) {
	t := b.Table
	switch op := s.op.(type) {
	case *Filter:
		keep, err := s.prog.Filter(ctx, s.padded(t))
		if err != nil {
			return nil, rowError(err, b)
		}
		return b.Filter(keep), nil
	case *Dropna:
		keep, err := op.keep(ctx, t, nil)
		if err != nil {
			return nil, err
		}
		return b.Filter(keep), nil
	case *Dedupe:
		keep := make([]bool, t.NumRows())
		for i := range keep {
			r := b.Row(i)
			keep[i] = s.kept[r>>6]&(1<<(r&63)) != 0
		}
		return b.Filter(keep), nil
	case *Derive:
		for _, c := range s.reads {
			if !t.Has(c) {
				return b, nil // not needed by this pass
			}
		}
		col, st, err := s.prog.DeriveWithStats(ctx, s.padded(t), op.Name)
		if err != nil {
			return nil, rowError(err, b)
		}
		if c := s.count.Load(); c != nil {
			c.undefined.Add(int64(st.Undefined))
			c.inputMissing.Add(int64(st.InputMissing))
		}
		nt, err := op.finish(t, col)
		if err != nil {
			return nil, err
		}
		return b.With(nt), nil
	case *Select:
		var keep []string
		for _, c := range *op {
			if t.Has(c) {
				keep = append(keep, c)
			}
		}
		nt, err := t.Select(keep...)
		if err != nil {
			return nil, err
		}
		if len(keep) == 0 {
			nt = nt.Take(make([]int, t.NumRows())) // rows without columns
		}
		return b.With(nt), nil
	case *Drop:
		var present []string
		for _, c := range *op {
			if t.Has(c) {
				present = append(present, c)
			}
		}
		nt, err := t.Drop(present...)
		if err != nil {
			return nil, err
		}
		return b.With(nt), nil
	case *Rename:
		present := map[string]string{}
		for old, nw := range *op {
			if t.Has(old) {
				present[old] = nw
			}
		}
		nt, err := t.Rename(present)
		if err != nil {
			return nil, err
		}
		return b.With(nt), nil
	case *Cast:
		p := Cast(presentOf(*op, t))
		nt, err := p.Apply(ctx, t, nil)
		if err != nil {
			return nil, rowError(err, b)
		}
		return b.With(nt), nil
	case *Clip:
		p := Clip(presentOf(*op, t))
		nt, err := p.Apply(ctx, t, nil)
		if err != nil {
			return nil, err
		}
		return b.With(nt), nil
	case *Fillna:
		return s.fill(b, *op)
	case *Onehot:
		o := *op
		o.Columns = nil
		for _, c := range op.Columns {
			if t.Has(c) {
				o.Columns = append(o.Columns, c)
			}
		}
		if len(o.Columns) == 0 {
			return b, nil
		}
		nt, err := o.encode(t, nil)
		if err != nil {
			return nil, err
		}
		return b.With(nt), nil
	}
	return nil, fmt.Errorf("step %s has no streamed form", s.kind)
}

// fill applies a frozen fillna to a batch: the same fills as Apply, with
// the column types the whole table gets.
func (s *streamStep) fill(b *pipeline.Batch, f Fillna) (*pipeline.Batch, error) {
	t := b.Table
	for _, name := range slices.Sorted(maps.Keys(f)) {
		c := t.Col(name)
		if c == nil || s.skip[name] {
			continue
		}
		if s.toFloat[name] && c.Kind == frame.Int {
			x, _ := c.Float64s()
			c = frame.NewFloat(c.Name, x, c.Missing)
			if c.Missing == nil {
				var err error
				if t, err = t.With(c); err != nil {
					return nil, err
				}
				continue
			}
		}
		if c.Missing == nil {
			continue
		}
		nc, err := fillConst(c, f[name])
		if err != nil {
			return nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if t, err = t.With(nc); err != nil {
			return nil, err
		}
	}
	return b.With(t), nil
}

// padded gives the int columns in s.pad an empty missing mask when the
// batch has none, so the expression binds to them as compiled.
func (s *streamStep) padded(t *frame.Table) *frame.Table {
	for name := range s.pad {
		c := t.Col(name)
		if c == nil || c.Kind != frame.Int || c.Missing != nil {
			continue
		}
		cp := *c
		cp.Missing = make([]bool, c.Len())
		t, _ = t.With(&cp)
	}
	return t
}

// presentOf keeps the entries of m whose column t has.
func presentOf[V any](m map[string]V, t *frame.Table) map[string]V {
	out := map[string]V{}
	for k, v := range m {
		if t.Has(k) {
			out[k] = v
		}
	}
	return out
}

// rowError names a failing row by its number in the stored table (the
// input's data rows, 1-based).
func rowError(err error, b *pipeline.Batch) error {
	var re *rowexpr.RowError
	if !errors.As(err, &re) {
		return err
	}
	return fmt.Errorf("input data row %d: %w", b.Row(re.Row)+1, re.Err)
}
