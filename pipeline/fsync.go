package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// Durability: a run folder is published only after every file and folder in
// it is on disk (fsync), and the output folder is synced after the rename
// and after `latest` moves, so "published" survives a power cut.

// syncObserver, when set (by tests), is told the path of every file and
// folder synced, in order.
var syncObserver func(path string)

// syncFile flushes an open file to disk.
func syncFile(f *os.File) error {
	if syncObserver != nil {
		syncObserver(f.Name())
	}
	return f.Sync()
}

// syncDirectory flushes a folder's entries (names created, renamed or
// removed in it) to disk. File systems that cannot sync a folder (EINVAL)
// are not an error.
func syncDirectory(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = syncFile(f)
	f.Close()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}

// syncTree flushes every regular file under root and then every folder,
// deepest first, root last. Symbolic links are not followed.
func syncTree(root string) error {
	var files, dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirs = append(dirs, p)
		case d.Type().IsRegular():
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = syncFile(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	slices.Reverse(dirs)
	for _, d := range dirs {
		if err := syncDirectory(d); err != nil {
			return err
		}
	}
	return nil
}
