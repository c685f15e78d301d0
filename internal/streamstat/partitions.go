package streamstat

import (
	"fmt"
	"os"
)

// Partitions is a temporary file of records split into a fixed number of
// partitions by the caller (usually by a hash of the record's key), so
// that each partition can later be read back and processed in memory on
// its own: the external half of exact distinct counts and of dedupe over
// more rows than fit in memory. Records are appended to a per-partition
// buffer written out as a chunk when full. The file is unlinked at once.
type Partitions struct {
	f      *os.File
	bufs   [][]byte
	chunks [][][2]int64 // per partition: offset and length of each chunk
	off    int64
	size   int
	bytes  int64
}

// NewPartitions creates a partitioned temporary file in dir ("" =
// os.TempDir()) with p partitions and chunks of chunk bytes.
func NewPartitions(dir string, p, chunk int) (*Partitions, error) {
	f, err := os.CreateTemp(dir, "segment-parts-*")
	if err != nil {
		return nil, fmt.Errorf("temporary partitions: %w", err)
	}
	os.Remove(f.Name())
	return &Partitions{f: f, bufs: make([][]byte, p), chunks: make([][][2]int64, p), size: chunk}, nil
}

// Len is the number of partitions.
func (p *Partitions) Len() int { return len(p.bufs) }

// Bytes is the number of record bytes added.
func (p *Partitions) Bytes() int64 { return p.bytes }

// Add appends a record to partition i.
func (p *Partitions) Add(i int, rec []byte) error {
	if p.bufs[i] == nil {
		p.bufs[i] = make([]byte, 0, p.size)
	}
	if len(p.bufs[i])+len(rec) > p.size && len(p.bufs[i]) > 0 {
		if err := p.flush(i); err != nil {
			return err
		}
	}
	p.bufs[i] = append(p.bufs[i], rec...)
	p.bytes += int64(len(rec))
	return nil
}

func (p *Partitions) flush(i int) error {
	b := p.bufs[i]
	if len(b) == 0 {
		return nil
	}
	if _, err := p.f.WriteAt(b, p.off); err != nil {
		return fmt.Errorf("temporary partitions: %w", err)
	}
	p.chunks[i] = append(p.chunks[i], [2]int64{p.off, int64(len(b))})
	p.off += int64(len(b))
	p.bufs[i] = b[:0]
	return nil
}

// Read returns the records of partition i, in the order added.
func (p *Partitions) Read(i int) ([]byte, error) {
	var n int64
	for _, c := range p.chunks[i] {
		n += c[1]
	}
	out := make([]byte, 0, n+int64(len(p.bufs[i])))
	for _, c := range p.chunks[i] {
		start := len(out)
		out = out[:start+int(c[1])]
		if _, err := p.f.ReadAt(out[start:], c[0]); err != nil {
			return nil, fmt.Errorf("temporary partitions: %w", err)
		}
	}
	return append(out, p.bufs[i]...), nil
}

// Close removes the file.
func (p *Partitions) Close() error {
	if p == nil || p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}
