package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// staleLock writes a lock left by a dead process of this host.
func staleLock(t *testing.T, out string) {
	t.Helper()
	host, _ := os.Hostname()
	li := lockInfo{PID: 999999999, Host: host, Started: "2026-11-23T02:00:00Z", Config: "c.yaml", PIDStart: 1, BootID: bootID()}
	b, _ := json.Marshal(li)
	if err := os.WriteFile(filepath.Join(out, LockName), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLockTakeoverGoroutines: many runs (goroutines, each with its own open
// file, as separate processes have) find the same stale lock at once. In
// every round exactly one takes it over, the others are told it is held,
// and no two ever hold it together.
func TestLockTakeoverGoroutines(t *testing.T) {
	out := t.TempDir()
	const rounds, racers = 30, 16
	for round := range rounds {
		staleLock(t, out)
		var inside, takeovers, wins atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				l, err := acquireLock(out, "c.yaml", time.Now(), func(msg string) {
					if strings.Contains(msg, "taking over stale lock") {
						takeovers.Add(1)
					}
				})
				var le *LockedError
				if errors.As(err, &le) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				if n := inside.Add(1); n != 1 {
					t.Errorf("round %d: %d holders at once", round, n)
				}
				wins.Add(1)
				time.Sleep(time.Millisecond)
				inside.Add(-1)
				l.release()
			}()
		}
		close(start)
		wg.Wait()
		if takeovers.Load() != 1 || wins.Load() < 1 {
			t.Fatalf("round %d: %d takeovers, %d runs got the lock; want exactly 1 takeover", round, takeovers.Load(), wins.Load())
		}
		if _, err := os.Stat(filepath.Join(out, LockName)); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("round %d: lock left behind", round)
		}
	}
}

// TestLockTakeoverProcesses: the same race between processes (this test
// binary, run again as TestLockHelperProcess). Each keeps trying until it
// gets the lock, proves it is alone by creating a marker file with O_EXCL,
// and reports whether it took over the stale lock.
func TestLockTakeoverProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	out := t.TempDir()
	staleLock(t, out)
	const procs = 8
	var cmds []*exec.Cmd
	var outputs []*strings.Builder
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SEGMENT_LOCK_HELPER="+out)
		var b strings.Builder
		cmd.Stdout, cmd.Stderr = &b, &b
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outputs = append(cmds, cmd), append(outputs, &b)
	}
	takeovers := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outputs[i])
		}
		sc := bufio.NewScanner(strings.NewReader(outputs[i].String()))
		ok := false
		for sc.Scan() {
			if line, found := strings.CutPrefix(sc.Text(), "LOCKED "); found {
				ok = true
				if line == "takeover" {
					takeovers++
				}
			}
		}
		if !ok {
			t.Errorf("helper %d never got the lock:\n%s", i, outputs[i])
		}
	}
	if takeovers != 1 {
		t.Errorf("%d processes took over the stale lock, want 1", takeovers)
	}
}

