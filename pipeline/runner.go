package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/version"
)

// RunOptions adjusts Run.
type RunOptions struct {
	// OutDir replaces output.dir (the --out flag).
	OutDir string
	// Log receives structured logs; default discards.
	Log *slog.Logger
	// Status receives one progress line per stage ("[2/5] clean  7043 →
	// 5174 rows  0.03s"); nil writes none (JSON logs carry the same facts).
	Status io.Writer
	// Progress draws live bars; nil draws none.
	Progress *Progress
	// Now is the clock (for tests); default time.Now.
	Now func() time.Time
	// Command is how the run was started, recorded for reruns.
	Command string
	// ExitCode maps the run's outcome — nil, a *VerdictError or the
	// failed run's error — to the exit code the manifest records; the
	// segment command passes its own mapping. Default: 0 for nil, else 1.
	ExitCode func(error) int
	// OnExecution, when set, is told the execution mode the run decided
	// (mode auto sizes the input), before any stage runs: the segment
	// command tunes the garbage collector to it.
	OnExecution func(*Execution)
}

// RunResult is a finished run.
type RunResult struct {
	ID       string
	Dir      string // published folder (or failed/<id> when the run failed)
	Manifest *Manifest
	State    *State
}

// Run executes the configured stages and publishes the run directory. On
// any failure nothing is published: the temporary folder is removed, the
// manifest and error go to <out>/failed/<id>/, and `latest` is untouched;
// the error is a *RunFailedError. A run whose stages asked for a non-zero
// exit (Env.FailAfterPublish) is published and returns a *VerdictError.
// Config errors — the column check's, and the stage features the
// execution mode cannot run (ModeChecker; mode auto is decided from the
// input's size first) — are returned before anything is read or written
// (no run folder, no lock).
func Run(ctx context.Context, cfg *Config, opt RunOptions) (*RunResult, error) {
	opt.setDefaults()
	out := string(cfg.Output.Dir)
	if opt.OutDir != "" {
		out = opt.OutDir
	}
	input, resolved, err := checkColumns(ctx, cfg)
	var inputErr *InputError
	if err != nil && !errors.As(err, &inputErr) {
		return nil, joinChecks(checkMode(cfg, cfg.Execution.Mode, out, nil), err)
	}
	defer input.Close()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The mode is decided (auto sizes the input) and every stage feature
	// it cannot run is refused here, before the lock, the run folder and
	// the ingest stage: nothing is read or written.
	var exec *Execution
	mode := cfg.Execution.Mode
	if inputErr == nil {
		exec = resolveExecution(ctx, cfg, input)
		mode = exec.Mode
	}
	if errs := checkMode(cfg, mode, out, resolved); len(errs) > 0 {
		return nil, joinChecks(modeAutoError(cfg, errs, exec), err)
	}
	if exec != nil && opt.OnExecution != nil {
		opt.OnExecution(exec)
	}
	start := opt.Now()
	lock, err := acquireLock(out, cfg.File, start, func(msg string) { opt.Log.Warn(msg) })
	if err != nil {
		return nil, err
	}
	defer lock.release()

	r, err := begin(cfg, out, start, opt)
	if err != nil {
		return nil, err
	}
	r.resolved = resolved
	r.input = input
	r.log.Info("run started", "config", cfg.File, "dir", r.dir.tmp)
	if inputErr == nil {
		r.exec = exec
		r.manifest.Execution = r.exec
		r.log.Info("execution", "mode", r.exec.Mode, "reason", r.exec.Reason, "memory_limit", r.exec.MemoryLimit)
		if r.exec.Mode == ModeStream {
			// Keep the heap under the limit: the collector works harder
			// instead of letting garbage accumulate.
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(r.exec.MemoryLimit))
		}
		defer func() { r.state.Stream.Close() }()
	}
	if inputErr != nil {
		// The input cannot be read at all: a data error, recorded in
		// failed/ like any failed run.
		r.listStages()
		return r.finish(inputErr)
	}
	runErr := r.runStages(ctx)
	if runErr == nil {
		runErr = r.runBeforePublish(ctx)
	}
	return r.finish(runErr)
}

func (o *RunOptions) setDefaults() {
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ExitCode == nil {
		o.ExitCode = func(err error) int {
			if err == nil {
				return 0
			}
			return 1
		}
	}
}

// run is one run in progress.
type run struct {
	cfg      *Config
	opt      RunOptions
	out      string
	start    time.Time
	prev     *RunRef // the job's newest run when this one began (LatestOf)
	prevErr  error   // why it could not be resolved (a *LatestError)
	dir      *runDir
	log      *slog.Logger
	state    *State
	manifest *Manifest
	resolved []Resolved // per stage, from the column check
	input    *OpenedInput
	exec     *Execution // how the run holds its table
	verdicts []Verdict

	prePublish []*prePublish // Env.BeforePublish steps, in order
}

