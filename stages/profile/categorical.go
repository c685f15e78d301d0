package profile

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// levelCodes returns each row's level as an index into levels (the cell's
// text, in order of first appearance); -1 marks a missing value.
func levelCodes(c *frame.Column) (codes []int32, levels []string) {
	n := c.Len()
	codes = make([]int32, n)
	if c.Kind == frame.String {
		// Merge equal dictionary entries.
		canon := make([]int32, len(c.Dict))
		seen := map[string]int32{}
		remap := make([]int32, len(c.Dict))
		for i := range remap {
			remap[i] = -2
		}
		for i, s := range c.Dict {
			if j, ok := seen[s]; ok {
				canon[i] = j
			} else {
				seen[s] = int32(i)
				canon[i] = int32(i)
			}
		}
		for i := range c.Len() {
			code := c.Code(i)
			if code < 0 || c.IsMissing(i) {
				codes[i] = -1
				continue
			}
			cc := canon[code]
			if remap[cc] == -2 {
				remap[cc] = int32(len(levels))
				levels = append(levels, c.Dict[cc])
			}
			codes[i] = remap[cc]
		}
		return codes, levels
	}
	ids := map[string]int32{}
	for i := range n {
		if c.IsMissing(i) {
			codes[i] = -1
			continue
		}
		s := c.Format(i)
		id, ok := ids[s]
		if !ok {
			id = int32(len(levels))
			ids[s] = id
			levels = append(levels, s)
		}
		codes[i] = id
	}
	return codes, levels
}

// categorical returns the level shares of column cc per segment. Levels
// are ordered by overall count (ties by text); beyond maxLevels the rarest
// are pooled as result.OtherLevel; missing values form the level
// cc.Missing, else result.MissingLevel (last, and named in MissingLevel);
// when cc.Missing is a level of the column already, missing values count
// as that level.
//
// With sample weights w (nil: every row 1) levels are ordered by total
// weight and the shares are shares of weight; Counts stay row counts.
// Rows of weight 0 are ignored.
func categorical(t *frame.Table, cc CategoricalColumn, members [][]int, maxLevels int, w []float64) (*result.CategoricalProfile, error) {
	name := cc.Column
	c := t.Col(name)
	if c == nil {
		return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
	}
	codes, levels := levelCodes(c)
	lc := levelCounts{levels: levels, cnt: make([][]int, len(members)), mass: make([][]float64, len(members)),
		missCnt: make([]int, len(members)), missMass: make([]float64, len(members))}
	for s, rows := range members {
		lc.cnt[s], lc.mass[s] = make([]int, len(levels)), make([]float64, len(levels))
		for _, i := range rows {
			wi := 1.0
			if w != nil {
				if wi = w[i]; !(wi > 0) {
					continue
				}
			}
			if code := codes[i]; code < 0 {
				lc.missCnt[s]++
				lc.missMass[s] += wi
			} else {
				lc.cnt[s][code]++
				lc.mass[s][code] += wi
			}
		}
	}
	return lc.profile(cc, maxLevels), nil
}

// levelCounts is what a categorical profile is computed from: a column's
// levels (in order of first appearance) and, per segment, the rows and the
// weight of each level and of the missing values.
type levelCounts struct {
	levels   []string
	cnt      [][]int     // [segment][level]
	mass     [][]float64 // [segment][level]: the rows' total weight
	missCnt  []int
	missMass []float64
}

