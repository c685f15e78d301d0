package segment

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/gota"
)

// RunOptions adjusts Job.Run.
type RunOptions struct {
	// OutDir holds the run folders (the command's --out); default the
	// config's output.dir. Runs sharing an OutDir take its lock in turn:
	// while one runs, another returns a *LockedError. Concurrent runs
	// need different OutDirs.
	OutDir string

	// CSVMissing reads the DataFrame's string cells as segment reads CSV
	// cells: empty and whitespace-only cells, and cells equal to one of
	// NAValues (both trimmed of spaces and tabs), are missing. Set it for a
	// DataFrame filled by gota's ReadCSV, which keeps an empty cell as the
	// string "" (and reads "NA" and "NaN" as NA); without it a cell is
	// missing exactly when gota says it is NA. It adds to the config's
	// input.csv_missing (source gota, docs/config.md).
	CSVMissing bool
	// NAValues are extra cell values meaning "missing" with CSVMissing,
	// e.g. []string{"N/A"}; when not nil they replace the config's
	// input.na_values.
	NAValues []string

	// Log receives the run's structured logs; default none.
	Log *slog.Logger
	// Status receives one line per stage, as the command prints on
	// stderr ("[2/7] seed_table  7043 → 5174 rows …"); nil writes none.
	Status io.Writer
}

// Result is a finished run: where it is, its manifest and warnings, and the
// cleaned table and each customer's segment as gota DataFrames.
type Result struct {
	// ID is the run's id (<UTC time>-<job name>).
	ID string
	// Dir is the published run folder <out>/<ID>, holding the artifacts
	// (assignments.csv, model.json, report.html, …) and manifest.json; for
	// a failed run, <out>/failed/<ID> with its manifest and error.
	Dir string
	// Manifest is manifest.json's content: the effective config (with the
	// input block as run: format gota), the input record (format gota,
	// description "in-memory gota DataFrame", rows, columns, gota types,
	// sha256 and set_sha256 of the rows), each stage's status, notes (k,
	// inertia, sizes) and artifacts, warnings and verdicts.
	Manifest *pipeline.Manifest
	// Warnings are the run's warnings (Manifest.Warnings).
	Warnings []pipeline.Warning

	// Table is the table after the last stage that changed it (ingest,
	// then each clean stage): the cleaned table the eda and cluster stages
	// saw, converted with every kind and missing cell kept (see the
	// package documentation).
	Table dataframe.DataFrame
	// Assignments holds one row per row of Table: the id column (named and
	// valued as in Table; a 1-based int column "row" when the config has
	// no input.id), segment (int: the segment's ID, as in
	// assignments.csv), segment_name (string: the profile's name or
	// "Segment <ID>", as in customers.csv) and distance (float: Euclidean,
	// to the segment's centroid in the model's scaled space, as in
	// customers.parquet and segment predict). A result column that would
	// repeat the id column's name is named segment_id, segment_label or
	// segment_distance instead. When the run has no cluster stage, or its
	// segments do not match Table's rows (a clean stage after the cluster
	// stage), Assignments.Err says so.
	Assignments dataframe.DataFrame

	state *pipeline.State // for the package's tests
}

// Run runs the job on df, read through the gota source (docs/config.md,
// "Source gota"): whatever the config's input block names, its shared keys
// id, weight_column, types and columns apply to df and its path, format
// and source keys are left aside. The run is the command's: the same
// stages, files, manifest, lock, atomic publishing and retention, in
// opt.OutDir or the config's output.dir. df is not modified; do not modify
// it while Run reads it.
//
// Run returns a Result when the run was published — err nil, or a
// *VerdictError when a stage asked for a non-zero exit (drift or stability
// thresholds crossed) — and, with only ID, Dir (<out>/failed/<ID>),
// Manifest and Warnings, when a run folder was started but the run failed
// (a *RunFailedError). Errors before that are: a DataFrame that cannot be
// read (*InputError, key "input"); ConfigErrors (a column the config names
// that df lacks, with the config's file:line:col and key); a *LockedError.
// When ctx is cancelled or its deadline passes, the run stops (the runner
// checks before each stage, stages and the source while they work),
// publishes nothing and Run returns an error for which
// errors.Is(err, ctx.Err()) holds (and, once a run folder was started,
// errors.As finds its *RunFailedError). ExitCode maps every error to the
// command's exit code.
func (j *Job) Run(ctx context.Context, df dataframe.DataFrame, opt RunOptions) (*Result, error) {
	if err := gota.Check(df); err != nil {
		return nil, &InputError{Key: "input", Err: err}
	}
	cfg, reg, err := j.config(df)
	if err != nil {
		return nil, err
	}
	if err := useDataFrame(cfg, reg, opt); err != nil {
		return nil, err
	}
	res, err := pipeline.Run(ctx, cfg, pipeline.RunOptions{
		OutDir:   opt.OutDir,
		Log:      opt.Log,
		Status:   opt.Status,
		Command:  cfg.Redact(j.command()),
		ExitCode: ExitCode,
	})
	if cerr := ctx.Err(); cerr != nil && err != nil {
		err = &canceledError{ctx: cerr, run: err}
	}
	if res == nil {
		return nil, err
	}
	out := &Result{ID: res.ID, Dir: res.Dir, Manifest: res.Manifest, state: res.State}
	if res.Manifest != nil {
		out.Warnings = res.Manifest.Warnings
	}
	var verdict *VerdictError
	if err == nil || errors.As(err, &verdict) {
		out.Table = tableFrame(res.State)
		out.Assignments = assignments(cfg, res)
	}
	return out, err
}

// useDataFrame makes the gota source read the input: a block read by
// another source is replaced by one with its shared keys; then opt's
// CSVMissing and NAValues are applied.
func useDataFrame(cfg *pipeline.Config, reg *pipeline.Registry, opt RunOptions) error {
	if cfg.Input.SourceFormat() != gota.Format {
		old := cfg.Input
		in := pipeline.InputConfig{
			Format:       gota.Format,
			ID:           old.ID,
			WeightColumn: old.WeightColumn,
			Types:        maps.Clone(old.Types),
			Columns:      slices.Clone(old.Columns),
		}
		if err := reg.Sources().PrepareInput(&in); err != nil {
			return err
		}
		cfg.Input = in
	}
	cfg.Input.Format = gota.Format // as run, also when detected
	c := cfg.Input.Options.(*gota.Config)
	c.CSVMissing = c.CSVMissing || opt.CSVMissing
	if opt.NAValues != nil {
		c.NAValues = slices.Clone(opt.NAValues)
	}
	// The shared keys were checked by Load; what is left to check comes
	// from opt (NAValues without CSVMissing).
	if err := cfg.Input.Validate(); err != nil {
		var errs ConfigErrors
		for _, fe := range confyaml.AsFieldErrors(err) {
			errs = append(errs, &ConfigError{Pos: "RunOptions", Key: fe.Key, Msg: fe.Msg})
		}
		return errs
	}
	return nil
}

// command is the manifest's record of how the run was started.
func (j *Job) command() string {
	parts := []string{"Job.Run (github.com/churnlab/segment) on an in-memory gota DataFrame, config", j.file}
	for _, o := range j.sets {
		parts = append(parts, "--set", pipeline.OverrideText(o))
	}
	return strings.Join(parts, " ")
}
