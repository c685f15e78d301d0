package cluster

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/result"
)

// catData is the categorical part of a k-prototypes table: per feature,
// each row's code into the feature's categories (sorted by text, so codes
// do not depend on row order; -1 = missing).
type catData struct {
	names []string
	codes [][]int32
	dicts [][]string
}

// categoricalCodes reads the categorical feature columns of t. A missing
// column, or missing cells under categorical_missing: error, are errors
// naming the column (and the count); every problem is reported at once.
func categoricalCodes(t *frame.Table, names []string, missing string) (*catData, error) {
	var problems []string
	cd := &catData{names: slices.Clone(names), codes: make([][]int32, len(names)), dicts: make([][]string, len(names))}
	n := t.NumRows()
	for c, name := range names {
		col := t.Col(name)
		if col == nil {
			problems = append(problems, (&frame.UnknownColumnError{Name: name, Known: t.Names()}).Error())
			continue
		}
		text := make([]string, n)
		isMiss := make([]bool, n)
		miss := 0
		set := map[string]bool{}
		for i := range n {
			v, m := model.CategoryText(col, i)
			if m {
				miss++
				isMiss[i] = true
				continue
			}
			text[i] = v
			set[v] = true
		}
		if miss > 0 && missing == "error" {
			problems = append(problems, fmt.Sprintf("categorical feature %q has %d missing value%s (of %d rows); set categorical_missing: category to treat them as a category of their own, or fill them with a clean fillna step", name, miss, plural(miss), n))
			continue
		}
		dict := make([]string, 0, len(set))
		for v := range set {
			dict = append(dict, v)
		}
		slices.Sort(dict)
		index := make(map[string]int32, len(dict))
		for i, v := range dict {
			index[v] = int32(i)
		}
		codes := make([]int32, n)
		for i := range n {
			codes[i] = -1
			if !isMiss[i] {
				codes[i] = index[text[i]]
			}
		}
		cd.codes[c], cd.dicts[c] = codes, dict
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return cd, nil
}

// setOn records the categorical part of a k-prototypes result: the
// features, their categories, the rows' codes, γ and the segments' modes.
func (cd *catData) setOn(res *result.Clusters, gamma float64, modes [][]int32) {
	res.Categorical = slices.Clone(cd.names)
	res.Categories = cd.dicts
	res.Codes = cd.codes
	res.Gamma = gamma
	res.Modes = modes
}

// modeText returns segment s's modes as text (nil: the missing category).
func (cd *catData) modeText(modes []int32) []*string {
	out := make([]*string, len(modes))
	for c, code := range modes {
		if code >= 0 {
			v := cd.dicts[c][code]
			out[c] = &v
		}
	}
	return out
}

// mixedDistances returns the distance sqrt(Σ(z − c)² + γ·mismatches) of
// every row to its prototype (the distance segment predict reports).
func mixedDistances(Z []float64, n, d int, cd *catData, km *kproto.Model, labels []int32) []float64 {
	q := len(cd.codes)
	out := make([]float64, n)
	codes := make([]int32, q)
	for i, l := range labels {
		for c := range q {
			codes[c] = cd.codes[c][i]
		}
		s := int(l)
		out[i] = math.Sqrt(kproto.Dissimilarity(Z[i*d:i*d+d], km.Centroids[s*d:s*d+d], codes, km.Modes[s*q:s*q+q], km.Gamma))
	}
	return out
}

// mixedMatchDistances returns the matching distance of every new segment to
// every previous one: sqrt(Σ(Δz)² + γ·(categorical modes that differ, by
// text)), in the matching space of the numeric parts (both original-unit
// centroids scaled with this run's scaler) and with this run's γ.
func mixedMatchDistances(newZ, prevZ [][]float64, newModes, prevModes [][]*string, gamma float64) [][]float64 {
	out := make([][]float64, len(newZ))
	for i, x := range newZ {
		out[i] = make([]float64, len(prevZ))
		for j, y := range prevZ {
			var ss float64
			for t, v := range x {
				e := v - y[t]
				ss += float64(e * e)
			}
			mis := 0
			for c := range newModes[i] {
				a, b := newModes[i][c], prevModes[j][c]
				if (a == nil) != (b == nil) || a != nil && *a != *b {
					mis++
				}
			}
			out[i][j] = math.Sqrt(ss + float64(gamma*float64(mis)))
		}
	}
	return out
}
