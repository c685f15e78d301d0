package parquetio

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/churnlab/segment/internal/frame"
)

// resolve checks the requested columns (all of them when columns is empty)
// and returns their fields in the requested order.
func (d *Dataset) resolve(columns []string) ([]Field, error) {
	names := columns
	if len(names) == 0 {
		names = make([]string, len(d.fields))
		for i, f := range d.fields {
			names[i] = f.Name
		}
	}
	known := make([]string, len(d.fields))
	byName := make(map[string]Field, len(d.fields))
	for i, f := range d.fields {
		known[i] = f.Name
		byName[f.Name] = f
	}
	out := make([]Field, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		f, ok := byName[n]
		if !ok {
			ue := &frame.UnknownColumnError{Name: n, Known: known}
			return nil, &Error{File: d.path, Msg: ue.Error(), Err: ue}
		}
		if seen[n] {
			return nil, &Error{File: d.path, Column: n, Msg: "the column is requested twice"}
		}
		seen[n] = true
		if f.Unsupported != "" {
			file := d.files[0].path
			return nil, &Error{File: file, Column: n, Msg: fmt.Sprintf("cannot read a column of Parquet type %s: %s; leave it out of the columns to read", f.Type, f.Unsupported)}
		}
		out = append(out, f)
	}
	return out, nil
}

// Check reports, without reading any row, the error Read and Scan would give
// for these columns: an unknown column (with a suggestion), one requested
// twice, or one of an unsupported type. Empty means every column.
func (d *Dataset) Check(columns []string) error {
	_, err := d.resolve(columns)
	return err
}

// Read reads the requested columns (every column when columns is empty) into
// a table, in the requested order. Only the pages of those columns are read.
// Column chunks are decoded in parallel, row group by row group; the result
// does not depend on the number of goroutines. Requesting an unknown or
// unsupported column is an error naming it. Cancelling ctx stops the read and
// returns ctx.Err().
func (d *Dataset) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	sel, err := d.resolve(columns)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := int(d.rows)
	bufs := make([]*colBuf, len(sel))
	for j, f := range sel {
		bufs[j] = newColBuf(f.Kind, n)
	}
	type unit struct {
		fi, rg, j int
		w         *colBuf
	}
	var units []unit
	parts := make([][]*colBuf, len(sel)) // windows of each column, in row order
	left := make([]atomic.Int64, len(d.files))
	for fi, f := range d.files {
		lo := int(f.rowStart)
		for j, fl := range sel {
			if fl.Partition {
				w := bufs[j].window(lo, lo+int(f.rows))
				d.key(fl.Name).fill(w, fi, 0, int(f.rows))
				parts[j] = append(parts[j], w)
			}
		}
		row := lo
		for rg, rows := range f.rgRows {
			for j, fl := range sel {
				if fl.Partition {
					continue
				}
				w := bufs[j].window(row, row+int(rows))
				parts[j] = append(parts[j], w)
				units = append(units, unit{fi: fi, rg: rg, j: j, w: w})
				left[fi].Add(1)
			}
			row += int(rows)
		}
	}

	handles := make([]*lazyFile, len(d.files))
	for i, f := range d.files {
		handles[i] = &lazyFile{f: f}
	}
	errs := make([]error, len(units))
	var next atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range min(d.workers(), max(1, len(units))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(units) || stop.Load() {
					return
				}
				u := units[i]
				if err := ctx.Err(); err != nil {
					errs[i] = err
					stop.Store(true)
					return
				}
				f := d.files[u.fi]
				errs[i] = d.readUnit(handles[u.fi], f, sel[u.j].Name, u.rg, u.w)
				if left[u.fi].Add(-1) == 0 {
					handles[u.fi].close()
				}
				if errs[i] != nil {
					stop.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, h := range handles {
		h.close()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// Merge the windows' dictionaries and masks, one column per goroutine.
	cols := make([]*frame.Column, len(sel))
	var mg sync.WaitGroup
	sem := make(chan struct{}, d.workers())
	for j, f := range sel {
		mg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; mg.Done() }()
			b := bufs[j]
			b.gatherMissing(parts[j])
			if b.kind == frame.String {
				b.dict = mergeDicts(parts[j])
			}
			cols[j] = b.column(f.Name)
		}()
	}
	mg.Wait()
	t, err := frame.New(cols...)
	if err != nil {
		return nil, &Error{File: d.path, Msg: err.Error(), Err: err}
	}
	return t, nil
}

// readUnit decodes one column chunk into w.
func (d *Dataset) readUnit(h *lazyFile, f *pfile, name string, rg int, w *colBuf) error {
	r, err := h.get()
	if err != nil {
		return err
	}
	cur := &cursor{f: f, col: f.cols[name]}
	defer cur.closeChunk()
	err = guard(f.path, name, func() error {
		if err := cur.startChunk(r, rg); err != nil {
			return err
		}
		if err := cur.take(w, 0, int(f.rgRows[rg])); err != nil {
			return err
		}
		return cur.finishChunk()
	})
	w.forget() // the dictionary is all merge needs
	return err
}

func (d *Dataset) key(name string) *partKey {
	for _, k := range d.keys {
		if k.name == name {
			return k
		}
	}
	panic("parquetio: no partition key " + name)
}

// lazyFile opens a file on first use and closes it once.
type lazyFile struct {
	f    *pfile
	once sync.Once
	h    source
	err  error
	mu   sync.Mutex
	done bool
}

func (l *lazyFile) get() (source, error) {
	l.once.Do(func() { l.h, l.err = l.f.openForRead() })
	return l.h, l.err
}

func (l *lazyFile) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.done = true
	l.once.Do(func() {}) // a file never opened stays closed
	if l.h != nil {
		l.h.Close()
	}
}