// profile is the categorical profile of cc from the counts (see
// categorical).
func (lc *levelCounts) profile(cc CategoricalColumn, maxLevels int) *result.CategoricalProfile {
	name, levels := cc.Column, lc.levels
	k := len(lc.cnt)
	merged := false
	if at := slices.Index(levels, cc.Missing); cc.Missing != "" && at >= 0 {
		// the label is a level of its own: missing values join it
		for s := range k {
			if lc.missCnt[s] > 0 {
				merged = true
			}
			lc.cnt[s][at] += lc.missCnt[s]
			lc.mass[s][at] += lc.missMass[s]
			lc.missCnt[s], lc.missMass[s] = 0, 0
		}
	}
	counts := make([]float64, len(levels))
	missing := 0
	for s := range k {
		for l := range levels {
			counts[l] += lc.mass[s][l]
		}
		missing += lc.missCnt[s]
	}
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := counts[order[a]], counts[order[b]]
		if ca != cb {
			return ca > cb
		}
		return levels[order[a]] < levels[order[b]]
	})
	// slot[level] is the output column of each level.
	slot := make([]int, len(levels))
	var out []string
	pooled := len(levels) > maxLevels
	keep := len(levels)
	if pooled {
		keep = maxLevels - 1
	}
	for rank, l := range order {
		if rank < keep {
			slot[l] = len(out)
			out = append(out, levels[l])
		} else {
			slot[l] = keep
		}
	}
	if pooled {
		out = append(out, result.OtherLevel)
	}
	missSlot, missName := -1, result.MissingLevel
	if cc.Missing != "" {
		missName = cc.Missing
	}
	if missing > 0 {
		missSlot = len(out)
		out = append(out, missName)
	}
	cp := &result.CategoricalProfile{Column: name, Levels: out}
	if missing > 0 || merged {
		cp.MissingLevel = missName
	}
	total := make([]float64, len(out))
	var all float64
	for s := range k {
		cnt := make([]int, len(out))
		mass := make([]float64, len(out))
		var segMass float64
		for l := range levels {
			cnt[slot[l]] += lc.cnt[s][l]
			mass[slot[l]] += lc.mass[s][l]
			segMass += lc.mass[s][l]
		}
		if missSlot >= 0 {
			cnt[missSlot] += lc.missCnt[s]
			mass[missSlot] += lc.missMass[s]
			segMass += lc.missMass[s]
		}
		share := make([]float64, len(out))
		for l := range cnt {
			total[l] += mass[l]
			share[l] = fratio(mass[l], segMass)
		}
		all += segMass
		cp.Counts = append(cp.Counts, cnt)
		cp.Shares = append(cp.Shares, share)
	}
	cp.Overall = make([]float64, len(out))
	for l := range out {
		cp.Overall[l] = fratio(total[l], all)
	}
	return cp
}

// outcome returns the rate of o.Value in o.Column per segment, over the
// rows where the column has a value, and a warning when the value never
// occurs (every rate is then 0).
//
// With sample weights w the rates are shares of weight (Counts and Known
// stay row counts of the rows with a positive weight).
func outcome(t *frame.Table, o *Outcome, members [][]int, w []float64) (*result.OutcomeProfile, string, error) {
	c := t.Col(o.Column)
	if c == nil {
		return nil, "", &frame.UnknownColumnError{Name: o.Column, Known: t.Names()}
	}
	codes, levels := levelCodes(c)
	target := int32(slices.Index(levels, o.Value))
	oc := outcomeCounts{levels: levels}
	for _, rows := range members {
		h, kn := 0, 0
		var wh, wk float64
		for _, i := range rows {
			wi := 1.0
			if w != nil {
				if wi = w[i]; !(wi > 0) {
					continue
				}
			}
			if codes[i] >= 0 {
				kn++
				wk += wi
				if codes[i] == target {
					h++
					wh += wi
				}
			}
		}
		oc.hits, oc.known = append(oc.hits, h), append(oc.known, kn)
		oc.hitMass, oc.knownMass = append(oc.hitMass, wh), append(oc.knownMass, wk)
	}
	op, warn := oc.profile(o)
	return op, warn, nil
}

// outcomeCounts is what an outcome profile is computed from: the column's
// levels (in order of first appearance) and, per segment, the rows with
// the outcome value and with any value, and their weights.
type outcomeCounts struct {
	levels             []string
	hits, known        []int
	hitMass, knownMass []float64
}

// profile is the outcome profile of o from the counts (see outcome).
func (oc *outcomeCounts) profile(o *Outcome) (*result.OutcomeProfile, string) {
	levels := oc.levels
	target := slices.Index(levels, o.Value)
	var warn string
	if target < 0 {
		shown := levels
		more := ""
		if len(shown) > 10 {
			shown, more = shown[:10], ", …"
		}
		warn = fmt.Sprintf("outcome: value %q never occurs in column %q (its values: %s%s); every rate is 0", o.Value, o.Column, quoteList(shown), more)
	}
	label := o.Label
	if label == "" {
		label = o.Column + " = " + o.Value
	}
	op := &result.OutcomeProfile{Column: o.Column, Value: o.Value, Label: label}
	var hit, known float64
	for s := range oc.hits {
		op.Counts = append(op.Counts, oc.hits[s])
		op.Known = append(op.Known, oc.known[s])
		op.Rates = append(op.Rates, fratio(oc.hitMass[s], oc.knownMass[s]))
		hit += oc.hitMass[s]
		known += oc.knownMass[s]
	}
	op.Overall = fratio(hit, known)
	return op, warn
}

func quoteList(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}

// fratio is a/b, NaN when b is 0.
func fratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// ratio is a/b, NaN when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
