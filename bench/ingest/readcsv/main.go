// Command readcsv times internal/csvio on one input: ReadFile (the whole
// table in memory) or, with -batch N, Reader.Scan in batches of N rows.
// bench/ingest/compressed.sh runs it under /usr/bin/time for peak memory.
//
//	go run ./bench/ingest/readcsv [-batch 65536] [-types] FILE|-
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

func main() {
	batch := flag.Int("batch", 0, "scan in batches of this many rows instead of reading the whole table")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: readcsv [-batch N] FILE|-")
		os.Exit(2)
	}
	ctx := context.Background()
	start := time.Now()
	r, err := csvio.Open(ctx, flag.Arg(0), csvio.Options{TextColumns: []string{"Customer ID"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer r.Close()
	var res *csvio.Result
	batches := 0
	if *batch > 0 {
		res, err = r.Scan(ctx, *batch, func(*frame.Table) error { batches++; return nil })
	} else {
		res, err = r.ReadAll(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d rows, %d raw bytes (%s), %d batches, %.2f s\n", flag.Arg(0), res.Rows, res.Bytes,
		map[string]string{"": "plain"}[res.Compression]+res.Compression, batches, time.Since(start).Seconds())
}
