package main

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestOutOfMemoryIsNotExit2: when the Go runtime runs out of memory it
// dies with "fatal error: out of memory" and, by default, exit status 2 —
// the documented code of a config error. With crashOnFatal (called first
// thing in main) it ends with SIGABRT instead. The child is this test
// binary with its address space capped, allocating until it fails; the
// control run without crashOnFatal shows the exit 2 this prevents.
func TestOutOfMemoryIsNotExit2(t *testing.T) {
	if mode := os.Getenv("SEGMENT_OOM_HELPER"); mode != "" {
		oomHelper(mode == "crash")
		return
	}
	if testing.Short() {
		t.Skip("starts processes")
	}
	if raceEnabled {
		t.Skip("the race detector's runtime cannot start with its address space capped")
	}
	for _, crash := range []bool{true, false} {
		mode := "default"
		if crash {
			mode = "crash"
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestOutOfMemoryIsNotExit2$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SEGMENT_OOM_HELPER="+mode, "GOTRACEBACK=single")
		var stderr strings.Builder
		cmd.Stderr, cmd.Stdout = &stderr, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("%s: the child did not fail: %v\n%.2000s", mode, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "out of memory") {
			t.Fatalf("%s: the child did not run out of memory:\n%.2000s", mode, stderr.String())
		}
		ws := ee.Sys().(syscall.WaitStatus)
		if crash && !(ws.Signaled() && ws.Signal() == syscall.SIGABRT) {
			t.Errorf("with crashOnFatal: exit %d (signal %v), want SIGABRT", ee.ExitCode(), ws.Signal())
		}
		if !crash && ee.ExitCode() != exitConfigError {
			t.Errorf("control: the runtime's own exit was %d; this test assumes 2", ee.ExitCode())
		}
	}
}

// oomHelper caps the address space at 512 MiB above what the process
// uses, disables core files and allocates until the runtime gives up.
func oomHelper(crash bool) {
	if crash {
		crashOnFatal()
	}
	syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	vm := uint64(0)
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				vm = kb << 10
			}
		}
	}
	limit := vm + 512<<20
	syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
	var keep [][]byte
	for {
		keep = append(keep, make([]byte, 32<<20))
	}
}
