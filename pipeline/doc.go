// Package pipeline is segment's core: it loads a job, checks it, runs its
// stages in order and publishes the run folder. It imports no stage
// (stages/stages.go lists them), no input format (sources/sources.go lists
// the sources) and no exit code (cmd/segment maps the errors it returns to
// them).
//
// Where each part lives:
//
//   - stage.go: the stage contract — Stage, Factory, Slot, Validator,
//     ColumnChecker; modecheck.go: ModeChecker, the features a stage
//     cannot run in execution mode stream or database, asked by Check
//     (`segment validate`, every problem together) and by Run as soon as
//     the mode is decided; env.go: Env, what a stage is given (where to write, its
//     seed, the resolved id column, Warn, Note, WriteFile); verdict.go:
//     Env.FailAfterPublish (kinds drift, stability, latest); resolved.go:
//     Resolved and Env.UseRun; weights.go: Env.Weights, the sample
//     weights of input.weight_column (followed through renames like
//     input.id), read the same way by every stage that honours them;
//     prepublish.go: Env.BeforePublish, steps deferred until every stage
//     succeeded.
//   - state.go: State, the slots stages fill (the result types are in
//     internal/result; the table's Transform, the frozen clean steps, is an
//     internal/model type), artifacts and warnings.
//   - config.go: the job's top-level keys; load.go: Load (decoding with
//     internal/confyaml, --set, ${VAR}, each stage's config, Validate);
//     stagespec.go: one `stages:` entry; plan.go: every need is provided by
//     an earlier stage; registry.go: the stage types; redact.go: --set
//     values of dsn and *password keys masked wherever they are shown.
//   - source.go: the input source contract — Source (Schema, Read, Scan,
//     Lineage, Close), SourceFactory, SourceRegistry (given to a Registry
//     with WithSources; sources/sources.go lists them), InputKeyError;
//     input.go: the input block, its shared keys and the chosen source's
//     own keys, format detection (Probe) and secrets.
//   - schema.go and columns.go: CheckColumns opens the input, reads its
//     schema and follows the column names through the stages before any
//     row is read; the run keeps the opened input for the ingest stage
//     (Env.Input), so a stream is read once. schematypes.go:
//     CheckColumnsTyped (segment validate) also reads the input's rows once
//     to learn column types and few-valued columns' levels, so stages can
//     type-check; headercheck.go: one summary line when the header lacks
//     many of the config's columns.
//   - origin.go: Env.SetBy, where a config value came from (file or --set);
//     features.go: FeatureConfig, a cluster stage's features for earlier
//     stages to check.
//   - runner.go: Run; stagerun.go: one stage; errors.go: the typed errors
//     Run returns.
//   - rundir.go, latest.go, lock.go, retention.go: the run folder, the
//     latest-<job> and latest links (with the reading of folders written by
//     older versions), the lock (flock), pruning a job's old runs;
//     atomic.go, fsync.go: writing files atomically and durably, with the
//     umask's modes; names.go: job and stage names and the one check every
//     output path goes through; manifest.go: manifest.json; progress.go:
//     progress bars on a terminal, else a line (or a JSON log record) every
//     10 s with an ETA from measured work.
//
// A run:
//
//  1. Load decodes the YAML strictly, applies --set overrides and ${VAR}
//     expansion, decodes every stage's `config:` into its factory's config
//     type, validates it, and checks that each stage's needs are provided by
//     an earlier stage. All problems are returned together, each as
//     FILE:LINE:COL: stage "NAME" (TYPE): KEY: message.
//  2. CheckColumns opens the input through its source and reads its schema
//     (a CSV header, Parquet footers, a query's description), and checks
//     every column a stage refers to, following renames and new columns; it
//     resolves each stage's id column name. Configs are not changed from
//     here on.
//  3. Run decides the execution mode (auto: from the input's estimated
//     size, execution.go) and refuses, as config errors, every stage
//     feature that mode cannot run (ModeChecker), before anything is
//     read or written. It then takes the output folder's lock, builds
//     the run in <out>/.tmp-<id>, runs the stages in order and, only when
//     all succeeded, runs the steps the stages deferred with
//     Env.BeforePublish (a database write), writes manifest.json, flushes
//     the folder to disk, renames it to <out>/<id> and atomically repoints
//     <out>/latest-<job> and <out>/latest. A failure or a signal — in a
//     stage or a deferred step — or an input that cannot be read publishes
//     nothing: the manifest and the error go to <out>/failed/<id>/. A
//     published run whose stages asked for a non-zero exit, or whose latest
//     links could not be moved, returns a *VerdictError.
package pipeline
