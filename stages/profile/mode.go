package profile

import (
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: a hypothesis with a rank
// correlation cannot be checked in execution mode stream (runStream:
// co-moments per segment, no whole column to rank) or database
// (runDatabase: aggregate queries). runStream and runDatabase fail with
// this error; the run checks it before reading its input.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	for i, h := range c.Hypotheses {
		if h.Method == "pearson" {
			continue
		}
		key := fmt.Sprintf("hypotheses[%d].method", i)
		switch f.Mode {
		case pipeline.ModeStream:
			fe.Add(key, "%v", pipeline.UnsupportedMode(f.Mode, h.Method+" (ranks need the whole columns sorted)"))
		case pipeline.ModeDatabase:
			fe.Add(key, "%s: rank correlations are not computed in execution.mode: database; use pearson, or execution.mode: memory", h.Method)
		}
	}
	return fe.Err()
}
