package pipeline

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/spill"
	"github.com/churnlab/segment/internal/streamstat"
)

// Stream is the table of a streamed run (execution mode stream). The
// ingest stage reads the input once and keeps its rows in a spill file
// (internal/spill: compact binary columns in a temporary file); clean
// stages append their steps as StreamOps; every later stage reads the
// table in passes (Run): each pass decodes the spill's batches — only the
// columns it needs — on GOMAXPROCS workers, applies the steps, and hands
// each batch to the pass's Map (concurrently) and Reduce (one goroutine,
// in batch order). Results that Reduce accumulates in batch order do not
// depend on the number of workers.
//
// The first pass that reads every column at a position (after the last
// step appended) also keeps a seeded uniform sample of execution
// .sample_rows rows (Sample) and the moments of every numeric column
// (Moments), so that the cluster stage needs no pass of its own to fit
// its sample.
type Stream struct {
	file *spill.File
	ops  []streamOp
	exec *Execution
	seed uint64

	fields    []frame.Field // schema at the current position; nil until known
	rows      int64         // rows at the current position; -1 until a pass
	missing   map[string]int64
	sample    *frame.Table
	moments   map[string]streamstat.Moments
	statsAt   int // len(ops) when sample and moments were taken; -1 never
	missingAt int // len(ops) when missing was counted; -1 never
	// idDistinct is the number of distinct ids counted by the ingest stage,
	// valid while every step appended since keeps the rows (-1: none).
	idDistinct int64
}

// StreamOp is one step of a streamed table, applied to each batch in
// every pass (a clean step in stream mode; statistics it needs were
// computed in a pass before it was appended, so it works on one batch).
type StreamOp interface {
	// Apply transforms a batch; the batch given is not modified.
	Apply(ctx context.Context, b *Batch) (*Batch, error)
	// Needs returns the columns of the step's input needed to produce the
	// columns out of its output (including those the step itself reads);
	// nil out means every output column, and a nil result every input
	// column.
	Needs(out []string) []string
}

type streamOp struct {
	stage, name string
	op          StreamOp
}

// Batch is a batch of a streamed table in a pass.
type Batch struct {
	// Index is the batch's number in the stored table.
	Index int
	Table *frame.Table
	// First is the ordinal of the batch's first stored row; Rows, when not
	// nil, holds each row's ordinal in the stored table (after a step that
	// dropped rows), else the rows are First, First+1, ….
	First int64
	Rows  []int64
	// Worker is the state of the goroutine that runs Map on this batch
	// (Pass.Worker), nil without one.
	Worker any
}

// Row returns row i's ordinal in the stored table: stable across passes
// and steps, so it keys per-row decisions (dedupe, the sample).
func (b *Batch) Row(i int) int64 {
	if b.Rows == nil {
		return b.First + int64(i)
	}
	return b.Rows[i]
}

// Filter returns the batch with the rows where keep is true.
func (b *Batch) Filter(keep []bool) *Batch {
	rows := make([]int64, 0, len(keep))
	for i, k := range keep {
		if k {
			rows = append(rows, b.Row(i))
		}
	}
	if len(rows) == b.Table.NumRows() {
		return b
	}
	return &Batch{Index: b.Index, Table: b.Table.Filter(keep), First: b.First, Rows: rows}
}

// With returns the batch with another table of the same rows.
func (b *Batch) With(t *frame.Table) *Batch {
	return &Batch{Index: b.Index, Table: t, First: b.First, Rows: b.Rows}
}

// NewStream starts a streamed table on a finished spill file; seed draws
// the row sample. exec is the run's execution record (passes are
// appended to it).
func NewStream(file *spill.File, exec *Execution, seed uint64) *Stream {
	s := &Stream{file: file, exec: exec, seed: seed, fields: file.Schema(), rows: file.Rows(), statsAt: -1, missingAt: -1, idDistinct: -1}
	exec.SpillBytes = file.Bytes()
	return s
}

// TempDir is where stages put temporary files (execution.temp_dir).
func (s *Stream) TempDir() string { return s.exec.TempDir }

// Execution is the run's execution record.
func (s *Stream) Execution() *Execution { return s.exec }

// StoredRows is the number of rows in the stored table (before any step).
func (s *Stream) StoredRows() int64 { return s.file.Rows() }

// Rows returns the number of rows at the current position, -1 when not
// known yet (a step that drops rows was appended since the last pass).
func (s *Stream) Rows() int64 { return s.rows }

