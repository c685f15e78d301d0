package pipeline

import (
	"context"
	"errors"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
)

// ModeChecker is implemented by stage configs whose stage cannot run some
// of its features in execution mode stream or database (a stream never
// holds the whole table; database runs the row work as SQL). CheckMode
// reports every such feature the config uses in facts.Mode, as
// confyaml.FieldErrors keyed by YAML paths relative to the config block
// (as Validate does), each message saying what to change; nil when the
// stage can run as configured.
//
// It is the one statement of a stage's refusals: the stage's runStream
// and runDatabase fail with its error (Env.ModeFacts gives the facts), and
// the runner calls it for every stage as soon as the mode is decided,
// before the ingest stage reads a row, as `segment validate` does when
// execution.mode names stream or database (Check). A run that cannot
// finish then fails in a second, with nothing written, instead of after
// reading its input.
type ModeChecker interface {
	CheckMode(facts ModeFacts) error
}

// ModeFacts is what a ModeChecker is told of the run.
type ModeFacts struct {
	// Mode is ModeStream or ModeDatabase (a stage runs everything in
	// ModeMemory, where CheckMode is not called).
	Mode string
	// WeightColumn is input.weight_column as the stage sees it (after the
	// renames of earlier stages, as Env.WeightColumn); "" when none is
	// configured or an earlier stage dropped it.
	WeightColumn string
	// Previous is the job's newest published run in the output folder
	// (LatestOf), nil when there is none yet; PreviousErr says why it
	// could not be resolved. As Env.Previous and Env.PreviousErr: a stage
	// that refuses to compare with a previous run only once there is one
	// (`previous: latest` on the first night) reads them.
	Previous    *RunRef
	PreviousErr error
}

// ModeFacts are the facts of the stage's run for its config's CheckMode.
func (e *Env) ModeFacts() ModeFacts {
	return ModeFacts{Mode: e.Mode(), WeightColumn: e.WeightColumn, Previous: e.Previous, PreviousErr: e.PreviousErr}
}

// explicitMode reports whether execution.mode names a mode that stages
// may refuse features in, decided before the input is seen.
func explicitMode(mode string) bool { return mode == ModeStream || mode == ModeDatabase }

// checkMode asks every stage config that is a ModeChecker what it cannot
// run in mode and returns every refusal, located in the config file; nil
// in modes memory and auto (undecided). out is the run's output folder
// (for the job's latest run); resolved, aligned with cfg.Stages, gives
// each stage's weight column as the column check followed it — nil when
// the column check did not finish, and then input.weight_column as
// configured stands for it.
func checkMode(cfg *Config, mode, out string, resolved []Resolved) confyaml.ConfigErrors {
	if !explicitMode(mode) {
		return nil
	}
	prev, prevErr := LatestOf(out, cfg.Name)
	var errs confyaml.ConfigErrors
	for i, spec := range cfg.Stages {
		mc, ok := spec.Config.(ModeChecker)
		if !ok {
			continue
		}
		facts := ModeFacts{Mode: mode, WeightColumn: cfg.Input.WeightColumn, Previous: prev, PreviousErr: prevErr}
		if i < len(resolved) {
			facts.WeightColumn = resolved[i].WeightColumn
		}
		errs = append(errs, spec.locate(confyaml.AsFieldErrors(mc.CheckMode(facts)))...)
	}
	if len(errs) == 0 {
		return nil
	}
	return cfg.redactErrors(errs).Sorted()
}

// modeAutoError adds to the refusals of a run whose mode auto chose
// stream (ex) why it was chosen, as an error of execution.mode.
func modeAutoError(cfg *Config, errs confyaml.ConfigErrors, ex *Execution) confyaml.ConfigErrors {
	if ex == nil || ex.Requested != ModeAuto || len(errs) == 0 {
		return errs
	}
	fe := confyaml.FieldErrors{{Key: "execution.mode", Msg: "mode auto chose " + ex.Mode + " for this input (" + strings.TrimPrefix(ex.Reason, "auto: ") + "), and the stages above cannot run that way"}}
	return append(errs, cfg.dec.Locate(fe, "", nil)...)
}

// joinChecks joins the refusals of the mode check with the column check's
// error: config errors merge into one sorted list; any other error (an
// *InputError) follows them.
func joinChecks(modeErrs confyaml.ConfigErrors, err error) error {
	if len(modeErrs) == 0 {
		return err
	}
	if err == nil {
		return modeErrs
	}
	var ces confyaml.ConfigErrors
	if errors.As(err, &ces) {
		return append(append(confyaml.ConfigErrors{}, ces...), modeErrs...).Sorted()
	}
	return errors.Join(modeErrs, err)
}

// CheckOptions adjusts Check.
type CheckOptions struct {
	// HeaderOnly checks the column names against the input's header
	// (CheckColumns) instead of reading the rows once to learn the types
	// (CheckColumnsTyped).
	HeaderOnly bool
}

// Check is everything `segment validate` checks after Load, every problem
// together: the columns and types against the input (CheckColumnsTyped,
// or CheckColumns with HeaderOnly) and, when execution.mode names stream
// or database, every stage feature that mode cannot run (ModeChecker) —
// what `segment run` refuses before reading the input, with output.dir as
// the run's output folder (whose latest run `previous: latest` names).
// Mode auto is decided only when a run sizes its input, and is not
// checked here.
//
// The refusals are config errors (confyaml.ConfigErrors, located in the
// file), merged with the column check's; an input that cannot be opened
// (an *InputError, e.g. a database that cannot be reached) does not hide
// them: both are returned, joined.
func Check(ctx context.Context, cfg *Config, opt CheckOptions) error {
	typer := readTypes(ctx, cfg)
	if opt.HeaderOnly {
		typer = nil
	}
	in, resolved, err := checkColumnsWith(ctx, cfg, typer)
	in.Close()
	return joinChecks(checkMode(cfg, cfg.Execution.Mode, string(cfg.Output.Dir), resolved), err)
}
