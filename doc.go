// Package segment runs segment jobs from Go, on a gota DataFrame the
// program already holds: the Go library behind the segment command (its
// code is in cmd/segment).
//
//	import "github.com/churnlab/segment"
//
//	job, err := segment.Load("configs/maven_churn.yaml", segment.LoadOptions{
//		Set: []string{"stages.cluster.k=5"},
//	})
//	…
//	res, err := job.Run(ctx, df, segment.RunOptions{OutDir: "/var/lib/segment/runs"})
//	…
//	res.Table        // the cleaned table, a dataframe.DataFrame
//	res.Assignments  // id, segment, segment_name, distance per customer
//	res.Dir          // the published run folder: report.html, model.json, …
//
// The package is the module's root, so its import path is the module's and
// its name the command's: segment.Load, segment.Job.Run.
//
// # A job, loaded once
//
// Load (a file) and LoadBytes (YAML in memory) read a config and check it
// as `segment run -c FILE --set …` does before reading data; the LoadOptions
// Set strings are --set flags. The Job holds the config's bytes, the
// overrides and the ${VAR} values it saw, nothing else: Job.Run loads it
// again for each run, so runs never share a config, a registry or a
// DataFrame. Relative paths in the config resolve against its folder, as
// for the command; keep the working directory between Load and Run.
//
// # The DataFrame is the input
//
// Job.Run reads the DataFrame through the gota input source
// (sources/gota; docs/config.md, "Source gota"), behind the same
// pipeline.Source interface as a CSV file or a PostgreSQL table: the column
// check reads its schema from the series' types without converting a cell,
// the ingest stage converts only the columns the job uses, and the
// manifest's input record says what was read — format gota, description
// "in-memory gota DataFrame", rows, columns, each column's gota type, and
// SHA-256 digests of the rows (sha256 in order, set_sha256 as a multiset)
// over every column, in internal/pgio's canonical row encoding. A rerun on
// the same data has the same digests; a DataFrame with the same names,
// kinds and cells as a CSV file has the digests of the table segment reads
// from that file.
//
// The config's input block may be written for the library (input: {id:
// Customer ID}, or format: gota with its keys) or for the command (a path,
// a database): its shared keys id, weight_column, types and columns apply
// to the DataFrame, and a file's path, format and source keys are left
// aside. So the config the command runs nightly on a file runs unchanged on
// the DataFrame a service holds.
//
// # Conversions
//
// Cells cross between gota and segment's typed table exactly, both ways
// (internal/frame's conversion): int ⇄ int (an int series with NAs stays
// int), float ⇄ float (float64 values, never through gota's 6-decimal
// text), bool ⇄ bool, string ⇄ string, and a gota NA ⇄ a missing cell
// (a NaN float is NA in gota, so missing); the text "NaN" stays text both
// ways, although gota's own Set reads it as NA. Result.Table and
// Result.Assignments come back the same way.
//
// gota's ReadCSV keeps an empty CSV cell of a string column as the string
// "" (and reads "NA" and "NaN" as NA), where segment's CSV reader reads
// empty and whitespace-only cells as missing. For a DataFrame that
// ReadCSV filled, RunOptions.CSVMissing (with NAValues for more missing
// texts) applies segment's rule (frame.Table.MissingStrings): the Maven
// churn table read with gota's ReadCSV and CSVMissing then gives the same
// cleaned table, the same model and a byte-identical assignments.csv as
// `segment run` on the file (the package's tests check it).
//
// # Results and errors
//
// A published run returns a Result: the run's ID and folder (Dir, with
// every artifact the command writes), its Manifest and Warnings, the
// cleaned table (Table) and each customer's segment (Assignments) as gota
// DataFrames. The errors are the command's, by type: ConfigErrors (every
// config problem at once, each at its file:line:col or --set value and YAML
// key), *InputError (a DataFrame that cannot be read), *RunFailedError (a
// stage failed on the data; its manifest and error are in <out>/failed/),
// *VerdictError (published, but a drift or stability threshold was
// crossed: the Result comes with it), *LockedError (another run holds the
// output folder). ExitCode gives the exit code the command would.
//
// # Cancellation and concurrency
//
// Run honours its context: cancelled, the run stops (the runner checks
// before each stage, the stages and the source while they work), publishes
// nothing (the run's manifest goes to <out>/failed/ with
// status "interrupted"), and its error satisfies errors.Is(err, ctx.Err()).
// The package has no global state: Jobs and runs can be used from any
// number of goroutines at once, each run in its own output folder (runs
// sharing a folder take its lock in turn: the second gets a *LockedError).
// The tests run jobs concurrently under the race detector.
package segment
