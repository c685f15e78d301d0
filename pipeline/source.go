package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// Source is an opened input: a file, a directory of files, a stream or a
// database query. The column check opens it once per run (reading no more
// than a CSV header), keeps it open, and the ingest stage reads its rows
// from the same opened source, so standard input and pipes are read
// exactly once. A Source is used by one goroutine at a time.
type Source interface {
	// Schema lists the columns the source yields, in order, without
	// reading rows (a CSV source has read its header; a Parquet source its
	// footers; a database source has the statement's description).
	Schema(ctx context.Context) ([]Field, error)

	// Read reads the named columns (every column when columns is empty),
	// in the given order, into one table. Sources that can read only
	// those columns do (projection).
	Read(ctx context.Context, columns []string) (*frame.Table, error)

	// Scan reads the same rows as Read in batches of at most batchRows
	// rows, calling fn with each batch in order; memory stays bounded by
	// a batch. A batch passed to fn is provisional until Scan returns nil
	// (a truncated file or a dropped connection fails the scan after some
	// batches). fn may keep its batch.
	Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error

	// Lineage describes what the last successful Read or Scan saw, for the
	// manifest's input record: what was read, its size, digests proving a
	// rerun saw the same data, and facts worth a warning. Nil before.
	Lineage() *result.Input

	// Close releases the source. It is safe to call more than once.
	Close() error
}

// ResetScanner is implemented by sources whose scan can read the input
// once where Scan would read it twice (a CSV file without types for every
// column learns the kinds on the way), at the price of starting over now
// and then: ScanReset is Scan, except that it may call reset, after which
// the caller must discard every batch fn received so far, and then hands
// out the batches again from the first. An error from reset stops the
// scan. The batches kept at the end, and Lineage, are those of Scan.
type ResetScanner interface {
	ScanReset(ctx context.Context, columns []string, batchRows int, reset func() error, fn func(*frame.Table) error) error
}

// Progressor is implemented by sources that report reading progress; the
// ingest stage draws a bar from it.
type Progressor interface {
	// SetProgress installs fn, called with the units done so far and the
	// total (0 when unknown) while Read or Scan runs. It returns whether
	// the units are bytes (else rows).
	SetProgress(fn func(done, total int64)) (bytes bool)
}

// Field is one column of a source's schema, known before any row is read.
type Field struct {
	Name string
	// Kind is the frame kind the column is read as. When Inferred is true
	// it is only known once the rows are read (CSV type inference) and Kind
	// is meaningless.
	Kind     frame.Kind
	Inferred bool
	// Type is the source's own type name for messages ("INT64",
	// "BYTE_ARRAY STRING", "integer"); "" when the source has none (CSV).
	Type string
	// Unsupported says why the column cannot be read ("" when it can).
	// Such a column is left out of the read when no stage uses it; a stage
	// or input key naming it is a config error quoting this reason.
	Unsupported string
}

// Probe is what the runner knows about an input before choosing its
// source, given to each SourceFactory.Detect when input.format is not set.
type Probe struct {
	// Path is input.path as resolved ("-" for standard input); "" when
	// the input block has no path.
	Path string
	// Keys are the keys written in the input block (after --set), sorted.
	Keys []string
	// Dir reports a directory; Stream standard input, a pipe, a FIFO or a
	// device, which are never read ahead (that would consume them);
	// Missing a path that does not exist.
	Dir, Stream, Missing bool
	// Magic is what the first bytes of a regular file look like (package
	// sniff's format name: "text", "gzip", "zstd", "parquet", "xlsx", …);
	// "" when not looked at (a directory, a stream, a missing file).
	Magic string
	// DirExts are the file extensions found in a directory (lower case,
	// with the dot), for sources that read directories.
	DirExts []string
}

