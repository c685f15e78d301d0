package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
)

// Execution modes: how a run holds and reads its table (the top-level
// `execution:` block, docs/config.md). A stage dispatches on Env.Mode():
// memory is the table in the State (State.Table); stream is a table read
// in passes from a spill file (State.Stream, stream.go); database leaves
// the rows in the input's database (State.Database, a relation of SQL
// layers that stages query; docs/warehouse.md).
//
// Adding a mode is: a constant here, its name in executionModes, its
// resolution in resolveExecution (forced, and whether auto may pick it),
// its handle in the State beside Table, Stream and Database, set by the
// ingest stage, and one case at the top of each stage's Run (`case
// pipeline.ModeDatabase: return s.runDatabase(...)`) — stages without one
// fail with UnsupportedMode. A stage that refuses some of its features in
// a mode states them once, in its config's CheckMode (ModeChecker,
// modecheck.go), which the run checks before the input is read.
const (
	// ModeMemory reads the whole table into memory (State.Table).
	ModeMemory = "memory"
	// ModeStream streams the table in batches over a few passes, with
	// memory bounded by the batch size, not the row count (State.Stream).
	ModeStream = "stream"
	// ModeAuto chooses memory or stream from the input's estimated
	// in-memory size and execution.memory_limit.
	ModeAuto = "auto"
	// ModeDatabase leaves the rows in the input's database: the stages
	// run their row work there as SQL and read back aggregates and a
	// sample (State.Database; docs/warehouse.md). Never chosen by auto.
	ModeDatabase = "database"
)

// executionModes are the values of execution.mode.
var executionModes = []string{ModeAuto, ModeMemory, ModeStream, ModeDatabase}

// Defaults of the execution block.
const (
	DefaultExecutionMode = ModeAuto
	// DefaultSampleRows is the size of the seeded row sample a streamed
	// run fits its model on (and draws its point plots from).
	DefaultSampleRows = 200_000
	// DefaultRefinePasses is the most full-data Lloyd iterations a
	// streamed run refines the sample's model with (fewer when the centres
	// stop moving).
	DefaultRefinePasses = 10
	// DefaultBatchRows is the rows per batch of a streamed run.
	DefaultBatchRows = 65_536
	// DefaultMemoryShare is the share of the machine's available memory
	// (MemAvailable, or a cgroup limit when lower) that memory_limit
	// defaults to.
	DefaultMemoryShare = 0.5
	// BytesPerCell is the in-memory cost of one cell that execution mode
	// auto assumes: the peak of a whole in-memory run over the cells read.
	// Calibrated on 10M rows × 38 columns of the churn table, where the
	// in-memory run peaks at 2.90 GB (bench/e2e, with int columns in their
	// narrowest type and GOGC 25): 7.6 B a cell, rounded up. (Before those
	// changes it was 10.1 GB, 27 B a cell; issue 10.)
	BytesPerCell = 8
)

// ExecutionConfig is the `execution:` block: how the run holds its table.
type ExecutionConfig struct {
	// Mode is memory (read the whole table into memory), stream (read it
	// in batches over a few passes, memory bounded by the batch size),
	// auto (stream when the input's estimated in-memory size exceeds
	// memory_limit) or database (the input must be a database source,
	// postgres: the clean steps, the statistics of eda, cluster and profile
	// and the scoring run as SQL inside it, and only aggregates and a
	// sample leave it). Default auto.
	Mode string `yaml:"mode" json:"mode"`
	// MemoryLimit is the memory the run may use: a size ("4GB", "512MiB",
	// bytes) or a share of the machine's available memory ("50%"). Mode
	// auto compares the input's estimated in-memory size with it; a
	// streamed run keeps the Go heap under it. Default 50% of MemAvailable
	// (/proc/meminfo, or the cgroup limit when lower).
	MemoryLimit string `yaml:"memory_limit" json:"memory_limit,omitempty"`
	// SampleRows is the size of the seeded uniform row sample a streamed
	// run fits its model (k selection included) on and draws its point
	// plots from. Default 200000.
	SampleRows int `yaml:"sample_rows" json:"sample_rows"`
	// RefinePasses is the number of full-data Lloyd iterations (one pass
	// each) that refine the model fitted on the sample in a streamed run;
	// fewer when the centres stop moving (k-means' tol). The first pass
	// also keeps a seeded subsample on which Lloyd converges in memory
	// before the second. 0 keeps the sample's model. Default 10.
	RefinePasses int `yaml:"refine_passes" json:"refine_passes"`
	// BatchRows is the rows per batch of a streamed run. Default 65536.
	BatchRows int `yaml:"batch_rows" json:"batch_rows"`
	// TempDir holds a streamed run's temporary files (the spilled table,
	// partitions of exact distinct counts and dedupe), removed as soon as
	// they are created (the space is freed when the run ends, however it
	// ends). Relative to the config file's folder. Default the system's
	// temporary folder ($TMPDIR or /tmp).
	TempDir confyaml.Path `yaml:"temp_dir" json:"temp_dir,omitempty"`
	// Database tunes mode: database.
	Database DatabaseExecution `yaml:"database" json:"database,omitzero"`
}

