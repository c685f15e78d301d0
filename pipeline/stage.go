package pipeline

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// Stage is one step of a run. Run reads what earlier stages left in the
// state, writes its artifacts through env and records its results in st.
// It must return promptly with ctx.Err() once ctx is cancelled.
type Stage interface {
	Run(ctx context.Context, env *Env, st *State) error
}

// Slot names a part of the State that stages provide and need.
type Slot string

// The slots of the State.
const (
	SlotTable    Slot = "table"    // State.Table
	SlotEDA      Slot = "eda"      // State.EDA
	SlotClusters Slot = "clusters" // State.Clusters
	SlotProfile  Slot = "profile"  // State.Profile
	SlotDrift    Slot = "drift"    // State.Drift
)

// Factory describes a stage type: its documentation, what it needs and
// provides, its config with defaults, and how to build it. Factories are
// listed explicitly in stages/stages.go; there is no init() registration.
type Factory struct {
	Type     string
	Summary  string // one line for `segment stages`
	Needs    []Slot
	Provides []Slot

	// NewConfig returns a pointer to a config struct with every default
	// filled in. Its fields carry `yaml:"..."` tags and doc comments. It may
	// implement Validator and ColumnChecker.
	NewConfig func() any

	// New builds the stage from a decoded, validated config (the pointer
	// NewConfig returned).
	New func(cfg any) (Stage, error)
}

// Validator is implemented by configs that check their own values. Errors
// should be FieldErrors keyed by YAML paths relative to the config block.
type Validator interface {
	Validate() error
}

// ColumnChecker is implemented by configs that reference table columns.
// CheckColumns reports unknown columns (s.Require does it with a "did you
// mean" hint) and applies the stage's changes to the schema (renames, new
// and dropped columns) so later stages are checked against the right names.
type ColumnChecker interface {
	CheckColumns(s *Schema)
}

// Env is what the runner gives a stage: where to write, how to log and the
// stage's own random seed.
type Env struct {
	Name string // stage name (unique in the config)
	Type string // stage type
	Dir  string // the run directory being built (a temporary folder until published)
	Log  *slog.Logger

	// Seed is derived from the run's seed and the stage name, so adding a
	// stage does not change the random numbers of the others.
	Seed uint64

	Config   *Config   // the whole effective config (input, output, seed, name)
	Progress *Progress // live progress bars (no-ops when not on a terminal)
	Previous *RunRef   // the published run `latest` pointed at when this run began, if any

	state    *State
	manifest *Manifest
	record   *StageRecord
}

// DeriveSeed mixes the run seed with a name (FNV-1a) to give a stage or a
// sub-task its own reproducible seed.
func DeriveSeed(seed uint64, name string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(name))
	return h.Sum64()
}

// FileName returns the name under which this stage writes file in the run
// directory: file itself, or "<name>-<file>" when the stage was given a name
// other than its type (so two stages of one type do not collide).
func (e *Env) FileName(file string) string {
	if e.Name == e.Type || e.Name == "" {
		return file
	}
	return e.Name + "-" + file
}

// Path returns the absolute path of an artifact file in the run directory.
func (e *Env) Path(file string) string { return filepath.Join(e.Dir, e.FileName(file)) }

// Artifact is a file a stage wrote into the run directory.
type Artifact struct {
	Stage string `json:"stage"`
	Kind  string `json:"kind"`  // e.g. "table", "plot", "model", "report", "data"
	Path  string `json:"path"`  // relative to the run directory
	Title string `json:"title"` // human-readable description
}

// AddArtifact records a file already written at env.Path(file).
func (e *Env) AddArtifact(kind, file, title string) Artifact {
	return e.addArtifact(kind, e.FileName(file), title)
}

func (e *Env) addArtifact(kind, rel, title string) Artifact {
	a := Artifact{Stage: e.Name, Kind: kind, Path: rel, Title: title}
	if e.state != nil {
		e.state.Artifacts = append(e.state.Artifacts, a)
	}
	if e.record != nil {
		e.record.Artifacts = append(e.record.Artifacts, a.Path)
	}
	return a
}

// WriteFile creates file in the run directory through write and records it
// as an artifact. The file is written to a temporary name and renamed, so a
// failure never leaves half a file.
func (e *Env) WriteFile(file, kind, title string, write func(w io.Writer) error) (Artifact, error) {
	path := e.Path(file)
	if err := WriteFileAtomic(path, write); err != nil {
		return Artifact{}, err
	}
	return e.AddArtifact(kind, file, title), nil
}

// Warn records a warning in the manifest and logs it.
func (e *Env) Warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if e.state != nil {
		e.state.Warnings = append(e.state.Warnings, Warning{Stage: e.Name, Message: msg})
	}
	if e.Log != nil {
		e.Log.Warn(msg)
	}
}

// WriteFileAtomic writes path through a temporary file in the same folder
// and renames it into place.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	werr := f.Chmod(0o644) // CreateTemp makes 0600; results are meant to be shared
	if werr == nil {
		werr = write(f)
	}
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return werr
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// stageLabel is "name" or "name (type)" for messages.
func stageLabel(name, typ string) string {
	if name == typ {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, typ)
}

func slotsString(ss []Slot) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}
