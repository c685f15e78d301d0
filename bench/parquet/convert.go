package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
)

// convertBatchRows is the batch the streamed convert reads the CSV in (the
// default execution.batch_rows of a streamed run). The writer gathers
// batches into row groups of WriteOptions.RowGroupRows rows.
const convertBatchRows = 65_536

// progressEvery is how often the streamed convert reports on stderr.
const progressEvery = 10 * time.Second

func convert(args []string) {
	fs := flag.NewFlagSet("convert", flag.ExitOnError)
	in := fs.String("csv", "", "input CSV")
	out := fs.String("o", "", "output Parquet file")
	rg := fs.Int("rowgroup", 0, "rows per row group (0: the package default)")
	codec := fs.String("compression", "snappy", "snappy, zstd, gzip or none")
	memory := fs.Bool("memory", false, "read the whole CSV into memory and write it at once (the old way; memory grows with the table)")
	fs.Parse(args)
	if *in == "" || *out == "" {
		fail("convert needs -csv IN.csv and -o OUT.parquet")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := parquetio.WriteOptions{Compression: *codec, RowGroupRows: *rg}
	start := time.Now()
	var (
		st   convertStats
		err  error
		mode = "streamed"
	)
	if *memory {
		mode = "in memory"
		st, err = convertMemory(ctx, *in, *out, opt)
	} else {
		st, err = convertStream(ctx, *in, *out, opt, os.Stderr, progressEvery)
	}
	if errors.Is(err, context.Canceled) {
		fail("interrupted; " + *out + " was not written")
	}
	if err != nil {
		fail(err.Error())
	}
	for _, w := range st.warnings {
		fmt.Fprintln(os.Stderr, "parquet-bench:", *in+":", w)
	}
	fi, err := os.Stat(*out)
	if err != nil {
		fail(err.Error())
	}
	fmt.Printf("converted %d rows x %d columns to %s (%d MB, %s, %s) in %v\n", st.rows, st.cols, *out, fi.Size()>>20, *codec, mode, time.Since(start).Round(time.Millisecond))
}

// convertStats describes a finished conversion.
type convertStats struct {
	rows, cols int
	restarts   int      // times the CSV read started over (column kinds changed after batches were written)
	warnings   []string // the CSV reader's (blank lines skipped, cells of spaces read as missing, ...)
}

// convertMemory is the conversion that reads the whole CSV into one table
// and writes it: memory grows with the table (about 4 GB for 10 M rows of
// the synthetic churn table).
func convertMemory(ctx context.Context, in, out string, opt parquetio.WriteOptions) (convertStats, error) {
	res, err := csvio.ReadFile(ctx, in, csvio.Options{})
	if err != nil {
		return convertStats{}, err
	}
	if err := parquetio.WriteFile(out, res.Table, opt); err != nil {
		return convertStats{}, err
	}
	return convertStats{rows: res.Table.NumRows(), cols: res.Table.NumCols(), warnings: res.Warnings}, nil
}

// convertStream converts the CSV in batches of convertBatchRows rows, so
// memory stays at the reader's read-ahead, one batch and the row group
// being written, whatever the size of the file. It reads the CSV with
// Reader.ScanReset: once, with each column's kind learnt from the rows as
// they come, as long as the batches already written can hold it. A
// Parquet file's schema is fixed when its writer is created (from the first
// batch), so when a later row needs another kind (an int column holding a
// float after the first batch, a number column turning textual), the
// reader calls reset: the partial file is discarded and the reader infers
// every column's kind over the whole file first, then reads it again and
// the file is written anew with those kinds. Either way the file holds the
// kinds and values csvio.ReadFile gives. The output appears at out only
// when the whole file was written (parquetio.CreateFile, Commit); an error
// or a cancelled ctx leaves any previous file in place and no temporary
// file behind. Every interval it writes a progress line to progress. A
// pipe or standard input cannot be read twice and is inferred first, its
// bytes spooled to a temporary file (csvio.Reader.Scan); give a regular
// file to read it once.
func convertStream(ctx context.Context, in, out string, opt parquetio.WriteOptions, progress io.Writer, interval time.Duration) (st convertStats, err error) {
	pr := newProgress()
	r, err := csvio.Open(ctx, in, csvio.Options{Progress: pr.read})
	if err != nil {
		return st, err
	}
	defer r.Close()
	var fw *parquetio.FileWriter
	defer func() {
		if fw != nil && err != nil {
			fw.Abort()
		}
	}()
	stop := pr.start(progress, interval)
	defer stop()

	write := func(b *frame.Table) error {
		if fw == nil {
			w, err := parquetio.CreateFile(out, b.Schema(), opt)
			if err != nil {
				return fmt.Errorf("%s: %w", out, err)
			}
			fw = w
			st.cols = b.NumCols()
		}
		if err := fw.Write(b); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		pr.rows.Add(int64(b.NumRows()))
		return nil
	}
	reset := func() error {
		st.restarts++
		fmt.Fprintf(progress, "convert: a column's kind changed after %d rows were written; inferring every column's kind over the whole file, then writing it again\n", pr.rows.Load())
		pr.restart()
		var err error
		if fw != nil {
			err = fw.Abort()
			fw = nil
		}
		return err
	}
	res, err := r.ScanReset(ctx, convertBatchRows, reset, write)
	if err != nil {
		return st, err
	}
	if fw == nil {
		return st, errors.New(in + ": no rows to write")
	}
	if err := fw.Commit(); err != nil {
		return st, err
	}
	st.rows, st.warnings = res.Rows, res.Warnings
	return st, nil
}

// progress counts a conversion's rows and input bytes for the progress
// lines. Its counters are set by the reading and writing goroutines and
// read by the reporter.
type progress struct {
	rows       atomic.Int64 // written in the current pass
	bytesRead  atomic.Int64 // of the current read of the input
	bytesTotal atomic.Int64 // the input's size, 0 when unknown
	since      atomic.Int64 // unix nanoseconds when the current writing pass began
	restarts   atomic.Int32
}

func newProgress() *progress {
	p := &progress{}
	p.since.Store(time.Now().UnixNano())
	return p
}

// read is the CSV reader's Progress callback.
func (p *progress) read(n, total int64) {
	p.bytesRead.Store(n)
	p.bytesTotal.Store(total)
}

// restart notes that the writing starts over.
func (p *progress) restart() {
	p.rows.Store(0)
	p.restarts.Add(1)
	p.since.Store(time.Now().UnixNano())
}

// start writes a progress line to w every interval until the returned
// function is called (which waits for the reporter to end).
func (p *progress) start(w io.Writer, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		begin := time.Now()
		lastT, lastRows := begin, int64(0)
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				lastT, lastRows = now, p.line(w, begin, now, lastT, lastRows)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// line writes one progress line and returns the rows it counted: rows
// written, the share of the input read, rows per second since the writing
// (re)started and since the last line.
func (p *progress) line(w io.Writer, begin, now, lastT time.Time, lastRows int64) int64 {
	n, read, total := p.rows.Load(), p.bytesRead.Load(), p.bytesTotal.Load()
	what := fmt.Sprintf("%d MB read", read>>20)
	if total > 0 {
		what = fmt.Sprintf("%d of %d MB read (%.1f %%)", read>>20, total>>20, 100*float64(read)/float64(total))
	}
	since := time.Unix(0, p.since.Load())
	if lastT.Before(since) { // started over since the last line
		lastT, lastRows = since, 0
	}
	phase := "written"
	if p.restarts.Load() > 0 {
		if n == 0 {
			phase = "written (inferring the column kinds first)"
		} else {
			phase = "written (second pass)"
		}
	}
	fmt.Fprintf(w, "convert: %d rows %s, %s, %.0f rows/s (%.0f over the last %v), %v elapsed\n",
		n, phase, what, rate(n, now.Sub(since)), rate(n-lastRows, now.Sub(lastT)),
		now.Sub(lastT).Round(time.Second), now.Sub(begin).Round(time.Second))
	return n
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
