package parquetio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"

	"github.com/churnlab/segment/internal/frame"
)

// DefaultRowGroupRows is the row group size Write uses when
// WriteOptions.RowGroupRows is 0.
const DefaultRowGroupRows = 1 << 20

// WriteOptions controls Write, WriteFile and NewWriter.
type WriteOptions struct {
	// Compression is "snappy" (the default when empty), "zstd", "gzip",
	// "lz4" (LZ4_RAW) or "none".
	Compression string
	// RowGroupRows is the number of rows per row group; 0 means
	// DefaultRowGroupRows. The last row group may be shorter.
	RowGroupRows int
	// Metadata is stored as key/value pairs in the file footer (e.g. the run
	// id and the model's sha256), in sorted key order.
	Metadata map[string]string
}

func (o WriteOptions) codec() (compress.Codec, error) {
	switch strings.ToLower(o.Compression) {
	case "", "snappy":
		return &parquet.Snappy, nil
	case "zstd":
		return &parquet.Zstd, nil
	case "gzip":
		return &parquet.Gzip, nil
	case "lz4", "lz4_raw":
		return &parquet.Lz4Raw, nil
	case "none", "uncompressed":
		return &parquet.Uncompressed, nil
	}
	return nil, fmt.Errorf("parquet: unknown compression %q (want snappy, zstd, gzip, lz4 or none)", o.Compression)
}

// Writer writes tables with one fixed schema to a Parquet file, batch after
// batch, cutting row groups of WriteOptions.RowGroupRows rows. Every column
// is OPTIONAL (a missing value, or NaN in a float column, is a null): int →
// INT64 INT(64,true), float → DOUBLE, bool → BOOLEAN, string → BYTE_ARRAY
// STRING with dictionary encoding (falling back to plain pages once a
// column's dictionary exceeds 1 MiB in a row group).
type Writer struct {
	pw      *parquet.Writer
	fields  []frame.Field
	groupN  int // rows per row group
	inGroup int // rows in the current row group
	vals    []parquet.Value
	closed  bool
	err     error
}

// NewWriter starts a Parquet file on w for tables with the given columns
// (names and kinds; the other frame.Field members are ignored).
func NewWriter(w io.Writer, fields []frame.Field, opt WriteOptions) (*Writer, error) {
	codec, err := opt.codec()
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, errors.New("parquet: a file needs at least one column")
	}
	group := orderedGroup{fields: make([]parquet.Field, len(fields))}
	seen := make(map[string]bool, len(fields))
	for i, f := range fields {
		if f.Name == "" || seen[f.Name] {
			return nil, fmt.Errorf("parquet: column %d: empty or duplicate name %q", i+1, f.Name)
		}
		seen[f.Name] = true
		var node parquet.Node
		switch f.Kind {
		case frame.Int:
			node = parquet.Int(64)
		case frame.Float:
			node = parquet.Leaf(parquet.DoubleType)
		case frame.Bool:
			node = parquet.Leaf(parquet.BooleanType)
		case frame.String:
			node = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		default:
			return nil, fmt.Errorf("parquet: column %q: unknown kind %v", f.Name, f.Kind)
		}
		group.fields[i] = namedField{Node: parquet.Optional(node), name: f.Name}
	}
	options := []parquet.WriterOption{
		parquet.NewSchema("segment", group),
		parquet.Compression(codec),
		parquet.CreatedBy("segment", "", ""),
		// As pyarrow does: a column whose dictionary outgrows 1 MiB (ids)
		// continues with plain pages, so readers need not hold a dictionary
		// as large as the column.
		parquet.DictionaryMaxBytes(1 << 20),
	}
	keys := make([]string, 0, len(opt.Metadata))
	for k := range opt.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		options = append(options, parquet.KeyValueMetadata(k, opt.Metadata[k]))
	}
	wr := &Writer{fields: append([]frame.Field(nil), fields...), groupN: opt.RowGroupRows}
	if wr.groupN <= 0 {
		wr.groupN = DefaultRowGroupRows
	}
	err = guard("", "", func() error {
		wr.pw = parquet.NewWriter(w, options...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return wr, nil
}

// Write appends the rows of t, whose columns must have the writer's names
// and kinds in the same order. t is not modified.
func (w *Writer) Write(t *frame.Table) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("parquet: write after Close")
	}
	cols := t.Columns()
	if len(cols) != len(w.fields) {
		return fmt.Errorf("parquet: the table has %d columns, the file %d", len(cols), len(w.fields))
	}
	for i, c := range cols {
		if c.Name != w.fields[i].Name || c.Kind != w.fields[i].Kind {
			return fmt.Errorf("parquet: column %d is %q (%v), the file expects %q (%v)", i+1, c.Name, c.Kind, w.fields[i].Name, w.fields[i].Kind)
		}
	}
	dicts := make([][][]byte, len(cols))
	for j, c := range cols {
		if c.Kind == frame.String {
			dicts[j] = make([][]byte, len(c.Dict))
			for k, s := range c.Dict {
				dicts[j][k] = []byte(s)
			}
		}
	}
	n := t.NumRows()
	for lo := 0; lo < n; {
		hi := min(n, lo+(w.groupN-w.inGroup))
		err := guard("", "", func() error {
			for j, c := range cols {
				if err := w.writeColumn(j, c, dicts[j], lo, hi); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			w.err = err
			return err
		}
		w.inGroup += hi - lo
		lo = hi
		if w.inGroup == w.groupN {
			if err := w.pw.Flush(); err != nil {
				w.err = err
				return err
			}
			w.inGroup = 0
		}
	}
	return nil
}

const writeChunk = 4096

// writeColumn writes rows [lo, hi) of c as column j.
func (w *Writer) writeColumn(j int, c *frame.Column, dict [][]byte, lo, hi int) error {
	cw := w.pw.ColumnWriters()[j]
	for a := lo; a < hi; a += writeChunk {
		b := min(hi, a+writeChunk)
		vals := w.vals[:0]
		for i := a; i < b; i++ {
			if c.IsMissing(i) {
				vals = append(vals, parquet.NullValue().Level(0, 0, j))
				continue
			}
			var v parquet.Value
			switch c.Kind {
			case frame.Int:
				v = parquet.Int64Value(c.Int(i))
			case frame.Float:
				x := c.Floats[i]
				if x != x {
					vals = append(vals, parquet.NullValue().Level(0, 0, j))
					continue
				}
				v = parquet.DoubleValue(x)
			case frame.Bool:
				v = parquet.BooleanValue(c.Bools[i])
			default:
				code := c.Code(i)
				if code < 0 {
					vals = append(vals, parquet.NullValue().Level(0, 0, j))
					continue
				}
				v = parquet.ByteArrayValue(dict[code])
			}
			vals = append(vals, v.Level(0, 1, j))
		}
		w.vals = vals
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("parquet: column %q: %w", c.Name, err)
		}
	}
	return nil
}

// Close flushes the last row group and writes the footer. It does not close
// the underlying io.Writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	w.err = guard("", "", w.pw.Close)
	return w.err
}