// begin reserves the run's folder (with the lock held), cleans up after
// killed runs and starts the manifest.
func begin(cfg *Config, out string, start time.Time, opt RunOptions) (*run, error) {
	prev, prevErr := LatestOf(out, cfg.Name)
	if prevErr != nil {
		// Only `previous: latest` needs it; that stage fails with prevErr.
		opt.Log.Warn("the job's latest run cannot be resolved", "err", prevErr)
		prev = nil
	}
	rd, err := newRunDir(out, cfg.Name, start)
	if err != nil {
		return nil, fmt.Errorf("create run folder in %s: %w", out, err)
	}
	var cleanup []Warning
	if msgs, err := removeUnfinished(out, rd.id, rd.tmp); err != nil {
		opt.Log.Warn("could not remove the folders of killed runs", "err", err)
	} else {
		for _, msg := range msgs {
			opt.Log.Warn(msg)
			cleanup = append(cleanup, Warning{Message: msg})
		}
	}
	r := &run{cfg: cfg, opt: opt, out: out, start: start, prev: prev, prevErr: prevErr, dir: rd,
		log: opt.Log.With("run", rd.id), state: &State{}}
	r.manifest = &Manifest{
		ManifestVersion:  ManifestVersion,
		RunID:            rd.id,
		StartedAt:        start.UTC().Format(time.RFC3339Nano),
		ConfigFile:       cfg.File,
		ConfigFileSHA256: cfg.FileSHA256,
		ConfigSHA256:     cfg.EffectiveSHA256(),
		Overrides:        cfg.Overrides,
		Config:           cfg.EffectiveJSON(),
		Command:          opt.Command,
		Seed:             cfg.Seed,
		Segment:          version.Get(),
		Reproducible:     true,
		Stages:           []*StageRecord{},
		Warnings:         append([]Warning{}, cleanup...),
		Artifacts:        []Artifact{},
	}
	if prev != nil {
		r.manifest.PreviousRun = prev.ID
	}
	return r, nil
}

// finish completes the manifest and publishes the run, or records its
// failure when runErr is not nil (or publishing fails).
func (r *run) finish(runErr error) (*RunResult, error) {
	m, st := r.manifest, r.state
	end := r.opt.Now()
	m.FinishedAt = end.UTC().Format(time.RFC3339Nano)
	m.Seconds = roundSeconds(end.Sub(r.start))
	m.Input = st.Input
	m.Warnings = append(m.Warnings, st.Warnings...)
	m.Artifacts = append(m.Artifacts, st.Artifacts...)
	res := &RunResult{ID: r.dir.id, Manifest: m, State: st}

	var verdict error
	if runErr == nil {
		verdict, runErr = r.publish()
	}
	if runErr != nil {
		return res, r.recordFailure(res, runErr)
	}
	res.Dir = r.dir.final
	r.log.Info("run published", "dir", r.dir.final, "seconds", m.Seconds)
	r.applyRetention()
	return res, verdict
}

// publish writes the manifest of a successful run and moves its folder
// into place. verdict is the *VerdictError to return when stages asked for
// a non-zero exit, or when the latest links could not be moved after the
// run was published; err is a failure to publish (nothing published).
func (r *run) publish() (verdict, err error) {
	m := r.manifest
	m.Status = "succeeded"
	if len(r.verdicts) > 0 {
		m.Verdicts = r.verdicts
		m.DriftFailed = verdictReasons(r.verdicts, VerdictDrift)
		verdict = &VerdictError{RunDir: r.dir.final, Verdicts: r.verdicts}
	}
	m.ExitCode = r.opt.ExitCode(verdict)
	m.Artifacts = append(m.Artifacts, Artifact{Stage: "", Kind: "manifest", Path: "manifest.json", Title: "Run manifest"})
	if err := WriteManifest(filepath.Join(r.dir.tmp, "manifest.json"), m); err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	if err := r.dir.publish(); err != nil {
		return nil, err
	}
	if err := r.dir.pointLatest(r.cfg.Name); err != nil {
		return r.latestFailed(err), nil
	}
	return verdict, nil
}

// latestFailed handles a run that is published but whose latest links
// could not be moved (or whose folder could not be synced afterwards): the
// run stays published — it is complete and on disk — and is not recorded
// as failed; its manifest gets a warning and a verdict of kind
// VerdictLatest, so the command exits non-zero (5) and a scheduler sees
// that the next `previous: latest` will not compare with this run.
func (r *run) latestFailed(cause error) error {
	m := r.manifest
	msg := fmt.Sprintf("the run was published at %s, but %s", r.dir.final, strings.ReplaceAll(cause.Error(), "\n", "; "))
	m.Warnings = append(m.Warnings, Warning{Message: msg})
	r.verdicts = append(r.verdicts, Verdict{Kind: VerdictLatest, Reasons: []string{msg}})
	m.Verdicts = r.verdicts
	verdict := &VerdictError{RunDir: r.dir.final, Verdicts: r.verdicts}
	m.ExitCode = r.opt.ExitCode(verdict)
	r.log.Warn(msg)
	if err := WriteManifest(filepath.Join(r.dir.final, "manifest.json"), m); err != nil {
		r.log.Error("could not add the warning to the published manifest", "err", err)
	}
	return verdict
}

// listStages records every stage as skipped (runStages does it for a run
// that starts its stages).
func (r *run) listStages() {
	for _, spec := range r.cfg.Stages {
		r.manifest.Stages = append(r.manifest.Stages, &StageRecord{Name: spec.Name, Type: spec.Type, Status: "skipped", Artifacts: []string{}})
	}
}

// recordFailure saves the manifest and error of a failed run in
// <out>/failed/<id>/ and returns the error Run reports.
func (r *run) recordFailure(res *RunResult, runErr error) error {
	m := r.manifest
	m.Status = "failed"
	if errors.Is(runErr, context.Canceled) || errors.Is(runErr, ErrInterrupted) {
		m.Status = "interrupted"
		runErr = fmt.Errorf("%w: stopped before it finished (a signal, or the caller cancelled the run); nothing was published", ErrInterrupted)
	}
	m.Error = runErr.Error()
	m.ExitCode = r.opt.ExitCode(runErr)
	dir, ferr := r.dir.fail(m, errorText(runErr))
	if ferr != nil {
		r.log.Error("could not record the failed run", "err", ferr)
	}
	res.Dir = dir
	// Info, not Error: the command reports the error itself (as text, or as
	// the last JSON line), so a text log does not show it twice.
	r.log.Info("run failed", "err", runErr, "failed_dir", dir)
	return &RunFailedError{Err: runErr, Dir: dir}
}

func roundSeconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}
