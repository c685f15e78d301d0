package ingest

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the ingest stage's config block. What to read and how (path,
// delimiter, encoding, na_values, types, columns, id) lives in the
// top-level `input:` block, shared with `segment validate` and
// `segment predict`.
type Config struct {
	// MaxRows stops after this many data rows (0 reads all). For trying a
	// config on the head of a large file; the manifest records it.
	MaxRows int `yaml:"max_rows" json:"max_rows"`
}

var _ pipeline.Validator = (*Config)(nil)

// NewConfig returns the defaults.
func NewConfig() any { return &Config{} }

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	if c.MaxRows < 0 {
		fe.Add("max_rows", "must be 0 (all rows) or more")
	}
	return fe.Err()
}
