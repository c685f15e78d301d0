package pipeline

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Run directory layout under the output folder:
//
//	<out>/<UTC yyyymmddThhmmssZ>-<name>[-N]/   one published run
//	<out>/latest -> <id>                       symlink to the newest published run
//	<out>/failed/<id>/                         manifest.json and error.txt of failed runs
//	<out>/.tmp-<id>/                           a run being built (renamed when it succeeds)
//	<out>/.lock                                held while a run is in progress
const (
	LatestName = "latest"
	FailedDir  = "failed"
	tmpPrefix  = ".tmp-"
)

// RunRef points at a published run.
type RunRef struct {
	ID       string
	Dir      string
	Manifest *Manifest // nil if it could not be read
}

// runIDPattern matches published run folder names.
var runIDPattern = regexp.MustCompile(`^\d{8}T\d{6}Z-.+$`)

type runDir struct {
	out   string
	id    string
	tmp   string
	final string
}

// newRunDir reserves a unique run id and creates its temporary folder.
func newRunDir(out, name string, now time.Time) (*runDir, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	base := now.UTC().Format("20060102T150405Z") + "-" + name
	// Start after the highest suffix already used in this second (by a
	// published, failed or pruned-but-recorded run), so ids only grow and
	// sort in the order the runs were made.
	start := 1
	for _, dir := range []string{out, filepath.Join(out, FailedDir)} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := suffixOf(strings.TrimPrefix(e.Name(), tmpPrefix), base); n >= start {
				start = n + 1
			}
		}
	}
	for i := start; i < start+1000; i++ {
		id := base
		if i > 1 {
			id = fmt.Sprintf("%s-%d", base, i)
		}
		final := filepath.Join(out, id)
		if exists(final) || exists(filepath.Join(out, FailedDir, id)) {
			continue
		}
		tmp := filepath.Join(out, tmpPrefix+id)
		if err := os.Mkdir(tmp, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue
			}
			return nil, err
		}
		return &runDir{out: out, id: id, tmp: tmp, final: final}, nil
	}
	return nil, fmt.Errorf("cannot find a free run id for %s in %s", base, out)
}

// suffixOf returns N for id "<base>-N", 1 for id == base, else 0.
func suffixOf(id, base string) int {
	if id == base {
		return 1
	}
	rest, ok := strings.CutPrefix(id, base+"-")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 2 {
		return 0
	}
	return n
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// publish renames the finished run into place and points latest at it.
func (r *runDir) publish() error {
	if err := os.Rename(r.tmp, r.final); err != nil {
		return fmt.Errorf("publish run: %w", err)
	}
	return pointLatest(r.out, r.id)
}

// pointLatest atomically replaces <out>/latest with a symlink to id.
func pointLatest(out, id string) error {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(out, ".latest-"+hex.EncodeToString(rnd[:]))
	if err := os.Symlink(id, tmp); err != nil {
		return fmt.Errorf("update latest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(out, LatestName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("update latest: %w", err)
	}
	return nil
}

// fail moves what a failed run needs to be diagnosed to <out>/failed/<id>/
// (manifest.json and error.txt) and removes the temporary folder.
func (r *runDir) fail(m *Manifest, errText string) (string, error) {
	dir := filepath.Join(r.out, FailedDir, r.id)
	defer os.RemoveAll(r.tmp)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := WriteManifest(filepath.Join(dir, "manifest.json"), m); err != nil {
		return "", err
	}
	err := WriteFileAtomic(filepath.Join(dir, "error.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, errText+"\n")
		return err
	})
	return dir, err
}

// Latest resolves <out>/latest to the run it points at, or nil when there
// is none.
func Latest(out string) (*RunRef, error) {
	link := filepath.Join(out, LatestName)
	target, err := os.Readlink(link)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", link, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(out, target)
	}
	return OpenRun(target)
}

// OpenRun loads a published run folder.
func OpenRun(dir string) (*RunRef, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a run folder", dir)
	}
	ref := &RunRef{ID: filepath.Base(dir), Dir: dir}
	ref.Manifest, _ = ReadManifest(dir)
	return ref, nil
}

// removeUnfinished cleans up after runs that were killed (SIGKILL, power
// loss) and could not clean up themselves: their unfinished .tmp-<id>
// folders are removed, leaving failed/<id>/error.txt as a trace, and stray
// temporary latest links are deleted. It must be called with the lock held
// (no other run can be building); own is this run's folder, kept. It
// returns one message per folder removed.
func removeUnfinished(out, by, own string) ([]string, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	var msgs []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".latest-"):
			os.Remove(filepath.Join(out, name))
		case strings.HasPrefix(name, tmpPrefix) && e.IsDir() && filepath.Join(out, name) != own:
			id := strings.TrimPrefix(name, tmpPrefix)
			if err := os.RemoveAll(filepath.Join(out, name)); err != nil {
				return msgs, err
			}
			dir := filepath.Join(out, FailedDir, id)
			if err := os.MkdirAll(dir, 0o755); err == nil {
				_ = WriteFileAtomic(filepath.Join(dir, "error.txt"), func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "run %s was killed before it finished (SIGKILL, out of memory or power loss): nothing was published.\nIts unfinished folder %s was removed by run %s.\n", id, name, by)
					return err
				})
			}
			msgs = append(msgs, fmt.Sprintf("removed %s, the unfinished folder of run %s, which was killed before it finished (trace in %s)", filepath.Join(out, name), id, filepath.Join(out, FailedDir, id)))
		}
	}
	return msgs, nil
}
