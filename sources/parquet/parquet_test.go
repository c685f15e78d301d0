package parquet_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/parquet"
)

const xsTypes = "../../internal/parquetio/testdata/xs_types.parquet"

func input(path string) *pipeline.InputConfig {
	return &pipeline.InputConfig{Path: confyaml.Path(path), Options: parquet.NewConfig()}
}

func table(t *testing.T, cols ...*frame.Column) *frame.Table {
	t.Helper()
	tb, err := frame.New(cols...)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestDirectory: a directory of files is one table; its lineage lists the
// files and digests the listing as sha256sum would; types converts after
// reading.
func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "country=FR"), 0o755)
	os.MkdirAll(filepath.Join(dir, "country=DE"), 0o755)
	parquetio.WriteFile(filepath.Join(dir, "country=FR", "part-0.parquet"), table(t, frame.NewInt("id", []int64{1, 2}, nil), frame.NewFloat("x", []float64{1.5, 2}, nil)), parquetio.WriteOptions{})
	parquetio.WriteFile(filepath.Join(dir, "country=DE", "part-0.parquet"), table(t, frame.NewInt("id", []int64{3}, nil), frame.NewFloat("x", []float64{4}, nil)), parquetio.WriteOptions{})
	os.WriteFile(filepath.Join(dir, "_SUCCESS"), nil, 0o644)
	in := input(dir)
	in.Types = map[string]string{"id": "string", "x": "int"}
	src, err := parquet.Open(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := src.Schema(context.Background())
	if len(fields) != 3 || fields[2].Name != "country" || fields[0].Kind != frame.String || fields[1].Type != "DOUBLE" {
		t.Errorf("schema %+v", fields)
	}
	tb, err := src.Read(context.Background(), []string{"country", "id"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range tb.NumRows() {
		got = append(got, tb.Col("country").Format(i)+":"+tb.Col("id").Format(i))
	}
	if strings.Join(got, " ") != "DE:3 FR:1 FR:2" || tb.Col("id").Kind != frame.String {
		t.Errorf("rows %v, id %v", got, tb.Col("id").Kind)
	}
	lin := src.Lineage()
	var files []parquetio.FileLineage
	for _, f := range lin.Files {
		files = append(files, parquetio.FileLineage{Path: f.Path, Bytes: f.Bytes, SHA256: f.SHA256, Rows: f.Rows})
	}
	if lin.Format != "parquet" || !lin.Dir || len(lin.Files) != 2 || lin.Files[0].Path != "country=DE/part-0.parquet" || lin.SHA256 != parquetio.DirSHA256(files) || lin.Rows != 3 || len(lin.SourceTypes) != 2 {
		t.Errorf("lineage %+v", lin)
	}
	// x = 1.5 is not a whole number: converting it to int is an error.
	if _, err := src.Read(context.Background(), []string{"x"}); err == nil || !strings.Contains(err.Error(), `types: column "x" row 2: "1.5" is not a whole number`) {
		t.Errorf("x to int: %v", err)
	}
}

// TestUnsupportedColumns: the schema marks columns segment cannot read;
// reading the others works.
func TestUnsupportedColumns(t *testing.T) {
	src, err := parquet.Open(context.Background(), input(xsTypes))
	if err != nil {
		t.Fatal(err)
	}
	fields, _ := src.Schema(context.Background())
	var bad []string
	var ok []string
	for _, f := range fields {
		if f.Unsupported != "" {
			bad = append(bad, f.Name+" ("+f.Type+")")
		} else {
			ok = append(ok, f.Name)
		}
	}
	slices.Sort(bad)
	if strings.Join(bad, ", ") != "bin (BYTE_ARRAY), interval (FIXED_LEN_BYTE_ARRAY(12) INTERVAL), tags (group LIST)" {
		t.Errorf("unsupported %v", bad)
	}
	tb, err := src.Read(context.Background(), ok)
	if err != nil || tb.NumRows() != 60 {
		t.Fatalf("read: %v", err)
	}
	if _, err := src.Read(context.Background(), []string{"id", "tags"}); err == nil || !strings.Contains(err.Error(), `column "tags": cannot read a column of Parquet type group LIST`) {
		t.Errorf("tags: %v", err)
	}
}

// TestNotParquet: files of another format are config errors saying what
// they are; streams are refused; a damaged Parquet file is a data error.
func TestNotParquet(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a,b\n1,2\n"))
	zw.Close()
	os.WriteFile(filepath.Join(dir, "x.csv.gz"), gz.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "x.csv"), []byte("a,b\n1,2\n"), 0o644)
	b, _ := os.ReadFile(xsTypes)
	os.WriteFile(filepath.Join(dir, "cut.parquet"), b[:len(b)/2], 0o644)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	for _, tc := range []struct {
		name, path, format, key, msg string
	}{
		{"gzip", filepath.Join(dir, "x.csv.gz"), "parquet", "format", "is gzip-compressed data, not a Parquet file; a compressed CSV file is read by input.format: csv"},
		{"csv", filepath.Join(dir, "x.csv"), "parquet", "format", "is text, not a Parquet file; a CSV file is read by input.format: csv"},
		{"stdin", "-", "parquet", "path", "standard input: Parquet is read from a file or a directory, not from a stream"},
		{"missing", filepath.Join(dir, "nope.parquet"), "", "path", "no such file or directory"},
		{"empty directory", filepath.Join(dir, "empty"), "", "path", "the directory holds no Parquet files"},
		{"truncated", filepath.Join(dir, "cut.parquet"), "", "", "is truncated or not a Parquet file"},
	} {
		in := input(tc.path)
		in.Format = tc.format
		_, err := parquet.Open(context.Background(), in)
		var ke *pipeline.InputKeyError
		isKey := errors.As(err, &ke)
		if err == nil || !strings.Contains(err.Error(), tc.msg) || isKey != (tc.key != "") || isKey && ke.Key != tc.key {
			t.Errorf("%s: %v (key error %v), want key %q and %q", tc.name, err, isKey, tc.key, tc.msg)
		}
	}
}

// TestScan: batches of the projected columns; the lineage of the file.
func TestScan(t *testing.T) {
	src, err := parquet.Open(context.Background(), input(xsTypes))
	if err != nil {
		t.Fatal(err)
	}
	rows, batches := 0, 0
	err = src.Scan(context.Background(), []string{"id", "s"}, 25, func(b *frame.Table) error {
		rows += b.NumRows()
		batches++
		return nil
	})
	if err != nil || rows != 60 || batches != 3 || src.Lineage().Rows != 60 || src.Lineage().Columns != 2 {
		t.Errorf("scan: %v, %d rows in %d batches, lineage %+v", err, rows, batches, src.Lineage())
	}
}
