package cluster

import (
	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/pgio"
)

// Database configures the stage in execution.mode: database (ignored
// otherwise): the fit's sample, the Lloyd passes run as SQL over every
// row, and the table every row's segment is written to.
type Database struct {
	// SampleRows is the size of the seeded sample the model is fitted on
	// (chosen by the md5 of the run's seed and the id, so the same seed
	// gives the same rows): the whole table when it holds at most this many
	// rows, in the id's order, which makes the fit the in-memory fit;
	// 0 fits on every row. Default 100000.
	SampleRows int `yaml:"sample_rows" json:"sample_rows"`
	// RefinePasses is the number of full-table Lloyd iterations run as
	// SQL after the fit on the sample (one GROUP BY nearest-centroid query
	// each; they stop early when no centroid moves). Default 0.
	RefinePasses int `yaml:"refine_passes" json:"refine_passes"`
	// Table receives every row's segment, as `segment predict` scores it
	// (the id, segment, segment_name, distance, second_segment,
	// second_distance, margin, outlier, run_id and model_sha256), written
	// all or nothing just before the run is published. Default
	// segment_assignments (in the input's schema search path).
	Table string `yaml:"table" json:"table"`
	// Mode is replace (every row of the table is replaced) or append-run
	// (only the rows of this run's run_id). Default replace.
	Mode string `yaml:"mode" json:"mode"`
	// Create creates a missing table; false makes it an error. Default
	// true.
	Create bool `yaml:"create" json:"create"`
}

// Defaults of the database block.
const (
	DefaultSampleRows      = 100000
	DefaultAssignmentTable = "segment_assignments"
	DBModeReplace          = "replace"
	DBModeAppendRun        = "append-run"
)

// defaultDatabase is the database block's defaults.
func defaultDatabase() Database {
	return Database{SampleRows: DefaultSampleRows, Table: DefaultAssignmentTable, Mode: DBModeReplace, Create: true}
}

// IsZero reports that the block holds its defaults, so that the effective
// config of a run without it is what it was before the block existed.
func (d Database) IsZero() bool { return d == defaultDatabase() }

func (d Database) validate(fe *confyaml.FieldErrors) {
	if d.SampleRows < 0 {
		fe.Add("database.sample_rows", "must be 0 (every row) or more, got %d", d.SampleRows)
	}
	if d.RefinePasses < 0 {
		fe.Add("database.refine_passes", "must be 0 or more, got %d", d.RefinePasses)
	}
	if _, err := pgio.ParseTableName(d.Table); err != nil {
		fe.Add("database.table", "%v", err)
	}
	switch d.Mode {
	case DBModeReplace, DBModeAppendRun:
	default:
		fe.Add("database.mode", "unknown mode %q (want replace or append-run)", d.Mode)
	}
}
