package csv

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"

	"github.com/churnlab/segment/internal/sniff"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.Sizer = (*source)(nil)

// sizeProbe is how much of a file Size reads (after decompression).
const sizeProbe = 1 << 20

// Size implements pipeline.Sizer: for a regular file, the rows are
// estimated as its (uncompressed) size over the mean length of the records
// in its first MiB; a compressed file's uncompressed size is its size times
// the compression ratio of that first MiB. A stream (standard input, a
// pipe) cannot tell: Rows is -1.
func (s *source) Size(_ context.Context, columns []string) (pipeline.SourceSize, error) {
	out := pipeline.SourceSize{Rows: -1, Bytes: -1, Columns: len(columns)}
	if out.Columns == 0 {
		out.Columns = len(s.header)
	}
	if !regularFile(s.path) {
		out.How = "unknown: a stream is not read ahead"
		return out, nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return out, err
	}
	out.Bytes = st.Size()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return out, err
	}
	counted := &countingReader{r: bufio.NewReaderSize(f, 1<<16)}
	var r io.Reader = counted
	compressed := ""
	switch sniff.Detect(head[:n]).Format {
	case sniff.Gzip:
		zr, err := gzip.NewReader(counted)
		if err != nil {
			return out, nil
		}
		r, compressed = zr, "gzip"
	case sniff.Zstd:
		zr, err := zstd.NewReader(counted)
		if err != nil {
			return out, nil
		}
		defer zr.Close()
		r, compressed = zr, "zstd"
	}
	buf := make([]byte, sizeProbe)
	m, _ := io.ReadFull(r, buf)
	buf = buf[:m]
	lines := bytes.Count(buf, []byte{'\n'})
	if lines < 2 {
		out.How = "unknown: the first MiB holds fewer than two records"
		return out, nil
	}
	first := bytes.IndexByte(buf, '\n') + 1
	last := bytes.LastIndexByte(buf, '\n') + 1
	perRecord := float64(last-first) / float64(lines-1)
	total := float64(st.Size())
	if compressed != "" {
		ratio := float64(m) / float64(max(1, counted.n))
		total *= ratio
		out.How = fmt.Sprintf("estimated: the file's size × its %s compression ratio in the first MiB (%.1f), over the mean record length there (%.0f bytes)", compressed, ratio, perRecord)
	} else {
		out.How = fmt.Sprintf("estimated: the file's size over the mean record length of its first MiB (%.0f bytes)", perRecord)
	}
	if m < sizeProbe {
		// the whole (uncompressed) file was read: its records are counted
		out.Rows = int64(lines - 1)
		if len(bytes.TrimSpace(buf[last:])) > 0 {
			out.Rows++ // a last record without a line break
		}
		out.How = "counted: the file holds less than 1 MiB of text"
		return out, nil
	}
	out.Rows = int64((total - float64(first)) / perRecord)
	return out, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
