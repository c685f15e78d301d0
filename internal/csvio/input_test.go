package csvio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compressed writes data to dir/name compressed with the named format.
func compressed(t testing.TB, dir, name, format string, data []byte) string {
	t.Helper()
	var b bytes.Buffer
	switch format {
	case "gzip":
		w := gzip.NewWriter(&b)
		w.Write(data)
		w.Close()
	case "gzip2": // two members, as `cat a.gz b.gz` makes
		half := len(data) / 2
		for _, part := range [][]byte{data[:half], data[half:]} {
			w := gzip.NewWriter(&b)
			w.Write(part)
			w.Close()
		}
	case "zstd":
		w, _ := zstd.NewWriter(&b)
		w.Write(data)
		w.Close()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestCompressed reads the Maven table gzip'd (one and two members) and
// zstd'd: the same table as the plain file, and the raw (compressed) size
// and SHA-256.
func TestCompressed(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	plain, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	dir := t.TempDir()
	for _, format := range []string{"gzip", "gzip2", "zstd"} {
		p := compressed(t, dir, "maven."+format, format, data)
		raw, _ := os.ReadFile(p)
		for _, chunk := range []int{0, 100000} {
			res, err := ReadFile(context.Background(), p, Options{chunkSize: chunk})
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if d := diffTables(plain.Table, res.Table); d != "" {
				t.Errorf("%s: %s", format, d)
			}
			want := strings.TrimSuffix(format, "2")
			if res.Compression != want || res.Bytes != int64(len(raw)) || res.SHA256 != sha(raw) || res.Rows != plain.Rows {
				t.Errorf("%s: compression %q bytes %d sha %s rows %d", format, res.Compression, res.Bytes, res.SHA256, res.Rows)
			}
		}
	}
}

// TestGzipReaders checks that the three gzip implementations measured in
// BenchmarkGzip give the same table.
func TestGzipReaders(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%d,x%d\n", i, i%7)
	}
	p := compressed(t, dir, "g.gz", "gzip2", []byte(b.String()))
	var first *Result
	for name, impl := range gzipImpls {
		old := gzipReader
		gzipReader = impl
		res, err := ReadFile(context.Background(), p, Options{})
		gzipReader = old
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if first == nil {
			first = res
		} else if d := diffTables(first.Table, res.Table); d != "" || res.SHA256 != first.SHA256 {
			t.Errorf("%s: %s", name, d)
		}
	}
}

func TestCROnly(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"cr", "a,b\r1,x\r2,y\r", []string{"a int: 1|2", "b string: x|y"}},
		{"cr no final", "a,b\r1,x\r2,y", []string{"a int: 1|2", "b string: x|y"}},
		{"cr quoted", "a,b\r1,\"x\ry\"\r2,z\r", []string{"a int: 1|2", "b string: x\ny|z"}},
		{"cr then crlf", "a,b\r1,x\r\n2,y\r", []string{"a int: 1|2", "b string: x|y"}},
		{"crlf keeps lone cr", "a,b\r\n1,x\ry\r\n", []string{"a int: 1", "b string: x\ry"}},
	}
	for _, tc := range tests {
		for _, chunk := range []int{0, 1, 3} {
			res, err := readString(t, tc.in, Options{chunkSize: chunk})
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := renderTable(res.Table); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s (chunk %d): got %q, want %q", tc.name, chunk, got, tc.want)
			}
			if wantCR := strings.HasPrefix(tc.name, "cr ") || tc.name == "cr"; res.CR != wantCR {
				t.Errorf("%s: CR %v", tc.name, res.CR)
			}
		}
	}
	// Line numbers count CR line ends.
	_, err := readString(t, "a,b\r1,2\r3\r", Options{})
	if err == nil || !strings.HasSuffix(err.Error(), "line 3: row has 1 field, the header has 2") {
		t.Errorf("ragged CR file: %v", err)
	}
}

// TestCRReader feeds the CR translation one byte at a time, so that a CR
// is the last byte of many reads.
func TestCRReader(t *testing.T) {
	for _, in := range []string{"a\rb\r\nc\r", "\r\r\n\r", "x\r", "\r\n", "abc"} {
		want := []byte(in)
		for i := range want {
			if want[i] == '\r' && (i+1 == len(want) || want[i+1] != '\n') {
				want[i] = '\n'
			}
		}
		got, err := io.ReadAll(&crReader{r: bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(in)), 16)})
		if err != nil || string(got) != string(want) {
			t.Errorf("%q: got %q (%v), want %q", in, got, err, want)
		}
	}
}

