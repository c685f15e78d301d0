package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The errors Run returns, besides the confyaml.ConfigErrors of the column
// check. The segment command maps each type to its exit code
// (cmd/segment/exitcode.go); pipeline knows no exit codes.

// ErrInterrupted reports that a signal stopped the run (it is wrapped in a
// RunFailedError; context.Canceled means the same).
var ErrInterrupted = errors.New("interrupted")

// RunFailedError wraps the error of a failed run with the folder holding its
// manifest.
type RunFailedError struct {
	Err error
	Dir string
}

func (e *RunFailedError) Error() string {
	if e.Dir == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v\n(manifest and error saved in %s)", e.Err, e.Dir)
}

func (e *RunFailedError) Unwrap() error { return e.Err }

// BugError is an internal error (a panic in a stage). Its stack goes to
// error.txt of the failed run.
type BugError struct {
	Msg   string
	Stack string
}

func (e *BugError) Error() string {
	return "internal error (a bug in segment, please report it with failed/<id>/error.txt): " + e.Msg
}

// InputError reports an input file that cannot be read at all — missing,
// unreadable, not a table this segment reads as configured, a broken
// header. It is a data error (exit 1), not a config error: the config may be
// right and the night's export missing. A run records it in failed/<id>/.
type InputError struct {
	Pos  string // where Key is set: "FILE:LINE:COL" or a --set flag
	Key  string // the input block's key, "input.path" when empty
	Err  error
	Hint string // input.missing_hint, for a missing file
}

func (e *InputError) Error() string {
	key := e.Key
	if key == "" {
		key = "input.path"
	}
	msg := key + ": " + e.Err.Error()
	if e.Pos != "" {
		msg = e.Pos + ": " + msg
	}
	if e.Hint != "" {
		msg += "\n  " + e.Hint
	}
	return msg
}

func (e *InputError) Unwrap() error { return e.Err }

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

// VerdictError reports a run that succeeded and was published, but whose
// stages asked for a non-zero exit (Env.FailAfterPublish).
type VerdictError struct {
	RunDir   string
	Verdicts []Verdict
}

// Error is "<kind> check failed (run published at <dir>): <reasons>", one
// such sentence per kind; for VerdictLatest the reason itself, which says
// where the run was published.
func (e *VerdictError) Error() string {
	var parts []string
	for _, kind := range e.Kinds() {
		if kind == VerdictLatest {
			parts = append(parts, strings.Join(e.Reasons(kind), "; "))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s check failed (run published at %s): %s", kind, e.RunDir, strings.Join(e.Reasons(kind), "; ")))
	}
	return strings.Join(parts, "\n")
}

// Kinds lists the verdicts' kinds, in the order the stages gave them.
func (e *VerdictError) Kinds() []VerdictKind {
	var kinds []VerdictKind
	for _, v := range e.Verdicts {
		if !slices.Contains(kinds, v.Kind) {
			kinds = append(kinds, v.Kind)
		}
	}
	return kinds
}

// Reasons lists the reasons of every verdict of one kind, in order.
func (e *VerdictError) Reasons(kind VerdictKind) []string {
	return verdictReasons(e.Verdicts, kind)
}

// errorText is what error.txt of a failed run holds: the message, and the
// stack of a bug.
func errorText(err error) string {
	var be *BugError
	if errors.As(err, &be) {
		return err.Error() + "\n\n" + be.Stack
	}
	return err.Error()
}