// KnownNames returns the column names at the current position when known
// (after a pass or Schema since the last step was appended), else the
// stored columns'.
func (s *Stream) KnownNames() []string {
	f := s.fields
	if f == nil {
		f = s.file.Schema()
	}
	names := make([]string, len(f))
	for i, x := range f {
		names[i] = x.Name
	}
	return names
}

// shape is the rows (-1 unknown) and columns at the current position, for
// the stage's status line and manifest record.
func (s *Stream) shape(ctx context.Context) (rows, cols int) {
	n, err := s.Names(ctx)
	if err != nil {
		return int(s.rows), 0
	}
	return int(s.rows), len(n)
}

// Steps is the number of steps appended.
func (s *Stream) Steps() int { return len(s.ops) }

// Append adds a step after the current position. Unless rowsKept, the
// number of rows is unknown until the next pass.
func (s *Stream) Append(stage, name string, op StreamOp, rowsKept bool) {
	s.ops = append(s.ops, streamOp{stage, name, op})
	s.fields = nil
	if !rowsKept {
		s.rows = -1
		s.idDistinct = -1
	}
}

// SetIDDistinct records the number of distinct ids (input.id) the ingest
// stage counted.
func (s *Stream) SetIDDistinct(n int64) { s.idDistinct = n }

// IDDistinct returns the number of distinct ids when still known: no step
// appended since the ingest stage dropped rows (or changed ids: a step
// that fills missing ids calls ForgetIDDistinct).
func (s *Stream) IDDistinct() (int64, bool) { return s.idDistinct, s.idDistinct >= 0 }

// ForgetIDDistinct drops the id count (a step changed the ids).
func (s *Stream) ForgetIDDistinct() { s.idDistinct = -1 }

// Schema returns the columns at the current position with their kinds
// (missing counts are 0): the stored columns through the steps, found by
// applying them to the first batch.
func (s *Stream) Schema(ctx context.Context) ([]frame.Field, error) {
	if s.fields != nil {
		return slices.Clone(s.fields), nil
	}
	if s.file.Batches() == 0 {
		return s.file.Schema(), nil
	}
	b, err := s.batch(ctx, 0, nil)
	if err != nil {
		return nil, err
	}
	s.fields = b.Table.Schema()
	for i := range s.fields {
		s.fields[i].Missing = 0
	}
	return slices.Clone(s.fields), nil
}

// Names returns the column names at the current position.
func (s *Stream) Names(ctx context.Context) ([]string, error) {
	f, err := s.Schema(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(f))
	for i, x := range f {
		names[i] = x.Name
	}
	return names, nil
}

// batch reads stored batch i with the stored columns needed for cols
// (nil: all) and applies the steps.
func (s *Stream) batch(ctx context.Context, i int, stored []string) (*Batch, error) {
	t, err := s.file.Read(i, stored)
	if err != nil {
		return nil, err
	}
	_, first := s.file.BatchRows(i)
	b := &Batch{Index: i, Table: t, First: first}
	for _, op := range s.ops {
		if b, err = op.op.Apply(ctx, b); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", op.stage, op.name, err)
		}
	}
	return b, nil
}

// storedColumns follows the columns a pass reads back through the steps
// to the stored columns (nil: all).
func (s *Stream) storedColumns(cols []string) []string {
	need := cols
	if need == nil {
		return nil
	}
	need = slices.Clone(need)
	for i := len(s.ops) - 1; i >= 0; i-- {
		need = s.ops[i].op.Needs(need)
		if need == nil {
			return nil
		}
	}
	return need
}

// Pass is one pass over a streamed table.
type Pass struct {
	// Name says what the pass computes, for progress lines and the
	// manifest ("statistics", "quartiles", "assign").
	Name string
	// Columns are the columns (at the current position) the pass reads;
	// nil reads every column. Batches may hold more.
	Columns []string
	// Map computes a batch's part of the result. It is called on several
	// goroutines at once (for different batches), so it must not write
	// shared state.
	Map func(b *Batch) (any, error)
	// Reduce receives each batch's Map result in batch order, on one
	// goroutine. Optional.
	Reduce func(part any, b *Batch) error
	// Worker, when set, makes the state of each worker goroutine, handed
	// to Map with every batch it runs (Batch.Worker): for results that do
	// not depend on which worker saw which batch (counts, sets, the rows
	// with the smallest keys), gathered in parallel instead of in Reduce.
	// Done then receives every worker's state after the last batch.
	Worker func() any
	Done   func(workers []any) error
}

