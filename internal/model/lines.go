package model

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// RecordLines returns, for each 0-based data row of the CSV file at path,
// the 1-based physical line its record starts on. It follows
// internal/csvio's reading rules: a UTF-8 byte order mark is skipped, empty
// lines (LF or CRLF alone) are skipped, the first record is the header, a
// field that starts with a double quote may hold delimiters and line breaks
// ("" is a quote), and after a closing quote the field runs on to the next
// delimiter or line end. delim is the file's delimiter (csvio.Result
// reports the detected one). The encodings csvio reads (UTF-8, Latin-1,
// Windows-1252) agree on these bytes, so the file is scanned as is.
//
// It returns lines[r] for r < the number of data rows.
func RecordLines(path string, delim byte) ([]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return recordLines(f, delim)
}

// Scanner states.
const (
	stRecord    = iota // before a record: blank lines are skipped
	stRecordCR         // a CR at the start of a record
	stField            // at the start of a field
	stUnquoted         // inside an unquoted field (or after a closing quote)
	stQuoted           // inside a quoted field
	stQuoteSeen        // a quote inside a quoted field: closing or doubled
)

func recordLines(r io.Reader, delim byte) ([]int, error) {
	if delim == '"' || delim == '\n' || delim == '\r' || delim == 0 {
		return nil, fmt.Errorf("model: delimiter %q cannot separate CSV fields", delim)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
	var lines []int
	line, records, state := 1, 0, stRecord
	start := func() {
		if records > 0 { // record 0 is the header
			lines = append(lines, line)
		}
		records++
	}
	buf := make([]byte, 1<<16)
	for {
		nr, err := br.Read(buf)
		for _, c := range buf[:nr] {
			switch state {
			case stRecord:
				switch c {
				case '\n':
					line++ // an empty line
					continue
				case '\r':
					state = stRecordCR
					continue
				}
				start()
				state = stField
			case stRecordCR:
				if c == '\n' {
					line++ // an empty CRLF line
					state = stRecord
					continue
				}
				start() // the CR opens a field
				state = stUnquoted
			}
			switch state {
			case stField:
				switch c {
				case '"':
					state = stQuoted
				case delim:
				case '\n':
					line++
					state = stRecord
				default:
					state = stUnquoted
				}
			case stUnquoted:
				switch c {
				case delim:
					state = stField
				case '\n':
					line++
					state = stRecord
				}
			case stQuoted:
				switch c {
				case '"':
					state = stQuoteSeen
				case '\n':
					line++
				}
			case stQuoteSeen:
				switch c {
				case '"':
					state = stQuoted
				case delim:
					state = stField
				case '\n':
					line++
					state = stRecord
				default:
					state = stUnquoted
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return lines, nil
}