// Write writes t as a Parquet file to w.
func Write(w io.Writer, t *frame.Table, opt WriteOptions) error {
	fields := t.Schema()
	pw, err := NewWriter(w, fields, opt)
	if err != nil {
		return err
	}
	if err := pw.Write(t); err != nil {
		return err
	}
	return pw.Close()
}

// WriteFile writes t to path atomically: into a temporary file in the same
// directory, synced and then renamed over path, so a reader never sees a
// partial file and a failed write leaves any previous file in place.
func WriteFile(path string, t *frame.Table, opt WriteOptions) error {
	fw, err := CreateFile(path, t.Schema(), opt)
	if err != nil {
		return err
	}
	if err := fw.Write(t); err != nil {
		fw.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return fw.Commit()
}

// FileWriter streams tables into a Parquet file that appears at its path
// only when Commit succeeds (for results written batch by batch).
type FileWriter struct {
	*Writer
	path string
	tmp  *os.File
	done bool
}

// CreateFile starts a Parquet file for path in a temporary file beside it.
func CreateFile(path string, fields []frame.Field, opt WriteOptions) (*FileWriter, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if _, err := opt.codec(); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	w, err := NewWriter(tmp, fields, opt)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	return &FileWriter{Writer: w, path: path, tmp: tmp}, nil
}

// Commit writes the footer, syncs the file and renames it to its path.
func (f *FileWriter) Commit() error {
	if f.done {
		return errors.New("parquet: file already committed or aborted")
	}
	f.done = true
	err := f.Writer.Close()
	if err == nil {
		err = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("%s: %w", f.path, err)
	}
	return nil
}

// Abort discards the file; the path is left as it was.
func (f *FileWriter) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.tmp.Close()
	return os.Remove(f.tmp.Name())
}

// orderedGroup is a schema group whose fields keep the order given
// (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g orderedGroup) Fields() []parquet.Field { return g.fields }
func (g orderedGroup) String() string {
	var b strings.Builder
	b.WriteString("group {")
	for i, f := range g.fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Name())
	}
	b.WriteString("}")
	return b.String()
}

// namedField names a node inside orderedGroup.
type namedField struct {
	parquet.Node
	name string
}

func (f namedField) Name() string { return f.name }

// Value is not used: rows are written as parquet.Values, never as Go
// structs.
func (f namedField) Value(base reflect.Value) reflect.Value { return reflect.Value{} }
