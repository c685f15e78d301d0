package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/csvio"
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
// manifest and error go to <out>/failed/<id>/, and `latest` is untouched.
func Run(ctx context.Context, cfg *Config, opt RunOptions) (*RunResult, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	out := string(cfg.Output.Dir)
	if opt.OutDir != "" {
		out = opt.OutDir
	}
	if err := CheckColumns(cfg); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	start := opt.Now()
	lock, err := acquireLock(out, cfg.File, start, func(msg string) { opt.Log.Warn(msg) })
	if err != nil {
		return nil, err
	}
	defer lock.release()

	prev, err := Latest(out)
	if err != nil {
		opt.Log.Warn("ignoring unreadable latest link", "err", err)
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
	log := opt.Log.With("run", rd.id)
	m := &Manifest{
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
		m.PreviousRun = prev.ID
	}
	st := &State{}
	log.Info("run started", "config", cfg.File, "dir", rd.tmp)

	runErr := runStages(ctx, cfg, rd, st, m, prev, log, opt)

	end := opt.Now()
	m.FinishedAt = end.UTC().Format(time.RFC3339Nano)
	m.Seconds = roundSeconds(end.Sub(start))
	m.Input = st.Input
	m.Warnings = append(m.Warnings, st.Warnings...)
	m.Artifacts = append(m.Artifacts, st.Artifacts...)
	res := &RunResult{ID: rd.id, Manifest: m, State: st}

	if runErr == nil {
		m.Status = "succeeded"
		if st.Drift != nil && len(st.Drift.Failed) > 0 {
			m.DriftFailed = st.Drift.Failed
			m.ExitCode = ExitDriftFailed
		}
		m.Artifacts = append(m.Artifacts, Artifact{Stage: "", Kind: "manifest", Path: "manifest.json", Title: "Run manifest"})
		if err := WriteManifest(filepath.Join(rd.tmp, "manifest.json"), m); err != nil {
			runErr = fmt.Errorf("write manifest: %w", err)
		} else if err := rd.publish(); err != nil {
			runErr = err
		}
	}
	if runErr != nil {
		m.Status = "failed"
		if errors.Is(runErr, context.Canceled) || errors.Is(runErr, ErrInterrupted) {
			m.Status = "interrupted"
			runErr = fmt.Errorf("%w: stopped by a signal; nothing was published", ErrInterrupted)
		}
		m.Error = runErr.Error()
		m.ExitCode = ExitCode(runErr)
		dir, ferr := rd.fail(m, errorText(runErr))
		if ferr != nil {
			log.Error("could not record the failed run", "err", ferr)
		}
		res.Dir = dir
		// Info, not Error: the command reports the error itself (as text, or as
		// the last JSON line), so a text log does not show it twice.
		log.Info("run failed", "err", runErr, "failed_dir", dir)
		return res, &RunFailedError{Err: runErr, Dir: dir}
	}
	res.Dir = rd.final
	log.Info("run published", "dir", rd.final, "seconds", m.Seconds)

	if keep := cfg.Output.Retention.KeepLast; keep > 0 {
		protect := map[string]bool{rd.id: true}
		for _, id := range protectedRuns(cfg, out) {
			protect[id] = true
		}
		removed, err := prune(out, keep, protect)
		if err != nil {
			log.Warn("retention: could not prune old runs", "err", err)
		} else if len(removed) > 0 {
			log.Info("retention: removed old runs", "runs", strings.Join(removed, ", "))
		}
	}
	if m.ExitCode == ExitDriftFailed {
		return res, &DriftFailedError{RunDir: rd.final, Reasons: m.DriftFailed}
	}
	return res, nil
}

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

// PreviousRunReferrer is implemented by stage configs that read an earlier
// run (nightly `previous:`), so retention never deletes it.
type PreviousRunReferrer interface {
	PreviousRun() string
}

func protectedRuns(cfg *Config, out string) []string {
	var ids []string
	for _, s := range cfg.Stages {
		if p, ok := s.Config.(PreviousRunReferrer); ok && p.PreviousRun() != "" {
			path := p.PreviousRun()
			if resolved, err := filepath.EvalSymlinks(path); err == nil {
				path = resolved
			}
			// a model.json inside a run folder protects that folder
			if filepath.Ext(path) == ".json" {
				path = filepath.Dir(path)
			}
			if filepath.Dir(path) == out || sameDir(filepath.Dir(path), out) {
				ids = append(ids, filepath.Base(path))
			}
		}
	}
	return ids
}

func sameDir(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func runStages(ctx context.Context, cfg *Config, rd *runDir, st *State, m *Manifest, prev *RunRef, log *slog.Logger, opt RunOptions) (err error) {
	n := len(cfg.Stages)
	width := 0
	for _, spec := range cfg.Stages {
		width = max(width, len(spec.Name))
	}
	for _, spec := range cfg.Stages {
		rec := &StageRecord{Name: spec.Name, Type: spec.Type, Status: "skipped", Artifacts: []string{}}
		m.Stages = append(m.Stages, rec)
	}
	for i, spec := range cfg.Stages {
		rec := m.Stages[i]
		if err := ctx.Err(); err != nil {
			rec.Status = "interrupted"
			return err
		}
		stage, err := spec.Factory.New(spec.Config)
		if err != nil {
			rec.Status = "failed"
			rec.Error = err.Error()
			return fmt.Errorf("stage %q (%s): %w", spec.Name, spec.Type, err)
		}
		stageLog := log.With("stage", spec.Name)
		env := &Env{
			Name: spec.Name, Type: spec.Type, Dir: rd.tmp, Log: stageLog,
			Seed:     DeriveSeed(cfg.Seed, spec.Name),
			Config:   cfg,
			Progress: opt.Progress,
			Previous: prev,
			state:    st,
			record:   rec,
			manifest: m,
		}
		before := st.Table
		if before != nil {
			rec.RowsIn, rec.ColsIn = before.NumRows(), before.NumCols()
		}
		t0 := time.Now()
		err = runOne(ctx, stage, env, st)
		rec.Seconds = roundSeconds(time.Since(t0))
		if st.Table != nil {
			rec.RowsOut, rec.ColsOut = st.Table.NumRows(), st.Table.NumCols()
		}
		if err != nil {
			rec.Status = "failed"
			if ctx.Err() != nil {
				rec.Status = "interrupted"
				return ctx.Err()
			}
			rec.Error = err.Error()
			return fmt.Errorf("stage %q (%s): %w", spec.Name, spec.Type, err)
		}
		rec.Status = "succeeded"
		if cfg.Output.KeepTables && st.Table != nil && st.Table != before {
			table := st.Table
			file := spec.Name + ".table.csv" // named by stage even when name == type
			err := WriteFileAtomic(filepath.Join(rd.tmp, file), func(w io.Writer) error { return csvio.WriteCSV(w, table) })
			if err == nil {
				env.addArtifact("table", file, "Table after stage "+spec.Name)
			}
			if err != nil {
				return fmt.Errorf("stage %q: keep_tables: %w", spec.Name, err)
			}
		}
		line := fmt.Sprintf("[%d/%d] %-*s  %s  %.2fs", i+1, n, width, spec.Name, rowsText(rec, before != nil, st.Table != nil), rec.Seconds)
		if opt.Status != nil {
			fmt.Fprintln(opt.Status, line)
		}
		stageLog.Info("stage done", "step", fmt.Sprintf("%d/%d", i+1, n), "type", spec.Type,
			"rows_in", rec.RowsIn, "rows_out", rec.RowsOut, "seconds", rec.Seconds, "artifacts", len(rec.Artifacts))
	}
	return nil
}

func rowsText(rec *StageRecord, hadIn, hasOut bool) string {
	switch {
	case hadIn && hasOut && (rec.RowsIn != rec.RowsOut || rec.ColsIn != rec.ColsOut):
		s := fmt.Sprintf("%d → %d rows", rec.RowsIn, rec.RowsOut)
		if rec.ColsIn != rec.ColsOut {
			s += fmt.Sprintf(", %d → %d columns", rec.ColsIn, rec.ColsOut)
		}
		return s
	case hasOut:
		return fmt.Sprintf("%d rows", rec.RowsOut)
	}
	return ""
}

// runOne runs a stage, turning a panic (a bug, never a user mistake) into an
// error that carries the stack.
func runOne(ctx context.Context, s Stage, env *Env, st *State) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &BugError{Msg: fmt.Sprint(r), Stack: string(debug.Stack())}
		}
	}()
	return s.Run(ctx, env, st)
}

// BugError is an internal error (a panic in a stage). Its stack goes to
// error.txt of the failed run.
type BugError struct {
	Msg   string
	Stack string
}

func (e *BugError) Error() string {
	return "internal error (a bug in segment, please report it with failed/<id>/error.txt): " + e.Msg
}

func errorText(err error) string {
	var be *BugError
	if errors.As(err, &be) {
		return err.Error() + "\n\n" + be.Stack
	}
	return err.Error()
}

func roundSeconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}
