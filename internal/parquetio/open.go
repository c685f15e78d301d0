package parquetio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Magic is the 4-byte marker at both ends of a Parquet file, for format
// detection.
const Magic = "PAR1"

// Options controls Open. The zero value reads Hive-style partition columns and
// decodes with GOMAXPROCS goroutines.
type Options struct {
	// NoPartitions ignores key=value directory names instead of turning them
	// into columns.
	NoPartitions bool

	// Workers bounds the goroutines that decode column chunks; 0 means
	// GOMAXPROCS. The result does not depend on it.
	Workers int
}

// Dataset is an opened Parquet file or directory of Parquet files. Open reads
// only the footers; rows are read by Read and Scan. A Dataset holds no open
// file between calls and is safe for concurrent use.
type Dataset struct {
	path   string
	dir    bool
	opt    Options
	files  []*pfile
	fields []Field    // file columns in the first file's order, then partition keys
	keys   []*partKey // partition columns
	rows   int64

	lineageMu sync.Mutex
	lineage   *Lineage // cached once computed
}

// pfile is one Parquet file of a dataset.
type pfile struct {
	path     string // path to open
	rel      string // path relative to the dataset directory, '/'-separated; the base name for a file
	size     int64
	modTime  time.Time
	pf       *parquet.File
	cols     map[string]*column
	order    []string // column names in schema order
	rgRows   []int64
	rowStart int64 // row of the dataset where this file starts
	rows     int64
	parts    []string // raw partition values, in key order
	mem      []byte   // the file's bytes when it is read from memory (fuzzing)
}

// source is an open file: pages are read with ReadAt, lineage with Read.
type source interface {
	io.ReaderAt
	io.Reader
	io.Closer
}

type memSource struct{ *bytes.Reader }

func (memSource) Close() error { return nil }

// Open opens a Parquet file, or a directory holding a partitioned export: the
// files ending in .parquet, .parq or .pq found below it (names starting with
// '_' or '.' are skipped, as are such directories), read as one table in
// sorted order of their '/'-separated relative paths. Only the file footers
// are read. Every file must have the same columns with the same types (their
// order may differ; the first file's order is used).
func Open(path string, opts ...Options) (*Dataset, error) {
	var opt Options
	if len(opts) > 0 {
		opt = opts[0]
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	d := &Dataset{path: path, opt: opt, dir: st.IsDir()}
	if d.dir {
		rels, err := listParquet(path)
		if err != nil {
			return nil, err
		}
		if len(rels) == 0 {
			return nil, &Error{File: path, Msg: "the directory holds no Parquet files (*.parquet, *.parq or *.pq; names starting with '_' or '.' are skipped)"}
		}
		for _, rel := range rels {
			d.files = append(d.files, &pfile{path: filepath.Join(path, filepath.FromSlash(rel)), rel: rel})
		}
	} else {
		d.files = []*pfile{{path: path, rel: filepath.Base(path)}}
	}
	for _, f := range d.files {
		if err := f.open(); err != nil {
			return nil, err
		}
		f.rowStart = d.rows
		d.rows += f.rows
	}
	if err := d.unify(); err != nil {
		return nil, err
	}
	return d, nil
}

// openBytes opens a Parquet file held in memory; name is used in messages.
// It serves the fuzz test.
func openBytes(name string, data []byte) (*Dataset, error) {
	d := &Dataset{path: name, files: []*pfile{{path: name, rel: name, mem: data}}}
	if err := d.files[0].open(); err != nil {
		return nil, err
	}
	d.rows = d.files[0].rows
	if err := d.unify(); err != nil {
		return nil, err
	}
	return d, nil
}

// listParquet returns the relative paths of the Parquet files below dir,
// sorted.
func listParquet(dir string) ([]string, error) {
	var rels []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		name := e.Name()
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".parquet", ".parq", ".pq":
		default:
			return nil
		}
		if !e.Type().IsRegular() {
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.ContainsAny(rel, "\n\\") {
			return &Error{File: p, Msg: "a file name holding a line break or backslash cannot be recorded in the lineage; rename it"}
		}
		rels = append(rels, rel)
		return nil
	})
	sort.Strings(rels)
	return rels, err
}

