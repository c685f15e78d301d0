package parquetio

import (
	"context"
	"sync"

	"github.com/churnlab/segment/internal/frame"
)

// DefaultBatchRows is the batch size Scan uses when given batchRows ≤ 0.
const DefaultBatchRows = 64 << 10

// Scan reads the requested columns (every column when columns is empty) in
// batches of batchRows rows (the last batch may be shorter) and calls fn with
// each, in row order. Every batch has the same columns with the same kinds,
// those Schema reports; each string column carries its own dictionary
// (codes are not comparable between batches). Batches cross row-group and
// file boundaries. Memory stays bounded by one batch plus one page per
// column, whatever the size of the dataset. fn may keep the table. An error
// from fn stops the scan and is returned as is; fn is not called for a
// dataset without rows.
func (d *Dataset) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	sel, err := d.resolve(columns)
	if err != nil {
		return err
	}
	if batchRows <= 0 {
		batchRows = DefaultBatchRows
	}
	s := &scanner{d: d, sel: sel, ctx: ctx, fn: fn, batchRows: batchRows, remaining: d.rows}
	s.newBatch()
	for fi, f := range d.files {
		if err := s.file(fi, f); err != nil {
			return err
		}
	}
	return nil
}

type scanner struct {
	d         *Dataset
	sel       []Field
	ctx       context.Context
	fn        func(*frame.Table) error
	batchRows int
	remaining int64 // rows not yet put into a batch

	bufs   []*colBuf
	size   int // rows of the current batch
	filled int
}

func (s *scanner) newBatch() {
	s.size = int(min(int64(s.batchRows), s.remaining))
	s.filled = 0
	s.bufs = make([]*colBuf, len(s.sel))
	for j, f := range s.sel {
		s.bufs[j] = newColBuf(f.Kind, s.size)
	}
}

func (s *scanner) emit() error {
	cols := make([]*frame.Column, len(s.sel))
	for j, f := range s.sel {
		cols[j] = s.bufs[j].column(f.Name)
	}
	t, err := frame.New(cols...)
	if err != nil {
		return &Error{File: s.d.path, Msg: err.Error(), Err: err}
	}
	s.remaining -= int64(s.size)
	if err := s.fn(t); err != nil {
		return err
	}
	if s.remaining > 0 {
		s.newBatch()
	}
	return nil
}

// file streams the rows of one file into batches.
func (s *scanner) file(fi int, f *pfile) error {
	if f.rows == 0 {
		return nil
	}
	lf := &lazyFile{f: f}
	defer lf.close()
	h, err := lf.get()
	if err != nil {
		return err
	}
	curs := make([]*cursor, len(s.sel))
	for j, fl := range s.sel {
		if !fl.Partition {
			curs[j] = &cursor{f: f, col: f.cols[fl.Name]}
		}
	}
	defer func() {
		for _, c := range curs {
			if c != nil {
				c.closeChunk()
			}
		}
	}()
	workers := s.d.workers()
	errs := make([]error, len(s.sel))
	for rg, rows := range f.rgRows {
		if rows == 0 {
			continue
		}
		for j, c := range curs {
			if c == nil {
				continue
			}
			err := guard(f.path, s.sel[j].Name, func() error { return c.startChunk(h, rg) })
			if err != nil {
				return err
			}
		}
		left := int(rows)
		for left > 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
			k := min(left, s.size-s.filled)
			// Decode the k rows of every column, in parallel.
			var wg sync.WaitGroup
			sem := make(chan struct{}, workers)
			for j := range s.sel {
				errs[j] = nil
				if curs[j] == nil {
					s.d.key(s.sel[j].Name).fill(s.bufs[j], fi, s.filled, s.filled+k)
					continue
				}
				wg.Add(1)
				sem <- struct{}{}
				go func(j int) {
					defer func() { <-sem; wg.Done() }()
					c, b, off := curs[j], s.bufs[j], s.filled
					errs[j] = guard(f.path, s.sel[j].Name, func() error { return c.take(b, off, k) })
				}(j)
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			s.filled += k
			left -= k
			if s.filled == s.size {
				if err := s.emit(); err != nil {
					return err
				}
			}
		}
		for j, c := range curs {
			if c == nil {
				continue
			}
			if err := guard(f.path, s.sel[j].Name, c.finishChunk); err != nil {
				return err
			}
		}
	}
	return nil
}
