package export

import (
	"encoding/json"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/pgio"
)

// The database modes.
const (
	// ModeReplace: the table holds the latest published run's customers;
	// each run replaces every row.
	ModeReplace = "replace"
	// ModeAppendRun: the table keeps every run's customers, told apart by
	// run_id; a run replaces only the rows of its own run id.
	ModeAppendRun = "append-run"
)

// Database configures the PostgreSQL destination of the customer results.
type Database struct {
	// DSN is the connection: a URL (postgres://user@host:5432/db) or
	// key=value pairs (host=/run/postgresql dbname=db); what it leaves out
	// comes from the PG* environment variables and ~/.pgpass, as with psql.
	// Write it as ${VAR} to keep the password out of the file; it is shown
	// only with its password masked (manifest, logs, errors). Required with
	// table.
	DSN DSN `yaml:"dsn" json:"dsn,omitempty"`
	// Table is the target table (customers, analytics.segments, "My
	// Table"; names are taken exactly as written, not folded to lower
	// case). Empty: no database write. Default "".
	Table string `yaml:"table" json:"table,omitempty"`
	// Mode is replace (every row of the table is replaced by this run's)
	// or append-run (only the rows with this run's run_id are replaced;
	// other runs' rows stay). Default replace.
	Mode string `yaml:"mode" json:"mode"`
	// Create creates a missing table (bigint, double precision, text
	// columns); false makes a missing table an error. Default true.
	Create bool `yaml:"create" json:"create"`
}

// enabled reports whether a database write is configured.
func (d Database) enabled() bool { return d.Table != "" || d.DSN != "" }

func (d Database) validate(fe *confyaml.FieldErrors) {
	switch d.Mode {
	case ModeReplace, ModeAppendRun:
	default:
		fe.Add("database.mode", "unknown mode %q (want replace or append-run)", d.Mode)
	}
	if !d.enabled() {
		return
	}
	if d.DSN == "" {
		fe.Add("database.dsn", "give the connection (e.g. dsn: ${SEGMENT_PG_DSN}) to write to table %q", d.Table)
	}
	if d.Table == "" {
		fe.Add("database.table", "give the table to write the customer results to (the DSN is set)")
	} else if _, err := pgio.ParseTableName(d.Table); err != nil {
		fe.Add("database.table", "%v", err)
	}
}

// DSN is a connection string that never shows its password: the
// effective config in the manifest, `segment stages` and %v print it with
// every password masked (pgio.RedactDSN).
type DSN string

// MarshalJSON writes the DSN with its passwords masked.
func (d DSN) MarshalJSON() ([]byte, error) {
	if d == "" {
		return json.Marshal("")
	}
	return json.Marshal(pgio.RedactDSN(string(d)))
}

// String is the DSN with its passwords masked.
func (d DSN) String() string { return pgio.RedactDSN(string(d)) }
