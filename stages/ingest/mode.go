package ingest

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: in execution mode database
// no row is read, so max_rows (the head of the input) cannot be kept.
// runDatabase fails with this error; the run checks it before reading its
// input.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	if f.Mode == pipeline.ModeDatabase && c.MaxRows > 0 {
		fe.Add("max_rows", "execution.mode: database does not read the head of the table; limit the rows in input.query (… ORDER BY … LIMIT %d) instead", c.MaxRows)
	}
	return fe.Err()
}
