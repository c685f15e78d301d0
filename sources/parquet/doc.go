// Package parquet is the `parquet` input source: a Parquet file, or a
// directory of Parquet files (a partitioned export, read as one table),
// read with internal/parquetio. Only the columns the run reads are
// decoded (projection); a column of a type segment cannot read (nested,
// binary, …) is left out unless a key or stage names it, which is then a
// config error naming its Parquet type. The file's bytes are hashed for
// the manifest beside the read.
//
// Parquet is read from files, not streams: a footer at the end of the
// file says where every column is. Standard input and pipes are refused
// with that advice.
package parquet