// Detection scores returned by SourceFactory.Detect: the source with the
// highest score reads the input (ties go to the one registered first).
const (
	DetectNo        = 0 // not this source
	DetectFallback  = 1 // this source can try (and will say what the input is if it cannot)
	DetectExtension = 2 // the file name's extension says so
	DetectContent   = 3 // the content (magic bytes, a directory of its files) or the keys given say so
)

// SourceFactory describes an input format: the value of input.format, its
// config keys and how to open it. Factories are listed in sources/sources.go
// and given to pipeline with Registry.WithSources; adding a format is one
// folder under sources/ and one line there.
type SourceFactory struct {
	// Format is the input.format value, e.g. "csv".
	Format string
	// Summary is one line for `segment sources`.
	Summary string
	// ReadsPath reports that the source reads input.path (a file,
	// directory or stream), which is then required; a source that does
	// not (a database) refuses input.path.
	ReadsPath bool
	// Pushdown reports that the row work can run inside the source's
	// database (execution.mode: database); its Source then implements
	// internal/pushdown.Backend.
	Pushdown bool
	// Detect scores how sure the source is that it reads the probed
	// input (DetectNo … DetectContent), when input.format is not set.
	Detect func(p Probe) int
	// NewConfig returns a pointer to the source's own config struct with
	// its defaults: its keys are written in the input block beside the
	// shared ones (path, format, id, columns, types, missing_hint). It may
	// implement Validator, Secrets and Describer.
	NewConfig func() any
	// Open opens the input described by in (in.Options is the pointer
	// NewConfig returned, decoded and validated). Problems that a config
	// key can fix are *InputKeyError values naming the key; anything
	// else is an error about the data or the environment.
	Open func(ctx context.Context, in *InputConfig) (Source, error)
}

// Secrets is implemented by source configs that hold secrets, such as a
// DSN's password: the runner removes them from what it records (the
// --set overrides and the command line in the manifest). The config's
// JSON form (the manifest's effective config) must not contain them.
type Secrets interface {
	Secrets() []string
}

// Describer is implemented by source configs that read no path, to name
// the input in messages, e.g. `table "customers" (host=db dbname=crm)`,
// never with a password.
type Describer interface {
	Describe() string
}

// InputKeyError is an input problem that a key of the input block can fix:
// a file that does not exist (path), a file of another format (format), a
// query the server rejects (query), a refused login (dsn). The column
// check reports it as a config error at that key (exit code 2); other
// errors of opening a source are data or run errors.
type InputKeyError struct {
	Key string // relative to the input block: "path", "table", "dsn", …
	Err error
}

func (e *InputKeyError) Error() string { return e.Err.Error() }
func (e *InputKeyError) Unwrap() error { return e.Err }

// KeyError wraps err as an *InputKeyError at key.
func KeyError(key string, err error) error {
	if err == nil {
		return nil
	}
	return &InputKeyError{Key: key, Err: err}
}

// SourceRegistry maps input formats to their factories, and carries the
// writer that output.keep_tables uses.
type SourceRegistry struct {
	byFormat map[string]SourceFactory
	order    []string

	tableExt   string
	writeTable func(w io.Writer, t *frame.Table) error
}

// NewSourceRegistry builds a registry from an explicit list. It panics on a
// duplicate or incomplete factory, or a config key that clashes with a
// shared input key: a programming error in the one file that lists the
// sources.
func NewSourceRegistry(factories ...SourceFactory) *SourceRegistry {
	r := &SourceRegistry{byFormat: map[string]SourceFactory{}}
	shared := sharedInputKeys()
	for _, f := range factories {
		if f.Format == "" || f.NewConfig == nil || f.Open == nil || f.Detect == nil {
			panic(fmt.Sprintf("pipeline: incomplete source factory %q", f.Format))
		}
		if _, dup := r.byFormat[f.Format]; dup {
			panic("pipeline: duplicate source format " + f.Format)
		}
		cfg := f.NewConfig()
		if v := reflect.ValueOf(cfg); v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			panic(fmt.Sprintf("pipeline: source %s: NewConfig returns %T, want a pointer to a struct", f.Format, cfg))
		}
		for _, k := range keysOf(cfg) {
			if slices.Contains(shared, k) {
				panic(fmt.Sprintf("pipeline: source %s: key %q is a shared input key", f.Format, k))
			}
		}
		r.byFormat[f.Format] = f
		r.order = append(r.order, f.Format)
	}
	return r
}