// TestLockHelperProcess is the child of TestLockTakeoverProcesses.
func TestLockHelperProcess(t *testing.T) {
	out := os.Getenv("SEGMENT_LOCK_HELPER")
	if out == "" {
		t.Skip("run by TestLockTakeoverProcesses")
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		took := false
		l, err := acquireLock(out, "c.yaml", time.Now(), func(msg string) { took = strings.Contains(msg, "taking over stale lock") })
		var le *LockedError
		if errors.As(err, &le) {
			time.Sleep(time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		marker := filepath.Join(out, "inside")
		f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatalf("two holders at once: %v", err)
		}
		f.Close()
		time.Sleep(10 * time.Millisecond)
		os.Remove(marker)
		l.release()
		what := "fresh"
		if took {
			what = "takeover"
		}
		fmt.Println("LOCKED " + what)
		return
	}
	t.Fatal("never got the lock")
}

// TestLockPIDReused: a lock whose pid now belongs to another process (its
// start time or boot differs, or it started after the lock was taken) is
// stale; the same process, not holding the flock (an older segment), holds
// it.
func TestLockPIDReused(t *testing.T) {
	host, _ := os.Hostname()
	me := os.Getpid()
	start, ok := processStart(me)
	if !ok {
		t.Skip("no /proc")
	}
	began, _ := processStartTime(start)
	for _, tc := range []struct {
		name  string
		info  lockInfo
		stale bool
	}{
		{"same process", lockInfo{PID: me, Host: host, PIDStart: start, BootID: bootID()}, false},
		{"pid reused (start time)", lockInfo{PID: me, Host: host, PIDStart: start + 12345, BootID: bootID()}, true},
		{"pid reused (reboot)", lockInfo{PID: me, Host: host, PIDStart: start, BootID: "another-boot"}, true},
		{"dead pid", lockInfo{PID: 999999999, Host: host, PIDStart: start}, true},
		{"older segment, process older than the lock", lockInfo{PID: me, Host: host, Started: began.Add(time.Hour).UTC().Format(time.RFC3339)}, false},
		{"older segment, process younger than the lock", lockInfo{PID: me, Host: host, Started: began.Add(-time.Hour).UTC().Format(time.RFC3339)}, true},
		{"another host", lockInfo{PID: 999999999, Host: host + "-other", PIDStart: 1}, false},
	} {
		out := t.TempDir()
		b, _ := json.Marshal(tc.info)
		os.WriteFile(filepath.Join(out, LockName), b, 0o644)
		warned := ""
		l, err := acquireLock(out, "c.yaml", time.Now(), func(s string) { warned = s })
		var le *LockedError
		switch {
		case tc.stale && (err != nil || !strings.Contains(warned, "taking over stale lock")):
			t.Errorf("%s: %v, warning %q; want it taken over", tc.name, err, warned)
		case !tc.stale && !errors.As(err, &le):
			t.Errorf("%s: %v; want a *LockedError", tc.name, err)
		}
		if l != nil {
			// The new lock names this process with its start time and boot.
			var now lockInfo
			nb, _ := os.ReadFile(filepath.Join(out, LockName))
			if json.Unmarshal(nb, &now) != nil || now.PID != me || now.PIDStart != start || now.BootID != bootID() {
				t.Errorf("%s: lock content %s", tc.name, nb)
			}
			l.release()
		}
	}
}

// TestConcurrentRunsAfterKill: runs started together on a folder left by a
// killed run (a stale lock and its .tmp folder): exactly one cleans up the
// killed run, every run either publishes or is refused with the lock, and
// no published run is recorded as killed or failed.
func TestConcurrentRunsAfterKill(t *testing.T) {
	cfg, out := runConfig(t, "")
	os.MkdirAll(out, 0o755)
	killed := "20261123T020000Z-test"
	os.MkdirAll(filepath.Join(out, tmpPrefix+killed), 0o755)
	staleLock(t, out)
	const racers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	var published []string
	locked := 0
	start := make(chan struct{})
	for range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := Run(context.Background(), cfg, RunOptions{})
			mu.Lock()
			defer mu.Unlock()
			var le *LockedError
			switch {
			case errors.As(err, &le):
				locked++
			case err != nil:
				t.Error(err)
			default:
				published = append(published, res.ID)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(published) == 0 || len(published)+locked != racers {
		t.Fatalf("%d published, %d locked out of %d", len(published), locked, racers)
	}
	failed, _ := os.ReadDir(filepath.Join(out, FailedDir))
	if len(failed) != 1 || failed[0].Name() != killed {
		t.Errorf("failed/ holds %v, want only the killed run", failed)
	}
	for _, id := range published {
		if _, err := os.Stat(filepath.Join(out, id, "out.txt")); err != nil {
			t.Errorf("run %s: %v", id, err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(out, ".tmp-*")); len(m) > 0 {
		t.Errorf("left behind: %v", m)
	}
}
