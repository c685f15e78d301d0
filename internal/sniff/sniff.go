package sniff

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
)

// Format names what a file holds.
type Format string

// The formats Detect knows.
const (
	Text    Format = "text"     // text (UTF-8 or an 8-bit encoding), with or without a UTF-8 BOM
	UTF16LE Format = "utf-16le" // UTF-16 text, little-endian (with a BOM, or detected from its NUL bytes)
	UTF16BE Format = "utf-16be"
	UTF32LE Format = "utf-32le" // UTF-32 text with a BOM
	UTF32BE Format = "utf-32be"
	Gzip    Format = "gzip"
	Zstd    Format = "zstd"
	Bzip2   Format = "bzip2"
	XZ      Format = "xz"
	LZ4     Format = "lz4"
	Zip     Format = "zip"     // a zip archive that is none of the office formats below
	XLSX    Format = "xlsx"    // an Excel workbook (a zip holding xl/)
	DOCX    Format = "docx"    // a Word document (a zip holding word/)
	PPTX    Format = "pptx"    // a PowerPoint presentation (a zip holding ppt/)
	ODS     Format = "ods"     // an OpenDocument spreadsheet
	XLS     Format = "xls"     // an OLE2 compound file: Excel 97–2003 and other old Office files
	Tar     Format = "tar"     // a tar archive
	Parquet Format = "parquet" // an Apache Parquet file
	Arrow   Format = "arrow"   // an Arrow IPC file (Feather v2)
	SQLite  Format = "sqlite"  // an SQLite 3 database
	PDF     Format = "pdf"
	Binary  Format = "binary" // other binary data (NUL or many control bytes)
)

// SampleSize is how many leading bytes Detect wants: enough to find the
// first entries of a zip archive and to judge text from binary. Fewer
// bytes (a short file) are fine.
const SampleSize = 8 << 10

// Result is what Detect found.
type Result struct {
	Format      Format
	Description string // for messages: "gzip-compressed data", "an Excel workbook (xlsx)"
	// BOM is the length of the byte order mark that starts the sample, for
	// UTF-8 (3), UTF-16 (2) and UTF-32 (4) text; 0 without one.
	BOM int
}

// IsText reports whether the data is text: Text or a UTF-16/UTF-32 form.
func (r Result) IsText() bool {
	switch r.Format {
	case Text, UTF16LE, UTF16BE, UTF32LE, UTF32BE:
		return true
	}
	return false
}

// Compressed reports whether the data is a compressed stream (gzip, zstd,
// bzip2, xz or lz4) that may hold any format once decompressed.
func (r Result) Compressed() bool {
	switch r.Format {
	case Gzip, Zstd, Bzip2, XZ, LZ4:
		return true
	}
	return false
}

var descriptions = map[Format]string{
	Text:    "text",
	UTF16LE: "UTF-16 text (little-endian)",
	UTF16BE: "UTF-16 text (big-endian)",
	UTF32LE: "UTF-32 text (little-endian)",
	UTF32BE: "UTF-32 text (big-endian)",
	Gzip:    "gzip-compressed data",
	Zstd:    "zstd-compressed data",
	Bzip2:   "bzip2-compressed data",
	XZ:      "xz-compressed data",
	LZ4:     "lz4-compressed data",
	Zip:     "a zip archive",
	XLSX:    "an Excel workbook (xlsx)",
	DOCX:    "a Word document (docx)",
	PPTX:    "a PowerPoint presentation (pptx)",
	ODS:     "an OpenDocument spreadsheet (ods)",
	XLS:     "an old-style Office file (an Excel 97-2003 xls workbook or similar)",
	Tar:     "a tar archive",
	Parquet: "a Parquet file",
	Arrow:   "an Arrow IPC (Feather) file",
	SQLite:  "an SQLite database",
	PDF:     "a PDF document",
	Binary:  "binary data",
}

// Describe returns the description of a format, e.g. "a Parquet file".
func Describe(f Format) string {
	if d, ok := descriptions[f]; ok {
		return d
	}
	return string(f)
}

func result(f Format) Result { return Result{Format: f, Description: Describe(f)} }

