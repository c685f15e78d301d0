package spill

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/churnlab/segment/internal/frame"
)

// File is a spill file: batches of a table with fixed columns, appended in
// order and read back by batch index.
type File struct {
	f     *os.File
	w     *bufio.Writer
	names []string
	kinds []frame.Kind
	index map[string]int

	mu      sync.Mutex // guards the writer and the batch list while appending
	batches []batch
	off     int64 // bytes written
	rows    int64
	done    bool
	enc     encoder
}

// batch is one appended batch: its rows and where each column lies.
type batch struct {
	rows  int
	first int64 // the batch's first row in the file
	cols  []extent
}

// extent is one column of one batch: its bytes in the file and how they
// are encoded.
type extent struct {
	off, n  int64
	enc     encoding
	width   uint8 // bytes per value (ints, scaled floats, codes)
	scale   uint8 // decimal places (scaled floats)
	missing bool  // a bitmap of missing rows comes first
	base    int64 // the batch minimum (ints, scaled floats)
	dict    int   // dictionary entries (strings)
	dictLen int64 // dictionary bytes (strings)
}

// Create makes an empty spill file for a table with the given columns in
// dir ("" means os.TempDir()). The file is unlinked at once.
func Create(dir string, schema []frame.Field) (*File, error) {
	f, err := os.CreateTemp(dir, "segment-spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	os.Remove(f.Name()) // the open file stays usable; nothing is left behind
	s := &File{f: f, w: bufio.NewWriterSize(f, 1<<20), index: map[string]int{}}
	for i, fd := range schema {
		if _, dup := s.index[fd.Name]; dup {
			f.Close()
			return nil, fmt.Errorf("spill: duplicate column %q", fd.Name)
		}
		s.index[fd.Name] = i
		s.names = append(s.names, fd.Name)
		s.kinds = append(s.kinds, fd.Kind)
	}
	return s, nil
}

// Names returns the column names, in order.
func (s *File) Names() []string { return slices.Clone(s.names) }

// Schema returns the columns with their kinds (missing counts are not
// kept: 0).
func (s *File) Schema() []frame.Field {
	out := make([]frame.Field, len(s.names))
	for i, n := range s.names {
		out[i] = frame.Field{Name: n, Kind: s.kinds[i], Type: s.kinds[i].String()}
	}
	return out
}

// Append writes a batch. Its columns must be the file's, by name and
// kind, in any order.
func (s *File) Append(t *frame.Table) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return fmt.Errorf("spill: append after the file was finished")
	}
	if t.NumCols() != len(s.names) {
		return fmt.Errorf("spill: batch has %d columns, the file %d", t.NumCols(), len(s.names))
	}
	b := batch{rows: t.NumRows(), first: s.rows, cols: make([]extent, len(s.names))}
	for j, name := range s.names {
		c := t.Col(name)
		if c == nil {
			return fmt.Errorf("spill: batch lacks column %q", name)
		}
		if c.Kind != s.kinds[j] {
			return fmt.Errorf("spill: column %q is %s in this batch, %s in the file", name, c.Kind, s.kinds[j])
		}
		data, ext := s.enc.column(c)
		ext.off = s.off
		ext.n = int64(len(data))
		if _, err := s.w.Write(data); err != nil {
			return fmt.Errorf("spill: %w", err)
		}
		s.off += ext.n
		b.cols[j] = ext
	}
	s.batches = append(s.batches, b)
	s.rows += int64(b.rows)
	return nil
}

// Finish flushes what was appended; the file is then read-only.
func (s *File) Finish() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	s.done = true
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	s.w = nil
	return nil
}

// Batches returns the number of batches.
func (s *File) Batches() int { return len(s.batches) }

// Rows returns the number of rows appended.
func (s *File) Rows() int64 { return s.rows }

// BatchRows returns the rows of batch i and the index of its first row.
func (s *File) BatchRows(i int) (rows int, first int64) { return s.batches[i].rows, s.batches[i].first }

// Bytes returns the size of the file.
func (s *File) Bytes() int64 { return s.off }

// ColumnBytes returns the bytes that reading the named columns of every
// batch takes (all columns when names is nil).
func (s *File) ColumnBytes(names []string) int64 {
	idx := s.columnIndexes(names)
	var n int64
	for _, b := range s.batches {
		for _, j := range idx {
			n += b.cols[j].n
		}
	}
	return n
}

func (s *File) columnIndexes(names []string) []int {
	if names == nil {
		idx := make([]int, len(s.names))
		for j := range idx {
			idx[j] = j
		}
		return idx
	}
	idx := make([]int, 0, len(names))
	for _, n := range names {
		if j, ok := s.index[n]; ok {
			idx = append(idx, j)
		}
	}
	return idx
}

// Read decodes batch i with the named columns, in file order (names not
// in the file are ignored; nil names reads every column, an empty list
// none: a table of the batch's rows without columns). It may be called
// concurrently once the file is finished.
func (s *File) Read(i int, names []string) (*frame.Table, error) {
	if !s.done {
		return nil, fmt.Errorf("spill: read before the file was finished")
	}
	if i < 0 || i >= len(s.batches) {
		return nil, fmt.Errorf("spill: batch %d of %d", i, len(s.batches))
	}
	b := &s.batches[i]
	idx := s.columnIndexes(names)
	slices.Sort(idx)
	cols := make([]*frame.Column, 0, len(idx))
	var buf []byte
	for _, j := range idx {
		ext := b.cols[j]
		if int64(cap(buf)) < ext.n {
			buf = make([]byte, ext.n)
		}
		data := buf[:ext.n]
		if _, err := s.f.ReadAt(data, ext.off); err != nil {
			return nil, fmt.Errorf("spill: read batch %d column %q: %w", i, s.names[j], err)
		}
		c, err := decodeColumn(s.names[j], s.kinds[j], ext, b.rows, data)
		if err != nil {
			return nil, fmt.Errorf("spill: batch %d column %q: %w", i, s.names[j], err)
		}
		cols = append(cols, c)
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		t = emptyTable(b.rows)
	}
	return t, nil
}

// Close removes the file.
func (s *File) Close() error {
	if s == nil || s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
