package cluster

import (
	"os"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

var _ pipeline.ModeChecker = (*Config)(nil)

// CheckMode implements pipeline.ModeChecker: every feature of the config
// the stage cannot run in execution mode stream (runStream: it fits k-means
// on a sample and refines it in passes, with no whole table to refit, join
// or weigh; previous: only once it names a model) or database
// (runDatabase: no previous: at all yet). runStream
// and runDatabase fail with this error; the run checks it before reading
// its input.
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
		if c.hasPrevious(f) {
			unsupported("previous", streamPrevious)
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

// streamPrevious is what a streamed run cannot do with previous:.
const streamPrevious = "a previous model to number the segments after and compare with (its transitions need a join of both runs' customers)"

// hasPrevious reports whether previous: names something this run would
// compare with: the job's latest run for `latest` (or a latest link that
// cannot be resolved, which fails the run anyway), else a path that
// exists. On the first night there is none, and the run numbers its
// segments 1..K in any mode (previous).
func (c *Config) hasPrevious(f pipeline.ModeFacts) bool {
	switch c.Previous {
	case "":
		return false
	case PreviousLatest:
		return f.Previous != nil || f.PreviousErr != nil
	}
	_, err := os.Stat(string(c.Previous))
	return err == nil
}