// DatabaseExecution tunes execution.mode: database.
type DatabaseExecution struct {
	// PerPartition runs every statement once per leaf partition when the
	// input table is partitioned into postgres_fdw foreign tables (a
	// sharded setup), so that PostgreSQL ships the aggregates and the
	// scoring to the shards; false runs them over the partitioned table,
	// aggregated on the coordinator. Default true.
	PerPartition bool `yaml:"per_partition" json:"per_partition"`
}

// IsZero reports that the block holds its defaults, so that the effective
// config of a run without it (and its sha256) does not list it.
func (d DatabaseExecution) IsZero() bool { return d == defaultExecution().Database }

// defaultExecution is the block's defaults.
func defaultExecution() ExecutionConfig {
	return ExecutionConfig{Mode: DefaultExecutionMode, SampleRows: DefaultSampleRows, RefinePasses: DefaultRefinePasses, BatchRows: DefaultBatchRows,
		Database: DatabaseExecution{PerPartition: true}}
}

// DatabaseMode reports whether the run keeps its rows in the input's
// database (execution.mode: database).
func (c *Config) DatabaseMode() bool { return c != nil && c.Execution.Mode == ModeDatabase }

// DatabaseTable is the run's table while its rows stay in the input's
// database (execution.mode: database), in State.Database: the ingest
// stage opens it, clean stages add SQL to it, and the other stages query
// it. Its concrete type belongs to internal/pushdown.
type DatabaseTable interface {
	// Columns are the table's current column names.
	Columns() []string
	// Rows is the number of rows, when a count established it.
	Rows() (int, bool)
}

// validate checks the block's values, and for mode database that the
// input and output can run that way.
func (e *ExecutionConfig) validate(fe *confyaml.FieldErrors, in *InputConfig, out *OutputConfig) {
	ok := false
	for _, m := range executionModes {
		ok = ok || e.Mode == m
	}
	if !ok {
		fe.Add("execution.mode", "unknown execution mode %q (want %s)", e.Mode, strings.Join(executionModes, ", "))
	}
	switch e.Mode {
	case ModeStream:
		if out.KeepTables {
			fe.Add("output.keep_tables", "execution.mode: stream never holds the whole table, so it cannot write it after each stage; turn keep_tables off or use mode memory")
		}
	case ModeDatabase:
		e.validateDatabase(fe, in, out)
	}
	if e.MemoryLimit != "" {
		if _, _, err := parseMemoryLimit(e.MemoryLimit, 1<<30); err != nil {
			fe.Add("execution.memory_limit", "%v", err)
		}
	}
	if e.SampleRows < 100 {
		fe.Add("execution.sample_rows", "must be at least 100, got %d", e.SampleRows)
	}
	if e.RefinePasses < 0 {
		fe.Add("execution.refine_passes", "must be 0 (keep the sample's model) or more, got %d", e.RefinePasses)
	}
	if e.BatchRows < 1024 || e.BatchRows > 1<<24 {
		fe.Add("execution.batch_rows", "must be between 1024 and 16777216, got %d", e.BatchRows)
	}
}

