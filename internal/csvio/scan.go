package csvio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/churnlab/segment/internal/frame"
)

// Scan reads the rows in batches of batchRows rows (the last one shorter),
// calling fn with each batch in file order, with memory bounded by the
// batch size and the read-ahead, not by the file. Every batch has the same
// columns (Options.Columns, or all) with the same kinds; a string column's
// dictionary is the batch's own. fn owns the batch and may keep it; an
// error from fn stops the scan and is returned. The Result has the facts
// of ReadAll (rows, bytes, SHA-256 of the raw bytes, warnings, near-numeric
// columns) and no Table.
//
// The kinds come from Options.Types and TextColumns when they fix every
// column read, and the input is then read once. Otherwise Scan first runs
// Infer: a regular file is read a second time for the rows (and must not
// change in between: its SHA-256 is compared), and a stream (standard
// input, a pipe) is copied to an unlinked temporary file in
// Options.TempDir while it is inferred, and the rows come from that copy,
// which takes disk space of the input's raw (still compressed) size.
// ScanReset reads a regular file once even then.
//
// A batch handed to fn was read without errors, but an error further on
// (a ragged row, a truncated gzip stream) still fails the scan: callers
// must treat the batches as provisional until Scan returns nil.
func (r *Reader) Scan(ctx context.Context, batchRows int, fn func(batch *frame.Table) error) (*Result, error) {
	return r.scan(ctx, batchRows, nil, fn)
}

// ScanReset is Scan that reads a regular file once when the kinds are not
// all fixed: each column's kind comes from the rows as they are read, and
// the batches hold the kinds that Infer would give. When a later row
// needs a kind the batches already handed out cannot hold (a number column
// turns textual, say), ScanReset calls reset, which must discard every
// batch fn received so far, and starts over as Scan does: Infer, then a
// second read, handing out all the batches again from the first. An error
// from reset stops the scan. A stream, or kinds fixed by Options, read as
// in Scan and never call reset. The batches and the Result are those of
// Scan.
func (r *Reader) ScanReset(ctx context.Context, batchRows int, reset func() error, fn func(batch *frame.Table) error) (*Result, error) {
	if reset == nil {
		return nil, fmt.Errorf("csv: ScanReset without a reset function")
	}
	return r.scan(ctx, batchRows, reset, fn)
}