func TestUTF16BOM(t *testing.T) {
	for _, enc := range []struct {
		name string
		bom  []byte
		put  func(r rune) []byte
	}{
		{"utf-16le", []byte{0xFF, 0xFE}, func(r rune) []byte { return []byte{byte(r), byte(r >> 8)} }},
		{"utf-16be", []byte{0xFE, 0xFF}, func(r rune) []byte { return []byte{byte(r >> 8), byte(r)} }},
		{"utf-32le", []byte{0xFF, 0xFE, 0, 0}, func(r rune) []byte { return []byte{byte(r), byte(r >> 8), 0, 0} }},
	} {
		b := append([]byte(nil), enc.bom...)
		for _, r := range "név\tn\r\nÁrvíz\t1\r\n" {
			b = append(b, enc.put(r)...)
		}
		path := filepath.Join(t.TempDir(), "u.csv")
		os.WriteFile(path, b, 0o644)
		res, err := ReadFile(context.Background(), path, Options{})
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		if got := renderTable(res.Table); !reflect.DeepEqual(got, []string{"név string: Árvíz", "n int: 1"}) || res.Encoding != enc.name || !res.BOM {
			t.Errorf("%s: %q encoding %q BOM %v", enc.name, got, res.Encoding, res.BOM)
		}
		if _, err := ReadFile(context.Background(), path, Options{Encoding: "cp1252"}); err == nil ||
			!strings.Contains(err.Error(), "but the encoding is set to cp1252; leave input.encoding unset to read it") {
			t.Errorf("%s with cp1252: %v", enc.name, err)
		}
	}
}

// mkfifo makes a FIFO in a temporary folder.
func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// TestFIFONoWriter opens a FIFO that no process ever writes: Open must
// return ctx.Err() promptly when the context ends (issue 15: a FIFO blocked
// SIGTERM for good).
func TestFIFONoWriter(t *testing.T) {
	path := mkfifo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Open(ctx, path, Options{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want context.DeadlineExceeded", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open of a FIFO without a writer did not return after the context ended")
	}
}

// TestFIFO reads a FIFO whose writer starts late, and one whose writer
// stops writing mid-file: cancelling then ends ReadAll with ctx.Err().
func TestFIFO(t *testing.T) {
	path := mkfifo(t)
	content := "id,v\n" + strings.Repeat("0001,2.5\n", 30000)
	go func() {
		time.Sleep(50 * time.Millisecond)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(content)
		f.Close()
	}()
	res, err := ReadFile(context.Background(), path, Options{TextColumns: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 30000 || res.Bytes != int64(len(content)) || res.SHA256 != sha([]byte(content)) || res.Table.Col("id").Str(0) != "0001" {
		t.Errorf("rows %d bytes %d", res.Rows, res.Bytes)
	}

	// A writer that sends the header and some rows, then stalls.
	path = mkfifo(t)
	stall := make(chan struct{})
	defer close(stall)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.WriteString("a,b\n1,2\n3,4\n")
		<-stall
	}()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !reflect.DeepEqual(r.Header(), []string{"a", "b"}) {
		t.Errorf("header %q", r.Header())
	}
	done := make(chan error, 1)
	go func() {
		_, err := r.ReadAll(ctx)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadAll of a stalled FIFO did not return after cancel")
	}
}

// TestPipePath reads a pipe by its /proc/self/fd path, as the shell's
// <(zcat f.gz) gives it: the header check and the rows come from one read.
func TestPipePath(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("a,b\n1,x\n2,y\n"))
	w.Close()
	go func() {
		pw.Write(gz.Bytes())
		pw.Close()
	}()
	path := fmt.Sprintf("/proc/self/fd/%d", pr.Fd())
	r, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer r.Close()
	if r.Seekable() || !reflect.DeepEqual(r.Header(), []string{"a", "b"}) || r.Compression() != "gzip" {
		t.Errorf("seekable %v header %q compression %q", r.Seekable(), r.Header(), r.Compression())
	}
	res, err := r.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := renderTable(res.Table); !reflect.DeepEqual(got, []string{"a int: 1|2", "b string: x|y"}) || res.SHA256 != sha(gz.Bytes()) {
		t.Errorf("got %q sha %s", got, res.SHA256)
	}
	if _, err := r.ReadAll(context.Background()); err != errUsed {
		t.Errorf("second ReadAll: %v", err)
	}
}