// Run makes one pass over the table: every batch through the steps, Map
// and Reduce. Progress is reported on env's bars (rows of the stored
// table, with the rate and ETA), and the pass is recorded in the manifest
// (Execution.Passes).
func (s *Stream) Run(parent context.Context, env *Env, p Pass) error {
	ctx := parent
	clock := time.Now
	if env != nil && env.Progress != nil {
		clock = env.Progress.clock() // the bars' clock: a test's fake one
	}
	start := clock()
	stored := s.storedColumns(p.Columns)
	keepStats := p.Columns == nil && s.statsAt != len(s.ops)
	var st *passStats
	if keepStats {
		fields, err := s.Schema(ctx)
		if err != nil {
			return err
		}
		st = newPassStats(fields, s.exec.SampleRows, s.seed)
	}
	total := s.file.Rows()
	var bar *Bar
	if env != nil {
		bar = env.Progress.Bar(total, "pass: "+p.Name, false)
	}
	defer bar.Finish()
	var done, rows int64
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	type result struct {
		b    *Batch
		part any
		sp   *statsPart
		err  error
	}
	nb := s.file.Batches()
	workers := max(1, min(runtime.GOMAXPROCS(0), nb))
	window := 2*workers + 1
	results := make([]chan result, nb)
	for i := range results {
		results[i] = make(chan result, 1)
	}
	jobs := make(chan int)
	slots := make(chan struct{}, window)
	var wg sync.WaitGroup
	states := make([]any, workers)
	var samplers []*sampler
	if st != nil {
		samplers = make([]*sampler, workers)
	}
	for w := range workers {
		if p.Worker != nil {
			states[w] = p.Worker()
		}
		if st != nil {
			samplers[w] = st.newSampler()
		}
		wg.Add(1)
		go pprof.Do(ctx, pprof.Labels("pass", p.Name), func(ctx context.Context) {
			// The label attributes CPU profiles to passes (go tool pprof
			// -tagfocus pass=…); it costs nothing when not profiling.
			defer wg.Done()
			for i := range jobs {
				var r result
				r.b, r.err = s.batch(ctx, i, stored)
				if r.err == nil {
					r.b.Worker = states[w]
				}
				if r.err == nil && p.Map != nil {
					r.part, r.err = p.Map(r.b)
				}
				if r.err == nil && st != nil {
					r.sp = st.mapBatch(r.b, samplers[w])
				}
				results[i] <- r
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range nb {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for i := 0; i < nb && err == nil; i++ {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			err = ctx.Err()
			continue
		}
		<-slots
		if r.err != nil {
			err = r.err
			break
		}
		if p.Reduce != nil {
			if err = p.Reduce(r.part, r.b); err != nil {
				break
			}
		}
		if st != nil {
			st.reduce(r.sp, r.b)
		}
		n, _ := s.file.BatchRows(i)
		done += int64(n)
		rows += int64(r.b.Table.NumRows())
		if bar != nil {
			el := clock().Sub(start).Seconds()
			bar.SetWork(float64(done), fmt.Sprintf("%s of %s rows (%s rows/s)", plotkit.Thousands(done), plotkit.Thousands(total), plotkit.Thousands(int64(float64(done)/max(el, 1e-9)))))
		}
	}
	cancel() // stops the feeder and the workers when the pass ended early
	wg.Wait()
	if err == nil {
		err = parent.Err()
	}
	if err != nil {
		return err
	}
	if p.Done != nil {
		if err := p.Done(states); err != nil {
			return err
		}
	}
	s.rows = rows
	if st != nil {
		s.sample, s.moments, s.missing = st.finish(samplers)
		s.statsAt, s.missingAt = len(s.ops), len(s.ops)
		s.exec.Sampled = s.sample.NumRows()
	}
	rec := PassRecord{Name: p.Name, Rows: rows, Bytes: s.file.ColumnBytes(stored), Seconds: roundSeconds(clock().Sub(start))}
	if env != nil {
		rec.Stage = env.Name
		env.Log.Info("pass done", "pass", p.Name, "rows", rows, "seconds", rec.Seconds, "bytes", rec.Bytes)
	}
	s.exec.Passes = append(s.exec.Passes, rec)
	return nil
}

// Sample returns the seeded uniform sample of execution.sample_rows rows
// (all of them when the table has fewer) at the current position, in table
// order, with every column: kept by the first pass that read every column
// since the last step was appended, or read now by a pass of its own.
func (s *Stream) Sample(ctx context.Context, env *Env) (*frame.Table, error) {
	if s.statsAt != len(s.ops) {
		if err := s.Run(ctx, env, Pass{Name: "sample"}); err != nil {
			return nil, err
		}
	}
	return s.sample, nil
}

// Moments returns the moments of the numeric columns at the current
// position (bool as 0/1; see Sample for when they are computed).
func (s *Stream) Moments(ctx context.Context, env *Env) (map[string]streamstat.Moments, error) {
	if s.statsAt != len(s.ops) {
		if err := s.Run(ctx, env, Pass{Name: "sample"}); err != nil {
			return nil, err
		}
	}
	return s.moments, nil
}

// Missing returns the missing cells of each column at the current
// position, when a pass that read every column has counted them (else
// nil).
func (s *Stream) Missing() map[string]int64 {
	if s.missingAt != len(s.ops) {
		return nil
	}
	return s.missing
}

// SetMissing records the missing cells of every column at the current
// position (the ingest stage counts them while reading the input).
func (s *Stream) SetMissing(m map[string]int64) {
	s.missing, s.missingAt = m, len(s.ops)
}

// Close removes the spill file.
func (s *Stream) Close() error {
	if s == nil {
		return nil
	}
	return s.file.Close()
}

// passStats keeps the sample, the moments and the missing counts in a
// pass that reads every column. Each worker keeps the rows with the
// smallest sample keys it saw (a sampler); their union's smallest are the
// sample, whatever the workers saw. Moments are merged in batch order.
type passStats struct {
	fields  []frame.Field
	m       int
	seed    uint64
	moments []streamstat.Moments
	missing []int64
}

type statsPart struct {
	moments []streamstat.Moments
	missing []int64
}

// sampler is one worker's share of the sample.
type sampler struct {
	res   *streamstat.Reservoir
	store sampleStore
}

func newPassStats(fields []frame.Field, m int, seed uint64) *passStats {
	return &passStats{fields: fields, m: m, seed: seed,
		moments: make([]streamstat.Moments, len(fields)), missing: make([]int64, len(fields))}
}

func (st *passStats) newSampler() *sampler {
	sm := &sampler{res: streamstat.NewReservoir(st.m)}
	sm.store.init(st.fields, st.m)
	return sm
}

// mapBatch runs on a worker: its sampler takes the batch's rows with small
// keys; the batch's moments and missing counts are returned.
func (st *passStats) mapBatch(b *Batch, sm *sampler) *statsPart {
	t := b.Table
	sp := &statsPart{moments: make([]streamstat.Moments, len(st.fields)), missing: make([]int64, len(st.fields))}
	cols := make([]*frame.Column, len(st.fields))
	for j, f := range st.fields {
		cols[j] = t.Col(f.Name)
	}
	for i := range t.NumRows() {
		k, row := streamstat.SampleKey(st.seed, b.Row(i)), b.Row(i)
		if sm.res.Full() {
			if wk, wr := sm.res.Worst(); k > wk || k == wk && row > wr {
				continue
			}
		}
		if slot, ok := sm.res.Offer(k, row); ok {
			sm.store.set(slot, cols, i)
		}
	}
	for j, c := range cols {
		if c == nil {
			continue
		}
		sp.missing[j] = int64(c.NumMissing())
		if c.Kind != frame.String {
			x, _ := c.Float64s()
			sp.moments[j].Add(x)
		}
	}
	return sp
}

// reduce runs in batch order.
func (st *passStats) reduce(sp *statsPart, _ *Batch) {
	for j := range st.fields {
		st.moments[j].Merge(sp.moments[j])
		st.missing[j] += sp.missing[j]
	}
}

// finish builds the sample (the m smallest keys over every worker's rows,
// in table order), the moments and the missing counts.
func (st *passStats) finish(samplers []*sampler) (*frame.Table, map[string]streamstat.Moments, map[string]int64) {
	type kept struct {
		key  uint64
		row  int64
		w    int
		slot int
	}
	var all []kept
	for w, sm := range samplers {
		rows, slots := sm.res.Rows()
		for x, row := range rows {
			all = append(all, kept{streamstat.SampleKey(st.seed, row), row, w, slots[x]})
		}
	}
	slices.SortFunc(all, func(a, b kept) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.row - b.row)
	})
	if len(all) > st.m {
		all = all[:st.m]
	}
	slices.SortFunc(all, func(a, b kept) int { return int(a.row - b.row) })
	stores := make([]*sampleStore, len(samplers))
	for w, sm := range samplers {
		stores[w] = &sm.store
	}
	picks := make([][2]int, len(all))
	for i, x := range all {
		picks[i] = [2]int{x.w, x.slot}
	}
	sample := tableOf(st.fields, stores, picks)
	mom := map[string]streamstat.Moments{}
	miss := map[string]int64{}
	for j, f := range st.fields {
		if f.Kind != frame.String {
			mom[f.Name] = st.moments[j]
		}
		miss[f.Name] = st.missing[j]
	}
	return sample, mom, miss
}

// sampleStore holds the sampled rows' values by slot.
type sampleStore struct {
	fields  []frame.Field
	floats  [][]float64
	ints    [][]int64
	bools   [][]bool
	strs    [][]string
	missing [][]bool
}

func (s *sampleStore) init(fields []frame.Field, m int) {
	s.fields = fields
	n := len(fields)
	s.floats, s.ints, s.bools, s.strs, s.missing = make([][]float64, n), make([][]int64, n), make([][]bool, n), make([][]string, n), make([][]bool, n)
	for j, f := range fields {
		s.missing[j] = make([]bool, 0, min(m, 1<<16))
		switch f.Kind {
		case frame.Float:
			s.floats[j] = make([]float64, 0, min(m, 1<<16))
		case frame.Int:
			s.ints[j] = make([]int64, 0, min(m, 1<<16))
		case frame.Bool:
			s.bools[j] = make([]bool, 0, min(m, 1<<16))
		default:
			s.strs[j] = make([]string, 0, min(m, 1<<16))
		}
	}
}

// set stores row i of the batch's columns cols (in field order; nil:
// missing) in slot (slots are filled in order 0, 1, … first).
func (s *sampleStore) set(slot int, cols []*frame.Column, i int) {
	for j, f := range s.fields {
		c := cols[j]
		miss := c == nil || c.IsMissing(i)
		grow := slot == len(s.missing[j])
		if grow {
			s.missing[j] = append(s.missing[j], miss)
		} else {
			s.missing[j][slot] = miss
		}
		switch f.Kind {
		case frame.Float:
			v := math.NaN()
			if !miss {
				v, _ = c.Value(i)
			}
			if grow {
				s.floats[j] = append(s.floats[j], v)
			} else {
				s.floats[j][slot] = v
			}
		case frame.Int:
			var v int64
			if !miss && c.Kind == frame.Int {
				v = c.Int(i)
			}
			if grow {
				s.ints[j] = append(s.ints[j], v)
			} else {
				s.ints[j][slot] = v
			}
		case frame.Bool:
			v := !miss && c.Bools[i]
			if grow {
				s.bools[j] = append(s.bools[j], v)
			} else {
				s.bools[j][slot] = v
			}
		default:
			v := ""
			if !miss {
				v = c.Str(i)
			}
			if grow {
				s.strs[j] = append(s.strs[j], v)
			} else {
				s.strs[j][slot] = v
			}
		}
	}
}

// tableOf builds the rows picks names — (store, slot) pairs — in order.
func tableOf(fields []frame.Field, stores []*sampleStore, picks [][2]int) *frame.Table {
	cols := make([]*frame.Column, len(fields))
	miss := make([]bool, len(picks))
	for j, f := range fields {
		for x, p := range picks {
			miss[x] = stores[p[0]].missing[j][p[1]]
		}
		switch f.Kind {
		case frame.Float:
			v := make([]float64, len(picks))
			for x, p := range picks {
				v[x] = stores[p[0]].floats[j][p[1]]
			}
			cols[j] = frame.NewFloat(f.Name, v, miss)
		case frame.Int:
			v := make([]int64, len(picks))
			for x, p := range picks {
				v[x] = stores[p[0]].ints[j][p[1]]
			}
			cols[j] = frame.NewInt(f.Name, v, miss)
		case frame.Bool:
			v := make([]bool, len(picks))
			for x, p := range picks {
				v[x] = stores[p[0]].bools[j][p[1]]
			}
			cols[j] = frame.NewBool(f.Name, v, miss)
		default:
			v := make([]string, len(picks))
			for x, p := range picks {
				v[x] = stores[p[0]].strs[j][p[1]]
			}
			cols[j] = frame.NewString(f.Name, v, miss)
		}
	}
	t, err := frame.New(cols...)
	if err != nil || len(cols) == 0 {
		t, _ = frame.New()
		return t.Take(make([]int, len(picks)))
	}
	return t
}
