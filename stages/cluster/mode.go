package cluster

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: every feature of the config
// the stage cannot run in execution mode stream (runStream: it fits k-means
// on a sample and refines it in passes, with no whole table to refit or
// weigh; previous: works with mode: refit, not mode: assign) or database
// (runDatabase: no previous: at all yet). runStream and runDatabase fail
// with this error; the run checks it before reading its input.
func (c *Config) CheckMode(f pipeline.ModeFacts) error {
	var fe confyaml.FieldErrors
	unsupported := func(key, what string) { fe.Add(key, "%v", pipeline.UnsupportedMode(f.Mode, what)) }
	switch f.Mode {
	case pipeline.ModeStream:
		if c.mixed() {
			key := "categorical_features"
			if len(c.CategoricalFeatures) == 0 {
				key = "engine"
			}
			unsupported(key, "k-prototypes (clustering with categorical features)")
		}
		if c.engine() == EngineMuesli {
			unsupported("engine", "muesli")
		}
		if f.WeightColumn != "" {
			unsupported("", "clustering with input.weight_column (weighted k-means)")
		}
		if c.Stability != nil {
			unsupported("stability", "the stability check (bootstrap refits of every row)")
		}
		if c.Mode == ModeAssign {
			unsupported("mode", "assign (scoring with the previous model)")
		}
	case pipeline.ModeDatabase:
		if c.Previous != "" {
			fe.Add("previous", "execution.mode: database does not compare with a previous model yet (stable segment IDs, drift, mode: assign); remove previous, or use execution.mode: memory")
		}
		if c.Mode == ModeAssign {
			fe.Add("mode", "assign needs previous:, which execution.mode: database does not support yet; use mode: refit, or execution.mode: memory")
		}
	}
	return fe.Err()
}
