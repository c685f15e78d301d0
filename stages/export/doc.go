// Package export is the export stage: files for the people who act on the
// segments rather than for the analyst.
//
// customers: one row per customer — the id (exactly as in the input, or a
// 1-based row number when the input has none), the segment number, the
// segment name (the profile stage's when it ran before, else the cluster
// stage's: a pinned name or "Segment <ID>") and the chosen attribute
// columns as the table holds them at this point — written as
// customers.csv and, with formats: [xlsx], as customers.xlsx with two
// sheets: Customers (the same rows) and Segments (one row per segment:
// number, name, customers, share, the profile's worded traits when a
// profile stage ran before, and per attribute column the mean of a numeric
// one or the most frequent value of another, with its share).
//
// Spreadsheet formula injection: a text cell (header names included) that
// starts with =, +, -, @, a tab or a carriage return would be read as a
// formula by Excel, LibreOffice or Google Sheets when it opens a CSV; in
// customers.csv it is written with a leading apostrophe (OWASP's advice).
// The workbook needs none: its text cells are typed strings, which no
// spreadsheet program evaluates, so they hold the text exactly (a test
// checks that no cell holds a formula).
// Numbers are written as numbers and are not changed.
//
// The workbook is reproducible: the same rows give the same bytes (fixed
// document dates, zip entries in a fixed order without times). An Excel
// sheet holds at most 1,048,576 rows; a larger table is an error for xlsx
// (csv has no limit).
//
// # Customer results: Parquet and PostgreSQL
//
// For other programs, the same customers are written with their lineage:
// id, segment, segment_name, distance (Euclidean, to the segment's
// centroid in the model's scaled space — the distance `segment predict`
// gives), run_id, model_sha256 (of the run's model.json), then the
// attribute columns, values as the table holds them (not neutralised).
// One table feeds both destinations:
//
//   - formats: [parquet] writes customers.parquet in the run folder with
//     internal/parquetio, streamed into a temporary file that is synced and
//     renamed only when complete (CreateFile/Commit/Abort); the footer
//     carries segment.run_id and segment.model_sha256.
//   - database: {dsn, table, mode, create} writes a PostgreSQL table with
//     internal/pgio's Write (binary COPY into a staging table, then one
//     transaction: lock against writers, delete the replaced rows — every
//     row in mode replace, this run id's in mode append-run — insert,
//     commit). The stage connects once while it runs, so a bad DSN or a
//     refused login fails at this stage; the write itself is deferred with
//     pipeline.Env.BeforePublish until every stage has succeeded, so no
//     later stage can fail after the rows are committed. Only the window
//     between the commit and the run folder's rename remains; the run id
//     on every row makes a rerun replace rather than duplicate.
//
// Why one stage and not an output block: the customer table (id, names,
// attribute columns, the checks that the columns exist) is the export's,
// and a destination is just another format of it. The DSN is a DSN value,
// whose JSON (the effective config in the manifest) and text masks its
// passwords; the manifest notes each destination under notes.sinks
// (parquetSink, databaseSink).
package export
