package csv

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/term"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sniff"
	"github.com/churnlab/segment/pipeline"
)

// Format is the input.format value of this source.
const Format = "csv"

// Factory describes the CSV source.
func Factory() pipeline.SourceFactory {
	return pipeline.SourceFactory{
		Format:    Format,
		Summary:   "CSV text: a file, .csv.gz / .csv.zst (by magic bytes), a pipe or FIFO, or standard input (path: -), read once; types inferred from every row",
		ReadsPath: true,
		Detect:    Detect,
		NewConfig: NewConfig,
		Open:      Open,
	}
}

// Detect claims text, gzip and zstd content, then the extensions .csv,
// .tsv, .txt, .tab (also under .gz, .zst), and tries any other file or
// stream last (it then says what the input is if it is not CSV text).
func Detect(p pipeline.Probe) int {
	switch {
	case p.Path == "" || p.Dir:
		return pipeline.DetectNo
	case p.Magic != "":
		switch sniff.Format(p.Magic) {
		case sniff.Text, sniff.UTF16LE, sniff.UTF16BE, sniff.UTF32LE, sniff.UTF32BE, sniff.Gzip, sniff.Zstd:
			return pipeline.DetectContent
		}
	case textExtension(p.Path):
		return pipeline.DetectExtension
	}
	return pipeline.DetectFallback
}

// textExtension reports a CSV-like name: .csv, .tsv, .txt or .tab, alone or
// before .gz, .gzip, .zst or .zstd.
func textExtension(path string) bool {
	name := strings.ToLower(filepath.Base(path))
	for _, c := range []string{".gz", ".gzip", ".zst", ".zstd"} {
		name = strings.TrimSuffix(name, c)
	}
	switch filepath.Ext(name) {
	case ".csv", ".tsv", ".txt", ".tab":
		return true
	}
	return false
}

// Options are the csvio options of an input block: the source's keys and
// the shared types and columns.
func Options(in *pipeline.InputConfig) csvio.Options {
	cfg, _ := in.Options.(*Config)
	if cfg == nil {
		cfg = &Config{}
	}
	opt := csvio.Options{Delimiter: cfg.delimiter(), Encoding: strings.ToLower(cfg.Encoding), NAValues: cfg.NAValues}
	if len(in.Types) > 0 {
		opt.Types = make(map[string]frame.Kind, len(in.Types))
		for col, t := range in.Types {
			k, _ := frame.ParseKind(t) // checked when the config was loaded
			opt.Types[col] = k
		}
	}
	opt.AllText = in.AsText
	if in.ID != "" {
		// The id column is always text, exactly as in the file: "0001"
		// stays "0001" and 20-digit ids are not read as floats.
		opt.TextColumns = []string{in.ID}
	}
	return opt
}

// source is an opened CSV input.
type source struct {
	path     string
	key      string // the input key that names what to fix when the input is not CSV: format or path
	opt      csvio.Options
	na       []string
	rd       *csvio.Reader // opened, not yet read (nil once used or closed)
	header   []string
	reopen   bool // a regular file (not "-"): opened again for each read
	used     bool // the stream's rows were read
	progress func(done, total int64)
	lineage  *result.Input
}

// Open opens the input named by in.Path and reads its header.
func Open(ctx context.Context, in *pipeline.InputConfig) (pipeline.Source, error) {
	path := string(in.Path)
	key := "path"
	if in.Format != "" {
		key = "format"
	}
	if path == "-" && term.IsTerminal(0) { // fd 0: os.Stdin.Fd() would make it blocking
		return nil, pipeline.KeyError("path", errors.New(`"-" is standard input, which is a terminal here: pipe the table in (cat data.csv | segment …) or give a file`))
	}
	s := &source{path: path, key: key, opt: Options(in)}
	if cfg, ok := in.Options.(*Config); ok && cfg != nil {
		s.na = slices.Clone(cfg.NAValues)
	}
	rd, err := s.open(ctx, nil)
	if err != nil {
		return nil, err
	}
	s.rd, s.header = rd, rd.Header()
	s.reopen = rd.Seekable() && path != "-"
	return s, nil
}

// open opens the input with a column selection, mapping errors of the
// header to the key that can fix them.
func (s *source) open(ctx context.Context, columns []string) (*csvio.Reader, error) {
	opt := s.opt
	opt.Columns = columns
	opt.Progress = func(done, total int64) {
		if s.progress != nil {
			s.progress(done, total)
		}
	}
	rd, err := csvio.Open(ctx, s.path, opt)
	if err == nil {
		return rd, nil
	}
	var fe *csvio.FormatError
	var ce *csvio.Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe):
		return nil, pipeline.KeyError(s.key, s.formatError(fe))
	case errors.As(err, &pe), errors.As(err, &ce):
		// A file that cannot be opened, or whose header cannot be read
		// (empty, a wrong encoding): the config names the wrong file or
		// the wrong way of reading it.
		return nil, pipeline.KeyError("path", err)
	}
	return nil, err
}

