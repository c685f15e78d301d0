package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockName is the lock file in the output folder.
const LockName = ".lock"

type lockInfo struct {
	PID     int    `json:"pid"`
	Host    string `json:"host"`
	Started string `json:"started"`
	Config  string `json:"config"`
}

// runLock is held for the whole run so that two runs writing the same output
// folder (two cron firings of one job) never overlap.
type runLock struct{ path string }

// acquireLock takes <out>/.lock. A lock whose holder is gone (a run killed
// with SIGKILL) is taken over; warn is told about it.
func acquireLock(out, config string, now time.Time, warn func(string)) (*runLock, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(out, LockName)
	host, _ := os.Hostname()
	me := lockInfo{PID: os.Getpid(), Host: host, Started: now.UTC().Format(time.RFC3339), Config: config}
	data, _ := json.Marshal(me)
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(append(data, '\n'))
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(path)
				return nil, fmt.Errorf("write lock %s: %v", path, errors.Join(werr, cerr))
			}
			return &runLock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		var held lockInfo
		b, rerr := os.ReadFile(path)
		if rerr != nil && errors.Is(rerr, fs.ErrNotExist) {
			continue // released meanwhile
		}
		jerr := json.Unmarshal(b, &held)
		if jerr == nil && held.PID > 0 && (held.Host != host || processAlive(held.PID)) {
			return nil, &LockedError{Path: path, PID: held.PID, Started: held.Started, Host: held.Host}
		}
		if jerr != nil {
			// A lock with unreadable content younger than a minute may be
			// in the middle of being written by its holder.
			if st, err := os.Stat(path); err == nil && now.Sub(st.ModTime()) < time.Minute {
				return nil, &LockedError{Path: path, Started: st.ModTime().UTC().Format(time.RFC3339), Host: "?"}
			}
		}
		warn(fmt.Sprintf("taking over stale lock %s (pid %d started %s is no longer running)", path, held.PID, held.Started))
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove stale lock %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("could not take the lock %s", path)
}

func (l *runLock) release() {
	if l != nil {
		os.Remove(l.path)
	}
}

// processAlive reports whether a process with pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
