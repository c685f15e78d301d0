package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/churnlab/segment/pipeline"
)

// TestSIGINTPublishesNothing runs the real binary on a large file, sends
// SIGINT while the run is in progress and checks the run stops with exit
// code 130, publishes nothing and records the interruption in failed/.
func TestSIGINTPublishesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes a 60 MB file")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "segment")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "big.csv")
	if out, err := exec.Command(bin, "synth", "churn", "--rows", "300000", "--seed", "3", "-o", data).CombinedOutput(); err != nil {
		t.Fatalf("synth: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte(`version: 1
name: sig
input: {path: big.csv}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - filter: '`+"`Customer Status`"+` != "Churned"'
        - derive: {name: y, expr: 'log1p(`+"`Total Revenue`"+`) * 2'}
`), 0o644)
	out := filepath.Join(dir, "runs")
	// A previous, successful run that must survive.
	if b, err := exec.Command(bin, "run", "-c", cfg, "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	before, _ := os.Readlink(filepath.Join(out, "latest"))

	cmd := exec.Command(bin, "run", "-c", cfg, "--out", out)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the run folder is being built, then interrupt.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(out, ".tmp-*")); len(m) > 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if err == nil {
		t.Skip("the run finished before the signal arrived")
	}
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want %d; stderr:\n%s", err, exitInterrupted, stderr.String())
	}
	if after, _ := os.Readlink(filepath.Join(out, "latest")); after != before {
		t.Errorf("latest moved from %s to %s", before, after)
	}
	if m, _ := filepath.Glob(filepath.Join(out, ".tmp-*")); len(m) > 0 {
		t.Errorf("temporary folder left behind: %v", m)
	}
	runs, _ := filepath.Glob(filepath.Join(out, "2*-sig*")) // run folders, not latest-sig
	if len(runs) != 1 {
		t.Errorf("published runs: %v", runs)
	}
	failed, _ := filepath.Glob(filepath.Join(out, "failed", "*", "manifest.json"))
	if len(failed) != 1 {
		t.Fatalf("failed manifests: %v", failed)
	}
	m, err := pipeline.ReadManifest(filepath.Dir(failed[0]))
	if err != nil || m.Status != "interrupted" || m.ExitCode != exitInterrupted {
		t.Errorf("failed manifest: %+v %v", m, err)
	}
	if strings.Contains(stderr.String(), "goroutine") {
		t.Errorf("stack trace on interrupt:\n%s", stderr.String())
	}
}
