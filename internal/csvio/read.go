package csvio

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/churnlab/segment/internal/frame"
)

// ReadFile reads a CSV file into a table: Open, ReadAll and Close. See the
// package documentation for the format, missing values and type inference.
// Errors about the content are *Error values naming the file, line and
// column, or a *FormatError for data that is not CSV text; a file that
// cannot be opened gives the *fs.PathError of os.Open. Cancelling ctx stops
// the read and returns ctx.Err().
func ReadFile(ctx context.Context, path string, opt Options) (*Result, error) {
	r, err := Open(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.ReadAll(ctx)
}

// ReadHeader reads only the header record of a CSV file: the trimmed column
// names and the delimiter (given or detected). It checks the names the way
// ReadFile does; Columns, Types and NAValues are not used. On a stream
// (standard input, a FIFO) it consumes what it reads: use Open, Header and
// ReadAll to check the header and then read the rows.
func ReadHeader(path string, opt Options) (names []string, delim rune, err error) {
	r, err := Open(context.Background(), path, opt)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	return r.Header(), r.Delimiter(), nil
}

// Reader is one CSV input opened for reading: a file, a FIFO or pipe, or
// standard input ("-"). Open reads only as far as the header, so the
// column names can be checked before any row is read, and the rows then
// come from the same stream: nothing is read twice, which makes standard
// input and pipes work. A Reader reads its rows once, with ReadAll or
// Scan, and must be closed.
type Reader struct {
	path string
	cfg  *config
	in   *input
	st   *stream
	hdr  *header
	used bool

	// After Infer: the facts of every column read, the rows and the
	// SHA-256 of the first read, and the spool of a stream.
	facts []colFacts
	rows  int
	sha   string
	spool *os.File

	reads int // passes over the rows started, for tests
}

// Open opens path ("-" for standard input), finds out what it holds from
// its first bytes (gzip and zstd are decompressed; other formats are a
// *FormatError), and reads the header. Opening a FIFO does not wait for a
// writer; reading waits for its data and stops when ctx is cancelled.
func Open(ctx context.Context, path string, opt Options) (*Reader, error) {
	cfg, err := opt.compile()
	if err != nil {
		return nil, err
	}
	in, err := openInput(ctx, path)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: path, cfg: cfg, in: in}
	if err := r.start(!in.regular); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// start reads the input from its beginning as far as the header.
func (r *Reader) start(keep bool) error {
	st, err := newStream(r.in, r.path, r.cfg, keep)
	if err != nil {
		return err
	}
	r.st = st
	h, err := readHeader(st.text, r.path, r.cfg, min(r.cfg.chunk, headerBlock))
	if err != nil {
		return err
	}
	h.bom = h.bom || st.bom
	r.hdr = h
	return nil
}

// Header returns the column names of the file, trimmed, in file order.
func (r *Reader) Header() []string { return slices.Clone(r.hdr.names) }

// Delimiter returns the field delimiter, given or detected.
func (r *Reader) Delimiter() rune { return rune(r.hdr.delim) }

// Compression returns "gzip" or "zstd" for compressed input, else "".
func (r *Reader) Compression() string { return r.st.compression }

// Seekable reports whether the input is a regular file, which Scan can
// read twice; a stream is read once.
func (r *Reader) Seekable() bool { return r.in.regular }

// Close releases the input. It does not close standard input. The input
// is closed first, which ends any read still waiting on it (a decompressor
// reading ahead of a stalled pipe), and then the decompressor.
func (r *Reader) Close() error {
	var err error
	if r.in != nil {
		err = r.in.Close()
		r.in = nil
	}
	if r.st != nil {
		r.st.close()
	}
	if r.spool != nil {
		r.spool.Close()
		r.spool = nil
	}
	return err
}

var errUsed = errors.New("csv: the reader has already read its rows")

// ReadAll reads the rows into a table.
func (r *Reader) ReadAll(ctx context.Context) (*Result, error) {
	if r.used || r.in == nil {
		return nil, errUsed
	}
	r.used = true
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.in.watch(ctx)
	r.st.src.read(r.cfg.progress)
	p, err := newPlan(r.path, r.hdr, r.cfg)
	if err != nil {
		return nil, err
	}
	cols := make([]*outCol, len(p.proj))
	for k, j := range p.proj {
		cols[k] = newOutCol(p.names[j], p.fixed[k])
	}
	rows, blank, est := 0, 0, 0
	total := r.st.src.total
	err = run(ctx, r.st.text, r.hdr, p, r.cfg, r.st.src.shared.Load, func(c *chunkResult) error {
		if est == 0 && c.rows > 0 {
			// Rows per text byte of the chunk × the text's size, known or
			// estimated from the compression ratio so far, with a margin.
			ratio := 0.0
			if total > 0 && c.rawRead > 0 {
				ratio = float64(total) * float64(c.textRead) / float64(c.rawRead)
			}
			est = int(r.st.textSize(ratio)*float64(c.rows)/float64(c.bytes)*1.05) + 16
		}
		for k, o := range cols {
			o.merge(&c.cols[k], c.rows, est, c.lines)
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
	if err := overflow(r.path, cols); err != nil {
		return nil, err
	}
	facts := make([]colFacts, len(cols))
	for i, o := range cols {
		facts[i] = o.colFacts
	}
	n, sum := r.st.src.done()
	res := r.result(rows, blank, facts, n, sum)
	fc := make([]*frame.Column, len(cols))
	for i, o := range cols {
		fc[i] = o.column()
	}
	t, err := frame.New(fc...)
	if err != nil {
		return nil, &Error{File: r.path, Msg: err.Error(), Err: err}
	}
	res.Table = t
	return res, nil
}

// result gathers the facts of a finished read.
func (r *Reader) result(rows, blank int, cols []colFacts, n int64, sum string) *Result {
	var warnings []string
	if blank > 0 {
		warnings = append(warnings, fmt.Sprintf("skipped %s", plural(blank, "empty line")))
	}
	res := &Result{
		Path:        r.path,
		Bytes:       n,
		SHA256:      sum,
		Compression: r.st.compression,
		Encoding:    r.st.encoding,
		Rows:        rows,
		Delimiter:   rune(r.hdr.delim),
		BOM:         r.hdr.bom,
		CR:          r.st.cr,
		Trimmed:     r.hdr.trimmed,
	}
	for _, o := range cols {
		if o.blanks > 0 {
			warnings = append(warnings, fmt.Sprintf("column %q: %s holding only spaces read as missing", o.name, plural(o.blanks, "cell")))
		}
		if o.bigInts > 0 && o.kind == kFloat {
			warnings = append(warnings, fmt.Sprintf("column %q: %s beyond the int64 range read as floats, rounded to about 16 significant digits (first on row %s: %s)",
				o.name, plural(o.bigInts, "integer"), group(int64(o.bigRow+1)), o.bigText))
		}
		if nn := o.nearNumeric(); nn != nil {
			if res.NearNumeric == nil {
				res.NearNumeric = map[string]*NearNumeric{}
			}
			res.NearNumeric[o.name] = nn
		}
	}
	res.Warnings = warnings
	return res
}

// overflow reports the first number beyond the float64 range in a column
// that is numeric in the end (in a text column it is text).
func overflow(path string, cols []*outCol) error {
	var first *outCol
	for _, o := range cols {
		if o.ovfRow >= 0 && o.kind == kFloat && (first == nil || o.ovfRow < first.ovfRow) {
			first = o
		}
	}
	if first == nil {
		return nil
	}
	return &Error{File: path, Line: first.ovfLine, Column: first.name, Msg: overflowErr([]byte(first.ovfText)).Error()}
}

// newPlan resolves the projection and the type overrides against the header.
func newPlan(path string, h *header, cfg *config) (*plan, error) {
	p := &plan{file: path, names: h.names, delim: h.delim, na: cfg.na, utf8: cfg.decoder == nil,
		maxField: cfg.maxField, maxRecord: cfg.maxRecord, block: blockFor(len(h.names))}
	index := make(map[string]int, len(h.names))
	for j, n := range h.names {
		index[n] = j
	}
	unknown := func(what, name string) error {
		ue := &frame.UnknownColumnError{Name: name, Known: h.names}
		return &Error{File: path, Msg: what + ": " + ue.Error(), Err: ue}
	}
	if len(cfg.columns) == 0 {
		for j := range h.names {
			p.proj = append(p.proj, j)
		}
	} else {
		seen := make(map[string]bool, len(cfg.columns))
		for _, n := range cfg.columns {
			j, ok := index[n]
			if !ok {
				return nil, unknown("columns", n)
			}
			if seen[n] {
				return nil, &Error{File: path, Msg: fmt.Sprintf("columns: %q is listed twice", n)}
			}
			seen[n] = true
			p.proj = append(p.proj, j)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(cfg.types)) {
		if _, ok := index[n]; !ok {
			return nil, unknown("types", n)
		}
	}
	p.fixed = make([]kind, len(p.proj))
	for k, j := range p.proj {
		if fk, ok := cfg.types[h.names[j]]; ok {
			switch fk {
			case frame.Bool:
				p.fixed[k] = kBool
			case frame.Int:
				p.fixed[k] = kInt
			case frame.Float:
				p.fixed[k] = kFloat
			case frame.String:
				p.fixed[k] = kString
			default:
				return nil, &Error{File: path, Column: h.names[j], Msg: fmt.Sprintf("types: unknown kind %v", fk)}
			}
		} else if cfg.allText {
			p.fixed[k] = kString
		}
	}
	return p, nil
}