// WithTableWriter sets how output.keep_tables writes a table: the file
// extension (".csv") and the writer. It returns r.
func (r *SourceRegistry) WithTableWriter(ext string, write func(w io.Writer, t *frame.Table) error) *SourceRegistry {
	r.tableExt, r.writeTable = ext, write
	return r
}

// Lookup returns the factory of a format.
func (r *SourceRegistry) Lookup(format string) (SourceFactory, bool) {
	if r == nil {
		return SourceFactory{}, false
	}
	f, ok := r.byFormat[format]
	return f, ok
}

// Formats lists the formats in registration order.
func (r *SourceRegistry) Formats() []string {
	if r == nil {
		return nil
	}
	return slices.Clone(r.order)
}

// detect picks the source for a probe: the highest score, the first
// registered on ties; ok is false when no source claims it.
func (r *SourceRegistry) detect(p Probe) (SourceFactory, bool) {
	best, score := SourceFactory{}, DetectNo
	for _, format := range r.order {
		f := r.byFormat[format]
		if s := f.Detect(p); s > score {
			best, score = f, s
		}
	}
	return best, score > DetectNo
}

// otherKeyOwners names the formats (other than except) whose config has key.
func (r *SourceRegistry) otherKeyOwners(key, except string) []string {
	var out []string
	for _, format := range r.order {
		if format != except && slices.Contains(keysOf(r.byFormat[format].NewConfig()), key) {
			out = append(out, format)
		}
	}
	return out
}

// PrepareInput readies an input block built in code rather than decoded
// from a config, as `segment predict` does for its -i flag: it chooses the
// source (in.Format, or detected as Load detects it from in.Path and the
// keys present) and gives in.Options that source's defaults when it is
// nil. Set the source's own keys in in.Options afterwards, check the
// block with InputConfig.Validate, then OpenSource.
func (r *SourceRegistry) PrepareInput(in *InputConfig) error {
	in.reg = r
	f, ok := r.Lookup(in.Format)
	switch {
	case in.Format != "" && !ok:
		return fmt.Errorf("unknown input format %q (known: %s)", in.Format, strings.Join(r.Formats(), ", "))
	case in.Format == "":
		p := probeInput(string(in.Path), sharedKeysSet(in))
		if f, ok = r.detect(p); !ok {
			return fmt.Errorf("%s: cannot tell its format; give one of %s", in.Describe(), strings.Join(r.Formats(), ", "))
		}
		in.detected = describeProbe(p)
	}
	in.factory = f
	if in.Options == nil {
		in.Options = f.NewConfig()
	}
	return nil
}

// sharedKeysSet lists the shared keys an input block built in code sets.
func sharedKeysSet(in *InputConfig) []string {
	var keys []string
	if in.Path != "" {
		keys = append(keys, "path")
	}
	if in.ID != "" {
		keys = append(keys, "id")
	}
	return keys
}

// OpenSource opens the input a config describes with its source (the one
// Load or PrepareInput chose).
func (r *SourceRegistry) OpenSource(ctx context.Context, in *InputConfig) (Source, error) {
	f := in.factory
	if f.Format == "" {
		var ok bool
		if f, ok = r.Lookup(in.Format); !ok {
			return nil, fmt.Errorf("input: no source reads the format %q (known: %s)", in.Format, strings.Join(r.Formats(), ", "))
		}
	}
	return f.Open(ctx, in)
}

// ErrNoTableWriter is returned for output.keep_tables when the registry has
// no table writer.
var ErrNoTableWriter = errors.New("no table writer is registered (SourceRegistry.WithTableWriter)")
