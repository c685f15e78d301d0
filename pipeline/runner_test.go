package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
)

func runConfig(t *testing.T, extra string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(base, "data.csv", "d.csv", 1) + extra
	cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), testRegistry(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "runs")
}

func fixedClock(ts string) func() time.Time {
	tm, _ := time.Parse(time.RFC3339, ts)
	return func() time.Time { return tm }
}

func TestRunPublishes(t *testing.T) {
	cfg, out := runConfig(t, "")
	opt := RunOptions{Now: fixedClock("2026-11-23T10:00:00Z")}
	r1, err := Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r1.ID != "20261123T100000Z-test" {
		t.Errorf("id %q", r1.ID)
	}
	b, err := os.ReadFile(filepath.Join(out, "latest", "out.txt"))
	if err != nil || string(b) != "hello" {
		t.Fatalf("latest/out.txt = %q, %v", b, err)
	}
	var m Manifest
	mb, _ := os.ReadFile(filepath.Join(r1.Dir, "manifest.json"))
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatal(err)
	}
	if m.Status != "succeeded" || len(m.Stages) != 1 || m.Stages[0].Artifacts[0] != "out.txt" || m.ConfigSHA256 == "" || m.Seed != 42 {
		t.Errorf("manifest %+v", m)
	}
	// A second run in the same second gets its own folder; latest moves.
	r2, err := Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r2.ID != "20261123T100000Z-test-2" {
		t.Errorf("second id %q", r2.ID)
	}
	if target, _ := os.Readlink(filepath.Join(out, "latest")); target != r2.ID {
		t.Errorf("latest -> %q, want %q", target, r2.ID)
	}
	if r2.Manifest.PreviousRun != r1.ID {
		t.Errorf("previous run %q", r2.Manifest.PreviousRun)
	}
	if _, err := os.Stat(filepath.Join(out, LockName)); !os.IsNotExist(err) {
		t.Errorf("lock left behind: %v", err)
	}
}

func TestFailedRunPublishesNothing(t *testing.T) {
	cfg, out := runConfig(t, "")
	if _, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T10:00:00Z")}); err != nil {
		t.Fatal(err)
	}
	bad, _ := runConfig(t, "  - type: failing\n")
	bad.Output.Dir = confyaml.Path(out)
	res, err := Run(context.Background(), bad, RunOptions{Now: fixedClock("2026-11-23T11:00:00Z"), ExitCode: func(error) int { return 7 }})
	var rf *RunFailedError
	if !errors.As(err, &rf) || rf.Dir != res.Dir || !strings.Contains(err.Error(), `stage "failing" (failing): boom`) {
		t.Fatalf("err = %v", err)
	}
	if target, _ := os.Readlink(filepath.Join(out, "latest")); target != "20261123T100000Z-test" {
		t.Errorf("latest moved to %q", target)
	}
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "20261123T100000Z-test,failed,latest,latest-test" {
		t.Errorf("output folder holds %v", names)
	}
	m, err := ReadManifest(res.Dir)
	if err != nil || m.Status != "failed" || m.ExitCode != 7 || m.Stages[0].Status != "succeeded" || m.Stages[1].Status != "failed" {
		t.Fatalf("failed manifest %+v %v", m, err)
	}
	if e, _ := os.ReadFile(filepath.Join(res.Dir, "error.txt")); !strings.Contains(string(e), "boom") {
		t.Errorf("error.txt = %q", e)
	}
}

func TestInterruptedRun(t *testing.T) {
	cfg, out := runConfig(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, cfg, RunOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(out, "latest")); !os.IsNotExist(err) {
		t.Error("an interrupted run published something")
	}
}

func TestLock(t *testing.T) {
	out := t.TempDir()
	now := time.Now()
	l, err := acquireLock(out, "c.yaml", now, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	_, err = acquireLock(out, "c.yaml", now, func(string) {})
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("second lock: %v", err)
	}
	l.release()

	// A lock left by a dead process is taken over with a warning.
	host, _ := os.Hostname()
	os.WriteFile(filepath.Join(out, LockName), []byte(`{"pid": 999999999, "host": "`+host+`", "started": "x"}`), 0o644)
	var warned string
	l, err = acquireLock(out, "c.yaml", now, func(s string) { warned = s })
	if err != nil || !strings.Contains(warned, "stale lock") {
		t.Fatalf("stale lock: %v, warning %q", err, warned)
	}
	l.release()
}

