package csvio

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/sniff"
)

// mavenLike writes a file with the Maven churn header and rows rows, taken
// from the real file in turn. It skips the benchmark when the dataset is
// absent.
func mavenLike(b testing.TB, rows int) string {
	b.Helper()
	src, err := os.ReadFile(dataset(b, "telecom_customer_churn.csv"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	header, body := lines[0], lines[1:]
	if len(body[len(body)-1]) == 0 {
		body = body[:len(body)-1]
	}
	path := filepath.Join(b.TempDir(), "maven.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write(header)
	for i := range rows {
		w.Write(body[i%len(body)])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

func benchmarkRead(b *testing.B, rows int, opt Options) {
	path := mavenLike(b, rows)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != rows {
			b.Fatalf("%d rows", res.Rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadMaven200k reads 200,000 Maven-like rows × 38 columns (≈41 MB).
func BenchmarkReadMaven200k(b *testing.B) { benchmarkRead(b, 200000, Options{}) }

// BenchmarkReadMaven200kProjected keeps 5 of the 38 columns.
func BenchmarkReadMaven200kProjected(b *testing.B) {
	benchmarkRead(b, 200000, Options{Columns: []string{"Age", "Tenure in Months", "Monthly Charge", "Total Revenue", "Customer Status"}})
}

// BenchmarkReadMaven200kStrings reads every column as a string.
func BenchmarkReadMaven200kStrings(b *testing.B) {
	names, _, err := ReadHeader(dataset(b, "telecom_customer_churn.csv"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	types := map[string]frame.Kind{}
	for _, n := range names {
		types[n] = frame.String
	}
	benchmarkRead(b, 200000, Options{Types: types})
}

func BenchmarkWriteCSV(b *testing.B) {
	path := mavenLike(b, 200000)
	res, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	WriteCSV(&buf, res.Table)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		buf.Reset()
		if err := WriteCSV(&buf, res.Table); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseChunk parses one 4 MB chunk of Maven-like rows on one
// goroutine: the worker's share of ReadFile without I/O, hashing or merging.
func BenchmarkParseChunk(b *testing.B) {
	data, err := os.ReadFile(mavenLike(b, 30000))
	if err != nil {
		b.Fatal(err)
	}
	data = data[:lastRecordEnd(data[:4<<20], ',')]
	cfg, _ := (&Options{Delimiter: ','}).compile()
	h, _, err := parseHeader(data, false, "bench", cfg)
	if err != nil {
		b.Fatal(err)
	}
	p, err := newPlan("bench", h, cfg)
	if err != nil {
		b.Fatal(err)
	}
	p.utf8 = true
	c := &chunk{data: h.rest, firstLine: h.next, lines: bytes.Count(h.rest, nl)}
	w, res := &worker{p: p}, &chunkResult{}
	b.SetBytes(int64(len(c.data)))
	b.ReportAllocs()
	for range b.N {
		w.parse(c, res)
		if res.err != nil {
			b.Fatal(res.err)
		}
	}
}

// BenchmarkSplit only splits a 4 MB chunk into records and fields.
func BenchmarkSplit(b *testing.B) {
	data, err := os.ReadFile(mavenLike(b, 30000))
	if err != nil {
		b.Fatal(err)
	}
	data = data[:lastRecordEnd(data[:4<<20], ',')]
	b.SetBytes(int64(len(data)))
	for range b.N {
		s := splitter{data: data, delim: ',', line: 2}
		for {
			ok, _ := s.next()
			if !ok {
				break
			}
		}
	}
}

// BenchmarkGzip reads 200,000 Maven-like rows (≈41 MB of CSV) plain, gzip'd
// (compress/gzip level 6) through each gzip implementation, and zstd'd.
// bench/ingest/README.md has the numbers and the choice they made.
func BenchmarkGzip(b *testing.B) {
	path := mavenLike(b, 200000)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	gz := compressed(b, dir, "m.csv.gz", "gzip", data)
	zs := compressed(b, dir, "m.csv.zst", "zstd", data)
	run := func(b *testing.B, p string) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		defer reportCPU(b)()
		for range b.N {
			res, err := ReadFile(context.Background(), p, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if res.Rows != 200000 {
				b.Fatalf("%d rows", res.Rows)
			}
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, path) })
	for _, name := range []string{"compress/gzip", "klauspost/gzip", "pgzip"} {
		b.Run(strings.ReplaceAll(name, "/", "_"), func(b *testing.B) {
			old := gzipReader
			gzipReader = gzipImpls[name]
			defer func() { gzipReader = old }()
			run(b, gz)
		})
	}
	b.Run("zstd", func(b *testing.B) { run(b, zs) })
	// Decompression alone, into io.Discard.
	decode := func(b *testing.B, p string, open func(io.Reader) (io.Reader, func(), error)) {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		defer reportCPU(b)()
		for range b.N {
			r, done, err := open(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
			done()
		}
	}
	for _, name := range []string{"compress/gzip", "klauspost/gzip", "pgzip"} {
		b.Run("decode_"+strings.ReplaceAll(name, "/", "_"), func(b *testing.B) { decode(b, gz, gzipImpls[name]) })
	}
	b.Run("decode_zstd", func(b *testing.B) {
		decode(b, zs, func(r io.Reader) (io.Reader, func(), error) { return newDecompressor(sniff.Zstd, r) })
	})
}

// reportCPU reports the process's CPU time (user + system) per operation,
// which a machine shared with other jobs inflates far less than wall time.
// Call the function it returns at the end of the benchmark.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64((cpu()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkTextAfterNumbers measures what keeping the text of non-canonical
// number cells costs (see texts.go), on 1,000,000 rows whose two columns
// read as numbers until the last row turns them into text: "zip" holds
// zero-padded codes ("00501", every cell kept) and "price" two-decimal
// prices ("12.50", the 1 in 10 with a trailing zero kept). "typed" reads
// the same file with both columns fixed as text, the least it can cost.
func BenchmarkTextAfterNumbers(b *testing.B) {
	path := filepath.Join(b.TempDir(), "t.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("zip,price\n")
	for i := range 1000000 {
		fmt.Fprintf(w, "%05d,%d.%02d\n", i%100000, i%500, (i*7)%100)
	}
	w.WriteString("n/a,n/a\n")
	w.Flush()
	f.Close()
	for _, tc := range []struct {
		name string
		opt  Options
	}{{"inferred", Options{}}, {"typed", Options{TextColumns: []string{"zip", "price"}}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				res, err := ReadFile(context.Background(), path, tc.opt)
				if err != nil || res.Table.Col("zip").Kind != frame.String {
					b.Fatal(err)
				}
			}
		})
	}
}
