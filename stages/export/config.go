package export

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the export stage's config block.
type Config struct {
	// Customers is the customer-level export: id, segment, segment name and
	// the chosen columns.
	Customers Customers `yaml:"customers" json:"customers"`
	// Database writes the customer results (the rows of customers.parquet)
	// to a PostgreSQL table, all or nothing, once every stage of the run
	// has succeeded and just before the run is published. Off unless
	// table is given.
	Database Database `yaml:"database" json:"database"`
}

// Customers configures the customer-level export.
type Customers struct {
	// Columns are the attribute columns written after id, segment and
	// segment_name: any column of the table at this point (features,
	// categories, the outcome). Default: the cluster stage's features.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// Formats are csv, xlsx (a workbook with a Customers and a Segments
	// sheet) and parquet (the customer results for other programs: id,
	// segment, segment_name, distance, run_id, model_sha256 and the
	// columns). Default [csv]; may be empty when database.table is set.
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
	return &Config{
		Customers: Customers{Formats: []string{"csv"}, File: "customers"},
		Database:  Database{Mode: ModeReplace, Create: true},
	}
}

// fileName is what a file name may hold; it stays inside the run folder.
var fileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	cu := c.Customers
	if len(cu.Formats) == 0 && !c.Database.enabled() {
		fe.Add("customers.formats", "list at least one of csv, xlsx, parquet (or write to a database with database.table)")
	}
	seen := map[string]bool{}
	for i, f := range cu.Formats {
		k := fmt.Sprintf("customers.formats[%d]", i)
		switch {
		case f != "csv" && f != "xlsx" && f != "parquet":
			fe.Add(k, "unknown format %q (want csv, xlsx or parquet)", f)
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
	c.Database.validate(&fe)
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
		case c.results() && slices.Contains(resultColumns, col):
			s.Errorf(key, "%q is a column the customer results (parquet, database) add; rename it with a clean step first", col)
		}
	}
	switch id := s.ID(); {
	case id == "segment" || id == "segment_name":
		s.Errorf("customers", "the id column %q has the name of a column the export adds; rename it with a clean step first", id)
	case c.results() && slices.Contains(resultColumns, id):
		s.Errorf("customers", "the id column %q has the name of a column the customer results add; rename it with a clean step first", id)
	}
}

// results reports whether customer results are written (parquet or a
// database), which add distance, run_id and model_sha256.
func (c *Config) results() bool {
	return slices.Contains(c.Customers.Formats, "parquet") || c.Database.enabled()
}
