package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sniff"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/internal/convert"
)

// Format is the input.format value of this source.
const Format = "parquet"

// Factory describes the Parquet source.
func Factory() pipeline.SourceFactory {
	return pipeline.SourceFactory{
		Format:    Format,
		Summary:   "a Parquet file or a directory of Parquet files (a partitioned export, read as one table); only the columns used are read",
		ReadsPath: true,
		Detect:    Detect,
		NewConfig: NewConfig,
		Open:      Open,
	}
}

var extensions = []string{".parquet", ".parq", ".pq"}

// Detect claims a file that starts with the Parquet magic and a directory
// holding Parquet files, then the extensions .parquet, .parq and .pq, and
// tries any other directory last (it then says the directory holds no
// Parquet files).
func Detect(p pipeline.Probe) int {
	switch {
	case p.Magic == string(sniff.Parquet):
		return pipeline.DetectContent
	case p.Dir:
		for _, e := range extensions {
			if slices.Contains(p.DirExts, e) {
				return pipeline.DetectContent
			}
		}
		return pipeline.DetectFallback
	case p.Magic == "" && slices.Contains(extensions, strings.ToLower(filepath.Ext(p.Path))):
		return pipeline.DetectExtension
	}
	return pipeline.DetectNo
}

// source is an opened Parquet dataset.
type source struct {
	ds      *parquetio.Dataset
	types   map[string]string
	fields  []parquetio.Field
	lineage *result.Input
}

// Open reads the footers of the file or of every file of the directory.
func Open(ctx context.Context, in *pipeline.InputConfig) (pipeline.Source, error) {
	path := string(in.Path)
	cfg, _ := in.Options.(*Config)
	if cfg == nil {
		cfg = NewConfig().(*Config)
	}
	key := "path"
	if in.Format != "" {
		key = "format"
	}
	name := path
	if path == "-" {
		name = "standard input"
	}
	st, err := os.Stat(path)
	switch {
	case path == "-" || err == nil && !st.IsDir() && !st.Mode().IsRegular():
		return nil, pipeline.KeyError("path", fmt.Errorf("%s: Parquet is read from a file or a directory, not from a stream (standard input, a pipe): save it to a file first", name))
	case err != nil:
		return nil, pipeline.KeyError("path", err)
	case st.Mode().IsRegular():
		if err := checkMagic(path, key); err != nil {
			return nil, err
		}
	}
	ds, err := parquetio.Open(path, parquetio.Options{NoPartitions: !cfg.Partitions})
	if err != nil {
		var pe *parquetio.Error
		if st.IsDir() && errors.As(err, &pe) && strings.Contains(pe.Msg, "holds no Parquet files") {
			return nil, pipeline.KeyError("path", err)
		}
		return nil, err // a damaged file: a data error
	}
	return &source{ds: ds, types: in.Types, fields: ds.Schema()}, nil
}

// checkMagic refuses a file that is not Parquet at all (a damaged Parquet
// file starts with the magic and is parquetio's to explain), saying what
// it looks like.
func checkMagic(path, key string) error {
	f, err := os.Open(path)
	if err != nil {
		return pipeline.KeyError("path", err)
	}
	defer f.Close()
	buf := make([]byte, sniff.SampleSize)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if n == 0 {
		return pipeline.KeyError("path", fmt.Errorf("%s: is empty, not a Parquet file", path))
	}
	r := sniff.Detect(buf[:n])
	if r.Format == sniff.Parquet {
		return nil
	}
	advice := "set input.format to its format, or leave input.format out to detect it"
	switch {
	case r.Format == sniff.Gzip || r.Format == sniff.Zstd:
		advice = "a compressed CSV file is read by input.format: csv (name it .csv.gz or .csv.zst, or leave input.format out: segment detects it)"
	case r.IsText():
		advice = "a CSV file is read by input.format: csv (or leave input.format out: segment detects it)"
	case r.Format == sniff.Arrow:
		advice = "convert it to Parquet or CSV first"
	}
	return pipeline.KeyError(key, fmt.Errorf("%s: is %s, not a Parquet file; %s", path, r.Description, advice))
}

// Schema lists the columns from the footers, with their Parquet types;
// columns of types segment cannot read are marked.
func (s *source) Schema(ctx context.Context) ([]pipeline.Field, error) {
	out := make([]pipeline.Field, len(s.fields))
	for i, f := range s.fields {
		out[i] = pipeline.Field{Name: f.Name, Kind: f.Kind, Type: f.Type, Unsupported: f.Unsupported}
		if t, ok := s.types[f.Name]; ok && f.Unsupported == "" {
			out[i].Kind, _ = frame.ParseKind(t)
		}
	}
	return out, nil
}

// Read decodes the columns (all when empty) and, beside it, hashes the
// files' bytes for the lineage.
func (s *source) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	var (
		wg     sync.WaitGroup
		lin    *parquetio.Lineage
		linErr error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		lin, linErr = s.ds.Lineage(ctx)
	}()
	t, err := s.ds.Read(ctx, columns)
	if err == nil {
		t, err = convert.Types(t, s.types)
	}
	if err != nil {
		cancel()
	}
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if linErr != nil {
		return nil, linErr
	}
	s.lineage = s.record(lin, t.NumRows(), t.Names())
	return t, nil
}

// Scan decodes the columns page by page in batches.
func (s *source) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	rows := 0
	var names []string
	err := s.ds.Scan(ctx, columns, batchRows, func(b *frame.Table) error {
		b, err := convert.Types(b, s.types)
		if err != nil {
			return err
		}
		rows += b.NumRows()
		names = b.Names()
		return fn(b)
	})
	if err != nil {
		return err
	}
	lin, err := s.ds.Lineage(ctx)
	if err != nil {
		return err
	}
	if names == nil {
		names = columns
	}
	s.lineage = s.record(lin, rows, names)
	return nil
}

// record is the manifest's input record.
func (s *source) record(l *parquetio.Lineage, rows int, names []string) *result.Input {
	in := &result.Input{Format: Format, Path: l.Path, Bytes: l.Bytes, SHA256: l.SHA256, Rows: rows, Columns: len(names), Dir: l.Dir}
	for _, f := range l.Files {
		in.Files = append(in.Files, result.InputFile{Path: f.Path, Bytes: f.Bytes, SHA256: f.SHA256, Rows: f.Rows})
	}
	for _, n := range names {
		for _, f := range s.fields {
			if f.Name == n {
				in.SourceTypes = append(in.SourceTypes, result.ColumnType{Name: n, Type: f.Type})
			}
		}
	}
	return in
}

// Lineage implements pipeline.Source.
func (s *source) Lineage() *result.Input { return s.lineage }

// Close implements pipeline.Source: a dataset holds no open file.
func (s *source) Close() error { return nil }
