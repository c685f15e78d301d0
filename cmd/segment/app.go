package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

const usage = `segment runs a customer-segmentation analysis from one YAML file.

Usage:
  segment run      -c FILE [--set key=value]... [--out DIR] [--log-format text|json]
  segment validate -c FILE [--set key=value]...
  segment stages
  segment sources
  segment predict  -m MODEL.json -i INPUT -o SCORED.csv [--id COL] [--skip-invalid]
                   [--distances nearest|all] [--rows all|training] [--unseen zeros|reject]
  segment export   -m MODEL.json --format sql --dialect postgres|duckdb|bigquery|clickhouse|ansi
                   [--table T] [--id COL] [--rows all|training] [--distances nearest|all] [-o FILE]
  segment synth    churn|engagement --rows N --seed S -o FILE
  segment version

Run "segment <command> -h" for the flags of a command.
Exit codes: 0 ok, 1 data/run error (missing input too), 2 usage/config error,
3 drift threshold crossed, 4 another run holds the lock, 5 published but latest
not moved, 6 stability threshold crossed (published), 130 interrupted; a crash
(out of memory) is SIGABRT (134).
`

// command is one subcommand: it parses its own flags and returns an error
// whose type decides the exit code (exitCode).
type command func(ctx context.Context, args []string, stdout, stderr io.Writer) error

func commands() map[string]command {
	return map[string]command{
		"run":      cmdRun,
		"validate": cmdValidate,
		"stages":   cmdStages,
		"sources":  cmdSources,
		"predict":  cmdPredict,
		"export":   cmdExport,
		"synth":    cmdSynth,
		"version":  cmdVersion,
	}
}

// run is the whole CLI, testable in-process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitConfigError
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "segment: unknown command %q\n\n%s", args[0], usage)
		return exitConfigError
	}
	err := cmd(ctx, args[1:], stdout, stderr)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var done *reportedError
	if !errors.As(err, &done) {
		printError(stderr, err)
	}
	return exitCode(err)
}

func printError(w io.Writer, err error) {
	var ce confyaml.ConfigErrors
	if errors.As(err, &ce) {
		fmt.Fprintf(w, "segment: %d problem(s) in the config:\n", len(ce))
		for _, e := range ce {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(e.Error(), "\n", "\n    "))
		}
		// An error found with them (pipeline.Check: an input that
		// cannot be opened) follows.
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				if !errors.As(e, new(confyaml.ConfigErrors)) {
					printError(w, e)
				}
			}
		}
		return
	}
	fmt.Fprintf(w, "segment: %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
}

// newFlags makes a flag set that reports mistakes as usage errors.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: segment %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and rejects stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q (flags go before it? see segment %s -h)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// setFlags collects repeated --set flags.
type setFlags []confyaml.Override

func (s *setFlags) String() string { return "" }

func (s *setFlags) Set(v string) error {
	o, err := confyaml.ParseOverride(v)
	if err != nil {
		return err
	}
	*s = append(*s, o)
	return nil
}

// configFlags are the flags shared by run and validate.
type configFlags struct {
	file string
	sets setFlags
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.file, "c", "", "config `file` (YAML)")
	fs.StringVar(&c.file, "config", "", "config `file` (same as -c)")
	fs.Var(&c.sets, "set", "override a config key: `key.path=value` (repeatable), e.g. --set seed=7, --set stages.clean.steps[0].filter='Age > 30'")
}

func (c *configFlags) load() (*pipeline.Config, error) {
	if c.file == "" {
		return nil, usagef("missing -c FILE (the config to use)")
	}
	return pipeline.Load(c.file, stages.Registry(), pipeline.LoadOptions{Overrides: c.sets})
}

// logFlags configure log/slog.
type logFlags struct {
	format string
	level  string
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.format, "log-format", "text", "log format: `text` or json (one object per line, for cron and log shippers)")
	fs.StringVar(&l.level, "log-level", "warn", "log `level`: debug, info, warn or error")
}

func (l *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(l.level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", l.level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		if lv > slog.LevelInfo {
			opts.Level = slog.LevelInfo // JSON logs are for machines: keep the per-stage records
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", l.format)
}

// report logs a failing command's error as the last JSON line when logs are
// JSON (so a log shipper sees one object per line, the exit code included)
// and marks it as reported; text logs leave printing to run.
func (l *logFlags) report(log *slog.Logger, err error) error {
	if err == nil || l.format != "json" {
		return err
	}
	log.Error("exit", "exit_code", exitCode(err), "error", err.Error())
	return &reportedError{err}
}

// reportedError is an error already written to the log.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