// open reads the footer of the file and checks it.
func (f *pfile) open() error {
	var h source
	if f.mem != nil {
		h, f.size = memSource{bytes.NewReader(f.mem)}, int64(len(f.mem))
	} else {
		osf, err := os.Open(f.path)
		if err != nil {
			return err
		}
		st, err := osf.Stat()
		if err != nil {
			osf.Close()
			return err
		}
		h, f.size, f.modTime = osf, st.Size(), st.ModTime()
	}
	defer h.Close()
	if err := checkFraming(h, f.path, f.size); err != nil {
		return err
	}
	err := guard(f.path, "", func() error {
		pf, err := parquet.OpenFile(h, f.size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(256<<10))
		if err != nil {
			return &Error{File: f.path, Msg: "is truncated or not a Parquet file: " + err.Error(), Err: err}
		}
		f.pf = pf
		return nil
	})
	if err != nil {
		return err
	}
	md := f.pf.Metadata()
	fsch, err := parseSchema(md.Schema)
	if err != nil {
		return &Error{File: f.path, Msg: "is truncated or not a Parquet file: " + err.Error(), Err: err}
	}
	f.cols = make(map[string]*column, len(fsch.cols))
	for _, c := range fsch.cols {
		f.cols[c.Name] = c
		f.order = append(f.order, c.Name)
	}
	for i := range md.RowGroups {
		rg := &md.RowGroups[i]
		if len(rg.Columns) != fsch.leaves {
			return &Error{File: f.path, Msg: fmt.Sprintf("is corrupt: row group %d has %d column chunks, the schema has %d leaf columns", i, len(rg.Columns), fsch.leaves)}
		}
		var bytes int64
		for j := range rg.Columns {
			cb := rg.Columns[j].MetaData.TotalCompressedSize
			if cb < 0 || cb > f.size {
				return &Error{File: f.path, Msg: fmt.Sprintf("is corrupt: a column chunk of row group %d claims %d bytes in a file of %d", i, cb, f.size)}
			}
			bytes += cb
		}
		// A damaged footer can claim any number of rows; allocating them
		// would exhaust memory before decoding fails. Real row groups stay far
		// below this ceiling (4096 rows per compressed byte, at least 1 Mi
		// rows, at most MaxInt32).
		limit := max(int64(1)<<20, 4096*bytes)
		if rg.NumRows < 0 || rg.NumRows > min(limit, math.MaxInt32) {
			return &Error{File: f.path, Msg: fmt.Sprintf("is corrupt: row group %d claims %d rows in %d bytes", i, rg.NumRows, bytes)}
		}
		f.rgRows = append(f.rgRows, rg.NumRows)
		f.rows += rg.NumRows
	}
	if md.NumRows != f.rows {
		return &Error{File: f.path, Msg: fmt.Sprintf("is corrupt: the footer says %d rows, its row groups hold %d", md.NumRows, f.rows)}
	}
	if len(f.pf.RowGroups()) != len(md.RowGroups) {
		return &Error{File: f.path, Msg: "is corrupt: row groups do not match the footer"}
	}
	return nil
}

