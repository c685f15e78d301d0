package export

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: the stage joins every row's
// columns with its segment in memory, so it runs in execution mode memory
// only. A streamed run writes assignments.csv; a database-mode run writes
// every row's segment to the cluster stage's database.table. Run fails
// with this error; the run checks it before reading its input.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	switch f.Mode {
	case pipeline.ModeStream:
		fe.Add("", "%v", pipeline.UnsupportedMode(f.Mode, "stage export (its customer table joins every row's columns in memory; a streamed run writes assignments.csv)"))
	case pipeline.ModeDatabase:
		fe.Add("", "stage export is not available in execution.mode: database (its customer table joins every row's columns in memory, and the rows stay in the database); the cluster stage writes every row's segment to its database.table: remove the export stage, or use execution.mode: memory")
	}
	return fe.Err()
}
