package clean

import (
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// errDedupeSQL is why a dedupe step has no SQL form.
var errDedupeSQL = fmt.Errorf("%w: a dedupe keeps the first of repeated rows in the input's order, and a table has no row order (deduplicate in input.query, e.g. with SELECT DISTINCT ON (…) … ORDER BY …)", sqlgen.ErrNotExpressible)

// CheckMode implements pipeline.ModeChecker: what the stage cannot run in
// execution mode stream (runStream: the gota engine holds the whole
// table) or database (runDatabase: the gota engine, and a dedupe, which
// has no SQL form). runStream and runDatabase fail with this error; the
// run checks it before reading its input. Whether an expression has an
// SQL form depends on the columns' types in the database: the dry run of
// runDatabase finds that, before any statement.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	switch f.Mode {
	case pipeline.ModeStream:
		if c.Engine == EngineGota {
			fe.Add("engine", "%v", pipeline.UnsupportedMode(f.Mode, "gota (the gota DataFrame holds the whole table)"))
		}
	case pipeline.ModeDatabase:
		if c.Engine == EngineGota {
			fe.Add("engine", "gota runs the steps on a table in memory; in execution.mode: database they run as SQL: remove engine")
		}
		for i := range c.Steps {
			if _, ok := c.Steps[i].Op.(*Dedupe); ok {
				fe.Add(c.Steps[i].key(i), "%v", fmt.Errorf(refuseFormat, errDedupeSQL))
			}
		}
	}
	return fe.Err()
}
