package pipeline

import (
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// WriteFileAtomic writes path through a temporary file in the same folder,
// flushes it to disk (fsync), renames it into place and syncs the folder:
// a reader never sees half a file, and once it returns the file survives a
// power cut. A new file gets mode 0666 less the process's umask (0644 with
// the usual umask 022); a file it replaces keeps its mode (a 0600 file stays
// 0600).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	return writeFileAtomic(path, write, true)
}

// writeFileAtomic is WriteFileAtomic; syncDir false leaves syncing the
// folder to the caller (the run folder is synced once, before it is
// published).
func writeFileAtomic(path string, write func(w io.Writer) error, syncDir bool) error {
	dir := filepath.Dir(path)
	mode, keep := fs.FileMode(0o666), false
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		mode, keep = st.Mode().Perm(), true
	}
	f, err := createTemp(dir, "."+filepath.Base(path)+".tmp-", mode)
	if err != nil {
		return err
	}
	tmp := f.Name()
	var werr error
	if keep {
		werr = f.Chmod(mode) // the umask may have cleared bits the file had
	}
	if werr == nil {
		werr = write(f)
	}
	if werr == nil {
		werr = syncFile(f)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return werr
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if syncDir {
		return syncDirectory(dir)
	}
	return nil
}

// createTemp creates a new file dir/<prefix><random> with perm (less the
// umask), like os.CreateTemp but without its fixed mode 0600.
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"), Err: fs.ErrExist}
}
