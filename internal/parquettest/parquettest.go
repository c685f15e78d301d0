// Package parquettest converts CSV files to Parquet with a writer other
// than segment's own (github.com/xitongsys/parquet-go v1.6.2, an
// independent implementation), for tests that must show segment reads
// files written by other tools. It is imported by _test files only.
package parquettest

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	xsparquet "github.com/xitongsys/parquet-go/parquet"
	xswriter "github.com/xitongsys/parquet-go/writer"
)

// ConvertCSV converts a CSV file to Parquet the way a conversion tool
// would, without any code of this repository on the value path:
// encoding/csv splits the records, empty (or blank) cells become nulls, and
// xitongsys/parquet-go parses each cell into the column's Parquet type —
// types maps a column to "int" (INT64), "float" (DOUBLE), "bool"
// (BOOLEAN), anything else BYTE_ARRAY UTF8 with dictionary encoding —
// every column OPTIONAL, snappy-compressed, in row groups of about
// rowGroupBytes.
func ConvertCSV(t testing.TB, csvPath, out string, types map[string]string, rowGroupBytes int64) {
	t.Helper()
	in, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := csv.NewReader(in)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	md := make([]string, len(header))
	for j, name := range header {
		switch types[name] {
		case "int":
			md[j] = fmt.Sprintf("name=%s, type=INT64, repetitiontype=OPTIONAL", name)
		case "float":
			md[j] = fmt.Sprintf("name=%s, type=DOUBLE, repetitiontype=OPTIONAL", name)
		case "bool":
			md[j] = fmt.Sprintf("name=%s, type=BOOLEAN, repetitiontype=OPTIONAL", name)
		default:
			md[j] = fmt.Sprintf("name=%s, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY, repetitiontype=OPTIONAL", name)
		}
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pw, err := xswriter.NewCSVWriterFromWriter(md, f, 1)
	if err != nil {
		t.Fatal(err)
	}
	pw.RowGroupSize = rowGroupBytes
	pw.CompressionType = xsparquet.CompressionCodec_SNAPPY
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cells := make([]*string, len(rec))
		for j := range rec {
			if strings.Trim(rec[j], " \t") != "" {
				cells[j] = &rec[j]
			}
		}
		if err := pw.WriteString(cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.WriteStop(); err != nil {
		t.Fatal(err)
	}
}
