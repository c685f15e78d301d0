package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/pipeline"
)

// Config holds the PostgreSQL source's keys of the input block (the
// shared keys id, types, columns are pipeline.InputConfig's; path is not
// used).
type Config struct {
	// DSN says where the database is: a URL
	// (postgres://user@host:5432/db?sslmode=require) or key=value pairs
	// (host=/run/postgresql dbname=crm user=segment). What it leaves out
	// comes from the PG* environment variables and ~/.pgpass, as with
	// psql. Give the password through PGPASSWORD, ~/.pgpass or ${VAR}; it
	// never appears in logs, the manifest, errors or the report. Required.
	DSN DSN `yaml:"dsn,required" json:"dsn"`
	// Table to read: a table, view or materialized view, optionally
	// schema-qualified (sales.customers); names are taken exactly as
	// written (case and spaces kept; quote a part holding a dot:
	// "a.b"). Give table or query.
	Table string `yaml:"table" json:"table,omitempty"`
	// Query is a statement returning rows (a SELECT, without
	// parameters), run in a read-only transaction. Give table or query.
	Query string `yaml:"query" json:"query,omitempty"`
	// OrderBy sorts the rows by these columns (ascending, NULLs last, text
	// in byte order) so that the row order — which k-means seeding and the
	// manifest's row digest depend on — is repeatable. Default: input.id
	// when it is set, else none; [] reads the rows in the order the server
	// returns them.
	OrderBy []string `yaml:"order_by" json:"order_by"`
	// StatementTimeout bounds each statement the server runs, e.g. "30s"
	// or "10m" (the session's statement_timeout). Default "" (the
	// server's setting).
	StatementTimeout string `yaml:"statement_timeout" json:"statement_timeout,omitempty"`
}

// DSN is a connection string; its JSON form (the manifest's effective
// config) has the password replaced by xxxxx.
type DSN string

// MarshalJSON writes the DSN redacted.
func (d DSN) MarshalJSON() ([]byte, error) { return json.Marshal(pgio.RedactDSN(string(d))) }

var (
	_ pipeline.Validator = (*Config)(nil)
	_ pipeline.Secrets   = (*Config)(nil)
	_ pipeline.Describer = (*Config)(nil)
)

// NewConfig returns the defaults.
func NewConfig() any { return &Config{} }

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	if strings.TrimSpace(string(c.DSN)) == "" {
		fe.Add("dsn", "is empty; give a DSN such as host=/run/postgresql dbname=crm or postgres://user@host/db")
	}
	table, query := strings.TrimSpace(c.Table) != "", strings.TrimSpace(c.Query) != ""
	switch {
	case !table && !query:
		fe.Add("table", "give the table to read (table: customers) or a query (query: \"select …\")")
	case table && query:
		fe.Add("query", "give table or query, not both")
	case table:
		if _, err := pgio.ParseTableName(c.Table); err != nil {
			fe.Add("table", "%v", err)
		}
	}
	seen := map[string]bool{}
	for i, k := range c.OrderBy {
		if seen[k] {
			fe.Add(fmt.Sprintf("order_by[%d]", i), "column %q is listed twice", k)
		}
		seen[k] = true
	}
	if _, err := c.timeout(); err != nil {
		fe.Add("statement_timeout", "%v", err)
	}
	return fe.Err()
}

// timeout parses statement_timeout.
func (c *Config) timeout() (time.Duration, error) {
	s := strings.TrimSpace(c.StatementTimeout)
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30s, 10m or 1h", s)
	}
	if d > 0 && d < time.Millisecond {
		return 0, fmt.Errorf("%q is shorter than a millisecond", s)
	}
	return d, nil
}

// Secrets implements pipeline.Secrets: the DSN's passwords.
func (c *Config) Secrets() []string { return pgio.DSNSecrets(string(c.DSN)) }

// Describe implements pipeline.Describer, e.g.
//
//	postgres table "customers" (host=/run/postgresql dbname=crm)
func (c *Config) Describe() string {
	what := "query"
	if c.Table != "" {
		what = "table " + fmt.Sprintf("%q", c.Table)
	}
	return fmt.Sprintf("postgres %s (%s)", what, pgio.RedactDSN(string(c.DSN)))
}
