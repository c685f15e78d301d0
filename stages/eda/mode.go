package eda

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: what the stage cannot compute
// in execution mode stream (runStream: mergeable statistics, no whole
// column to rank or weigh) or database (runDatabase: aggregate queries, no
// ranks). runStream and runDatabase fail with this error; the run checks
// it before reading its input.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	switch f.Mode {
	case pipeline.ModeStream:
		if f.WeightColumn != "" {
			fe.Add("", "%v", pipeline.UnsupportedMode(f.Mode, "eda with input.weight_column (weighted statistics)"))
		}
		if c.Method != "pearson" {
			fe.Add("method", "%v", pipeline.UnsupportedMode(f.Mode, c.Method+" (ranks need the whole column sorted)"))
		}
	case pipeline.ModeDatabase:
		if c.Method != "pearson" {
			fe.Add("method", "%s: rank correlations are not computed in execution.mode: database; use method: pearson, or execution.mode: memory", c.Method)
		}
	}
	return fe.Err()
}
