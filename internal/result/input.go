package result

// Input describes the input as the ingest stage read it; the manifest
// records it as "input", so that a rerun can prove it saw the same data.
// Which fields are set depends on the source (docs/config.md, "The
// manifest's input record"):
//
//   - a file (CSV, compressed CSV, standard input, a Parquet file): Path,
//     Bytes and SHA256 of the raw bytes as stored (compressed), and for
//     CSV Compression, Delimiter, Encoding, BOM, Trimmed, NAValues;
//   - a directory of Parquet files: Path, Dir, Files (each with its own
//     bytes, SHA-256 and rows), Bytes their total, and SHA256 the digest
//     of the listing (what `sha256sum` prints for the files, hashed);
//   - a database query: DSN (never with its password), Table or Query as
//     configured, Statement as run, ServerVersion, and SHA256 and
//     SetSHA256, digests of the rows as read (internal/pgio's canonical
//     row encoding); Ordered says whether input.order_by fixed the order
//     SHA256 follows;
//   - a gota DataFrame handed over by the Go library (source gota):
//     Description, SourceTypes, and SHA256 and SetSHA256 over the rows in
//     the same canonical encoding.
type Input struct {
	// Format is the source that read the input: csv, parquet, postgres,
	// gota.
	Format string `json:"format,omitempty"`
	// Description names an input that has neither a path nor a DSN: "in-memory
	// gota DataFrame".
	Description string `json:"description,omitempty"`
	Path        string `json:"path,omitempty"`
	// Bytes is the size of the file as stored (compressed), or of all the
	// files of a directory.
	Bytes int64 `json:"bytes,omitempty"`
	// SHA256 identifies the data: the file's raw bytes; a directory's
	// listing digest; a query's rows in the order read.
	SHA256      string `json:"sha256"`
	Compression string `json:"compression,omitempty"` // gzip, zstd
	Rows        int    `json:"rows"`
	Columns     int    `json:"columns"`

	// CSV: how the text was read.
	Delimiter string   `json:"delimiter,omitempty"`
	Encoding  string   `json:"encoding,omitempty"`
	NAValues  []string `json:"na_values,omitempty"`
	BOM       bool     `json:"bom,omitempty"`
	Trimmed   []string `json:"trimmed_header_names,omitempty"`

	// A directory of Parquet files.
	Dir   bool        `json:"dir,omitempty"`
	Files []InputFile `json:"files,omitempty"`

	// A database.
	DSN           string `json:"dsn,omitempty"` // password replaced by xxxxx
	Table         string `json:"table,omitempty"`
	Query         string `json:"query,omitempty"`     // as configured
	Statement     string `json:"statement,omitempty"` // as run (the COPY)
	ServerVersion string `json:"server_version,omitempty"`
	SetSHA256     string `json:"set_sha256,omitempty"` // rows as a multiset: independent of their order
	Ordered       *bool  `json:"ordered,omitempty"`    // the row order was fixed by ORDER BY

	// SourceTypes are the columns' types in the source (Parquet, a
	// database), for a reader of the manifest.
	SourceTypes []ColumnType `json:"source_types,omitempty"`

	IDColumn string `json:"id_column,omitempty"`

	// NearNumeric maps input columns that were read as text although
	// nearly all their values are numbers to an explanation naming the
	// rows and values that broke the numbers (csvio.NearNumeric.String).
	// Stages quote it when such a column is left out of a correlation or
	// given as a feature (pipeline.Env.NearNumeric follows renames).
	NearNumeric map[string]string `json:"near_numeric,omitempty"`

	// Warnings are facts worth telling the user (blank cells read as
	// missing, rounded integers); the ingest stage records them as
	// warnings of the run.
	Warnings []string `json:"-"`
}

// InputFile is one file of a directory input.
type InputFile struct {
	Path   string `json:"path"` // relative to the directory, '/'-separated
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// ColumnType is a column and its type in the source.
type ColumnType struct {
	Name string `json:"name"`
	Type string `json:"type"`
}
