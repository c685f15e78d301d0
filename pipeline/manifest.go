package pipeline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/version"
)

// ManifestVersion is the schema version of manifest.json.
const ManifestVersion = 1

// Manifest is manifest.json: everything needed to know what a run did and to
// rerun it.
type Manifest struct {
	ManifestVersion int     `json:"manifest_version"`
	RunID           string  `json:"run_id"`
	Status          string  `json:"status"` // succeeded, failed, interrupted
	Error           string  `json:"error,omitempty"`
	ExitCode        int     `json:"exit_code"`
	StartedAt       string  `json:"started_at"`
	FinishedAt      string  `json:"finished_at"`
	Seconds         float64 `json:"seconds"`

	ConfigFile       string          `json:"config_file"`
	ConfigFileSHA256 string          `json:"config_file_sha256"`
	ConfigSHA256     string          `json:"config_sha256"` // of the effective config below
	Overrides        []string        `json:"overrides,omitempty"`
	Config           json.RawMessage `json:"config"`
	Command          string          `json:"command"` // how to rerun
	Seed             uint64          `json:"seed"`

	Input *result.Input `json:"input,omitempty"`
	// Execution is how the run held its table: the mode and why, the
	// memory limit, and for a streamed run its sample and passes.
	Execution *Execution   `json:"execution,omitempty"`
	Segment   version.Info `json:"segment"`

	Stages    []*StageRecord `json:"stages"`
	Warnings  []Warning      `json:"warnings"`
	Artifacts []Artifact     `json:"artifacts"`

	// Reproducible is false when a stage used a non-deterministic engine.
	Reproducible bool `json:"reproducible"`
	// PreviousRun is the run `latest` pointed at when this one started.
	PreviousRun string `json:"previous_run,omitempty"`
	// Verdicts are the stages' requests for a non-zero exit after
	// publishing (Env.FailAfterPublish); ExitCode says what the command
	// returned for them.
	Verdicts []Verdict `json:"verdicts,omitempty"`
	// DriftFailed lists the reasons of the verdicts of kind drift: the
	// drift_fail thresholds crossed (read by nightly jobs; see
	// docs/nightly.md).
	DriftFailed []string `json:"drift_failed,omitempty"`
}

// StageRecord is one stage's line in the manifest.
type StageRecord struct {
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Status    string   `json:"status"` // succeeded, failed, interrupted, skipped
	Seconds   float64  `json:"seconds"`
	RowsIn    int      `json:"rows_in"`
	RowsOut   int      `json:"rows_out"`
	ColsIn    int      `json:"columns_in"`
	ColsOut   int      `json:"columns_out"`
	Artifacts []string `json:"artifacts"`
	Error     string   `json:"error,omitempty"`
	// Notes carries stage-specific facts worth keeping (k chosen, engine).
	Notes map[string]any `json:"notes,omitempty"`
	// Resolved is what the run worked out from the stage's config (the id
	// column's current name, the runs it read).
	Resolved *Resolved `json:"resolved,omitempty"`
	// BeforePublish are the steps the stage deferred until every stage had
	// succeeded (Env.BeforePublish), e.g. a database write.
	BeforePublish []*PublishStep `json:"before_publish,omitempty"`
}

// WriteManifest writes m as indented JSON.
func WriteManifest(path string, m *Manifest) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// ReadManifest loads a run's manifest.json.
func ReadManifest(runDir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(runDir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(runDir, "manifest.json"), err)
	}
	return &m, nil
}
