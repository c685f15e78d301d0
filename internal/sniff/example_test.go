package sniff_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/sniff"
)

func ExampleDetect() {
	for _, sample := range []string{
		"id,name\n1,Ann\n",
		"\x1f\x8b\x08\x00\x00\x00\x00\x00",
		"PAR1\x15\x04\x15\x80\x01",
		"\xff\xfei\x00d\x00",
	} {
		r := sniff.Detect([]byte(sample))
		fmt.Printf("%s: %s\n", r.Format, r.Description)
	}
	// Output:
	// text: text
	// gzip: gzip-compressed data
	// parquet: a Parquet file
	// utf-16le: UTF-16 text (little-endian)
}
