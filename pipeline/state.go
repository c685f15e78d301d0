package pipeline

import "github.com/churnlab/segment/internal/frame"

// State is what flows from stage to stage. Each slot is set by the stage
// that provides it (see Factory.Provides) and read by later ones; the runner
// checks before starting that every stage's needs are provided earlier.
type State struct {
	Input *InputInfo   // set by ingest
	Table *frame.Table // set by ingest, replaced by clean

	EDA      *EDAResult     // set by eda
	Clusters *ClusterResult // set by cluster
	Profile  *ProfileResult // set by profile
	Drift    *DriftResult   // set by cluster when a previous model is compared

	Artifacts []Artifact // every file written, in order
	Warnings  []Warning
}

// InputInfo describes the input file as it was read.
type InputInfo struct {
	Path      string   `json:"path"`
	Bytes     int64    `json:"bytes"`
	SHA256    string   `json:"sha256"`
	Rows      int      `json:"rows"`
	Columns   int      `json:"columns"`
	Delimiter string   `json:"delimiter"`
	Encoding  string   `json:"encoding"`
	BOM       bool     `json:"bom,omitempty"`
	Trimmed   []string `json:"trimmed_header_names,omitempty"`
	IDColumn  string   `json:"id_column,omitempty"`
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
