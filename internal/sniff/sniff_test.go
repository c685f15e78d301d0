package sniff

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func zstded(t *testing.T, s string) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeAll([]byte(s), nil)
}

// zipped builds a zip archive with the named entries, streamed (sizes in a
// data descriptor, as archive/zip and Excel write them) or stored with
// sizes in the local headers.
func zipped(t *testing.T, streamed bool, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		body := []byte(strings.Repeat("<xml/>", 40))
		var f interface{ Write([]byte) (int, error) }
		var err error
		if streamed {
			f, err = w.Create(n)
		} else {
			f, err = w.CreateRaw(&zip.FileHeader{Name: n, Method: zip.Store, CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
		}
		if err != nil {
			t.Fatal(err)
		}
		f.Write(body)
	}
	w.Close()
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	utf16le := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), 0)
		}
		return b
	}
	tar := make([]byte, 600)
	copy(tar, "data.csv")
	copy(tar[257:], "ustar\x0000")
	tests := []struct {
		name string
		in   []byte
		want Format
		bom  int
	}{
		{"csv", []byte("id,name\n1,Ann\n"), Text, 0},
		{"csv with BOM", []byte("\xef\xbb\xbfid,name\n1,Ann\n"), Text, 3},
		{"cp1252 text", []byte("id,note\n1,caf\xe9 \x80 cr\xe8me\n"), Text, 0},
		{"empty", nil, Text, 0},
		{"header PAR1", []byte("PAR1,PAR2\n1,2\n"), Text, 0},
		{"header %PDF-", []byte("%PDF-x,b\n1,2\n"), Text, 0},
		{"header BZh", []byte("BZh9,a\n1,2\n"), Text, 0},
		{"gzip", gzipped(t, "a,b\n1,2\n"), Gzip, 0},
		{"zstd", zstded(t, "a,b\n1,2\n"), Zstd, 0},
		{"bzip2", []byte("BZh91AY&SY\xbf\x87"), Bzip2, 0},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4F"), XZ, 0},
		{"lz4", []byte("\x04\x22\x4d\x18\x64\x40\xa7"), LZ4, 0},
		{"xlsx streamed", zipped(t, true, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), XLSX, 0},
		{"xlsx stored", zipped(t, false, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), XLSX, 0},
		{"docx", zipped(t, false, "[Content_Types].xml", "word/document.xml"), DOCX, 0},
		{"pptx", zipped(t, true, "[Content_Types].xml", "ppt/presentation.xml"), PPTX, 0},
		{"zip", zipped(t, true, "data.csv"), Zip, 0},
		{"ods", append([]byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2e\x00\x00\x00\x2e\x00\x00\x00\x08\x00\x00\x00mimetype"),
			"application/vnd.oasis.opendocument.spreadsheet"...), ODS, 0},
		{"xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), XLS, 0},
		{"parquet", []byte("PAR1\x15\x04\x15\x80\x01\x15\x80\x01L\x15\x02\x15\x00"), Parquet, 0},
		{"arrow", []byte("ARROW1\x00\x00\xff\xff\xff\xff"), Arrow, 0},
		{"sqlite", []byte("SQLite format 3\x00\x10\x00"), SQLite, 0},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), PDF, 0},
		{"tar", tar, Tar, 0},
		{"utf-16le BOM", append([]byte("\xff\xfe"), utf16le("a,b\n1,2\n")...), UTF16LE, 2},
		{"utf-16be BOM", []byte("\xfe\xff\x00a\x00,\x00b"), UTF16BE, 2},
		{"utf-32le BOM", []byte("\xff\xfe\x00\x00a\x00\x00\x00"), UTF32LE, 4},
		{"utf-32be BOM", []byte("\x00\x00\xfe\xff\x00\x00\x00a"), UTF32BE, 4},
		{"utf-16le no BOM", utf16le("id,name\n1,Ann\n"), UTF16LE, 0},
		{"utf-16be no BOM", append([]byte{0}, utf16le("id,name\n1,Ann\n")[:27]...), UTF16BE, 0},
		{"NUL bytes", make([]byte, 100), Binary, 0},
		{"one NUL", []byte("a,b\n1,\x002\n"), Binary, 0},
		{"control bytes", []byte("\x01\x02\x03\x04abcdefghijklmnop"), Binary, 0},
		{"one control byte", []byte("a,b\n1,\x012\n3,4\n5,6\n7,8\n9,10\n11,12\n"), Text, 0},
		{"short, one control byte", []byte("a\x01\n"), Text, 0},
		{"DOS end of file", []byte("a,b\n1,2\n\x1a"), Text, 0},
	}
	for _, tc := range tests {
		got := Detect(tc.in)
		if got.Format != tc.want || got.BOM != tc.bom {
			t.Errorf("%s: got %q (BOM %d), want %q (BOM %d)", tc.name, got.Format, got.BOM, tc.want, tc.bom)
		}
		if got.Description != Describe(tc.want) || got.Description == "" {
			t.Errorf("%s: description %q", tc.name, got.Description)
		}
	}
}

func TestResultMethods(t *testing.T) {
	for f, want := range map[Format][2]bool{
		Text: {true, false}, UTF16LE: {true, false}, UTF32BE: {true, false},
		Gzip: {false, true}, Zstd: {false, true}, Bzip2: {false, true}, XZ: {false, true}, LZ4: {false, true},
		Parquet: {false, false}, Binary: {false, false}, XLSX: {false, false},
	} {
		r := result(f)
		if r.IsText() != want[0] || r.Compressed() != want[1] {
			t.Errorf("%s: IsText %v Compressed %v, want %v", f, r.IsText(), r.Compressed(), want)
		}
	}
}

func TestByExtension(t *testing.T) {
	for name, want := range map[string]Format{
		"a.csv": Text, "dir/A.CSV": Text, "x.tsv": Text, "x.csv.gz": Gzip, "x.csv.zst": Zstd, "x.parquet": Parquet,
		"book.xlsx": XLSX, "x.csv.bz2": Bzip2, "noext": "", "x.json": "",
	} {
		if got := ByExtension(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// FuzzDetect checks that Detect never panics and always describes what it
// returns.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "PK\x03\x04", "PAR1\x15", "\xff\xfe", "BZh91AY&SY", "\x1f\x8b\x08"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Detect(b)
		if r.Format == "" || r.Description == "" || r.BOM > len(b) {
			t.Fatalf("%q: %+v", b, r)
		}
	})
}
