package gota

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config holds the gota source's keys of the input block (the shared keys
// id, weight_column, types, columns are pipeline.InputConfig's).
type Config struct {
	// CSVMissing reads string cells as segment's CSV reader reads CSV
	// cells: empty or whitespace-only cells, and cells equal to one of
	// NAValues (both trimmed of spaces and tabs), are missing. For a
	// DataFrame filled by gota's ReadCSV, which keeps blank cells as the
	// string "". Default false: a cell is missing exactly when gota says
	// it is NA.
	CSVMissing bool `yaml:"csv_missing" json:"csv_missing,omitempty"`
	// NAValues are extra cell values that mean "missing" with
	// csv_missing, e.g. ["N/A", "null"]. Default none.
	NAValues []string `yaml:"na_values" json:"na_values,omitempty"`
}

var _ pipeline.Validator = (*Config)(nil)

// NewConfig returns the defaults.
func NewConfig() any { return &Config{} }

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	if len(c.NAValues) > 0 && !c.CSVMissing {
		fe.Add("na_values", "applies with csv_missing: true (segment's CSV rule: blank cells and these values are missing); set csv_missing: true or remove na_values")
	}
	return fe.Err()
}
