package csvio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"

	"golang.org/x/text/transform"

	"github.com/churnlab/segment/internal/frame"
)

// ReadFile reads a CSV file into a table. See the package documentation for
// the format, missing values and type inference. Errors about the content
// are *Error values naming the file, line and column; a file that cannot be
// opened gives the *fs.PathError of os.Open. Cancelling ctx stops the read
// and returns ctx.Err().
func ReadFile(ctx context.Context, path string, opt Options) (*Result, error) {
	cfg, err := opt.compile()
	if err != nil {
		return nil, err
	}
	first, err := readPass(ctx, path, cfg, nil)
	if err != nil {
		return nil, err
	}
	// Columns that became strings after some chunks parsed them as bools or
	// numbers are read again, as strings, in a second pass.
	var again []string
	for _, o := range first.cols {
		if o.again {
			again = append(again, o.name)
		}
	}
	if len(again) > 0 {
		second, err := readPass(ctx, path, cfg, again)
		if err != nil {
			return nil, err
		}
		if second.sha != first.sha || second.rows != first.rows {
			return nil, &Error{File: path, Msg: "the file changed while it was being read"}
		}
		byName := make(map[string]*outCol, len(second.cols))
		for _, o := range second.cols {
			byName[o.name] = o
		}
		for i, o := range first.cols {
			if o.again {
				first.cols[i] = byName[o.name]
				first.cols[i].blanks = o.blanks
			}
		}
	}
	cols := make([]*frame.Column, len(first.cols))
	var warnings []string
	if first.blankLines > 0 {
		warnings = append(warnings, fmt.Sprintf("skipped %s", plural(first.blankLines, "empty line")))
	}
	for i, o := range first.cols {
		cols[i] = o.column()
		if o.blanks > 0 {
			warnings = append(warnings, fmt.Sprintf("column %q: %s holding only spaces read as missing", o.name, plural(o.blanks, "cell")))
		}
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error(), Err: err}
	}
	h := first.hdr
	return &Result{
		Table:     t,
		Path:      path,
		Bytes:     first.bytes,
		SHA256:    first.sha,
		Rows:      first.rows,
		Delimiter: rune(h.delim),
		BOM:       h.bom,
		Trimmed:   h.trimmed,
		Warnings:  warnings,
	}, nil
}

// passResult is the outcome of one read of the file.
type passResult struct {
	hdr        *header
	cols       []*outCol
	rows       int
	blankLines int
	bytes      int64
	sha        string
}

// readPass reads the whole file once. With strs != nil it reads only those
// columns, as strings, and reports no progress.
func readPass(ctx context.Context, path string, cfg *config, strs []string) (*passResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var total int64
	if st, err := f.Stat(); err == nil {
		total = st.Size()
	}
	src := &source{r: f, h: sha256.New(), total: total}
	if strs == nil {
		src.progress = cfg.progress
	}
	var rd io.Reader = src
	if cfg.decoder != nil {
		rd = transform.NewReader(src, cfg.decoder.NewDecoder())
	}
	h, err := readHeader(rd, path, cfg, min(cfg.chunk, headerBlock))
	if err != nil {
		return nil, err
	}
	p, err := newPlan(path, h, cfg, strs)
	if err != nil {
		return nil, err
	}
	res := &passResult{hdr: h}
	if err := run(ctx, rd, h, p, cfg, total, res); err != nil {
		return nil, err
	}
	if res.rows == 0 {
		return nil, &Error{File: path, Msg: "has a header but no data rows"}
	}
	res.bytes = src.n
	res.sha = hex.EncodeToString(src.h.Sum(nil))
	if src.progress != nil {
		src.progress(src.n, total)
	}
	return res, nil
}

// newPlan resolves the projection and the type overrides against the header.
func newPlan(path string, h *header, cfg *config, strs []string) (*plan, error) {
	p := &plan{file: path, names: h.names, delim: h.delim, na: cfg.na, utf8: cfg.decoder == nil}
	index := make(map[string]int, len(h.names))
	for j, n := range h.names {
		index[n] = j
	}
	unknown := func(what, name string) error {
		ue := &frame.UnknownColumnError{Name: name, Known: h.names}
		return &Error{File: path, Msg: what + ": " + ue.Error(), Err: ue}
	}
	want := cfg.columns
	if strs != nil {
		want = strs
	}
	if len(want) == 0 {
		for j := range h.names {
			p.proj = append(p.proj, j)
		}
	} else {
		seen := make(map[string]bool, len(want))
		for _, n := range want {
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
		if strs != nil {
			p.fixed[k] = kString
			continue
		}
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
		}
	}
	return p, nil
}
