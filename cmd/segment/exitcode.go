package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Exit codes of the segment command (documented in its usage, in README.md
// and in docs/nightly.md; cron jobs and systemd units test them).
const (
	exitOK           = 0
	exitRunError     = 1   // data or run error: a missing or unreadable input file, bad cells, a stage failed
	exitConfigError  = 2   // usage or configuration error
	exitDriftFailed  = 3   // the run was published but a drift_fail threshold was crossed
	exitLocked       = 4   // another run of the same output directory holds the lock
	exitLatestFailed = 5   // the run was published but latest-<job>/latest could not be moved to it
	exitInterrupted  = 130 // SIGINT or SIGTERM
	// A crash of the Go runtime (out of memory, a bug outside a stage)
	// ends with SIGABRT — 134 in a shell — never 2: see crash.go.
)

// verdictExit is the exit code of each kind of verdict a published run can
// carry (pipeline.Env.FailAfterPublish, or the runner's own when latest
// could not be moved); an unknown kind exits 1.
var verdictExit = map[pipeline.VerdictKind]int{
	pipeline.VerdictDrift:  exitDriftFailed,
	pipeline.VerdictLatest: exitLatestFailed,
}

// exitCode maps an error of a command to its exit code by its type.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var (
		ce confyaml.ConfigErrors
		c1 *confyaml.ConfigError
		ue *usageError
		le *pipeline.LockedError
		ve *pipeline.VerdictError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, pipeline.ErrInterrupted):
		return exitInterrupted
	case errors.As(err, &ce), errors.As(err, &c1), errors.As(err, &ue):
		return exitConfigError
	case errors.As(err, &le):
		return exitLocked
	case errors.As(err, &ve):
		return verdictCode(ve)
	}
	return exitRunError
}

// verdictCode is the exit code of a published run's verdicts: that of the
// first kind given.
func verdictCode(ve *pipeline.VerdictError) int {
	if kinds := ve.Kinds(); len(kinds) > 0 {
		if code, ok := verdictExit[kinds[0]]; ok {
			return code
		}
	}
	return exitRunError
}

// usageError is a command-line mistake (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef formats a usageError.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}
