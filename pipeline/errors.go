package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
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
	var ce confyaml.ConfigErrors
	var c1 *confyaml.ConfigError
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
