// Package parquetio reads Parquet files into typed frame.Tables and writes them.
package parquetio

import _ "github.com/parquet-go/parquet-go"
