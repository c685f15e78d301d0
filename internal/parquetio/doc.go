// Package parquetio reads Parquet files into typed frame.Tables and writes
// tables as Parquet, on github.com/parquet-go/parquet-go.
//
// # Reading
//
// Open takes a file or a directory (a partitioned export) and reads only the
// footers: Schema then reports every column's name, frame kind and Parquet
// type, and NumRows the row count, without reading a row. Read loads the
// requested columns into a table; only their column chunks are read from disk
// (projection), and the (row group, column) chunks are decoded in parallel
// into preallocated columns, so the result does not depend on GOMAXPROCS.
// Scan streams the same columns in batches of a fixed number of rows for
// tables larger than memory: it decodes page by page, so memory stays at one
// batch plus, per column, one page, a read buffer and the row group's
// dictionary, whatever the size of the table. Lineage hashes the raw bytes
// for the run manifest.
//
// A directory is read as one table: every *.parquet, *.parq and *.pq file
// below it, in byte-wise sorted order of their '/'-separated relative paths.
// Names starting with '_' or '.' are skipped (Spark's _SUCCESS and
// _temporary, Hadoop's .crc files), files and directories alike. The files
// must have the same columns with the same Parquet types (nullability may
// differ; the column order of the first file is used); a difference is an
// error naming both files and the column. An empty directory is an error.
//
// Hive-style partitions: directory names of the form key=value become
// columns, after the file columns, in path order (Options.NoPartitions turns
// this off). Their values are URL-unescaped and typed like CSV cells: bool,
// int, float, otherwise string; an empty value or __HIVE_DEFAULT_PARTITION__
// is missing. Every file must sit under the same keys; a key that is also a
// file column is an error. Spark, Hive and pyarrow do the same, so a table
// exported with partitionBy reads back with its partition columns.
//
// # Types
//
// The frame has four kinds; Parquet types map to them as follows.
//
//	Parquet type (physical + annotation)              kind    value
//	BOOLEAN                                           bool
//	INT32, INT64, INT(8|16|32|64, signed), INT_8…64   int
//	INT(8|16|32, unsigned), UINT_8|16|32              int     read as unsigned
//	INT(64, unsigned), UINT_64                        int     above 2⁶³−1: error naming column and row
//	FLOAT                                             float   through its shortest decimal text: 0.1f → 0.1
//	DOUBLE                                            float
//	DECIMAL(p,s) on INT32, INT64, FIXED_LEN_BYTE_ARRAY,
//	  BYTE_ARRAY                                      float   nearest float64 (see below)
//	BYTE_ARRAY STRING (UTF8), ENUM, JSON              string  UTF-8 checked
//	INT32 DATE                                        string  2024-03-01
//	INT64 TIMESTAMP(MILLIS|MICROS|NANOS),
//	  TIMESTAMP_MILLIS, TIMESTAMP_MICROS              string  2024-03-01T13:45:06.25Z
//	INT96 (legacy Impala/Spark timestamps)            string  2024-03-01T13:45:06.123456789
//	TIME(MILLIS|MICROS|NANOS), TIME_MILLIS|MICROS     string  13:45:06.5
//	NULL (UNKNOWN)                                    float   every row missing, as the CSV reader
//	                                                          types an all-empty column
//
// Anything else cannot be read: nested columns (groups: LIST, MAP, structs),
// repeated fields, BYTE_ARRAY without a string annotation (binary) or with
// BSON, FIXED_LEN_BYTE_ARRAY other than DECIMAL (UUID, FLOAT16, INTERVAL),
// and newer annotations (VARIANT, GEOMETRY, …). Such a column is listed by
// Schema with Field.Unsupported set, and requesting it is an error naming the
// column and its Parquet type; a config that does not use it can read the
// other columns.
//
// The frame has no date kind, so dates and times become strings: the ISO
// 8601 text of RFC 3339 (see FormatDate and FormatTimestamp), with the
// fraction of a second written with as many digits as needed and left out
// when zero. "Z" ends a timestamp that is adjusted to UTC (isAdjustedToUTC,
// and the legacy converted types, which the format defines as UTC); a local
// ("naive") timestamp has no zone. INT96 values are naive, as pandas and Spark
// read them. This is the text a CSV export of the column carries, so a table
// read from such a CSV and from the Parquet file is the same.
//
// DECIMAL values become the float64 nearest to the exact decimal number,
// which is what parsing their decimal text gives (so again CSV and Parquet
// agree). Up to 15 significant digits survive exactly when printed back;
// wider decimals (DECIMAL(38,s) amounts, say) keep about 16 significant
// digits. FLOAT values are widened through their shortest decimal text, the
// one a CSV export prints: 0.1f reads as 0.1, not 0.10000000149011612.
//
// Missing values: a null is missing in every kind; a NaN in a FLOAT, DOUBLE
// column is missing too (the frame's convention for floats). An empty string
// is a value, not missing — unlike a blank CSV cell, which the CSV reader
// treats as missing; converters from CSV (pandas, this package's tests)
// write blank cells as nulls, so such files read the same.
//
// String columns keep the frame's dictionary encoding: a Parquet dictionary
// page is looked up once per entry and its index pages become codes
// directly; plain pages are interned with a hash index. The dictionary is in
// order of first appearance, as from the CSV reader.
//
// # Lineage
//
// Lineage returns, for a file, its path, size and the SHA-256 of its raw
// bytes (like the CSV input record), and for a directory the list of files
// (relative path, size, SHA-256, rows) and a digest over them: the SHA-256 of
// the lines "<hex sha256><two spaces><relative path>\n" in reading order,
// which is exactly `sha256sum`'s output (see DirSHA256). Row counts come from
// the footers. Hashing reads every byte, the unread columns included; it is
// a separate call so that a caller can run it beside Read.
//
// # Errors
//
// Errors about the data are *Error values that name the file and, where
// known, the column and the 1-based row within that file:
//
//	data/x.parquet: is not a Parquet file: it starts with gzip data, not the "PAR1" magic
//	data/x.parquet: is truncated or not a Parquet file: it does not end with the "PAR1" magic (601 bytes; a partial download or copy?)
//	data/x.parquet: is truncated or not a Parquet file: its footer claims 16777215 bytes but the file has 902 bytes
//	data/x.parquet column "note": row group 0: corrupt data: decoding page 0 of column "note": …
//	data/x.parquet column "tags": cannot read a column of Parquet type group LIST: nested columns (lists, maps, structs) are not supported; leave it out of the columns to read
//	data/x.parquet row 3, column "name": invalid UTF-8 (byte 0xE9 at offset 3 of the value) in a string column
//	data/x.parquet: unknown column "Agee" (did you mean "Age"?)
//	data/export: the directory holds no Parquet files (*.parquet, *.parq or *.pq; names starting with '_' or '.' are skipped)
//	data/export/b.parquet column "amount": schemas differ: the column is INT64 here but DOUBLE in data/export/a.parquet
//
// A damaged file can make the Parquet library panic; every call into it is
// guarded, and the panic comes back as an *Error naming the file (its
// underlying error is a *PanicError with the stack). FuzzRead exercises this.
// A footer that claims absurd row counts is refused before anything is
// allocated for it, and the page headers of every column chunk are checked
// before the library decodes it (sizes, value counts, SNAPPY length prefixes,
// LZ4_RAW blocks; see checkChunk), because some damage makes parquet-go
// allocate without bound, and running out of memory cannot be recovered
// from. Not every damage is detectable: parquet-go v0.32.1
// accepts a page whose decompressed data is shorter than its header says
// (it checks the buffer's capacity, not its length) and returns stale bytes
// as the last values, so a corrupt file can read without an error; the
// SHA-256 in the lineage is what proves the bytes are the expected ones.
//
// # Writing
//
// Write, WriteFile and Writer produce a Parquet file from tables: int →
// INT64 INT(64,true), float → DOUBLE, bool → BOOLEAN, string → BYTE_ARRAY
// STRING with dictionary encoding; every column OPTIONAL, a missing value a
// null. Snappy (default), Zstd, gzip or no compression; row groups of
// WriteOptions.RowGroupRows rows; key/value metadata in the footer (the run
// id and model sha256 of a results file). WriteFile and CreateFile publish
// the file atomically (temporary file, fsync, rename), so a failed run leaves
// the previous file in place. Reading a written file gives back the same
// table, every kind and missing value included.
package parquetio
