package export

import (
	"fmt"
	"regexp"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the export stage's config block.
type Config struct {
	// Customers is the customer-level export: id, segment, segment name and
	// the chosen columns.
	Customers Customers `yaml:"customers" json:"customers"`
}

// Customers configures the customer-level export.
type Customers struct {
	// Columns are the attribute columns written after id, segment and
	// segment_name: any column of the table at this point (features,
	// categories, the outcome). Default: the cluster stage's features.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// Formats are csv and/or xlsx (a workbook with a Customers and a
	// Segments sheet). Default [csv].
	Formats []string `yaml:"formats" json:"formats"`
	// File is the files' name without extension: letters, digits, '.',
	// '_' and '-'. Default customers.
	File string `yaml:"file" json:"file"`
}

var (
	_ pipeline.Validator     = (*Config)(nil)
	_ pipeline.ColumnChecker = (*Config)(nil)
)

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{Customers: Customers{Formats: []string{"csv"}, File: "customers"}}
}

// fileName is what a file name may hold; it stays inside the run folder.
var fileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	cu := c.Customers
	if len(cu.Formats) == 0 {
		fe.Add("customers.formats", "list at least one of csv, xlsx")
	}
	seen := map[string]bool{}
	for i, f := range cu.Formats {
		k := fmt.Sprintf("customers.formats[%d]", i)
		switch {
		case f != "csv" && f != "xlsx":
			fe.Add(k, "unknown format %q (want csv or xlsx)", f)
		case seen[f]:
			fe.Add(k, "format %q is listed twice", f)
		}
		seen[f] = true
	}
	if !fileName.MatchString(cu.File) {
		fe.Add("customers.file", "%q is not a file name: use 1 to 100 letters, digits, '.', '_' and '-', starting with a letter or digit (no folder)", cu.File)
	}
	cols := map[string]bool{}
	for i, col := range cu.Columns {
		if cols[col] {
			fe.Add(fmt.Sprintf("customers.columns[%d]", i), "column %q is listed twice", col)
		}
		cols[col] = true
	}
	return fe.Err()
}

// CheckColumns implements pipeline.ColumnChecker: the columns must exist
// here, and none may be the id column (always first) or take the name of a
// column the export adds.
func (c *Config) CheckColumns(s *pipeline.Schema) {
	for i, col := range c.Customers.Columns {
		key := fmt.Sprintf("customers.columns[%d]", i)
		if !s.Require(key, col) {
			continue
		}
		switch {
		case col == s.ID() && col != "":
			s.Errorf(key, "%q is the id column (input.id); it is always the first column", col)
		case col == "segment" || col == "segment_name":
			s.Errorf(key, "%q is a column the export adds; rename it with a clean step first", col)
		}
	}
}
