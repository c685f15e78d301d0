package csvio

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestBadFiles reads the malformed files of testdata/bad and checks the exact
// error message, including line numbers.
func TestBadFiles(t *testing.T) {
	const encHint = "; the file is not UTF-8: set input.encoding: cp1252 (or latin1) to decode it"
	tests := []struct {
		file string
		opt  Options
		want string
	}{
		{file: "does_not_exist.csv", want: "open testdata/bad/does_not_exist.csv: no such file or directory"},
		{file: "", want: "testdata/bad: is a directory, not a CSV file"},
		{file: "empty.csv", want: "testdata/bad/empty.csv: file is empty"},
		{file: "blank_only.csv", want: "testdata/bad/blank_only.csv: has no header row (only blank lines)"},
		{file: "header_only.csv", want: "testdata/bad/header_only.csv: has a header but no data rows"},
		{file: "ragged_after_quote.csv", want: "testdata/bad/ragged_after_quote.csv line 6: row has 2 fields, the header has 3"},
		{file: "ragged_long.csv", want: "testdata/bad/ragged_long.csv line 3: row has 4 fields, the header has 2"},
		{file: "duplicate_header.csv", want: `testdata/bad/duplicate_header.csv line 1: header: duplicate column name "Age" (columns 2 and 4)`},
		{file: "empty_header_name.csv", want: "testdata/bad/empty_header_name.csv line 1: header: column 2 has an empty name"},
		{file: "invalid_utf8.csv", want: `testdata/bad/invalid_utf8.csv line 3, column "note": invalid UTF-8 byte 0xE9` + encHint},
		{file: "ragged_then_utf8.csv", want: "testdata/bad/ragged_then_utf8.csv line 3: row has 3 fields, the header has 2"},
		{
			file: "typed_then_utf8.csv", opt: Options{Types: map[string]frame.Kind{"a": frame.Int}},
			want: `testdata/bad/typed_then_utf8.csv line 3, column "a": cannot parse "x" as int (types override)`,
		},
		{file: "utf8_multiline.csv", want: `testdata/bad/utf8_multiline.csv line 4, column "note": invalid UTF-8 byte 0xFF` + encHint},
		{file: "invalid_utf8_header.csv", want: "testdata/bad/invalid_utf8_header.csv line 1: header: in the name of column 2, invalid UTF-8 byte 0xE9" + encHint},
		{
			file: "bad_type.csv", opt: Options{Types: map[string]frame.Kind{"Zip Code": frame.Int}},
			want: `testdata/bad/bad_type.csv line 12, column "Zip Code": cannot parse "9O210" as int (types override)`,
		},
		{
			file: "bad_bool.csv", opt: Options{Types: map[string]frame.Kind{"active": frame.Bool}},
			want: `testdata/bad/bad_bool.csv line 4, column "active": cannot parse "yes" as bool (types override)`,
		},
		{
			file: "bad_type.csv", opt: Options{Types: map[string]frame.Kind{"Zipcode": frame.Int}},
			want: `testdata/bad/bad_type.csv: types: unknown column "Zipcode" (did you mean "Zip Code"?)`,
		},
		{
			file: "typed_before_ragged.csv", opt: Options{Types: map[string]frame.Kind{"a": frame.Int, "b": frame.Int}},
			want: `testdata/bad/typed_before_ragged.csv line 3, column "b": cannot parse "x" as int (types override)`,
		},
		{
			file: "ragged_before_typed.csv", opt: Options{Types: map[string]frame.Kind{"a": frame.Int}},
			want: "testdata/bad/ragged_before_typed.csv line 4: row has 1 field, the header has 2",
		},
		{file: "unterminated.csv", want: `testdata/bad/unterminated.csv line 3, column "b": quoted field is never closed (a " opens it on this line and no matching " follows)`},
		{file: "unterminated_header.csv", want: "testdata/bad/unterminated_header.csv line 1: header: the name of column 2 opens a quote that is never closed"},
		{
			file: "projection.csv", opt: Options{Columns: []string{"Name", "Agee"}},
			want: `testdata/bad/projection.csv: columns: unknown column "Agee" (did you mean "Age"?)`,
		},
		{
			file: "projection.csv", opt: Options{Columns: []string{"Age", "Age"}},
			want: `testdata/bad/projection.csv: columns: "Age" is listed twice`,
		},
		{file: "projection.csv", opt: Options{Encoding: "utf-16"}, want: `csv: unknown encoding "utf-16" (want utf-8, latin1 or cp1252)`},
		// Compressed input (issue 9): a truncated or corrupt stream is an
		// error naming the file, never a half table.
		{file: "truncated.csv.gz", want: "testdata/bad/truncated.csv.gz: is truncated: the gzip stream ends early after 40 bytes"},
		{file: "truncated.csv.zst", want: "testdata/bad/truncated.csv.zst: is truncated: the zstd stream ends early after 30 bytes"},
		{file: "corrupt_crc.csv.gz", want: "testdata/bad/corrupt_crc.csv.gz: is not valid gzip data (after 67 bytes): gzip: invalid checksum"},
		{file: "double.csv.gz", want: "testdata/bad/double.csv.gz: is gzip-compressed data holding gzip-compressed data, not CSV text; decompress it once first (segment reads one level of gzip or zstd itself)"},
		// Not CSV at all: say what it is, never "set input.encoding".
		{file: "data.csv.bz2", want: "testdata/bad/data.csv.bz2: is bzip2-compressed data, not CSV text; decompress it first (segment reads gzip and zstd itself)"},
		{file: "data.csv.xz", want: "testdata/bad/data.csv.xz: is xz-compressed data, not CSV text; decompress it first (segment reads gzip and zstd itself)"},
		{file: "parquet.csv", want: "testdata/bad/parquet.csv: is a Parquet file, not CSV text; set input.format: parquet"},
		{file: "parquet.csv.gz", want: "testdata/bad/parquet.csv.gz: is gzip-compressed data holding a Parquet file, not CSV text; set input.format: parquet"},
		{file: "book.xlsx", want: "testdata/bad/book.xlsx: is an Excel workbook (xlsx), not CSV text; save the sheet as CSV (UTF-8) first"},
		{file: "book.xlsx", opt: Options{Encoding: "cp1252"}, want: "testdata/bad/book.xlsx: is an Excel workbook (xlsx), not CSV text; save the sheet as CSV (UTF-8) first"},
		{file: "nul.csv", want: "testdata/bad/nul.csv: is binary data, not CSV text; it holds NUL or control bytes; check input.path"},
		{file: "utf16_nobom.csv", want: "testdata/bad/utf16_nobom.csv: is UTF-16 text (little-endian) without a byte order mark; save it as UTF-8 (or with a byte order mark)"},
		// Numbers beyond float64 (issue 15): an error, never ±Inf.
		{file: "overflow.csv", want: `testdata/bad/overflow.csv line 2, column "b": 1e309 is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values`},
		{file: "overflow_neg.csv", want: `testdata/bad/overflow_neg.csv line 2, column "b": -1e309 is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values`},
		{file: "overflow_int.csv", want: `testdata/bad/overflow_int.csv line 3, column "b": 999999999999999999999999… (400 bytes) is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values`},
		{
			file: "overflow.csv", opt: Options{Types: map[string]frame.Kind{"b": frame.Float}},
			want: `testdata/bad/overflow.csv line 2, column "b": 1e309 is beyond the range of a 64-bit float (about ±1.8e308); fix the value or list it in input.na_values`,
		},
		// Limits (issue 15).
		{file: "long_field.csv", opt: Options{MaxFieldBytes: 8}, want: `testdata/bad/long_field.csv line 4, column "b": a field of 20 bytes, longer than the limit of 8 (Options.MaxFieldBytes)`},
		{file: "long_record.csv", opt: Options{MaxRecordBytes: 20}, want: "testdata/bad/long_record.csv line 3: a record longer than 20 bytes (Options.MaxRecordBytes); is this a CSV file, or does a quote open a field that is never closed?"},
		{file: "long_record.csv", opt: Options{MaxRecordBytes: 3}, want: "testdata/bad/long_record.csv line 1: header: the header record is longer than 3 bytes (Options.MaxRecordBytes); is this a CSV file?"},
		{file: "wide.csv", opt: Options{MaxColumns: 3}, want: "testdata/bad/wide.csv line 1: header: 5 columns, more than the limit of 3 (Options.MaxColumns)"},
		{file: "wide.csv", opt: Options{MaxFieldBytes: 0, TextColumns: []string{"a"}, Types: map[string]frame.Kind{"a": frame.Int}}, want: `csv: column "a" is a text column and has the type int`},
		{file: "wide.csv", opt: Options{TextColumns: []string{"id"}}, want: `testdata/bad/wide.csv: types: unknown column "id" (did you mean "d"?)`},
		{file: "projection.csv", opt: Options{Delimiter: '"'}, want: `csv: delimiter '"' is not allowed (use a single ASCII character other than a quote or line break)`},
	}
	for _, tc := range tests {
		path := "testdata/bad"
		if tc.file != "" {
			path += "/" + tc.file
		}
		for _, chunk := range []int{0, 1, 7} {
			opt := tc.opt
			opt.chunkSize = chunk
			res, err := ReadFile(context.Background(), path, opt)
			if err == nil {
				t.Errorf("%s (chunk %d): no error, read %d rows", path, chunk, res.Rows)
				continue
			}
			if err.Error() != tc.want {
				t.Errorf("%s (chunk %d):\n got %s\nwant %s", path, chunk, err, tc.want)
			}
		}
	}
}

func TestErrorTypes(t *testing.T) {
	_, err := ReadFile(context.Background(), "testdata/bad/does_not_exist.csv", Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v is not fs.ErrNotExist", err)
	}
	_, err = ReadFile(context.Background(), "testdata/bad/projection.csv", Options{Columns: []string{"Agee"}})
	var ue *frame.UnknownColumnError
	if !errors.As(err, &ue) || ue.Name != "Agee" {
		t.Errorf("unknown column: %v does not wrap *frame.UnknownColumnError", err)
	}
	_, err = ReadFile(context.Background(), "testdata/bad/ragged_long.csv", Options{})
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 3 || ce.File != "testdata/bad/ragged_long.csv" {
		t.Errorf("ragged: %#v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "f.csv", Line: 3, Column: "A b", Msg: "m"}, `f.csv line 3, column "A b": m`},
		{Error{File: "f.csv", Line: 3, Msg: "m"}, `f.csv line 3: m`},
		{Error{File: "f.csv", Column: "c", Msg: "m"}, `f.csv column "c": m`},
		{Error{File: "f.csv", Msg: "m"}, `f.csv: m`},
		{Error{Line: 2, Msg: "m"}, `line 2: m`},
		{Error{Msg: "m"}, `m`},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
