package pipeline

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// applyRetention prunes the oldest published runs of this job beyond
// output.retention.keep_last after a successful publish. Runs of other jobs
// sharing the output folder are never touched. The new run, the runs the
// latest links point at and every run a stage read (Env.UseRun) are kept.
func (r *run) applyRetention() {
	keep := r.cfg.Output.Retention.KeepLast
	if keep <= 0 {
		return
	}
	protect := map[string]bool{r.dir.id: true}
	for _, id := range protectedRuns(r.manifest, r.out) {
		protect[id] = true
	}
	for _, name := range []string{LatestName, LatestLink(r.cfg.Name)} {
		if target, err := os.Readlink(filepath.Join(r.out, name)); err == nil {
			protect[filepath.Base(target)] = true
		}
	}
	removed, err := prune(r.out, r.cfg.Name, keep, protect)
	if err != nil {
		r.log.Warn("retention: could not prune old runs", "err", err)
	} else if len(removed) > 0 {
		r.log.Info("retention: removed old runs", "runs", strings.Join(removed, ", "))
	}
}

// prune removes the oldest published runs of job beyond keepLast, never
// touching the ids in protect nor a run whose manifest does not name the
// job. It returns the removed ids.
func prune(out, job string, keepLast int, protect map[string]bool) ([]string, error) {
	if keepLast <= 0 {
		return nil, nil
	}
	runs := runsOf(out, job)
	var removed []string
	for i := 0; i < len(runs)-keepLast; i++ {
		if protect[runs[i]] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, runs[i])); err != nil {
			return removed, err
		}
		removed = append(removed, runs[i])
	}
	return removed, nil
}

// runOrder sorts run ids oldest first: by their UTC time prefix, then
// shorter first ("x-9" before "x-10"), then by text.
func runOrder(ids []string) {
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		if a[:16] != b[:16] {
			return a[:16] < b[:16]
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
}

// protectedRuns lists the ids of the published runs in out that a stage
// read (Env.UseRun): a run folder, or the run folder of a model file.
func protectedRuns(m *Manifest, out string) []string {
	var ids []string
	for _, rec := range m.Stages {
		if rec.Resolved == nil {
			continue
		}
		for _, path := range rec.Resolved.Runs {
			if real, err := filepath.EvalSymlinks(path); err == nil {
				path = real
			}
			if filepath.Ext(path) == ".json" {
				path = filepath.Dir(path) // a model.json inside a run folder protects that folder
			}
			if filepath.Dir(path) == out || sameDir(filepath.Dir(path), out) {
				ids = append(ids, filepath.Base(path))
			}
		}
	}
	return ids
}

func sameDir(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