// TestStdin runs the test binary as a child with a pipe as standard input
// and path "-".
func TestStdin(t *testing.T) {
	if os.Getenv("CSVIO_STDIN_CHILD") == "1" {
		res, err := ReadFile(context.Background(), "-", Options{TextColumns: []string{"id"}})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Printf("%q %d %s\n", renderTable(res.Table), res.Bytes, res.SHA256)
		os.Exit(0)
	}
	content := "id,n\n007,1\n008,2\n"
	for _, via := range []string{"pipe", "file"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStdin$")
		cmd.Env = append(os.Environ(), "CSVIO_STDIN_CHILD=1")
		if via == "pipe" {
			cmd.Stdin = strings.NewReader(content)
		} else {
			path := filepath.Join(t.TempDir(), "s.csv")
			os.WriteFile(path, []byte(content), 0o644)
			f, _ := os.Open(path)
			defer f.Close()
			cmd.Stdin = f
		}
		out, err := cmd.CombinedOutput()
		want := fmt.Sprintf("%q %d %s\n", []string{"id string: 007|008", "n int: 1|2"}, len(content), sha([]byte(content)))
		if err != nil || string(out) != want {
			t.Errorf("%s: %v\n got %s\nwant %s", via, err, out, want)
		}
	}
}

// TestHostileInputs: /dev/zero and a 17 MiB line end with a clear error,
// with the default limits, instead of growing until the runtime dies.
func TestHostileInputs(t *testing.T) {
	if _, err := ReadFile(context.Background(), "/dev/zero", Options{}); err == nil ||
		err.Error() != "/dev/zero: is binary data, not CSV text; it holds NUL or control bytes; check input.path" {
		t.Errorf("/dev/zero: %v", err)
	}
	dir := t.TempDir()
	line := bytes.Repeat([]byte("a"), DefaultMaxRecordBytes+1<<20)
	p := filepath.Join(dir, "line.csv")
	os.WriteFile(p, line, 0o644)
	want := p + " line 1: header: the header record is longer than 16,777,216 bytes (Options.MaxRecordBytes); is this a CSV file?"
	if _, err := ReadFile(context.Background(), p, Options{}); err == nil || err.Error() != want {
		t.Errorf("long header: %v", err)
	}
	os.WriteFile(p, append([]byte("a,b\n1,2\n"), line...), 0o644)
	want = p + " line 3: a record longer than 16,777,216 bytes (Options.MaxRecordBytes); is this a CSV file, or does a quote open a field that is never closed?"
	if _, err := ReadFile(context.Background(), p, Options{}); err == nil || err.Error() != want {
		t.Errorf("long row: %v", err)
	}
	// The same through gzip.
	gz := compressed(t, dir, "line.csv.gz", "gzip", append([]byte("a,b\n1,2\n"), line...))
	want = gz + " line 3: a record longer than 16,777,216 bytes (Options.MaxRecordBytes); is this a CSV file, or does a quote open a field that is never closed?"
	if _, err := ReadFile(context.Background(), gz, Options{}); err == nil || err.Error() != want {
		t.Errorf("long gzip row: %v", err)
	}
}

// gzipImpls are the gzip readers compared by BenchmarkGzip.
var gzipImpls = map[string]func(io.Reader) (io.Reader, func(), error){
	"compress/gzip": func(r io.Reader) (io.Reader, func(), error) {
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	},
	"klauspost/gzip": func(r io.Reader) (io.Reader, func(), error) {
		z, err := kgzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return z, func() { z.Close() }, nil
	},
	"pgzip": pgzipReader,
}

// TestAsyncReader checks the fallback for a standard input that cannot be
// reopened non-blocking: a blocked read returns ctx.Err() on cancel, and
// the data that arrives later is not lost.
func TestAsyncReader(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	in := &input{name: "-", f: os.Stdin, ctx: ctx}
	in.r = &asyncReader{in: in, r: pr}
	done := make(chan error, 1)
	go func() {
		_, err := in.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a blocked read did not return on cancel")
	}
	go pw.Write([]byte("abcdef"))
	in.mu.Lock()
	in.ctx = context.Background()
	in.mu.Unlock()
	buf := make([]byte, 4)
	n, err := in.Read(buf)
	m, err2 := in.Read(buf[n:])
	if err != nil || err2 != nil || string(buf[:n+m]) != "abcd" {
		t.Errorf("after the abandoned read: %q %v %v", buf[:n+m], err, err2)
	}
}

// TestEarlyErrorNoLeak stops a gzip'd read at a ragged row near the start
// of a long file: ReadFile returns the error and leaves no goroutine
// behind (pgzip reads ahead on goroutines of its own).
func TestEarlyErrorNoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	content := "a,b\n1,2\n3\n" + strings.Repeat("4,5\n", 3000000)
	p := compressed(t, t.TempDir(), "r.csv.gz", "gzip", []byte(content))
	_, err := ReadFile(context.Background(), p, Options{chunkSize: 1 << 16})
	if err == nil || !strings.HasSuffix(err.Error(), "line 3: row has 1 field, the header has 2") {
		t.Fatalf("got %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left, %d before", n, before)
	}
}