// validateDatabase checks that the input and output can run in mode
// database.
func (e *ExecutionConfig) validateDatabase(fe *confyaml.FieldErrors, in *InputConfig, out *OutputConfig) {
	if f := in.factory; f.Format != "" && !f.Pushdown {
		fe.Add("execution.mode", "database mode runs the row work inside the input's database, but the input is read by the %s source (%s); read it from PostgreSQL (input.dsn and input.table or input.query), or use mode: memory", f.Format, in.Describe())
	}
	if len(in.Types) > 0 {
		fe.Add("input.types", "execution.mode: database reads each column with its own SQL type; cast columns in input.query (e.g. \"Zip Code\"::text) or with a clean cast step instead")
	}
	if in.WeightColumn != "" {
		fe.Add("input.weight_column", "execution.mode: database does not weigh rows yet; remove input.weight_column or use mode: memory")
	}
	if out.KeepTables {
		fe.Add("output.keep_tables", "execution.mode: database keeps the rows in the database: there is no table to write after each stage; remove output.keep_tables")
	}
}

// parseMemoryLimit reads a memory_limit value: "60%" of available, or a
// size with an optional unit (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB).
func parseMemoryLimit(s string, available int64) (bytes int64, share float64, err error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(v > 0 && v <= 100) {
			return 0, 0, fmt.Errorf("%q: a share of the available memory is a percentage in (0, 100], e.g. 50%%", s)
		}
		return int64(float64(available) * v / 100), v / 100, nil
	}
	num := strings.TrimRight(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")
	unit := strings.ToLower(strings.TrimSpace(t[len(num):]))
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	v, perr := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if mult == 0 || perr != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, 0, fmt.Errorf("%q is not a memory size: write e.g. 4GB, 512MiB, 2000000000 or 50%%", s)
	}
	b := v * mult
	if b < 64<<20 {
		return 0, 0, fmt.Errorf("%q is below 64 MB, too little to run in", s)
	}
	return int64(b), 0, nil
}

// availableMemory is the memory the machine can give a new process: /proc
// /meminfo's MemAvailable, or the cgroup's limit (v2 memory.max, v1
// memory.limit_in_bytes) when lower; how says where it came from.
func availableMemory() (bytes int64, how string) {
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
				fields := strings.Fields(rest)
				if len(fields) > 0 {
					if kb, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
						bytes, how = kb<<10, "MemAvailable"
					}
				}
			}
		}
		f.Close()
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && v < 1<<50 && (bytes == 0 || v < bytes) {
			bytes, how = v, "the cgroup memory limit "+p
		}
	}
	if bytes == 0 {
		bytes, how = 4<<30, "an assumed 4 GiB (neither /proc/meminfo nor a cgroup limit could be read)"
	}
	return bytes, how
}

// Execution is how the run holds its table, as resolved before the first
// stage: recorded in the manifest, read by stages through Env.Execution.
type Execution struct {
	// Mode is the mode the run uses: memory, stream or database.
	Mode string `json:"mode"`
	// Requested is execution.mode as configured (auto, memory, stream,
	// database).
	Requested string `json:"requested"`
	// Reason says why Mode was chosen, in words.
	Reason string `json:"reason"`
	// MemoryLimit is execution.memory_limit in bytes, and where it came
	// from.
	MemoryLimit     int64  `json:"memory_limit_bytes"`
	MemoryLimitFrom string `json:"memory_limit_from"`
	// Estimate is the input's estimated size (nil when the source cannot
	// tell: a stream, a database query).
	Estimate *SourceSize `json:"estimate,omitempty"`
	// EstimatedBytes is the in-memory size auto compared with the limit
	// (BytesPerCell × rows × columns); 0 when unknown.
	EstimatedBytes int64 `json:"estimated_memory_bytes,omitempty"`

	// Stream settings and what the streamed run did (mode stream).
	SampleRows   int          `json:"sample_rows,omitempty"`
	RefinePasses int          `json:"refine_passes,omitempty"`
	BatchRows    int          `json:"batch_rows,omitempty"`
	TempDir      string       `json:"-"`
	SpillBytes   int64        `json:"spill_bytes,omitempty"`
	Passes       []PassRecord `json:"passes,omitempty"`
	// Sampled is the number of rows in the fitted sample (≤ SampleRows).
	Sampled int `json:"sampled_rows,omitempty"`
}

// PassRecord is one pass of a streamed run over its table.
type PassRecord struct {
	Stage   string  `json:"stage"`
	Name    string  `json:"name"`
	Rows    int64   `json:"rows"`
	Bytes   int64   `json:"bytes"` // read from the source (first pass) or the spill
	Seconds float64 `json:"seconds"`
}