// Detect tells what the data starting with sample is. sample should hold the
// first SampleSize bytes of the file, or all of it when it is shorter.
func Detect(sample []byte) Result {
	b := sample
	has := func(prefix string) bool { return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix }
	switch {
	case has("\x1f\x8b\x08"):
		return result(Gzip)
	case has("\x28\xb5\x2f\xfd"):
		return result(Zstd)
	case has("BZh") && len(b) >= 10 && b[3] >= '1' && b[3] <= '9' &&
		(string(b[4:10]) == "\x31\x41\x59\x26\x53\x59" || string(b[4:10]) == "\x17\x72\x45\x38\x50\x90"):
		return result(Bzip2)
	case has("\xfd7zXZ\x00"):
		return result(XZ)
	case has("\x04\x22\x4d\x18"):
		return result(LZ4)
	case has("PK\x03\x04") || has("PK\x05\x06"):
		return result(zipKind(b))
	case has("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return result(XLS)
	case has("PAR1") && binaryAfter(b[4:]):
		return result(Parquet)
	case has("ARROW1\x00\x00"):
		return result(Arrow)
	case has("SQLite format 3\x00"):
		return result(SQLite)
	case has("%PDF-") && len(b) > 5 && b[5] >= '1' && b[5] <= '9':
		return result(PDF)
	case has("\xff\xfe\x00\x00"):
		return Result{Format: UTF32LE, Description: Describe(UTF32LE), BOM: 4}
	case has("\x00\x00\xfe\xff"):
		return Result{Format: UTF32BE, Description: Describe(UTF32BE), BOM: 4}
	case has("\xff\xfe"):
		return Result{Format: UTF16LE, Description: Describe(UTF16LE), BOM: 2}
	case has("\xfe\xff"):
		return Result{Format: UTF16BE, Description: Describe(UTF16BE), BOM: 2}
	case len(b) >= 262 && string(b[257:262]) == "ustar":
		return result(Tar)
	}
	if f, ok := utf16NoBOM(b); ok {
		return result(f)
	}
	if looksBinary(b) {
		return result(Binary)
	}
	r := result(Text)
	if has("\xef\xbb\xbf") {
		r.BOM = 3
	}
	return r
}

// zipKind looks at the names of the entries of a zip archive whose local
// headers are in b: xl/ makes an Excel workbook, word/ a Word document,
// ppt/ a presentation, and a first entry "mimetype" holding the
// OpenDocument spreadsheet type an ods file.
func zipKind(b []byte) Format {
	const lfh = 30
	for off := 0; off+lfh <= len(b); {
		if string(b[off:off+4]) != "PK\x03\x04" {
			// Sizes unknown (a data descriptor follows the data): look for
			// the next local header.
			k := bytes.Index(b[off+1:], []byte("PK\x03\x04"))
			if k < 0 {
				break
			}
			off += 1 + k
			continue
		}
		flags := binary.LittleEndian.Uint16(b[off+6:])
		csize := int(binary.LittleEndian.Uint32(b[off+18:]))
		nlen := int(binary.LittleEndian.Uint16(b[off+26:]))
		xlen := int(binary.LittleEndian.Uint16(b[off+28:]))
		nameEnd := off + lfh + nlen
		if nameEnd > len(b) {
			break
		}
		name := string(b[off+lfh : nameEnd])
		switch {
		case strings.HasPrefix(name, "xl/"):
			return XLSX
		case strings.HasPrefix(name, "word/"):
			return DOCX
		case strings.HasPrefix(name, "ppt/"):
			return PPTX
		case name == "mimetype":
			data := b[min(nameEnd+xlen, len(b)):]
			if bytes.HasPrefix(data, []byte("application/vnd.oasis.opendocument.spreadsheet")) {
				return ODS
			}
		}
		if flags&8 != 0 {
			off = nameEnd // find the next header by its signature
			continue
		}
		off = nameEnd + xlen + csize
	}
	return Zip
}

// binaryAfter reports whether b (the bytes after a magic number) starts
// with binary bytes: a NUL or control byte within its first 16 bytes.
func binaryAfter(b []byte) bool {
	for _, c := range b[:min(16, len(b))] {
		if c == 0 || c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// looksBinary reports whether a sample holds a NUL byte, or at least two
// control bytes and more than 1 in 20: control bytes other than white
// space, escape and the DOS end-of-file mark (Ctrl-Z) that old files end
// with.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b && c != 0x1a || c == 0x7f {
			ctl++
		}
	}
	return ctl >= 2 && ctl*20 > len(b)
}

// utf16NoBOM recognises UTF-16 text without a byte order mark from its
// NUL bytes: ASCII text in UTF-16LE has a NUL at almost every odd offset
// and none at even ones (BE the other way round).
func utf16NoBOM(b []byte) (Format, bool) {
	n := len(b) &^ 1
	if n < 8 {
		return "", false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*9 && even*10 < pairs:
		return UTF16LE, true
	case even*10 >= pairs*9 && odd*10 < pairs:
		return UTF16BE, true
	}
	return "", false
}

// ByExtension returns the format a file name's extension suggests, or ""
// when the extension says nothing (".csv", ".txt" and ".tsv" are Text).
func ByExtension(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".tab":
		return Text
	case ".gz", ".gzip", ".tgz":
		return Gzip
	case ".zst", ".zstd":
		return Zstd
	case ".bz2":
		return Bzip2
	case ".xz":
		return XZ
	case ".lz4":
		return LZ4
	case ".zip":
		return Zip
	case ".xlsx", ".xlsm":
		return XLSX
	case ".docx":
		return DOCX
	case ".pptx":
		return PPTX
	case ".ods":
		return ODS
	case ".xls":
		return XLS
	case ".tar":
		return Tar
	case ".parquet", ".pq":
		return Parquet
	case ".arrow", ".feather":
		return Arrow
	case ".sqlite", ".sqlite3", ".db":
		return SQLite
	case ".pdf":
		return PDF
	}
	return ""
}
