package parquetio

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
)

// cursor decodes one column of one file, a column chunk (row group) at a
// time and a page at a time, into colBufs.
type cursor struct {
	f   *pfile
	col *column

	pages *parquet.FilePages
	rg    int   // current row group
	left  int64 // rows of the current chunk not yet decoded
	row   int64 // row of the file (0-based) of the next row to decode

	page parquet.Page
	defs []byte // definition levels of the page (nil for a required column)
	n    int    // rows in the page
	pos  int    // rows of the page already decoded
	vals phys   // the page's non-null values
	vpos int    // values already decoded

	dictSrc parquet.Dictionary // the dictionary strDict was made from
	sdict   *strDict

	tmpI []int64
	tmpF []float64
	tmpB []bool
}

// phys holds the non-null values of a page in their physical type.
type phys struct {
	n     int
	bools []bool
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	i96   []deprecated.Int96
	ba    []byte   // BYTE_ARRAY data; value j is ba[off[j]:off[j+1]]
	off   []uint32 // BYTE_ARRAY offsets, n+1 of them
	fl    []byte   // FIXED_LEN_BYTE_ARRAY data
	size  int      // FIXED_LEN_BYTE_ARRAY length
	idx   []int32  // dictionary indexes (strings only; see cursor.sdict)

	own physScratch // scratch slices reused across pages
}

type physScratch struct {
	bools []bool
	i32   []int32
	i64   []int64
	f32   []float32
	f64   []float64
	i96   []deprecated.Int96
	ba    []byte
	off   []uint32
	fl    []byte
}

// strDict is the string dictionary of one column chunk (the library's
// memory, valid until the chunk's pages are closed), with a table mapping
// its entries to the codes of the colBuf being filled (valid where stamp
// equals that buffer's gen).
type strDict struct {
	data  []byte
	off   []uint32
	remap []int32
	stamp []uint32
}

func (c *cursor) corrupt(format string, args ...any) error {
	return &Error{File: c.f.path, Column: c.col.Name, Msg: fmt.Sprintf("row group %d: corrupt data: ", c.rg) + fmt.Sprintf(format, args...)}
}

// startChunk begins row group rg of the file, reading pages through h.
func (c *cursor) startChunk(h io.ReaderAt, rg int) error {
	c.closeChunk()
	cc, md, err := c.f.chunk(rg, c.col.leaf)
	if err != nil {
		return &Error{File: c.f.path, Column: c.col.Name, Msg: err.Error(), Err: err}
	}
	c.rg = rg
	c.left = c.f.rgRows[rg]
	if md.NumValues != c.left {
		return c.corrupt("the column chunk has %d values, the row group %d rows", md.NumValues, c.left)
	}
	var rowStart int64
	for _, n := range c.f.rgRows[:rg] {
		rowStart += n
	}
	c.row = rowStart
	if err := checkChunk(h, md, c.f.size, c.left, c.col.optional); err != nil {
		return c.corrupt("%v", err)
	}
	c.pages = cc.PagesFrom(h)
	return nil
}

// finishChunk checks that the chunk holds no more rows than its row group.
func (c *cursor) finishChunk() error {
	if c.pos < c.n {
		return c.corrupt("a page holds more values than the row group has rows")
	}
	if c.pages != nil {
		for {
			p, err := c.pages.ReadPage()
			if err == io.EOF {
				break
			}
			if err != nil {
				return c.corrupt("%v", err)
			}
			n := p.NumRows()
			parquet.Release(p)
			if n > 0 {
				return c.corrupt("the column chunk holds more values than the row group has rows")
			}
		}
	}
	c.closeChunk()
	return nil
}

func (c *cursor) closeChunk() {
	c.sdict, c.dictSrc = nil, nil
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	if c.pages != nil {
		c.pages.Close()
		c.pages = nil
	}
	c.n, c.pos, c.defs = 0, 0, nil
}

// take decodes the next n rows of the current chunk into rows [off, off+n)
// of b. n must not exceed c.left.
func (c *cursor) take(b *colBuf, off, n int) error {
	for n > 0 {
		if c.pos == c.n {
			if err := c.loadPage(); err != nil {
				return err
			}
			continue
		}
		k := min(n, c.n-c.pos)
		if err := c.convert(b, off, k); err != nil {
			return err
		}
		c.pos += k
		off += k
		n -= k
		c.row += int64(k)
		c.left -= int64(k)
	}
	return nil
}

// loadPage reads the next page of the chunk.
func (c *cursor) loadPage() error {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	p, err := c.pages.ReadPage()
	if err == io.EOF {
		return c.corrupt("the column chunk ends after %d of %d rows", c.f.rgRows[c.rg]-c.left, c.f.rgRows[c.rg])
	}
	if err != nil {
		var perr *Error
		if errors.As(err, &perr) {
			return err
		}
		return &Error{File: c.f.path, Column: c.col.Name, Msg: fmt.Sprintf("row group %d: corrupt data: %v", c.rg, err), Err: err}
	}
	c.page = p
	n := p.NumRows()
	if n < 0 || n > c.left {
		return c.corrupt("a page holds %d rows, only %d are left in the row group", n, c.left)
	}
	c.n, c.pos, c.vpos = int(n), 0, 0
	c.defs = p.DefinitionLevels()
	present := c.n
	if c.col.optional {
		if len(c.defs) != c.n {
			return c.corrupt("a page has %d definition levels for %d rows", len(c.defs), c.n)
		}
		present = 0
		for _, d := range c.defs {
			if d == 1 {
				present++
			}
		}
	} else if len(c.defs) != 0 {
		return c.corrupt("a page of a required column has definition levels")
	} else {
		c.defs = nil
	}
	if p.RepetitionLevels() != nil && len(p.RepetitionLevels()) > 0 {
		return c.corrupt("a page of a flat column has repetition levels")
	}
	if err := c.loadValues(p, present); err != nil {
		return err
	}
	return nil
}