// SourceSize is what a source can tell of its size before reading rows
// (Sizer), for execution mode auto.
type SourceSize struct {
	// Rows is the number of data rows: exact (RowsExact) from metadata
	// (Parquet footers), else estimated; -1 when unknown.
	Rows      int64 `json:"rows"`
	RowsExact bool  `json:"rows_exact"`
	// Columns is the number of columns that would be read.
	Columns int `json:"columns"`
	// Bytes is the input's size as stored; -1 when unknown.
	Bytes int64 `json:"bytes"`
	// How says how Rows was found, e.g. "estimated from the file size and
	// the mean length of the first 1 MiB of records".
	How string `json:"how"`
}

// Sizer is implemented by sources that can estimate their size without
// reading their rows (a file's size and first bytes, Parquet footers):
// execution mode auto compares the estimate with memory_limit.
type Sizer interface {
	Size(ctx context.Context, columns []string) (SourceSize, error)
}

// resolveExecution decides the run's mode before the first stage: a
// forced mode as configured; auto streams when the input's estimated
// in-memory size (BytesPerCell × rows × columns) exceeds memory_limit, and
// stays in memory when the size cannot be estimated (a stream, a database
// query).
func resolveExecution(ctx context.Context, cfg *Config, in *OpenedInput) *Execution {
	e := cfg.Execution
	avail, how := availableMemory()
	ex := &Execution{Requested: e.Mode, SampleRows: e.SampleRows, RefinePasses: e.RefinePasses, BatchRows: e.BatchRows, TempDir: string(e.TempDir)}
	if e.MemoryLimit == "" {
		ex.MemoryLimit = int64(float64(avail) * DefaultMemoryShare)
		ex.MemoryLimitFrom = fmt.Sprintf("%.0f%% of %s (%s)", 100*DefaultMemoryShare, how, byteSize(float64(avail)))
	} else {
		b, share, _ := parseMemoryLimit(e.MemoryLimit, avail) // checked when loaded
		ex.MemoryLimit, ex.MemoryLimitFrom = b, "execution.memory_limit"
		if share > 0 {
			ex.MemoryLimitFrom = fmt.Sprintf("execution.memory_limit: %s of %s (%s)", e.MemoryLimit, how, byteSize(float64(avail)))
		}
	}
	if in != nil && in.Source != nil {
		if sz, ok := in.Source.(Sizer); ok {
			if s, err := sz.Size(ctx, in.Columns); err == nil {
				ex.Estimate = &s
				if s.Rows >= 0 {
					ex.EstimatedBytes = BytesPerCell * s.Rows * int64(max(1, s.Columns))
				}
			}
		}
	}
	switch e.Mode {
	case ModeMemory, ModeStream, ModeDatabase:
		ex.Mode, ex.Reason = e.Mode, "execution.mode: "+e.Mode
	default:
		switch {
		case ex.EstimatedBytes == 0:
			ex.Mode, ex.Reason = ModeMemory, "auto: the input's size cannot be estimated before reading it (a stream or a query), so it is read into memory; set execution.mode: stream for inputs larger than memory"
		case ex.EstimatedBytes > ex.MemoryLimit:
			ex.Mode = ModeStream
			ex.Reason = fmt.Sprintf("auto: the input's estimated in-memory size %s (%d B × %d rows × %d columns) exceeds memory_limit %s", byteSize(float64(ex.EstimatedBytes)), BytesPerCell, ex.Estimate.Rows, ex.Estimate.Columns, byteSize(float64(ex.MemoryLimit)))
		default:
			ex.Mode = ModeMemory
			ex.Reason = fmt.Sprintf("auto: the input's estimated in-memory size %s (%d B × %d rows × %d columns) fits in memory_limit %s", byteSize(float64(ex.EstimatedBytes)), BytesPerCell, ex.Estimate.Rows, ex.Estimate.Columns, byteSize(float64(ex.MemoryLimit)))
		}
	}
	if ex.Mode != ModeStream {
		ex.SampleRows, ex.RefinePasses, ex.BatchRows = 0, 0, 0
	}
	return ex
}

// UnsupportedMode is the error of a stage feature (what) that cannot run
// in the run's execution mode, naming what to do instead; a ModeChecker
// returns it under the YAML key of the feature.
func UnsupportedMode(mode, what string) error {
	return fmt.Errorf("%s is not available in execution mode %s; set execution.mode: memory (or leave the run to mode auto on a machine with the memory for it)", what, mode)
}
