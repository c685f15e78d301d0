package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Output files of commands that write next to the user's own files
// (predict): never one of the inputs, written atomically.

// checkOutputs refuses an output that is, or links to, one of the inputs:
// the same file (os.SameFile after following symlinks, so hard links count
// too), or — when one of them does not exist yet — the same path once
// symlinks in it are resolved. outputs and inputs map a flag's name to its
// path.
func checkOutputs(outputs, inputs map[string]string) error {
	for _, oflag := range slices.Sorted(mapsKeys(outputs)) {
		for _, iflag := range slices.Sorted(mapsKeys(inputs)) {
			o, in := outputs[oflag], inputs[iflag]
			if sameFile(o, in) {
				what := "input"
				if iflag == "-m" {
					what = "model"
				}
				return usagef("predict: %s %s is the %s (%s %s); it would be overwritten: write the output elsewhere", oflag, o, what, iflag, in)
			}
		}
	}
	return nil
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// sameFile reports whether paths a and b name the same file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return resolvePath(a) == resolvePath(b)
}

// resolvePath is the absolute path of p with every symlink followed, also
// when p (or the file a symlink names) does not exist yet: its folder is
// resolved and its name kept.
func resolvePath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	for range 40 { // symlink hops, as the kernel allows
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			return r
		}
		target, err := os.Readlink(abs)
		if err != nil {
			break // does not exist: resolve the folder below
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), target)
		}
		abs = filepath.Clean(target) // a dangling symlink: where it points
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// writeAtomic writes path through a new file in the same folder, synced
// and renamed over it: an existing file is never truncated first, and a
// failure leaves it as it was (and no temporary file behind). A new file
// gets the mode 0666 less the umask, like any file a program creates; a
// replaced file keeps its mode. A symlink is followed: the file it points
// to is replaced and the link stays.
func writeAtomic(path string, write func(w io.Writer) error) error {
	target := resolvePath(path)
	dir, base := filepath.Dir(target), filepath.Base(target)
	keepMode := fs.FileMode(0)
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file; not replacing it", path)
		}
		keepMode = fi.Mode().Perm()
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = func() error {
		if keepMode != 0 {
			if err := f.Chmod(keepMode); err != nil {
				return err
			}
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		return f.Sync()
	}()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, target)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable
		d.Sync()
		d.Close()
	}
	return nil
}

// createTemp creates a new file ".<base>.tmp-<random>" in dir with mode
// 0666, which the kernel narrows by the umask (os.CreateTemp would use
// 0600 whatever the umask).
func createTemp(dir, base string) (*os.File, error) {
	var b [6]byte
	for range 100 {
		rand.Read(b[:])
		name := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot create the output in %s: %w", dir, errors.Unwrap(err))
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot create a temporary file in %s", strings.TrimSuffix(dir, "/"))
}
