// Package ingest is the `ingest` stage: it reads the input described by the
// config's `input:` block into the typed table every later stage uses.
//
// The stage knows no format. The column check opened the input through
// its source (sources/: csv, parquet, postgres) before any stage ran, and
// the stage reads the rows from that same opened source (Env.Input), so
// standard input and pipes are read exactly once: the columns input.columns
// names, or every column the source can read. It then records the input's
// lineage for the manifest (State.Input), turns the source's facts into
// warnings (trimmed header names, blank cells, columns that are text
// because of a few stray cells), and checks the id column.
//
// The CSV reading itself is internal/csvio: a streaming, parallel parser
// that fills typed column slices directly (gota's ReadCSV was measured
// 4.4× slower with 3.8× the memory, kept the BOM and header spaces, and did
// not treat blank strings as missing). The table converts to a gota
// DataFrame with frame.Table.DataFrame when gota's API is wanted.
package ingest