// formatError rewords the advice for a Parquet file that arrives on a
// stream or compressed, which the Parquet source cannot read.
func (s *source) formatError(fe *csvio.FormatError) error {
	if fe.Format == sniff.Parquet && fe.Inside != "" {
		return fmt.Errorf("%s: is %s holding a Parquet file, not CSV text; decompress it first (Parquet compresses its pages itself) and set input.path to the .parquet file", fe.File, sniff.Describe(fe.Inside))
	}
	if fe.Format == sniff.Parquet && fe.Inside == "" && !regularFile(s.path) {
		name := fe.File
		if name == "-" {
			name = "standard input"
		}
		return fmt.Errorf("%s: is a Parquet file, not CSV text; Parquet is read from a file or a directory, not from a stream: save it to a file, point input.path at it and set input.format: parquet (or leave input.format out)", name)
	}
	return fe
}

func regularFile(path string) bool {
	if path == "-" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Schema returns the header's names; a kind is known only for the columns
// input.types fixes.
func (s *source) Schema(ctx context.Context) ([]pipeline.Field, error) {
	fields := make([]pipeline.Field, len(s.header))
	for i, n := range s.header {
		fields[i] = pipeline.Field{Name: n, Inferred: true}
		if k, ok := s.opt.Types[n]; ok {
			fields[i].Kind, fields[i].Inferred = k, false
		}
	}
	return fields, nil
}

// SetProgress implements pipeline.Progressor: bytes of the file as stored.
func (s *source) SetProgress(fn func(done, total int64)) bool {
	s.progress = fn
	return true
}

// reader returns the reader for a read of columns: the one opened by
// Open while it is unused, else a new one (a regular file). project
// reports that the table read must still be reduced to columns.
func (s *source) reader(ctx context.Context, columns []string) (rd *csvio.Reader, project bool, err error) {
	all := len(columns) == 0 || slices.Equal(columns, s.header)
	if s.rd != nil && (all || !s.reopen) {
		rd, s.rd = s.rd, nil
		return rd, !all, nil
	}
	if !s.reopen {
		return nil, false, fmt.Errorf("%s: a stream (standard input, a pipe) is read once, and it has been read", s.name())
	}
	if s.rd != nil {
		s.rd.Close()
		s.rd = nil
	}
	if all {
		columns = nil
	}
	rd, err = s.open(ctx, columns)
	return rd, false, err
}

func (s *source) name() string {
	if s.path == "-" {
		return "standard input"
	}
	return s.path
}

// Read reads the rows of the columns (all when empty).
func (s *source) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	rd, project, err := s.reader(ctx, columns)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	res, err := rd.ReadAll(ctx)
	if err != nil {
		return nil, err
	}
	t := res.Table
	if project {
		if t, err = t.Select(columns...); err != nil {
			return nil, err
		}
	}
	s.lineage = s.record(res, t.NumCols())
	return t, nil
}

// Scan reads the rows in batches (see csvio.Reader.Scan: without types for
// every column, a file is read twice and a stream spooled to a temporary
// file, to infer the kinds first).
func (s *source) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	return s.scan(ctx, columns, batchRows, nil, fn)
}

// ScanReset implements pipeline.ResetScanner: a file without types for
// every column is read once, unless the kinds learnt on the way need a
// restart (see csvio.Reader.ScanReset).
func (s *source) ScanReset(ctx context.Context, columns []string, batchRows int, reset func() error, fn func(*frame.Table) error) error {
	if reset == nil {
		return errors.New("csv: ScanReset without a reset function")
	}
	return s.scan(ctx, columns, batchRows, reset, fn)
}

func (s *source) scan(ctx context.Context, columns []string, batchRows int, reset func() error, fn func(*frame.Table) error) error {
	rd, project, err := s.reader(ctx, columns)
	if err != nil {
		return err
	}
	defer rd.Close()
	ncols := 0
	each := func(b *frame.Table) error {
		if project {
			var err error
			if b, err = b.Select(columns...); err != nil {
				return err
			}
		}
		ncols = b.NumCols()
		return fn(b)
	}
	var res *csvio.Result
	if reset != nil {
		res, err = rd.ScanReset(ctx, batchRows, reset, each)
	} else {
		res, err = rd.Scan(ctx, batchRows, each)
	}
	if err != nil {
		return err
	}
	s.lineage = s.record(res, ncols)
	return nil
}

// record is the manifest's input record of a read.
func (s *source) record(res *csvio.Result, cols int) *result.Input {
	delim := string(res.Delimiter)
	if res.Delimiter == '\t' {
		delim = "tab"
	}
	in := &result.Input{
		Format: Format, Path: s.path, Bytes: res.Bytes, SHA256: res.SHA256, Compression: res.Compression,
		Rows: res.Rows, Columns: cols, Delimiter: delim, Encoding: res.Encoding, NAValues: s.na,
		BOM: res.BOM, Trimmed: res.Trimmed, Warnings: slices.Clone(res.Warnings),
	}
	if len(res.Trimmed) > 0 {
		in.Warnings = append([]string{"trimmed spaces around header names: " + strings.Join(res.Trimmed, ", ")}, in.Warnings...)
	}
	for _, name := range slices.Sorted(maps.Keys(res.NearNumeric)) {
		if in.NearNumeric == nil {
			in.NearNumeric = map[string]string{}
		}
		in.NearNumeric[name] = res.NearNumeric[name].String()
	}
	return in
}

// Lineage implements pipeline.Source.
func (s *source) Lineage() *result.Input { return s.lineage }

// Close implements pipeline.Source.
func (s *source) Close() error {
	if s.rd != nil {
		err := s.rd.Close()
		s.rd = nil
		return err
	}
	return nil
}
