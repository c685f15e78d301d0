package pipeline

import (
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
)

// State is what flows from stage to stage. Each slot is set by the stage
// that provides it (see Factory.Provides) and read by later ones; the runner
// checks before starting that every stage's needs are provided earlier.
type State struct {
	Input *result.Input // set by ingest
	Table *frame.Table  // set by ingest, replaced by clean (execution mode memory)
	// Stream is the table of a streamed run (execution mode stream): set
	// by ingest instead of Table, extended by clean with its steps, read
	// by later stages in passes (stream.go).
	Stream *Stream
	// Transform is how Table was made from the input's rows: the raw
	// columns and every clean step so far, frozen (set by clean with Table;
	// nil while no clean stage ran). The cluster stage writes it into
	// model.json so predict can replay it on raw rows.
	Transform *model.Transform
	// Database is the table while its rows stay in the input's database
	// (execution.mode: database): set by ingest instead of Table, carried
	// forward by clean (with its steps as SQL), read by the other stages.
	// Nil in memory mode.
	Database DatabaseTable

	EDA      *result.EDA      // set by eda
	Clusters *result.Clusters // set by cluster
	Profile  *result.Profile  // set by profile
	Drift    *result.Drift    // set by cluster when a previous model is compared

	Artifacts []Artifact // every file written, in order
	Warnings  []Warning
}

// Artifact is a file a stage wrote into the run directory.
type Artifact struct {
	Stage string `json:"stage"`
	Kind  string `json:"kind"`  // e.g. "table", "plot", "model", "report", "data"
	Path  string `json:"path"`  // relative to the run directory
	Title string `json:"title"` // human-readable description
}

// Warning is a non-fatal problem worth a reader's attention.
type Warning struct {
	Stage   string `json:"stage"`
	Message string `json:"message"`
}

// ArtifactsOf returns the artifacts a stage type or name recorded, in order.
func (s *State) ArtifactsOf(stage string) []Artifact {
	var out []Artifact
	for _, a := range s.Artifacts {
		if a.Stage == stage {
			out = append(out, a)
		}
	}
	return out
}
