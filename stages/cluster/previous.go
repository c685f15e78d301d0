package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/model"
)

// previous is the model `previous:` names, with the run it belongs to.
type previous struct {
	path        string // previous: as configured
	resolved    string // the real run folder, or the real model file outside a run folder
	run         string // the run's id ("" for a model file outside a run folder)
	modelPath   string
	assignments string // the run's assignments file ("" when there is none)
	model       *model.Model
	modelBytes  []byte // model.json as read (mode: assign copies it)
}

// loadPrevious resolves previous: a run folder (or a link to one, such as
// latest) holding modelFile (the stage's model.json name) or model.json, or
// a model file. It returns a nil *previous and the reason when the path
// names nothing: it does not exist (the first night), or it is a link to
// something that does not exist (dangling is then true). It returns an error
// when the path exists but holds no readable model.
func loadPrevious(path, modelFile string) (p *previous, why string, dangling bool, err error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if target, lerr := os.Readlink(path); lerr == nil {
			return nil, fmt.Sprintf("%s is a link to %s, which does not exist", path, target), true, nil
		}
		return nil, fmt.Sprintf("%s does not exist yet (first run?)", path), false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("previous: %w", err)
	}
	p, err = openPrevious(path, st.IsDir(), modelFile)
	return p, "", false, err
}

func openPrevious(path string, isDir bool, modelFile string) (*previous, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fmt.Errorf("previous: %w", err)
	}
	p := &previous{path: path}
	if isDir {
		for _, name := range []string{modelFile, FileModel} {
			if f := filepath.Join(real, name); isFile(f) {
				p.modelPath = f
				break
			}
		}
		if p.modelPath == "" {
			return nil, fmt.Errorf("previous: %s is a folder without %s; previous: names a run folder (e.g. ../runs/latest) or a model.json", path, modelFile)
		}
		p.resolved = real
	} else {
		p.modelPath = real
		p.resolved = real
	}
	p.modelBytes, err = os.ReadFile(p.modelPath)
	if err != nil {
		return nil, fmt.Errorf("previous: cannot read model %s: %w", p.modelPath, err)
	}
	p.model, err = model.Parse(p.modelPath, p.modelBytes)
	if err != nil {
		return nil, fmt.Errorf("previous: %w", err)
	}
	dir := filepath.Dir(p.modelPath)
	if isFile(filepath.Join(dir, "manifest.json")) {
		p.run = filepath.Base(dir)
		p.resolved = dir // retention protects the whole run
	}
	base := filepath.Base(p.modelPath)
	if strings.HasSuffix(base, FileModel) {
		a := filepath.Join(dir, strings.TrimSuffix(base, FileModel)+FileAssignments)
		if isFile(a) {
			p.assignments = a
		}
	}
	return p, nil
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// featureOrder returns, for each of the new features, its column in the
// previous model. The two lists must hold the same names (the order may
// differ); otherwise the error names what was added and removed.
func featureOrder(prev, cur []string) ([]int, error) {
	at := make(map[string]int, len(prev))
	for j, f := range prev {
		at[f] = j
	}
	var added, removed []string
	for _, f := range cur {
		if _, ok := at[f]; !ok {
			added = append(added, f)
		}
	}
	for _, f := range prev {
		if !slices.Contains(cur, f) {
			removed = append(removed, f)
		}
	}
	if len(added) > 0 || len(removed) > 0 {
		var parts []string
		if len(added) > 0 {
			parts = append(parts, "added "+quoteAll(added))
		}
		if len(removed) > 0 {
			parts = append(parts, "removed "+quoteAll(removed))
		}
		return nil, fmt.Errorf("features changed since the previous model (%s); drop previous: or use a new output dir", strings.Join(parts, ", "))
	}
	idx := make([]int, len(cur))
	for j, f := range cur {
		idx[j] = at[f]
	}
	return idx, nil
}

// permuteRows returns the rows of m with their columns in the order idx.
func permuteRows(m [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(m))
	for s, row := range m {
		r := make([]float64, len(idx))
		for j, p := range idx {
			r[j] = row[p]
		}
		out[s] = r
	}
	return out
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