// checkFraming checks the magic bytes at both ends and the footer length, so
// that a file of another kind or a cut-off copy gets a message saying so.
func checkFraming(r io.ReaderAt, path string, size int64) error {
	var head [4]byte
	n, _ := r.ReadAt(head[:], 0)
	if n < 4 || string(head[:]) != "PAR1" {
		if n >= 4 && string(head[:]) == "PARE" {
			return &Error{File: path, Msg: "is an encrypted Parquet file; encryption is not supported"}
		}
		if size == 0 {
			return &Error{File: path, Msg: "is empty, not a Parquet file"}
		}
		return &Error{File: path, Msg: fmt.Sprintf("is not a Parquet file: it starts with %s, not the \"PAR1\" magic", sniff(r, size))}
	}
	if size < 12 {
		return &Error{File: path, Msg: fmt.Sprintf("is truncated or not a Parquet file: only %s", plural(size, "byte"))}
	}
	var tail [8]byte
	if n, err := r.ReadAt(tail[:], size-8); n < 8 {
		return &Error{File: path, Msg: "is truncated or not a Parquet file: cannot read its last 8 bytes", Err: err}
	}
	if string(tail[4:]) != "PAR1" {
		return &Error{File: path, Msg: fmt.Sprintf("is truncated or not a Parquet file: it does not end with the \"PAR1\" magic (%s; a partial download or copy?)", plural(size, "byte"))}
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer > size-12 {
		return &Error{File: path, Msg: fmt.Sprintf("is truncated or not a Parquet file: its footer claims %s but the file has %s", plural(footer, "byte"), plural(size, "byte"))}
	}
	return nil
}

// sniff says what the start of a non-Parquet file looks like.
func sniff(r io.ReaderAt, size int64) string {
	buf := make([]byte, min(size, 512))
	n, _ := r.ReadAt(buf, 0)
	b := buf[:n]
	switch {
	case len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b:
		return "gzip data"
	case len(b) >= 4 && string(b[:4]) == "\x28\xb5\x2f\xfd":
		return "zstd data"
	case len(b) >= 3 && string(b[:3]) == "BZh":
		return "bzip2 data"
	case len(b) >= 4 && string(b[:4]) == "PK\x03\x04":
		return "a zip archive (an .xlsx workbook?)"
	case len(b) >= 4 && string(b[:4]) == "\xd0\xcf\x11\xe0":
		return "an old Office document (.xls?)"
	case len(b) >= 4 && string(b[:4]) == "ORC" || len(b) >= 3 && string(b[:3]) == "ORC":
		return "ORC data"
	case len(b) >= 4 && string(b[:4]) == "Obj\x01":
		return "Avro data"
	}
	text := 0
	for _, c := range b {
		if c == '\n' || c == '\r' || c == '\t' || c >= 0x20 && c != 0x7f {
			text++
		}
	}
	if len(b) > 0 && text == len(b) {
		return "text (CSV?)"
	}
	return fmt.Sprintf("the bytes %q", b[:min(len(b), 4)])
}

// unify checks that the files agree and builds the dataset schema.
func (d *Dataset) unify() error {
	first := d.files[0]
	names := first.order
	for _, name := range names {
		c := first.cols[name]
		f := c.Field
		for _, o := range d.files[1:] {
			oc, ok := o.cols[name]
			if !ok {
				return &Error{File: o.path, Column: name, Msg: fmt.Sprintf("schemas differ: the column is in %s but not in this file", first.path)}
			}
			if oc.typeKey() != c.typeKey() {
				return &Error{File: o.path, Column: name, Msg: fmt.Sprintf("schemas differ: the column is %s here but %s in %s", oc.Type, c.Type, first.path)}
			}
			f.Nullable = f.Nullable || oc.Nullable
		}
		d.fields = append(d.fields, f)
	}
	for _, o := range d.files[1:] {
		if len(o.cols) != len(names) {
			for n := range o.cols {
				if _, ok := first.cols[n]; !ok {
					return &Error{File: o.path, Column: n, Msg: fmt.Sprintf("schemas differ: the column is in this file but not in %s", first.path)}
				}
			}
		}
	}
	if d.dir && !d.opt.NoPartitions {
		return d.partitions(names)
	}
	return nil
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// workers returns the number of decoding goroutines.
func (d *Dataset) workers() int {
	if d.opt.Workers > 0 {
		return d.opt.Workers
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// Path returns the path given to Open.
func (d *Dataset) Path() string { return d.path }

// NumRows returns the number of rows, from the file footers.
func (d *Dataset) NumRows() int64 { return d.rows }

// Schema returns the columns in table order: the file columns in the first
// file's order, then the partition columns in directory order. No row is
// read.
func (d *Dataset) Schema() []Field { return append([]Field(nil), d.fields...) }

// Files returns the paths of the Parquet files, in reading order.
func (d *Dataset) Files() []string {
	out := make([]string, len(d.files))
	for i, f := range d.files {
		out[i] = f.path
	}
	return out
}

// openForRead reopens a file for reading its pages and checks that it is
// still the file whose footer Open read.
func (f *pfile) openForRead() (source, error) {
	if f.mem != nil {
		return memSource{bytes.NewReader(f.mem)}, nil
	}
	h, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	st, err := h.Stat()
	if err != nil {
		h.Close()
		return nil, err
	}
	if st.Size() != f.size || !st.ModTime().Equal(f.modTime) {
		h.Close()
		return nil, &Error{File: f.path, Msg: "the file changed since it was opened; open it again"}
	}
	return h, nil
}

var errStop = errors.New("stop")

// chunk returns the column chunk of leaf in row group rg.
func (f *pfile) chunk(rg, leaf int) (*parquet.FileColumnChunk, *format.ColumnMetaData, error) {
	cc, ok := f.pf.RowGroups()[rg].ColumnChunks()[leaf].(*parquet.FileColumnChunk)
	if !ok {
		return nil, nil, fmt.Errorf("unexpected column chunk type %T", f.pf.RowGroups()[rg].ColumnChunks()[leaf])
	}
	return cc, &f.pf.Metadata().RowGroups[rg].Columns[leaf].MetaData, nil
}
