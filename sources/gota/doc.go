// Package gota is the `gota` input source: a gota (github.com/go-gota/gota
// v0.12.0) DataFrame that a Go program holds in memory, handed over by the
// Go library (package github.com/churnlab/segment, which registers it with
// sources.RegistryWith for each run). The segment command does not list it:
// a config file cannot name a DataFrame.
//
// It is a source like the others, behind pipeline.Source:
//
//   - Schema gives the columns' names and kinds from the series' types
//     without converting a cell (int → int, float → float, bool → bool,
//     string → string; input.types changes the kind, as for Parquet).
//   - Read converts only the columns asked for (projection), each with
//     internal/frame's exact conversion (frame.FromDataFrameColumn: a gota
//     NA is a missing cell and nothing else is; floats are copied as
//     float64 values, never through text; an int column with NAs stays
//     int; the text "NaN" stays text), then applies csv_missing and
//     input.types. Scan does the same in batches of rows, converting only
//     the batch's cells.
//   - Lineage records format "gota", description "in-memory gota
//     DataFrame", the rows, the columns read and their gota types, and two
//     SHA-256 digests over the rows: sha256 in order and set_sha256 as a
//     multiset. They cover every column of the DataFrame (not only the
//     columns read), as the source reads it — after csv_missing, before
//     input.types — in internal/pgio's canonical row encoding
//     ("segment-rows-v1", documented there, with an independent Python
//     implementation in internal/pgio/testdata). So a rerun on the same
//     data proves it saw the same data, and a DataFrame holding the same
//     names, kinds and cells as a table read from PostgreSQL or CSV has the
//     digests pgio.HashTable gives that table.
//
// gota keeps blank cells as values: its ReadCSV reads an empty CSV cell of
// a string column as the string "" (and "NA" and "NaN" as NA). segment's
// CSV reader reads empty and whitespace-only cells as missing. For a
// DataFrame filled by gota's ReadCSV, csv_missing: true applies segment's
// rule (frame.Table.MissingStrings: string cells that are empty or hold
// only spaces and tabs are missing, and so are cells equal to one of
// na_values, both trimmed of spaces and tabs); the Maven table read with
// gota's ReadCSV and csv_missing is then cell for cell the table segment
// reads from the CSV file.
//
// The source never modifies the DataFrame; the caller must not modify it
// while a run reads it.
package gota
