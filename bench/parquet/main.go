// Command parquet-bench measures ingest of one table from CSV and from
// Parquet. bench/parquet/run.sh drives it; each invocation does one thing so
// /usr/bin/time -v reports that thing's peak memory.
//
//	parquet-bench convert -csv IN.csv -o OUT.parquet [-rowgroup N] [-compression snappy|zstd] [-memory]
//	parquet-bench read -in FILE [-cols all|features|config] [-scan BATCH]
//
// convert streams the CSV into the Parquet file in batches (bounded memory,
// whatever the row count; a progress line on stderr every 10 s); -memory
// reads the whole table first, as before (see convert.go).
//
// read prints one line: format, columns, rows, wall time, Go heap allocated
// in total and the peak heap in use (sampled every 10 ms).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
)

// features are the six columns configs/churn.yaml clusters on (under their
// original names).
var features = []string{"Age", "Tenure in Months", "Number of Referrals", "Monthly Charge", "Total Revenue", "Avg Monthly GB Download"}

// config are all the columns configs/churn.yaml touches: the id, the EDA
// metrics, the cluster features, the profile's categories and outcome.
var config = []string{"Customer ID", "Age", "Number of Dependents", "Number of Referrals", "Tenure in Months",
	"Avg Monthly Long Distance Charges", "Avg Monthly GB Download", "Monthly Charge", "Total Charges", "Total Refunds",
	"Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue", "Contract", "Internet Type",
	"Payment Method", "Gender", "Customer Status"}

func main() {
	if len(os.Args) < 2 {
		fail("usage: parquet-bench convert|read ...")
	}
	switch os.Args[1] {
	case "convert":
		convert(os.Args[2:])
	case "read":
		read(os.Args[2:])
	default:
		fail("unknown command " + os.Args[1])
	}
}

func read(args []string) {
	fs := flag.NewFlagSet("read", flag.ExitOnError)
	in := fs.String("in", "", "CSV or Parquet file")
	which := fs.String("cols", "all", "all, features (6) or config (18)")
	scan := fs.Int("scan", 0, "Parquet only: stream in batches of this many rows instead of reading the table")
	lineage := fs.Bool("lineage", false, "Parquet only: also hash the file (the manifest's sha256)")
	fs.Parse(args)
	var cols []string
	switch *which {
	case "all":
	case "features":
		cols = features
	case "config":
		cols = config
	default:
		fail("unknown -cols " + *which)
	}

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	ctx := context.Background()
	start := time.Now()
	var rows, ncols int
	format := "csv"
	if strings.HasSuffix(*in, ".parquet") {
		format = "parquet"
		d, err := parquetio.Open(*in)
		if err != nil {
			fail(err.Error())
		}
		if *scan > 0 {
			format = fmt.Sprintf("parquet-scan(%d)", *scan)
			err = d.Scan(ctx, cols, *scan, func(t *frame.Table) error {
				rows += t.NumRows()
				ncols = t.NumCols()
				return nil
			})
		} else {
			var t *frame.Table
			t, err = d.Read(ctx, cols)
			if err == nil {
				rows, ncols = t.NumRows(), t.NumCols()
				runtime.KeepAlive(t)
			}
		}
		if err != nil {
			fail(err.Error())
		}
		if *lineage {
			format += "+sha256"
			if _, err := d.Lineage(ctx); err != nil {
				fail(err.Error())
			}
		}
	} else {
		res, err := csvio.ReadFile(ctx, *in, csvio.Options{Columns: cols})
		if err != nil {
			fail(err.Error())
		}
		rows, ncols = res.Table.NumRows(), res.Table.NumCols()
	}
	elapsed := time.Since(start)
	close(stop)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%-22s cols=%-8s %d rows x %d columns  %7.3f s  alloc %5d MB  peak heap %5d MB\n",
		format, *which, rows, ncols, elapsed.Seconds(), ms.TotalAlloc>>20, peak.Load()>>20)
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "parquet-bench:", msg)
	os.Exit(1)
}
