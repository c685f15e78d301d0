package main

import (
	"errors"
	"fmt"

	"github.com/churnlab/segment"
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
	exitUnstable     = 6   // the run was published but a stability_fail threshold was crossed
	exitInterrupted  = 130 // SIGINT or SIGTERM
	// A crash of the Go runtime (out of memory, a bug outside a stage)
	// ends with SIGABRT — 134 in a shell — never 2: see crash.go.
)

// exitCode maps an error of a command to its exit code: a command-line
// mistake is 2, anything else is mapped by the Go library's
// segment.ExitCode, the one table of the pipeline's error types (config
// errors 2, lock 4, verdicts 3/5/6, interrupted 130, else 1), so the
// command and a program using the library agree.
func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return exitConfigError
	}
	return segment.ExitCode(err)
}

// usageError is a command-line mistake (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef formats a usageError.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}
