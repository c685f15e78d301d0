package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// freshCheckout copies configs/churn.yaml and its data into a temporary
// folder laid out like the repository, so the config's relative paths
// (../data, ../runs) resolve inside it. It returns the config path.
func freshCheckout(t *testing.T) (cfg, root string) {
	t.Helper()
	root = t.TempDir()
	for _, f := range []string{"configs/churn.yaml", "data/churn_sample.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(root, filepath.Dir(f)), 0o755)
		if err := os.WriteFile(filepath.Join(root, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(root, "configs", "churn.yaml"), root
}

// TestShippedConfigTwice: the default job run twice in a fresh checkout
// compares the second run with the first (previous: latest):
// nothing to compare on the first run (an info line, no drift.json), then
// drift.json, drift.md and the report's drift section. The first run logs
// JSON lines: every line is an object with the run id and, per stage, the
// stage and timing. A third run with another seed and a drift threshold
// exits 3 after publishing.
func TestShippedConfigTwice(t *testing.T) {
	if raceEnabled {
		t.Skip("three full runs of the shipped job take about 70 s under -race; the nightly code is race-tested in stages/cluster")
	}
	cfg, root := freshCheckout(t)
	runs := filepath.Join(root, "runs")

	code, stdout, stderr := cli(t, "run", "-c", cfg, "--log-format", "json")
	if code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	first := strings.TrimSpace(stdout)
	if filepath.Dir(first) != runs {
		t.Fatalf("published %s, want a folder of %s", first, runs)
	}
	if _, err := os.Stat(filepath.Join(first, "drift.json")); err == nil {
		t.Error("drift.json on the first run")
	}
	runID := filepath.Base(first)
	stagesSeen := map[string]bool{}
	infoSeen := false
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if rec["time"] == nil || rec["level"] == nil || rec["msg"] == nil || rec["run"] != runID {
			t.Errorf("line %d lacks time, level, msg or run %s: %s", i+1, runID, line)
		}
		if rec["msg"] == "stage done" {
			if _, ok := rec["seconds"].(float64); !ok || rec["stage"] == nil || rec["step"] == nil {
				t.Errorf("stage line without stage, step or seconds: %s", line)
			}
			stagesSeen[rec["stage"].(string)] = true
		}
		if msg, _ := rec["msg"].(string); rec["level"] == "INFO" && rec["stage"] == "cluster" &&
			strings.HasPrefix(msg, "previous: latest: the output folder has no earlier run yet (first run?)") {
			infoSeen = true
		}
	}
	if len(stagesSeen) != 6 || !infoSeen {
		t.Errorf("stages logged %v, info line about previous: %v\n%s", stagesSeen, infoSeen, stderr)
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, `"msg":"run published"`) {
		t.Errorf("last line %s", last)
	}

	code, stdout, stderr = cli(t, "run", "-c", cfg)
	if code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	second := strings.TrimSpace(stdout)
	var dr result.Drift
	b, err := os.ReadFile(filepath.Join(second, "drift.json"))
	if err != nil {
		t.Fatalf("second run wrote no drift.json: %v", err)
	}
	if err := json.Unmarshal(b, &dr); err != nil {
		t.Fatal(err)
	}
	if dr.Previous.Run != runID || dr.Transitions == nil || dr.Transitions.Shared != 7043 || dr.Transitions.Stayed != 7043 || len(dr.PSI) != 6 {
		t.Errorf("drift.json: previous %q transitions %+v psi %v", dr.Previous.Run, dr.Transitions, dr.PSI)
	}
	for _, s := range dr.Segments {
		if s.Status != "kept" || s.ShareChange != 0 {
			t.Errorf("segment %+v", s)
		}
	}
	html, _ := os.ReadFile(filepath.Join(second, "report.html"))
	md, _ := os.ReadFile(filepath.Join(second, "drift.md"))
	if !strings.Contains(string(html), `<section id="drift">`) || !strings.Contains(string(md), "No drift threshold was crossed.") {
		t.Error("no drift section in report.html or verdict in drift.md")
	}

	code, stdout, stderr = cli(t, "run", "-c", cfg, "--set", "seed=2", "--set", "stages.cluster.drift_fail={ari_below: 0.99}")
	if code != exitDriftFailed {
		t.Fatalf("third run: exit %d, want 3\n%s", code, stderr)
	}
	third := strings.TrimSpace(stdout)
	if link, _ := os.Readlink(filepath.Join(runs, "latest")); link != filepath.Base(third) {
		t.Errorf("latest → %s, want the published %s", link, third)
	}
	m, err := pipeline.ReadManifest(third)
	if err != nil || m.ExitCode != 3 || len(m.DriftFailed) != 1 || !strings.HasPrefix(m.DriftFailed[0], "adjusted Rand index 0.") ||
		!strings.Contains(stderr, "drift check failed (run published at "+third+")") {
		t.Errorf("manifest %+v %v\nstderr %s", m, err, stderr)
	}
}

// TestLockHeld: a run whose output folder is locked by a live process
// exits 4, names the holder's pid and start time, and leaves the lock and
// latest alone. The holder here is the test itself, holding the flock on
// the lock file as a running segment does.
func TestLockHeld(t *testing.T) {
	out := t.TempDir()
	host, _ := os.Hostname()
	lock := filepath.Join(out, pipeline.LockName)
	held := fmt.Sprintf(`{"pid": %d, "host": %q, "started": "2026-11-23T02:30:00Z", "config": "other.yaml"}`, os.Getpid(), host)
	if err := os.WriteFile(lock, []byte(held), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(lock)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "run", "-c", "configs/churn.yaml", "--out", out, "--set", "stages.cluster.previous="+filepath.Join(out, "latest"))
	want := fmt.Sprintf("another run holds the lock %s (pid %d on %s, started 2026-11-23T02:30:00Z)", lock, os.Getpid(), host)
	if code != exitLocked || stdout != "" || !strings.Contains(stderr, want) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 4 with %q", code, stdout, stderr, want)
	}
	if b, _ := os.ReadFile(lock); string(b) != held {
		t.Errorf("the lock changed: %s", b)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("the locked run left files: %v", entries)
	}
}

// TestSIGKILLThenNextRun runs the real binary on a large file, kills it with
// SIGKILL once its run folder is being built, and checks that the previous
// latest is intact and that the next run takes over the stale lock (with a
// warning), cleans up the killed run's folder and publishes.
func TestSIGKILLThenNextRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes a 60 MB file")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "segment")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	small, big := filepath.Join(dir, "small.csv"), filepath.Join(dir, "big.csv")
	for _, f := range []struct {
		path string
		rows string
	}{{small, "2000"}, {big, "300000"}} {
		if out, err := exec.Command(bin, "synth", "churn", "--rows", f.rows, "--seed", "3", "-o", f.path).CombinedOutput(); err != nil {
			t.Fatalf("synth: %v\n%s", err, out)
		}
	}
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte(`version: 1
name: kill
input: {path: small.csv, id: Customer ID}
stages:
  - type: ingest
  - type: cluster
    config:
      features: [Age, Tenure in Months, Monthly Charge]
      k: 3
      previous: runs/latest
`), 0o644)
	out := filepath.Join(dir, "runs")
	if b, err := exec.Command(bin, "run", "-c", cfg).CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, b)
	}
	before, _ := os.Readlink(filepath.Join(out, "latest"))

	cmd := exec.Command(bin, "run", "-c", cfg, "--set", "input.path="+big)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	var tmp []string
	for time.Now().Before(deadline) {
		if tmp, _ = filepath.Glob(filepath.Join(out, ".tmp-*")); len(tmp) > 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Skipf("the run was not killed mid-way (%v)", err)
	}
	if len(tmp) != 1 {
		t.Fatalf("unfinished run folders: %v", tmp)
	}
	if after, _ := os.Readlink(filepath.Join(out, "latest")); after != before {
		t.Errorf("latest moved from %s to %s", before, after)
	}
	if _, err := os.Stat(filepath.Join(out, pipeline.LockName)); err != nil {
		t.Errorf("the killed run's lock is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, before, "model.json")); err != nil {
		t.Errorf("the previous run is damaged: %v", err)
	}

	next := exec.Command(bin, "run", "-c", cfg)
	var stderr strings.Builder
	next.Stderr = &stderr
	stdout, err := next.Output()
	if err != nil {
		t.Fatalf("next run: %v\n%s", err, stderr.String())
	}
	killedID := strings.TrimPrefix(filepath.Base(tmp[0]), ".tmp-")
	for _, want := range []string{"taking over stale lock " + filepath.Join(out, pipeline.LockName), "the unfinished folder of run " + killedID} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	published := strings.TrimSpace(string(stdout))
	if after, _ := os.Readlink(filepath.Join(out, "latest")); after != filepath.Base(published) {
		t.Errorf("latest → %s, want %s", after, published)
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".tmp-*")); len(left) > 0 {
		t.Errorf("unfinished folders left: %v", left)
	}
	if b, err := os.ReadFile(filepath.Join(out, pipeline.FailedDir, killedID, "error.txt")); err != nil || !strings.Contains(string(b), "was killed before it finished") {
		t.Errorf("no trace of the killed run: %v %s", err, b)
	}
	if _, err := os.Stat(filepath.Join(out, pipeline.LockName)); err == nil {
		t.Error("the lock was not released")
	}
	// The next run compared with the run before the kill.
	var dr result.Drift
	b, _ := os.ReadFile(filepath.Join(published, "drift.json"))
	if err := json.Unmarshal(b, &dr); err != nil || dr.Previous.Run != before || dr.Transitions == nil || dr.Transitions.ARI != 1 {
		t.Errorf("drift: %v %+v", err, dr.Previous)
	}
}
