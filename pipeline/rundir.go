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

// Run directory layout under the output folder (several jobs may share one
// output folder; a job is the config's name:):
//
//	<out>/<UTC yyyymmddThhmmssZ>-<job>[-N]/   one published run
//	<out>/latest-<job> -> <id>                 the newest published run of the job
//	<out>/latest -> <id>                       the newest published run of any job
//	<out>/failed/<id>/                         manifest.json and error.txt of failed runs
//	<out>/.tmp-<id>/                           a run being built (renamed when it succeeds)
//	<out>/.lock                                held while a run is in progress
const (
	LatestName = "latest"
	// LatestPrefix starts a job's own latest link: latest-<job>.
	LatestPrefix = "latest-"
	FailedDir    = "failed"
	tmpPrefix    = ".tmp-"
	linkTmp      = ".latest-" // a link being made, renamed over latest or latest-<job>
)

// LatestLink is the name of a job's latest link in its output folder.
func LatestLink(job string) string { return LatestPrefix + job }

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
	if why := checkName(name, "a job name"); why != "" {
		return nil, errors.New(why)
	}
	if err := os.MkdirAll(out, 0o777); err != nil {
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
		final, err := inside(out, id)
		if err != nil {
			return nil, err
		}
		if exists(final) || exists(filepath.Join(out, FailedDir, id)) {
			continue
		}
		tmp := filepath.Join(out, tmpPrefix+id)
		if err := os.Mkdir(tmp, 0o777); err != nil {
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

// publish flushes every file and folder of the finished run to disk and
// renames it into place. An error means nothing was published.
func (r *runDir) publish() error {
	if err := syncTree(r.tmp); err != nil {
		return fmt.Errorf("publish run: flush %s to disk: %w", r.tmp, err)
	}
	if err := os.Rename(r.tmp, r.final); err != nil {
		return fmt.Errorf("publish run: %w", err)
	}
	return nil
}

// pointLatest, once the run is published, syncs the output folder (so the
// rename is on disk), points latest-<job> and latest at the run and syncs
// the folder again. An error leaves the run published; the caller reports it.
func (r *runDir) pointLatest(job string) error {
	if err := syncDirectory(r.out); err != nil {
		return fmt.Errorf("flush %s to disk after publishing: %w", r.out, err)
	}
	var errs []error
	for _, name := range []string{LatestLink(job), LatestName} {
		if err := pointLink(r.out, name, r.id); err != nil {
			errs = append(errs, err)
		}
	}
	if err := syncDirectory(r.out); err != nil {
		errs = append(errs, fmt.Errorf("flush %s to disk after moving latest: %w", r.out, err))
	}
	return errors.Join(errs...)
}

// pointLink atomically replaces <out>/<name> with a symlink to id. It
// replaces only a symlink: a file or folder of that name is left alone and
// reported.
func pointLink(out, name, id string) error {
	link := filepath.Join(out, name)
	if st, err := os.Lstat(link); err == nil && st.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("update %s: it is %s, not a link; segment does not replace it (move it away)", link, describeMode(st.Mode()))
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(out, linkTmp+hex.EncodeToString(rnd[:]))
	if err := os.Symlink(id, tmp); err != nil {
		return fmt.Errorf("update %s: %w", link, err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("update %s: %w", link, err)
	}
	return nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m.IsRegular():
		return "a regular file"
	}
	return "a " + m.Type().String() + " file"
}

// fail moves what a failed run needs to be diagnosed to <out>/failed/<id>/
// (manifest.json and error.txt, flushed to disk) and removes the temporary
// folder.
func (r *runDir) fail(m *Manifest, errText string) (string, error) {
	dir := filepath.Join(r.out, FailedDir, r.id)
	defer os.RemoveAll(r.tmp)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	if err := WriteManifest(filepath.Join(dir, "manifest.json"), m); err != nil {
		return "", err
	}
	err := WriteFileAtomic(filepath.Join(dir, "error.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, errText+"\n")
		return err
	})
	if err == nil {
		err = syncDirectory(filepath.Join(r.out, FailedDir))
	}
	return dir, err
}

// Latest resolves <out>/latest, the newest run of any job in the folder, or
// nil when there is none. Use LatestOf for the newest run of one job.
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
		case strings.HasPrefix(name, linkTmp):
			os.Remove(filepath.Join(out, name))
		case strings.HasPrefix(name, tmpPrefix) && e.IsDir() && filepath.Join(out, name) != own:
			id := strings.TrimPrefix(name, tmpPrefix)
			if err := os.RemoveAll(filepath.Join(out, name)); err != nil {
				return msgs, err
			}
			dir := filepath.Join(out, FailedDir, id)
			if err := os.MkdirAll(dir, 0o777); err == nil {
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
