package clean

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the clean stage's config block.
type Config struct {
	// Steps run in order; each is a mapping with exactly one key naming the
	// step. Required.
	Steps []Step `yaml:"steps,required" json:"steps,omitempty"`
	// Engine runs the steps: native (the typed table) or gota (gota
	// DataFrame operations, corrected where gota's semantics differ; see
	// gota.go). Both give the same table. Default native.
	Engine string `yaml:"engine" json:"engine"`
}

var (
	_ pipeline.Validator     = (*Config)(nil)
	_ pipeline.ColumnChecker = (*Config)(nil)
)

// NewConfig returns the defaults (no steps).
func NewConfig() any { return &Config{Engine: DefaultEngine} }

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	for i := range c.Steps {
		if st := &c.Steps[i]; st.Op != nil { // nil: an unknown step, reported while decoding
			st.Op.Validate(&fe, st.key(i))
		}
	}
	c.validateEngine(&fe)
	return fe.Err()
}

// CheckColumns implements pipeline.ColumnChecker: it follows the steps over
// the column names so that a typo is reported before any row is read and,
// when the schema knows the column types (segment validate), type-checks
// each expression against the columns the steps before it produce (see
// typecheck.go).
func (c *Config) CheckColumns(s *pipeline.Schema) {
	tc := newTypeCheck(s)
	for i := range c.Steps {
		st := &c.Steps[i]
		prog := tc.compile(st, i)
		st.Op.CheckColumns(s, st.key(i))
		tc.follow(st, prog)
	}
}
