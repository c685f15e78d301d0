package pipeline

import (
	"github.com/churnlab/segment/internal/confyaml"
)

// The execution modes (execution.mode).
const (
	// ModeMemory reads the input into a table in memory; every stage works
	// on it (the default).
	ModeMemory = "memory"
	// ModeDatabase leaves the rows in the input's database: the stages
	// run their row work there as SQL and read back aggregates and a
	// sample (docs/warehouse.md).
	ModeDatabase = "database"
)

// ExecutionConfig says where the row work of a run happens.
type ExecutionConfig struct {
	// Mode is memory (read the input into a table; the default) or
	// database (the input must be a database source, postgres: the clean
	// steps, the statistics of eda, cluster and profile and the scoring run
	// as SQL inside it, and only aggregates and a sample leave it).
	Mode string `yaml:"mode" json:"mode"`
	// Database tunes mode: database.
	Database DatabaseExecution `yaml:"database" json:"database"`
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

// DefaultExecution is the execution block's defaults.
func DefaultExecution() ExecutionConfig {
	return ExecutionConfig{Mode: ModeMemory, Database: DatabaseExecution{PerPartition: true}}
}

// IsZero reports that the block holds the defaults, so that the effective
// config of a run without an execution block (and its sha256) is what it
// was before the block existed.
func (e ExecutionConfig) IsZero() bool { return e == DefaultExecution() }

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

// validate checks the execution block against the input.
func (e *ExecutionConfig) validate(in *InputConfig, out *OutputConfig) confyaml.FieldErrors {
	var fe confyaml.FieldErrors
	switch e.Mode {
	case ModeMemory:
		return nil
	case ModeDatabase:
	default:
		fe.Add("execution.mode", "unknown mode %q (want memory or database)", e.Mode)
		return fe
	}
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
	return fe
}
