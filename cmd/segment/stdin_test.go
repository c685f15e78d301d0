package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// TestStdinSameRun: `cat file.csv | segment run -c … --set input.path=-`
// gives the same run as the file — every output file byte for byte except
// those naming the run (manifest, report), and the same input record but
// for its path — and so does a FIFO fed gzip'd bytes (what <(zcat f.gz) or
// a named pipe delivers). The input is read exactly once: the column check
// and ingest share the opened stream. `segment validate` reads the header
// from standard input.
func TestStdinSameRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the Maven job three times")
	}
	needMaven(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "segment")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data, err := filepath.Abs(mavenPath)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := filepath.Abs("../../configs/maven_churn.yaml")
	run := func(name string, stdin []byte, path string) string {
		t.Helper()
		cmd := exec.Command(bin, "run", "-c", cfg, "--set", "input.path="+path, "--out", filepath.Join(dir, name), "--no-progress")
		if stdin != nil {
			cmd.Stdin = bytes.NewReader(stdin) // a pipe
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stderr.String())
		}
		return strings.TrimSpace(stdout.String())
	}
	file := run("file", nil, data)
	piped := run("stdin", raw, "-")

	fifo := filepath.Join(dir, "maven.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		zw := gzip.NewWriter(f)
		_, err = zw.Write(raw)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
		f.Close()
		done <- err
	}()
	fromFIFO := run("fifo", nil, fifo)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	for _, other := range []string{piped, fromFIFO} {
		sameOutputs(t, file, other)
	}
	in := inputRecord(t, piped)
	if in.Path != "-" || in.Format != "csv" || in.Rows != 7043 || in.SHA256 != "9309f4308b9111da3604c1b13c337de40fd2de16c9dd75904f3b0d2bf5b5beed" {
		t.Errorf("stdin input record %+v", in)
	}
	if in := inputRecord(t, fromFIFO); in.Compression != "gzip" || in.Rows != 7043 {
		t.Errorf("FIFO input record %+v", in)
	}

	// validate reads the header from standard input.
	cmd := exec.Command(bin, "validate", "-c", cfg, "--set", "input.path=-")
	cmd.Stdin = bytes.NewReader(raw)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok (7 stages") || !strings.Contains(string(out), "input standard input, csv") {
		t.Errorf("validate on stdin: %v\n%s", err, out)
	}
}

// sameOutputs compares two run folders: every file but the manifest and
// the report byte for byte (model.json but for its input sha256), and the manifests' input records but for the
// path, compression and size.
func sameOutputs(t *testing.T, a, b string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(a, "*"))
	if len(files) < 10 {
		t.Fatalf("%s holds %d files", a, len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		if name == "manifest.json" || strings.HasPrefix(name, "report.") {
			continue
		}
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, name))
		if name == "model.json" { // holds the input's sha256, of the compressed bytes for a gzip'd input
			x, y = withoutInputSHA(t, x), withoutInputSHA(t, y)
		}
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s (%v)", name, a, b, err)
		}
	}
	ia, ib := inputRecord(t, a), inputRecord(t, b)
	ia.Path, ib.Path, ib.Compression, ib.Bytes, ib.SHA256, ia.Bytes, ia.SHA256 = "", "", "", 0, "", 0, ""
	if !reflect.DeepEqual(ia, ib) {
		t.Errorf("input records differ:\n%+v\n%+v", ia, ib)
	}
}

func inputRecord(t *testing.T, runDir string) *result.Input {
	t.Helper()
	m, err := pipeline.ReadManifest(runDir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(m.Input)
	var in result.Input
	json.Unmarshal(b, &in)
	return &in
}

// withoutInputSHA is model.json without input.sha256, re-encoded.
func withoutInputSHA(t *testing.T, b []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m["input"].(map[string]any), "sha256")
	out, _ := json.Marshal(m)
	return out
}
