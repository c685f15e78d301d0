package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/churnlab/segment/pipeline"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "-c FILE [--set key=value]... [--out DIR] [--log-format text|json]", stderr)
	var cf configFlags
	var lf logFlags
	cf.register(fs)
	lf.register(fs)
	out := fs.String("out", "", "output `dir` (overrides output.dir; relative to the working directory)")
	noProgress := fs.Bool("no-progress", false, "no progress bars (terminal) or progress lines every 10 s (no terminal, JSON logs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return lf.report(log, err)
	}
	text := lf.format == "text"
	var progress *pipeline.Progress
	switch {
	case *noProgress:
	case text && isTerminal(stderr):
		progress = pipeline.NewProgress(stderr, true)
	case text:
		progress = pipeline.NewProgressLines(stderr, 0) // cron mail, CI: a line every 10 s
	default:
		progress = pipeline.NewProgressLog(log, 0)
	}
	opt := pipeline.RunOptions{
		OutDir:   *out,
		Log:      log,
		Progress: progress,
		Command:  cfg.Redact(rerunCommand(cf)),
		ExitCode: exitCode,
	}
	if text {
		opt.Status = stderr
	}
	opt.OnExecution = setGCPercent
	res, err := pipeline.Run(ctx, cfg, opt)
	var verdict *pipeline.VerdictError
	if res != nil && (err == nil || errors.As(err, &verdict)) { // published
		fmt.Fprintln(stdout, res.Dir)
		if text {
			summarize(stderr, res)
		}
	}
	return lf.report(log, err)
}

// runGCPercent is the garbage collector's target of an in-memory run
// (GOGC) unless the environment sets GOGC. Such a run holds one large
// table whose columns hold no pointers, so a collection costs little,
// while Go's default (100) lets the heap grow to twice that table before
// collecting: at 10,000,000 rows the peak memory was 3.9 GB with 100 and
// 2.9 GB with 25, for about the same CPU time (bench/e2e/README.md).
//
// A streamed or database run collects less often: its heap is a few
// batches and the state of the passes, small and bounded, but it
// allocates every batch anew, so a low target makes it collect all the
// time — on 100M rows in stream mode GOGC 25 cost 150 s of CPU and made
// the run 362 s instead of 272 s, to save 0.6 GB (bench/stream/README.md).
// It collects at GOGC 200 (its live heap stays well under a gigabyte, so
// the peak stays under 2 GB at 100M rows), with execution.memory_limit as
// the soft memory limit.
const (
	runGCPercent    = 25
	streamGCPercent = 200
)

func setGCPercent(ex *pipeline.Execution) {
	if os.Getenv("GOGC") != "" {
		return
	}
	if ex.Mode == pipeline.ModeMemory {
		debug.SetGCPercent(runGCPercent)
		return
	}
	debug.SetGCPercent(streamGCPercent)
	if ex.MemoryLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ex.MemoryLimit)
	}
}

func summarize(w io.Writer, res *pipeline.RunResult) {
	m := res.Manifest
	fmt.Fprintf(w, "run %s published in %.2fs: %d artifacts, %d warnings\n", m.RunID, m.Seconds, len(m.Artifacts), len(m.Warnings))
	for _, wn := range m.Warnings {
		fmt.Fprintf(w, "  warning [%s]: %s\n", wn.Stage, wn.Message)
	}
}

// rerunCommand is the command line recorded in the manifest.
func rerunCommand(cf configFlags) string {
	parts := []string{"segment", "run", "-c", shellQuote(cf.file)}
	for _, s := range cf.sets {
		parts = append(parts, "--set", shellQuote(pipeline.OverrideText(s)))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '=' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