func (r *Reader) scan(ctx context.Context, batchRows int, reset func() error, fn func(batch *frame.Table) error) (*Result, error) {
	if batchRows <= 0 {
		return nil, fmt.Errorf("csv: batch of %d rows", batchRows)
	}
	if r.used && r.facts == nil || r.in == nil {
		return nil, errUsed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := newPlan(r.path, r.hdr, r.cfg)
	if err != nil {
		return nil, err
	}
	if r.facts == nil && !allFixed(p) {
		if reset == nil || !r.in.regular {
			if _, err := r.Infer(ctx); err != nil {
				return nil, err
			}
		} else {
			r.used = true
			// read once, in a streamed run: the file's pages are not
			// kept (see input.dropBehind)
			r.in.dropBehind = r.in.size >= dropBehindMin
			res, err := r.scanOnce(ctx, p, batchRows, fn)
			if err != errRestart {
				return res, err
			}
			if err := reset(); err != nil {
				return nil, err
			}
			if err := r.restart(); err != nil {
				return nil, err
			}
			if p, err = newPlan(r.path, r.hdr, r.cfg); err != nil {
				return nil, err
			}
			if _, err := r.infer(ctx, p); err != nil {
				return nil, err
			}
		}
	}
	r.used = true
	if r.facts != nil { // a second read, from the start
		if err := r.restart(); err != nil {
			return nil, err
		}
		for k := range p.fixed {
			p.fixed[k] = r.facts[k].kind
			if p.fixed[k] == kNone {
				p.fixed[k] = kFloat // all missing
			}
		}
	}
	facts := r.beginRead(ctx, p)
	b := newBatch(p, facts, batchRows)
	rows, blank, err := r.readBatches(ctx, p, facts, b, fn, nil)
	if err != nil {
		return nil, err
	}
	n, sum := r.st.src.done()
	if r.facts != nil {
		if r.sha != sum || r.rows != rows {
			return nil, &Error{File: r.path, Msg: "the file changed while it was being read"}
		}
		facts = r.facts
	}
	return r.result(rows, blank, facts, n, sum), nil
}

// readBatches parses the input into batches handed to fn, adding every
// chunk's column facts to facts; kindOf, when set, sees each chunk's
// column k after its facts are added (scanOnce learns the kinds there).
// It returns the data and blank rows read.
func (r *Reader) readBatches(ctx context.Context, p *plan, facts []colFacts, b *batch, fn func(*frame.Table) error,
	kindOf func(k int, cb *colBuf, c *chunkResult) error) (rows, blank int, err error) {
	err = run(ctx, r.st.text, r.hdr, p, r.cfg, r.st.src.shared.Load, func(c *chunkResult) error {
		for k := range facts {
			cb := &c.cols[k]
			facts[k].addFacts(cb, c.rows, rows, c.lines)
			if kindOf != nil {
				if err := kindOf(k, cb, c); err != nil {
					return err
				}
			}
		}
		rows += c.rows
		blank += c.blank
		return b.add(c, fn)
	})
	if err == nil {
		err = b.flush(fn)
	}
	if err == nil && rows == 0 {
		err = &Error{File: r.path, Msg: "has a header but no data rows"}
	}
	return rows, blank, err
}

// errRestart stops a single-pass scan whose batches cannot hold the kinds
// of the rows read since.
var errRestart = errors.New("csv: the column kinds changed; start over")

// scanOnce reads a regular file once, taking each column's kind from the
// rows as they come: the batches hold the kinds Infer would give, or it
// returns errRestart as soon as they cannot (or at the end, when the
// kinds learnt differ from those handed out).
func (r *Reader) scanOnce(ctx context.Context, p *plan, batchRows int, fn func(batch *frame.Table) error) (*Result, error) {
	facts := r.beginRead(ctx, p)
	b := newBatch(p, facts, batchRows)
	rows, blank, err := r.readBatches(ctx, p, facts, b, fn, func(k int, cb *colBuf, c *chunkResult) error {
		facts[k].kind = join(facts[k].kind, cb.kind)
		if !b.out {
			if err := b.widen(k, join(b.kinds[k], cb.kind)); err != nil {
				return err
			}
		}
		if !conform(cb, b.kinds[k], c.rows) {
			return errRestart
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := finishFacts(r.path, facts); err != nil {
		return nil, err
	}
	for k := range facts {
		if k, bk := facts[k].kind, b.kinds[k]; k != bk && !(k == kNone && bk == kFloat) {
			return nil, errRestart
		}
	}
	n, sum := r.st.src.done()
	return r.result(rows, blank, facts, n, sum), nil
}

// conform turns a chunk's column into kind k without its text, when it
// can: all missing, ints as floats, or anything as text.
func conform(cb *colBuf, k kind, rows int) bool {
	switch {
	case cb.kind == k:
	case cb.kind == kNone:
		cb.start(k, int32(rows))
	case cb.kind == kInt && k == kFloat:
		cb.intsToFloats()
	case k == kString:
		cb.toStrings(rows)
	default:
		return false
	}
	return true
}

// finishFacts settles the kinds Infer learnt and reports a number beyond
// the float64 range in a column that is numeric in the end.
func finishFacts(path string, facts []colFacts) error {
	for k := range facts {
		if facts[k].kind != kFloat {
			facts[k].ovfRow = -1 // text, not a number
		}
	}
	cols := make([]*outCol, len(facts))
	for k := range facts {
		cols[k] = &outCol{colFacts: facts[k]}
	}
	return overflow(path, cols)
}

func allFixed(p *plan) bool {
	for _, k := range p.fixed {
		if k == kNone {
			return false
		}
	}
	return true
}

// Infer reads the rows once to find every column's kind, without keeping
// them, and returns the schema that ReadAll would give (kinds and missing
// counts). A stream is copied to a temporary file on the way (see Scan).
// After Infer only Scan may be called.
func (r *Reader) Infer(ctx context.Context) ([]frame.Field, error) {
	if r.used || r.in == nil {
		return nil, errUsed
	}
	r.used = true
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := newPlan(r.path, r.hdr, r.cfg)
	if err != nil {
		return nil, err
	}
	if !r.in.regular {
		if err := r.startSpool(); err != nil {
			return nil, err
		}
	}
	return r.infer(ctx, p)
}

// infer is Infer's read of the rows.
func (r *Reader) infer(ctx context.Context, p *plan) ([]frame.Field, error) {
	facts := r.beginRead(ctx, p)
	rows, blank := 0, 0
	err := run(ctx, r.st.text, r.hdr, p, r.cfg, r.st.src.shared.Load, func(c *chunkResult) error {
		for k := range facts {
			cb := &c.cols[k]
			facts[k].addFacts(cb, c.rows, rows, c.lines)
			facts[k].kind = join(facts[k].kind, cb.kind)
		}
		rows += c.rows
		blank += c.blank
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rows == 0 {
		return nil, &Error{File: r.path, Msg: "has a header but no data rows"}
	}
	if err := finishFacts(r.path, facts); err != nil {
		return nil, err
	}
	if r.spool != nil {
		if err := r.spool.Sync(); err != nil {
			return nil, readError(r.path, err)
		}
	}
	_, sum := r.st.src.done()
	r.facts, r.rows, r.sha = facts, rows, sum
	out := make([]frame.Field, len(facts))
	for k, f := range facts {
		fk := frame.Float
		switch f.kind {
		case kBool:
			fk = frame.Bool
		case kInt:
			fk = frame.Int
		case kString:
			fk = frame.String
		}
		out[k] = frame.Field{Name: f.name, Kind: fk, Type: fk.String(), Missing: f.nmiss}
	}
	return out, nil
}

// startSpool copies the stream's raw bytes, those read so far and the rest
// as they are read, to an unlinked temporary file.
func (r *Reader) startSpool() error {
	f, err := os.CreateTemp(r.cfg.tempDir, "segment-spool-*")
	if err != nil {
		return fmt.Errorf("%s: cannot spool the input to read it twice: %w", r.path, err)
	}
	os.Remove(f.Name()) // the open file stays readable; nothing is left behind
	if err := r.st.src.spool(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot spool the input to read it twice: %w", r.path, err)
	}
	r.spool = f
	return nil
}

// restart reads the input again from its start: the file itself, or the
// spool of a stream.
func (r *Reader) restart() error {
	r.st.close()
	if r.spool != nil {
		if _, err := r.spool.Seek(0, 0); err != nil {
			return readError(r.path, err)
		}
		st, err := r.spool.Stat()
		if err != nil {
			return readError(r.path, err)
		}
		old := r.in
		r.in = &input{name: r.path, f: r.spool, r: r.spool, regular: true, size: st.Size()}
		old.Close()
		r.spool = nil
	} else if err := r.in.rewind(); err != nil {
		return readError(r.path, err)
	}
	names := r.hdr.names
	if err := r.start(false); err != nil {
		return err
	}
	if len(names) != len(r.hdr.names) {
		return &Error{File: r.path, Msg: "the file changed while it was being read"}
	}
	for i := range names {
		if names[i] != r.hdr.names[i] {
			return &Error{File: r.path, Msg: "the file changed while it was being read"}
		}
	}
	return nil
}

// batch builds the tables that Scan hands out.
type batch struct {
	p     *plan
	facts []colFacts
	size  int
	rows  int
	kinds []kind // of the columns; kNone while a column is all missing
	out   bool   // a batch was handed out: the kinds are settled
	cols  []batchCol
	miss  []bool // scratch: the missing rows of a chunk column
}

type batchCol struct {
	kind    kind
	ints    []int64
	floats  []float64
	bools   []bool
	codes   []int32
	dict    []string
	index   map[string]int32
	missing []bool
	negZero []int // rows of an int column written as -0
	any     bool  // a cell is missing
}

func newBatch(p *plan, facts []colFacts, size int) *batch {
	b := &batch{p: p, facts: facts, size: size, kinds: slices.Clone(p.fixed)}
	b.reset()
	return b
}

func (b *batch) reset() {
	b.rows = 0
	b.cols = make([]batchCol, len(b.kinds))
	for k, fk := range b.kinds {
		c := &b.cols[k]
		c.missing = make([]bool, 0, b.size)
		c.alloc(fk, b.size)
	}
}

// alloc gives the column the kind k, with room for size values.
func (c *batchCol) alloc(k kind, size int) {
	c.kind = k
	switch k {
	case kBool:
		c.bools = make([]bool, 0, size)
	case kInt:
		c.ints = make([]int64, 0, size)
	case kFloat:
		c.floats = make([]float64, 0, size)
	case kString:
		c.codes = make([]int32, 0, size)
		c.index = map[string]int32{}
	}
}

// widen changes column k of the batch being filled to kind nk, before any
// batch was handed out: a column all missing so far takes any kind, ints
// become floats; any other change is errRestart.
func (b *batch) widen(k int, nk kind) error {
	bc := &b.cols[k]
	switch {
	case nk == b.kinds[k]:
		return nil
	case b.kinds[k] == kNone:
		bc.alloc(nk, b.size)
		for range b.rows {
			switch nk {
			case kBool:
				bc.bools = append(bc.bools, false)
			case kInt:
				bc.ints = append(bc.ints, 0)
			case kFloat:
				bc.floats = append(bc.floats, math.NaN())
			case kString:
				bc.codes = append(bc.codes, -1)
			}
		}
	case b.kinds[k] == kInt && nk == kFloat:
		ints := bc.ints
		bc.alloc(kFloat, b.size)
		for i, v := range ints {
			f := float64(v)
			if bc.missing[i] {
				f = math.NaN()
			}
			bc.floats = append(bc.floats, f)
		}
		for _, r := range bc.negZero {
			bc.floats[r] = math.Copysign(0, -1)
		}
		bc.ints, bc.negZero = nil, nil
	default:
		return errRestart
	}
	b.kinds[k] = nk
	return nil
}

// add appends a chunk, handing out every batch that fills up.
func (b *batch) add(c *chunkResult, fn func(*frame.Table) error) error {
	for from := 0; from < c.rows; {
		to := min(c.rows, from+b.size-b.rows)
		for k := range b.cols {
			if cb := &c.cols[k]; cb.kind == kNone && b.cols[k].kind != kNone {
				cb.start(b.cols[k].kind, int32(c.rows)) // all missing, settled by a flush part way
			}
			b.cols[k].append(&c.cols[k], from, to, b)
		}
		b.rows += to - from
		from = to
		if b.rows == b.size {
			if err := b.flush(fn); err != nil {
				return err
			}
		}
	}
	return nil
}

func (bc *batchCol) append(cb *colBuf, from, to int, b *batch) {
	if cap(b.miss) < to {
		b.miss = make([]bool, to)
	}
	miss := b.miss[:to]
	clear(miss[from:to])
	for _, r := range cb.miss {
		if int(r) >= from && int(r) < to {
			miss[r] = true
			bc.any = true
		}
	}
	bc.missing = append(bc.missing, miss[from:to]...)
	switch bc.kind {
	case kBool:
		bc.bools = append(bc.bools, cb.bools[from:to]...)
	case kInt:
		for _, r := range cb.negZero {
			if int(r) >= from && int(r) < to {
				bc.negZero = append(bc.negZero, len(bc.ints)+int(r)-from)
			}
		}
		bc.ints = append(bc.ints, cb.ints[from:to]...)
	case kFloat:
		bc.floats = append(bc.floats, cb.floats[from:to]...) // NaN where missing
	case kString:
		for _, code := range cb.codes[from:to] {
			if code >= 0 {
				w := cb.dict.words[code]
				nc, ok := bc.index[w]
				if !ok {
					nc = int32(len(bc.dict))
					bc.index[w] = nc
					bc.dict = append(bc.dict, w)
				}
				code = nc
			}
			bc.codes = append(bc.codes, code)
		}
	}
}

// flush hands out the rows gathered so far, if any.
func (b *batch) flush(fn func(*frame.Table) error) error {
	if b.rows == 0 {
		return nil
	}
	for k := range b.kinds {
		if b.kinds[k] == kNone {
			if err := b.widen(k, kFloat); err != nil { // all missing so far
				return err
			}
		}
	}
	b.out = true
	cols := make([]*frame.Column, len(b.cols))
	for k := range b.cols {
		bc := &b.cols[k]
		c := &frame.Column{Name: b.facts[k].name}
		switch bc.kind {
		case kBool:
			c.Kind, c.Bools = frame.Bool, bc.bools
		case kInt:
			c = frame.NewIntOwned(c.Name, bc.ints, nil)
		case kFloat:
			c.Kind, c.Floats = frame.Float, bc.floats
		default:
			c = frame.NewStringCodesOwned(c.Name, bc.codes, bc.dict, nil)
		}
		if bc.any {
			c.Missing = bc.missing
		}
		cols[k] = c
	}
	t, err := frame.New(cols...)
	if err != nil {
		return err
	}
	b.reset()
	return fn(t)
}

// beginRead starts one read of the input (watching ctx, reporting
// progress, counting the read) and returns fresh facts of the projected
// columns, with the kinds the plan fixes.
func (r *Reader) beginRead(ctx context.Context, p *plan) []colFacts {
	r.in.watch(ctx)
	r.st.src.read(r.cfg.progress)
	r.reads++
	facts := make([]colFacts, len(p.proj))
	for k, j := range p.proj {
		facts[k] = newFacts(p.names[j], p.fixed[k])
		facts[k].kind = p.fixed[k]
	}
	return facts
}
