package parquetio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestErrors: every broken input in testdata gives an *Error whose text
// names the file (and the column and row where known) and says what is
// wrong. The fixtures come from testdata/gen (see interop_test.go).
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		columns    []string
		want       string // the whole message
	}{
		{"not parquet", "testdata/bad_csv.parquet", nil,
			`testdata/bad_csv.parquet: is not a Parquet file: it starts with text (CSV?), not the "PAR1" magic`},
		{"truncated", "testdata/bad_truncated.parquet", nil,
			`testdata/bad_truncated.parquet: is truncated or not a Parquet file: it does not end with the "PAR1" magic (601 bytes; a partial download or copy?)`},
		{"footer length", "testdata/bad_footer_length.parquet", nil,
			`testdata/bad_footer_length.parquet: is truncated or not a Parquet file: its footer claims 16777215 bytes but the file has 902 bytes`},
		{"corrupt page", "testdata/bad_page.parquet", nil,
			`testdata/bad_page.parquet column "note": row group 0: corrupt data: decoding page 0 of column "note": decompressing data page v1: s2: corrupt input`},
		{"invalid utf-8", "testdata/bad_utf8.parquet", []string{"name"},
			`testdata/bad_utf8.parquet row 3, column "name": invalid UTF-8 (byte 0xE9 at offset 3 of the value) in a string column`},
		{"nested column", "testdata/xs_types.parquet", []string{"id", "tags"},
			`testdata/xs_types.parquet column "tags": cannot read a column of Parquet type group LIST: nested columns (lists, maps, structs) are not supported; leave it out of the columns to read`},
		{"all columns include a nested one", "testdata/xs_types.parquet", nil,
			`testdata/xs_types.parquet column "tags": cannot read a column of Parquet type group LIST: nested columns (lists, maps, structs) are not supported; leave it out of the columns to read`},
		{"binary column", "testdata/xs_types.parquet", []string{"bin"},
			`testdata/xs_types.parquet column "bin": cannot read a column of Parquet type BYTE_ARRAY: BYTE_ARRAY without a STRING annotation is binary data, not text; leave it out of the columns to read`},
		{"interval column", "testdata/xs_types.parquet", []string{"interval"},
			`testdata/xs_types.parquet column "interval": cannot read a column of Parquet type FIXED_LEN_BYTE_ARRAY(12) INTERVAL: only DECIMAL values are supported in FIXED_LEN_BYTE_ARRAY; leave it out of the columns to read`},
		{"missing column", "testdata/xs_types.parquet", []string{"id", "s_plan"},
			`testdata/xs_types.parquet: unknown column "s_plan" (did you mean "s_plain"?)`},
		{"column twice", "testdata/xs_types.parquet", []string{"id", "id"},
			`testdata/xs_types.parquet column "id": the column is requested twice`},
		{"empty directory", "testdata/empty_dir", nil,
			`testdata/empty_dir: the directory holds no Parquet files (*.parquet, *.parq or *.pq; names starting with '_' or '.' are skipped)`},
		{"schemas differ", "testdata/xs_mismatch", nil,
			`testdata/xs_mismatch/part-1.parquet column "amount": schemas differ: the column is INT64 here but DOUBLE in testdata/xs_mismatch/part-0.parquet`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openAndRead(tc.path, tc.columns)
			if err == nil {
				t.Fatal("no error")
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("%T is not an *Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
		})
	}
}

func openAndRead(path string, columns []string) error {
	d, err := Open(path)
	if err != nil {
		return err
	}
	_, err = d.Read(context.Background(), columns)
	if err != nil {
		return err
	}
	return d.Scan(context.Background(), columns, 0, func(*frame.Table) error { return nil })
}

// TestErrorsScan: Scan reports the same errors as Read.
func TestErrorsScan(t *testing.T) {
	for _, path := range []string{"testdata/bad_page.parquet", "testdata/bad_utf8.parquet"} {
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, rerr := d.Read(context.Background(), nil)
		serr := d.Scan(context.Background(), nil, 2, func(*frame.Table) error { return nil })
		if rerr == nil || serr == nil || rerr.Error() != serr.Error() {
			t.Errorf("%s: Read %v, Scan %v", path, rerr, serr)
		}
	}
}

func TestUnknownColumnIsFrameError(t *testing.T) {
	d, err := Open("testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Read(context.Background(), []string{"S_Plain2"})
	var ue *frame.UnknownColumnError
	if !errors.As(err, &ue) || ue.Name != "S_Plain2" {
		t.Errorf("error %v does not wrap a frame.UnknownColumnError", err)
	}
}

// TestSniff: files of other kinds are named for what they look like.
func TestSniff(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{[]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, "gzip data"},
		{[]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0}, "zstd data"},
		{[]byte("PK\x03\x04\x14\x00\x06\x00"), "a zip archive (an .xlsx workbook?)"},
		{[]byte{0, 1, 2, 3, 0xff}, `the bytes "\x00\x01\x02\x03"`},
		{nil, ""},
	} {
		path := filepath.Join(dir, "x.parquet")
		writeBytes(t, path, tc.data)
		_, err := Open(path)
		if err == nil {
			t.Fatalf("%q accepted", tc.data)
		}
		want := "is not a Parquet file: it starts with " + tc.want
		if tc.data == nil {
			want = "is empty, not a Parquet file"
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", tc.data, err, want)
		}
	}
}

// TestFileChanged: a file rewritten between Open and Read is refused.
func TestFileChanged(t *testing.T) {
	tb := kindsTable(t, 10)
	path := writeTemp(t, tb, WriteOptions{})
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	other := writeTemp(t, kindsTable(t, 20), WriteOptions{})
	b, _ := os.ReadFile(other)
	writeBytes(t, path, b)
	if _, err := d.Read(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "changed since it was opened") {
		t.Errorf("Read after a rewrite: %v", err)
	}
	if _, err := d.Lineage(context.Background()); err == nil || !strings.Contains(err.Error(), "changed since it was opened") {
		t.Errorf("Lineage after a rewrite: %v", err)
	}
}

// TestGuard: a panic in the library becomes an error naming the file.
func TestGuard(t *testing.T) {
	err := guard("x.parquet", "c", func() error { panic("index out of range [3] with length 2") })
	var pe *PanicError
	if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), `x.parquet column "c": cannot decode the file, it is probably corrupt`) {
		t.Errorf("guard: %v", err)
	}
}

func TestCancel(t *testing.T) {
	d, err := Open("testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Read(ctx, []string{"id"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read: %v", err)
	}
	if err := d.Scan(ctx, []string{"id"}, 10, func(*frame.Table) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan: %v", err)
	}
	stop := errors.New("enough")
	n := 0
	err = d.Scan(context.Background(), []string{"id"}, 10, func(*frame.Table) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("an error from fn: %v after %d calls", err, n)
	}
}
