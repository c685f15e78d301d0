package pipeline

import (
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
)

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

	// RunID is the run's id, the name its folder gets when published.
	RunID string
	// IDColumn is the id column's name as this stage sees it: input.id
	// after the renames of earlier stages, "" when there is none. The column
	// check resolves it before the run (see Resolved).
	IDColumn string
	// WeightColumn is input.weight_column as this stage sees it (after
	// renames), "" when rows are unweighted; Weights reads it.
	WeightColumn string

	Config   *Config   // the whole effective config (input, output, seed, name)
	Progress *Progress // live progress bars (no-ops when not on a terminal)
	// Previous is this job's newest published run when this run began
	// (LatestOf: latest-<job>, see docs/nightly.md), nil when there is none
	// or it could not be resolved; PreviousErr then says why (a
	// *LatestError: latest-<job> is not a link to a run folder). A stage
	// that needs the previous run (`previous: latest`) fails with it.
	Previous    *RunRef
	PreviousErr error

	input    *OpenedInput      // the run's input, opened by the column check
	exec     *Execution        // how the run holds its table
	origins  map[string]string // see Resolved.origins
	spec     *StageSpec
	state    *State
	manifest *Manifest
	record   *StageRecord
	verdicts *[]Verdict

	prePublish *[]*prePublish // steps deferred with BeforePublish
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

// Path returns the path of an artifact file in the run directory. Every
// output path goes through it: a name that is not one plain file name inside
// the run directory (a path separator, "..", a leading '.', a control
// character, too long) is refused with a *PathEscapeError, so nothing taken
// from the config or the data can make a stage write elsewhere.
func (e *Env) Path(file string) (string, error) {
	if _, err := inside(e.Dir, file); err != nil {
		return "", err
	}
	return inside(e.Dir, e.FileName(file))
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
// as an artifact. The file is written to a temporary name, flushed to disk
// and renamed, so a failure never leaves half a file; its name is checked by
// Path. Its mode follows the umask.
func (e *Env) WriteFile(file, kind, title string, write func(w io.Writer) error) (Artifact, error) {
	path, err := e.Path(file)
	if err != nil {
		return Artifact{}, err
	}
	// The run folder is synced as a whole before it is published.
	if err := writeFileAtomic(path, write, false); err != nil {
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

// Note records a stage-specific fact in the manifest.
func (e *Env) Note(key string, value any) {
	if e.record == nil {
		return
	}
	if e.record.Notes == nil {
		e.record.Notes = map[string]any{}
	}
	e.record.Notes[key] = value
}

// NotReproducible marks the run as not reproducible, with a warning.
func (e *Env) NotReproducible(why string) {
	if e.manifest != nil {
		e.manifest.Reproducible = false
	}
	e.Warn("this run is not reproducible: %s", why)
}
