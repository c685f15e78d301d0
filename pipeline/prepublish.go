package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
)

// PublishStep is one action a stage deferred with Env.BeforePublish, as the
// manifest records it under the stage's "before_publish".
type PublishStep struct {
	What    string  `json:"what"`   // what the step does, in words
	Status  string  `json:"status"` // succeeded, failed, interrupted, skipped
	Seconds float64 `json:"seconds"`
	Error   string  `json:"error,omitempty"`
}

// prePublish is a step registered with Env.BeforePublish.
type prePublish struct {
	name, typ string // the stage's
	rec       *StageRecord
	step      *PublishStep
	log       *slog.Logger
	fn        func(ctx context.Context) error
}

// BeforePublish defers fn until every stage of the run has succeeded: the
// runner calls the deferred steps in the order they were registered, after
// the last stage and before it writes manifest.json and renames the run
// folder into place. It is for effects outside the run folder that must
// not happen for a run that is not published — a database write, say: a
// stage that wrote its rows while running would leave them behind when a
// later stage failed.
//
// A step that returns an error fails the run like a failing stage (nothing
// is published; the stage's record says "failed" with the error); one that
// returns after ctx was cancelled interrupts it. Later steps then do not
// run, but earlier ones have had their effect. fn may call env.Note and
// env.Warn: the manifest is written after the steps. what says in a few
// words what fn does (the status line and the manifest show it).
//
// What remains between the last step and the rename is a window in which
// the run can still fail (the manifest cannot be written, the rename
// fails, the process is killed): a step's effect is then not undone. A
// step should therefore be idempotent per run id (Env.RunID), and record
// what it did with env.Note before returning, so that the failed run's
// manifest shows it.
func (e *Env) BeforePublish(what string, fn func(ctx context.Context) error) {
	if e.prePublish == nil || fn == nil {
		return
	}
	step := &PublishStep{What: what, Status: "skipped"}
	if e.record != nil {
		e.record.BeforePublish = append(e.record.BeforePublish, step)
	}
	*e.prePublish = append(*e.prePublish, &prePublish{name: e.Name, typ: e.Type, rec: e.record, step: step, log: e.Log, fn: fn})
}

// runBeforePublish runs the deferred steps in order and stops at the first
// failure or when ctx is cancelled.
func (r *run) runBeforePublish(ctx context.Context) error {
	for _, p := range r.prePublish {
		if err := ctx.Err(); err != nil {
			p.step.Status = "interrupted"
			return err
		}
		t0 := time.Now()
		err := runStep(ctx, p.fn)
		p.step.Seconds = roundSeconds(time.Since(t0))
		if err != nil {
			status := "failed"
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				status = "interrupted"
			}
			p.step.Status, p.step.Error = status, err.Error()
			if p.rec != nil {
				p.rec.Status, p.rec.Error = status, p.step.Error
			}
			if status == "interrupted" {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return err
			}
			return fmt.Errorf("stage %q (%s): before publishing (%s): %w", p.name, p.typ, p.step.What, err)
		}
		p.step.Status = "succeeded"
		if r.opt.Status != nil {
			fmt.Fprintf(r.opt.Status, "[publish] %s: %s  %.2fs\n", p.name, p.step.What, p.step.Seconds)
		}
		if p.log != nil {
			p.log.Info("before-publish step done", "what", p.step.What, "seconds", p.step.Seconds)
		}
	}
	return nil
}

// runStep runs a deferred step, turning a panic into a BugError.
func runStep(ctx context.Context, fn func(context.Context) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &BugError{Msg: fmt.Sprint(r), Stack: string(debug.Stack())}
		}
	}()
	return fn(ctx)
}
