package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// LockName is the lock file in the output folder.
const LockName = ".lock"

// lockInfo is what the lock file holds: who has the lock.
type lockInfo struct {
	PID     int    `json:"pid"`
	Host    string `json:"host"`
	Started string `json:"started"`
	Config  string `json:"config"`
	// PIDStart is the holder's start time in clock ticks after boot
	// (/proc/<pid>/stat, field 22) and BootID the kernel's boot id: a pid
	// reused by another process after the holder died, or after a reboot,
	// does not keep the lock.
	PIDStart uint64 `json:"pid_start,omitempty"`
	BootID   string `json:"boot_id,omitempty"`
}

// runLock is held for the whole run so that two runs writing the same output
// folder (two cron firings of one job, or two jobs sharing the folder) never
// overlap.
//
// The lock is an exclusive flock(2) on <out>/.lock, held through an open
// file for the whole run; the file also says who holds it (lockInfo). The
// kernel releases a flock when its holder dies, so a run killed with SIGKILL
// never blocks the next one, and two runs can never both hold the lock: a
// stale lock is taken over by taking the flock, which only one process can
// do. Release removes the file while still holding the flock; a run that had
// opened the old file notices that it is no longer the one at the path and
// starts again.
//
// The content covers what flock cannot see: a lock written by an older
// segment, which only created the file (O_EXCL) — held while its pid is
// alive with the same start time (or, without one, while that process is
// older than the lock) — and a lock from another host on a shared folder,
// which is never taken over.
type runLock struct {
	path string
	f    *os.File
}

// acquireLock takes <out>/.lock, or returns a *LockedError naming the
// holder. A lock whose holder is gone is taken over; warn is told about it.
func acquireLock(out, config string, now time.Time, warn func(string)) (*runLock, error) {
	if err := os.MkdirAll(out, 0o777); err != nil {
		return nil, err
	}
	path := filepath.Join(out, LockName)
	me := currentHolder(config, now)
	data, _ := json.Marshal(me)
	for range 100 {
		l, err := tryLock(path, me.Host, now)
		if err != nil {
			return nil, err
		}
		if l == nil {
			continue // the file was released and removed meanwhile: again
		}
		if l.stale != nil {
			warn(fmt.Sprintf("taking over stale lock %s (pid %d on %s, started %s, is no longer running)", path, l.stale.PID, l.stale.Host, l.stale.Started))
		}
		if err := l.write(data); err != nil {
			l.lock.release()
			return nil, fmt.Errorf("write lock %s: %w", path, err)
		}
		return l.lock, nil
	}
	return nil, fmt.Errorf("could not take the lock %s: it was released and taken again 100 times", path)
}

// taken is a flock just acquired, with the stale holder it replaces.
type taken struct {
	lock  *runLock
	stale *lockInfo
}

func (t *taken) write(data []byte) error {
	f := t.lock.f
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return syncFile(f)
}

// tryLock makes one attempt: the flock taken, or a *LockedError when
// another run holds it, or neither when the file was replaced meanwhile.
func tryLock(path, host string, now time.Time) (*taken, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			info, _ := readLockInfo(path)
			return nil, info.lockedError(path)
		}
		return nil, fmt.Errorf("lock %s: flock: %w", path, err)
	}
	if !isFileAt(f, path) {
		f.Close()
		return nil, nil
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	t := &taken{lock: &runLock{path: path, f: f}}
	if len(bytes.TrimSpace(b)) == 0 {
		return t, nil // new, or left empty by a holder that died at once
	}
	var prev lockInfo
	if jerr := json.Unmarshal(b, &prev); jerr != nil || prev.PID <= 0 {
		// An older segment may be writing it right now.
		if st, err := f.Stat(); err == nil && now.Sub(st.ModTime()) < time.Minute {
			f.Close()
			return nil, (&lockInfo{Started: st.ModTime().UTC().Format(time.RFC3339)}).lockedError(path)
		}
		t.stale = &prev
		return t, nil
	}
	if prev.Host != host || prev.holderAlive() {
		f.Close()
		return nil, prev.lockedError(path)
	}
	t.stale = &prev
	return t, nil
}

// release removes the lock file (when it is still this lock's) and then
// drops the flock.
func (l *runLock) release() {
	if l == nil || l.f == nil {
		return
	}
	if isFileAt(l.f, l.path) {
		os.Remove(l.path)
	}
	l.f.Close()
	l.f = nil
}

// isFileAt reports whether f is the file at path now.
func isFileAt(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

func readLockInfo(path string) (*lockInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return &lockInfo{}, err
	}
	var li lockInfo
	err = json.Unmarshal(b, &li)
	return &li, err
}

func (li *lockInfo) lockedError(path string) *LockedError {
	host := li.Host
	if host == "" {
		host = "?"
	}
	return &LockedError{Path: path, PID: li.PID, Started: li.Started, Host: host}
}

// currentHolder describes this process as a lock holder.
func currentHolder(config string, now time.Time) lockInfo {
	host, _ := os.Hostname()
	li := lockInfo{PID: os.Getpid(), Host: host, Started: now.UTC().Format(time.RFC3339), Config: config, BootID: bootID()}
	li.PIDStart, _ = processStart(li.PID)
	return li
}

// holderAlive reports whether the process that wrote the lock (on this
// host) still runs: its pid exists and is the same process — the same boot
// and start time, or, for a lock without them (written by an older
// segment), a process that started before the lock was taken.
func (li *lockInfo) holderAlive() bool {
	if !processAlive(li.PID) {
		return false
	}
	if li.BootID != "" {
		if id := bootID(); id != "" && id != li.BootID {
			return false // rebooted since: the pid is someone else's
		}
	}
	start, ok := processStart(li.PID)
	if !ok {
		return true // cannot tell: assume it is the holder
	}
	if li.PIDStart != 0 {
		return start == li.PIDStart
	}
	taken, err := time.Parse(time.RFC3339, li.Started)
	began, ok := processStartTime(start)
	if err != nil || !ok {
		return true
	}
	// Started has a resolution of one second, a process start 10 ms.
	return !began.After(taken.Add(time.Second))
}

// processAlive reports whether a process with pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// processStart reads a process's start time in clock ticks after boot from
// /proc/<pid>/stat (field 22); false where there is no /proc.
func processStart(pid int) (uint64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces
	// and parentheses itself: count fields after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(string(b[i+1:]))
	const startField = 22 - 3 // fields[0] is field 3 (state)
	if len(fields) <= startField {
		return 0, false
	}
	v, err := strconv.ParseUint(fields[startField], 10, 64)
	return v, err == nil
}

// processStartTime converts a start time in clock ticks after boot into
// wall-clock time, with the boot time of /proc/stat and Linux's fixed
// USER_HZ of 100 ticks a second.
func processStartTime(ticks uint64) (time.Time, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			bt, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return time.Time{}, false
			}
			return time.Unix(bt, 0).Add(time.Duration(ticks) * 10 * time.Millisecond), true
		}
	}
	return time.Time{}, false
}

// bootID is the kernel's id of this boot; "" where there is none.
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