func TestPrune(t *testing.T) {
	out := t.TempDir()
	ids := []string{"20260101T000000Z-a", "20260102T000000Z-a", "20260103T000000Z-a", "20260104T000000Z-a"}
	for _, id := range ids {
		fakeRun(t, out, id, "a")
	}
	removed, err := prune(out, "a", 2, map[string]bool{ids[0]: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(removed, ",") != ids[1] {
		t.Errorf("removed %v, want only %s (the oldest is protected)", removed, ids[1])
	}
}

func TestRunIDsGrowWithinASecond(t *testing.T) {
	out := t.TempDir()
	now, _ := time.Parse(time.RFC3339, "2026-11-23T10:00:00Z")
	var ids []string
	for range 11 {
		rd, err := newRunDir(out, "job", now)
		if err != nil {
			t.Fatal(err)
		}
		writeJobManifest(t, rd.tmp, "job")
		if err := rd.publish(); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rd.id)
	}
	if ids[1] != "20261123T100000Z-job-2" || ids[10] != "20261123T100000Z-job-11" {
		t.Fatalf("ids %v", ids)
	}
	// Pruning the early ones must not let a new run reuse their numbers,
	// and -10/-11 must count as newer than -9.
	removed, err := prune(out, "job", 3, nil)
	if err != nil || len(removed) != 8 || removed[7] != "20261123T100000Z-job-8" {
		t.Fatalf("removed %v %v", removed, err)
	}
	rd, err := newRunDir(out, "job", now)
	if err != nil || rd.id != "20261123T100000Z-job-12" {
		t.Fatalf("next id %v %v", rd, err)
	}
}

// TestVerdict: a stage that asks for a non-zero exit after publishing gets a
// published run, the verdict in the manifest (drift reasons also under
// drift_failed) and a *VerdictError.
func TestVerdict(t *testing.T) {
	cfg, out := runConfig(t, "  - type: judge\n")
	codes := map[string]int{}
	exit := func(err error) int {
		var ve *VerdictError
		if errors.As(err, &ve) {
			codes["verdict"]++
			return 3
		}
		return 0
	}
	res, err := Run(context.Background(), cfg, RunOptions{ExitCode: exit})
	var ve *VerdictError
	if !errors.As(err, &ve) || ve.RunDir != res.Dir || codes["verdict"] != 1 {
		t.Fatalf("err = %v", err)
	}
	want := "drift check failed (run published at " + res.Dir + "): too far; and moved"
	if err.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", err, want)
	}
	if target, _ := os.Readlink(filepath.Join(out, "latest")); target != res.ID {
		t.Errorf("latest → %q, want the run %s", target, res.ID)
	}
	m, err := ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != "succeeded" || m.ExitCode != 3 || len(m.Verdicts) != 1 || m.Verdicts[0].Stage != "judge" ||
		strings.Join(m.DriftFailed, "|") != "too far|and moved" {
		t.Errorf("manifest: status %s exit %d verdicts %+v drift_failed %q", m.Status, m.ExitCode, m.Verdicts, m.DriftFailed)
	}
	if got := res.State.Artifacts[len(res.State.Artifacts)-1].Path; got != "run_id.txt" {
		t.Fatalf("last artifact %s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(res.Dir, "run_id.txt")); string(b) != res.ID {
		t.Errorf("Env.RunID = %q, want %q", b, res.ID)
	}
}

// TestResolvedIDColumn: each stage gets the id column under the name the
// column check resolved for it (after the renames of earlier stages), and
// the manifest records it; the configs are not written.
func TestResolvedIDColumn(t *testing.T) {
	cfg, _ := runConfig(t, "  - {type: renamer, name: first}\n  - {type: renamer, name: second}\n")
	cfg.Input.ID = "a"
	before := string(cfg.EffectiveJSON())
	res, err := Run(context.Background(), cfg, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ stage, want string }{{"first", "a"}, {"second", "b"}} {
		b, _ := os.ReadFile(filepath.Join(res.Dir, tc.stage+"-id.txt"))
		rec := res.Manifest.Stages[slices.IndexFunc(res.Manifest.Stages, func(r *StageRecord) bool { return r.Name == tc.stage })]
		if string(b) != tc.want || rec.Resolved == nil || rec.Resolved.IDColumn != tc.want {
			t.Errorf("%s: Env.IDColumn %q, manifest %+v; want %q", tc.stage, b, rec.Resolved, tc.want)
		}
	}
	if after := string(cfg.EffectiveJSON()); after != before {
		t.Errorf("the run changed the config:\n%s\n%s", before, after)
	}
}

// fakeRun makes a published run folder of job in out, with a manifest
// naming the job.
func fakeRun(t *testing.T, out, id, job string) string {
	t.Helper()
	dir := filepath.Join(out, id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeJobManifest(t, dir, job)
	return dir
}

func writeJobManifest(t *testing.T, dir, job string) {
	t.Helper()
	m := &Manifest{RunID: filepath.Base(dir), Status: "succeeded", Config: []byte(`{"name": "` + job + `"}`)}
	if err := WriteManifest(filepath.Join(dir, "manifest.json"), m); err != nil {
		t.Fatal(err)
	}
}
