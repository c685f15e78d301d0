package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Exit codes of the segment command.
const (
	ExitOK          = 0
	ExitRunError    = 1   // data or run error
	ExitConfigError = 2   // usage or configuration error
	ExitDriftFailed = 3   // the run was published but a drift_fail threshold was crossed
	ExitLocked      = 4   // another run of the same output directory holds the lock
	ExitInterrupted = 130 // SIGINT or SIGTERM
)

// ConfigError is one problem in a configuration, located in the file (or in
// a --set flag) and named by its YAML key path.
type ConfigError struct {
	Pos   string // "configs/x.yaml:14:7", "--set seed=x" or the file name alone
	Stage string // stage name, "" for top-level keys
	Type  string // stage type
	Key   string // YAML key path, e.g. "steps[0].filter" (relative to the stage's config)
	Msg   string

	line, col int // for sorting
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	if e.Pos != "" {
		b.WriteString(e.Pos)
		b.WriteString(": ")
	}
	if e.Stage != "" {
		fmt.Fprintf(&b, "stage %q (%s): ", e.Stage, e.Type)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ConfigErrors collects every problem found in a configuration.
type ConfigErrors []*ConfigError

func (es ConfigErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sorted returns the errors ordered by position (file order), stable.
func (es ConfigErrors) sorted() ConfigErrors {
	out := append(ConfigErrors(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.line == 0) != (b.line == 0) {
			return a.line != 0 // located errors first
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	return out
}

// FieldError is a problem with one key of a config block, reported by a
// Validate method. Key is the YAML path relative to the block, e.g.
// "steps[2].fillna.Age"; the loader turns it into a file position.
type FieldError struct {
	Key string
	Msg string
}

func (e *FieldError) Error() string {
	if e.Key == "" {
		return e.Msg
	}
	return e.Key + ": " + e.Msg
}

// FieldErrors is a list of FieldError; its zero value is ready to use.
type FieldErrors []*FieldError

// Add appends a formatted error for key.
func (es *FieldErrors) Add(key, format string, args ...any) {
	*es = append(*es, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Err returns nil when empty, else the list itself.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es FieldErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// AsFieldErrors flattens err into field errors: a FieldErrors or
// *FieldError keeps its keys, any other error becomes one error without key.
func AsFieldErrors(err error) FieldErrors {
	if err == nil {
		return nil
	}
	var fes FieldErrors
	if errors.As(err, &fes) {
		return fes
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return FieldErrors{fe}
	}
	return FieldErrors{{Msg: err.Error()}}
}

// JoinKey joins YAML path elements: JoinKey("steps[0]", "filter") is
// "steps[0].filter"; empty parts are skipped.
func JoinKey(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// UsageError is a command-line mistake (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef formats a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error returned by the pipeline to the command's exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ce ConfigErrors
	var c1 *ConfigError
	var ue *UsageError
	var le *LockedError
	var de *DriftFailedError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, ErrInterrupted):
		return ExitInterrupted
	case errors.As(err, &ce), errors.As(err, &c1), errors.As(err, &ue):
		return ExitConfigError
	case errors.As(err, &le):
		return ExitLocked
	case errors.As(err, &de):
		return ExitDriftFailed
	}
	return ExitRunError
}

// ErrInterrupted reports that a signal stopped the run.
var ErrInterrupted = errors.New("interrupted")

// LockedError reports that another run holds the output directory's lock.
type LockedError struct {
	Path    string
	PID     int
	Started string
	Host    string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another run holds the lock %s (pid %d on %s, started %s); wait for it or, if it is gone, remove the lock file", e.Path, e.PID, e.Host, e.Started)
}

// DriftFailedError reports that a published run crossed a drift_fail
// threshold.
type DriftFailedError struct {
	RunDir  string
	Reasons []string
}

func (e *DriftFailedError) Error() string {
	return fmt.Sprintf("drift check failed (run published at %s): %s", e.RunDir, strings.Join(e.Reasons, "; "))
}
