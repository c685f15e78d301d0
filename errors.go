package segment

import (
	"context"
	"errors"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// The errors Load, LoadBytes and Job.Run return are the segment command's
// (which maps them to its exit codes: ExitCode). They are aliases, so
// errors.As works with either name.
type (
	// ConfigErrors are every problem of a config, found together: by Load
	// (YAML, keys, values, --set, ${VAR}) and by Run before it reads a row
	// (columns the config names that the DataFrame lacks). Exit code 2.
	ConfigErrors = confyaml.ConfigErrors
	// ConfigError is one of them: Pos is "file:line:col" or the --set
	// value, Block the stage (`stage "clean" (clean)`), Key the YAML key
	// path, Msg what is wrong.
	ConfigError = confyaml.ConfigError
	// InputError reports an input that cannot be read at all: for Run, a
	// DataFrame whose Err is set, without columns, or with an empty or
	// repeated column name. A data error, exit code 1.
	InputError = pipeline.InputError
	// RunFailedError is a run that started and failed — a stage's data
	// error, a cancellation — with the folder holding its manifest and
	// error (<out>/failed/<id>). Nothing was published. Exit code 1, or
	// 130 when cancelled.
	RunFailedError = pipeline.RunFailedError
	// VerdictError is a run that was published but whose stages asked for
	// a non-zero exit: drift (3) or stability (6) thresholds crossed, or
	// latest links that could not be moved (5). Run returns its Result too.
	VerdictError = pipeline.VerdictError
	// LockedError reports that another run holds the output folder's
	// lock. Exit code 4.
	LockedError = pipeline.LockedError
	// BugError is an internal error (a panic in a stage), wrapped in a
	// RunFailedError; its stack is in the failed run's error.txt.
	BugError = pipeline.BugError
)

// ErrInterrupted is wrapped by the error of a run stopped by a cancelled
// context (as by a signal in the command).
var ErrInterrupted = pipeline.ErrInterrupted

// The command's exit codes (README.md, "Commands").
const (
	exitOK           = 0
	exitRunError     = 1
	exitConfigError  = 2
	exitDriftFailed  = 3
	exitLocked       = 4
	exitLatestFailed = 5
	exitUnstable     = 6
	exitInterrupted  = 130
)

// ExitCode is the exit code `segment run` gives for err: 0 for nil, 2 for
// ConfigErrors, 4 for a *LockedError, 3, 5 or 6 for a *VerdictError (by its
// first verdict's kind: drift, latest, stability), 130 for a cancelled
// context (context.Canceled or ErrInterrupted), 1 for anything else (a
// data or run error, a deadline exceeded). Run records it in the
// manifest's exit_code, as the command does.
func ExitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var (
		ces ConfigErrors
		ce  *ConfigError
		le  *LockedError
		ve  *VerdictError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, ErrInterrupted):
		return exitInterrupted
	case errors.As(err, &ces), errors.As(err, &ce):
		return exitConfigError
	case errors.As(err, &le):
		return exitLocked
	case errors.As(err, &ve):
		if kinds := ve.Kinds(); len(kinds) > 0 {
			switch kinds[0] {
			case pipeline.VerdictDrift:
				return exitDriftFailed
			case pipeline.VerdictLatest:
				return exitLatestFailed
			case pipeline.VerdictStability:
				return exitUnstable
			}
		}
	}
	return exitRunError
}

// canceledError is the error of a run stopped by its context: it wraps the
// context's error and the run's (a *RunFailedError once a run folder was
// started).
type canceledError struct {
	ctx, run error
}

func (e *canceledError) Error() string {
	msg := "run cancelled (" + e.ctx.Error() + "); nothing was published"
	var rf *RunFailedError
	if errors.As(e.run, &rf) && rf.Dir != "" {
		msg += "\n(manifest and error saved in " + rf.Dir + ")"
	}
	return msg
}

func (e *canceledError) Unwrap() []error { return []error{e.ctx, e.run} }
