package csv_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/csv"
)

const data = "id,spend,plan\n001,10,basic\n002,N/A,pro\n003,12.5,basic\n"

func input(path string, opts *csv.Config) *pipeline.InputConfig {
	return &pipeline.InputConfig{Path: confyaml.Path(path), Options: opts}
}

func cells(c *frame.Column) string {
	var out []string
	for i := range c.Len() {
		out = append(out, c.Format(i))
	}
	return strings.Join(out, "|")
}

// TestFileProjection: a file is opened again for a projection (only those
// columns are parsed) and can be read any number of times; the lineage is
// the file's.
func TestFileProjection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(path, []byte(data), 0o644)
	in := input(path, &csv.Config{NAValues: []string{"N/A"}})
	in.Types = map[string]string{"id": "string"}
	src, err := csv.Open(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fields, _ := src.Schema(context.Background())
	if len(fields) != 3 || fields[0].Inferred || fields[0].Kind != frame.String || !fields[1].Inferred {
		t.Errorf("schema %+v", fields)
	}
	for range 2 {
		tb, err := src.Read(context.Background(), []string{"spend", "id"})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(tb.Names(), ","); got != "spend,id" || cells(tb.Col("id")) != "001|002|003" || cells(tb.Col("spend")) != "10||12.5" {
			t.Errorf("table %s: %s / %s", got, cells(tb.Col("id")), cells(tb.Col("spend")))
		}
	}
	lin := src.Lineage()
	if lin.Format != "csv" || lin.Path != path || lin.Rows != 3 || lin.Columns != 2 || lin.Bytes != int64(len(data)) || len(lin.NAValues) != 1 {
		t.Errorf("lineage %+v", lin)
	}
}

// TestStreamReadOnce: a FIFO (what /dev/stdin and <(zcat f.gz) are) holding
// gzip'd CSV is read once from the stream opened for the schema; the
// projection is applied after parsing; a second read is refused.
func TestStreamReadOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "in.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(data))
	zw.Close()
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			f.Write(gz.Bytes())
			f.Close()
		}
	}()
	src, err := csv.Open(context.Background(), input(fifo, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fields, _ := src.Schema(context.Background())
	if len(fields) != 3 || fields[2].Name != "plan" {
		t.Fatalf("schema %+v", fields)
	}
	tb, err := src.Read(context.Background(), []string{"plan"})
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumCols() != 1 || cells(tb.Col("plan")) != "basic|pro|basic" {
		t.Errorf("table %v %s", tb.Names(), cells(tb.Col("plan")))
	}
	if lin := src.Lineage(); lin.Compression != "gzip" || lin.Bytes != int64(gz.Len()) || lin.NearNumeric != nil {
		t.Errorf("lineage %+v", lin)
	}
	if _, err := src.Read(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "is read once, and it has been read") {
		t.Errorf("second read: %v", err)
	}
}

// TestNearNumericLineage: the lineage carries the explanation of a column
// that is text because of a stray cell.
func TestNearNumericLineage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.csv")
	var b strings.Builder
	b.WriteString("x\n")
	for i := range 20 {
		if i == 4 {
			b.WriteString("n/a\n")
			continue
		}
		b.WriteString("1\n")
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	src, err := csv.Open(context.Background(), input(path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Read(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	want := `column "x" is text because 1 of its 20 values is not a number: row 5: "n/a"; treat it as missing with input.na_values: ["n/a"], or fix it in the file`
	if got := src.Lineage().NearNumeric["x"]; got != want {
		t.Errorf("near numeric %q", got)
	}
}

// TestScan: batches in order, the lineage of the whole read.
func TestScan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(path, []byte(data), 0o644)
	src, err := csv.Open(context.Background(), input(path, &csv.Config{NAValues: []string{"N/A"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	err = src.Scan(context.Background(), []string{"plan"}, 2, func(b *frame.Table) error {
		got = append(got, cells(b.Col("plan")))
		return nil
	})
	if err != nil || strings.Join(got, " / ") != "basic|pro / basic" || src.Lineage().Rows != 3 {
		t.Errorf("batches %q, %v, lineage %+v", got, err, src.Lineage())
	}
}

// TestOpenErrors: what a config key can fix is an *InputKeyError at that
// key.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "x.csv")
	os.WriteFile(pq, append([]byte("PAR1\x15\x00\x15\x1c\x00\x00\x00"), make([]byte, 64)...), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.csv"), nil, 0o644)
	for _, tc := range []struct {
		name, path, format, key, msg string
	}{
		{"missing", filepath.Join(dir, "nope.csv"), "", "path", "no such file or directory"},
		{"parquet content, format given", pq, "csv", "format", "is a Parquet file, not CSV text; set input.format: parquet"},
		{"parquet content, detected", pq, "", "path", "is a Parquet file, not CSV text"},
		{"empty", filepath.Join(dir, "empty.csv"), "", "path", "empty"},
		{"directory", dir, "csv", "path", "is a directory"},
	} {
		in := input(tc.path, nil)
		in.Format = tc.format
		_, err := csv.Open(context.Background(), in)
		var ke *pipeline.InputKeyError
		if !errors.As(err, &ke) || ke.Key != tc.key || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v (%T), want key %s and %q", tc.name, err, err, tc.key, tc.msg)
		}
		if tc.name == "missing" && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("missing: not fs.ErrNotExist")
		}
	}
}

func TestConfigValidate(t *testing.T) {
	c := &csv.Config{Delimiter: "::", Encoding: "ebcdic"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), `delimiter: unsupported delimiter "::"`) || !strings.Contains(err.Error(), `encoding: unsupported encoding "ebcdic"`) {
		t.Errorf("validate: %v", err)
	}
	if err := (&csv.Config{Delimiter: "tab", Encoding: "CP1252"}).Validate(); err != nil {
		t.Error(err)
	}
}

// TestCompressedParquet: a gzip'd Parquet file is neither CSV nor readable
// by the Parquet source as it is: the advice says to decompress it.
func TestCompressedParquet(t *testing.T) {
	b, err := os.ReadFile("../../internal/parquetio/testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(b)
	zw.Close()
	path := filepath.Join(t.TempDir(), "x.parquet.gz")
	os.WriteFile(path, gz.Bytes(), 0o644)
	_, err = csv.Open(context.Background(), input(path, nil))
	var ke *pipeline.InputKeyError
	if !errors.As(err, &ke) || ke.Key != "path" || !strings.Contains(err.Error(), "is gzip-compressed data holding a Parquet file, not CSV text; decompress it first") {
		t.Errorf("%v", err)
	}
}
