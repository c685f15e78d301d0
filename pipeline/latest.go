package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LatestError reports a latest link that cannot be followed: it is not a
// link (a regular file, a folder) or it points at no run folder. A stage
// whose config says `previous: latest` fails with it; other runs ignore it.
type LatestError struct {
	Link    string // the path of latest-<job> or latest
	Problem string // "is a regular file, not a link to a run folder", …
}

func (e *LatestError) Error() string {
	return fmt.Sprintf("%s %s; remove it (segment then uses the job's newest run in the folder) or point it at a run folder (ln -sfn <run id> %s)", e.Link, e.Problem, e.Link)
}

// LatestOf resolves the newest published run of job in out, or nil when
// the job has none yet:
//
//  1. the link latest-<job>, when it exists;
//  2. else, in a folder last written by an older segment (which kept one
//     latest link for the whole folder), latest when it points at a run of
//     this job;
//  3. else the newest published run folder whose manifest names this job.
//
// A latest-<job> that exists but is not a link to a run folder is a
// *LatestError, and so is a latest consulted in step 2 that is broken.
func LatestOf(out, job string) (*RunRef, error) {
	ref, err := followLink(out, LatestLink(job))
	if err != nil || ref != nil {
		return ref, err
	}
	if !exists(filepath.Join(out, LatestLink(job))) {
		legacy, err := followLink(out, LatestName)
		if err != nil {
			return nil, err
		}
		if legacy != nil && runJob(legacy.Dir) == job {
			return legacy, nil
		}
	}
	runs := runsOf(out, job)
	if len(runs) == 0 {
		return nil, nil
	}
	return OpenRun(filepath.Join(out, runs[len(runs)-1]))
}

// followLink opens the run <out>/<name> points at: nil when there is no
// such entry, a *LatestError when it is not a link to a run folder.
func followLink(out, name string) (*RunRef, error) {
	link := filepath.Join(out, name)
	st, err := os.Lstat(link)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &LatestError{Link: link, Problem: "cannot be read: " + err.Error()}
	}
	if st.Mode()&fs.ModeSymlink == 0 {
		return nil, &LatestError{Link: link, Problem: "is " + describeMode(st.Mode()) + ", not a link to a run folder"}
	}
	target, err := os.Readlink(link)
	if err != nil {
		return nil, &LatestError{Link: link, Problem: "cannot be read: " + err.Error()}
	}
	dir := target
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(out, dir)
	}
	st, err = os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &LatestError{Link: link, Problem: fmt.Sprintf("points at %s, which does not exist", target)}
	case err != nil:
		return nil, &LatestError{Link: link, Problem: fmt.Sprintf("points at %s, which cannot be read: %v", target, err)}
	case !st.IsDir():
		return nil, &LatestError{Link: link, Problem: fmt.Sprintf("points at %s, which is not a run folder", target)}
	}
	return OpenRun(dir)
}

// runJob is the job (the config's name) that made the published run in
// dir, read from its manifest; "" when the manifest cannot be read.
func runJob(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return ""
	}
	var m struct {
		Config struct {
			Name string `json:"name"`
		} `json:"config"`
	}
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.Config.Name
}

// runsOf lists the published runs of job in out, oldest first: folders
// named <time>-<job>[-N] whose manifest names the job (the name alone is
// ambiguous: run "…-a-2" may be job "a"'s second run of a second or job
// "a-2"'s first).
func runsOf(out, job string) []string {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil
	}
	var ids []string
	for _, e := range entries {
		id := e.Name()
		if !e.IsDir() || !runIDPattern.MatchString(id) || !namedFor(id, job) {
			continue
		}
		if runJob(filepath.Join(out, id)) == job {
			ids = append(ids, id)
		}
	}
	runOrder(ids)
	return ids
}

// namedFor reports whether run id could belong to job: "<time>-<job>" or
// "<time>-<job>-N".
func namedFor(id, job string) bool {
	rest, ok := strings.CutPrefix(id[17:], job)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, "-"))
	return strings.HasPrefix(rest, "-") && err == nil && n >= 2
}
