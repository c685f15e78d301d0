package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// recBar records what a bar was told.
type recBar struct {
	log  *[]string
	desc string
}

func (b recBar) Set(n int64) { *b.log = append(*b.log, fmt.Sprintf("%s=%d", b.desc, n)) }
func (b recBar) Finish()     { *b.log = append(*b.log, b.desc+" done") }

// TestReadProgress: a source that reads its input twice (a CSV file's
// types, then its values) gets a bar per read, the second saying why, so
// no bar reaches 100 % while a whole read is still to come.
func TestReadProgress(t *testing.T) {
	var log []string
	fn, finish := readProgress(func(total int64, desc string) progressBar {
		log = append(log, fmt.Sprintf("open %q of %d", desc, total))
		return recBar{log: &log, desc: strings.Fields(desc)[len(strings.Fields(desc))-1]}
	}, "reading x.csv")
	for _, d := range []int64{0, 50, 100, 0, 60, 100} {
		fn(d, 100)
	}
	finish()
	want := `open "reading x.csv" of 100|x.csv=0|x.csv=50|x.csv=100|x.csv done|` +
		`open "reading x.csv again (the values; the first read inferred the column types)" of 100|types)=0|types)=60|types)=100|types) done`
	if got := strings.Join(log, "|"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A single read: one bar; no read at all: finish does nothing.
	log = nil
	fn, finish = readProgress(func(total int64, desc string) progressBar { return recBar{log: &log, desc: "b"} }, "r")
	fn(10, 20)
	fn(20, 20)
	finish()
	if got := strings.Join(log, "|"); got != "b=10|b=20|b done" {
		t.Errorf("single read: %s", got)
	}
	_, finish = readProgress(nil, "r")
	finish()
}
