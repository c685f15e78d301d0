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

// tallies are a categorical column's rows per segment and level: levels
// are the column's values as text (in any order), cnt[s][l] the rows of
// segment s at level l and mass[s][l] their weight (the rows, unweighted),
// missCnt and missMass the same for missing values. Rows of weight 0 are
// not counted. merged reports that missing values were counted as an
// existing level (a categorical entry's missing label naming one).
type tallies struct {
	levels   []string
	cnt      [][]int
	mass     [][]float64
	missCnt  []int
	missMass []float64
	merged   bool
}

// tallyRows counts column c of the table by segment (members) with
// sample weights w (nil: every row 1). With missingAs naming a level of
// the column, missing values count as that level.
func tallyRows(c *frame.Column, members [][]int, w []float64, missingAs string) *tallies {
	codes, levels := levelCodes(c)
	tl := &tallies{levels: levels}
	if at := slices.Index(levels, missingAs); missingAs != "" && at >= 0 {
		for i, code := range codes {
			if code < 0 {
				codes[i], tl.merged = int32(at), true
			}
		}
	}
	k := len(members)
	tl.cnt, tl.mass = make([][]int, k), make([][]float64, k)
	tl.missCnt, tl.missMass = make([]int, k), make([]float64, k)
	for s, rows := range members {
		tl.cnt[s], tl.mass[s] = make([]int, len(levels)), make([]float64, len(levels))
		for _, i := range rows {
			wi := 1.0
			if w != nil {
				if wi = w[i]; !(wi > 0) {
					continue
				}
			}
			if code := codes[i]; code < 0 {
				tl.missCnt[s]++
				tl.missMass[s] += wi
			} else {
				tl.cnt[s][code]++
				tl.mass[s][code] += wi
			}
		}
	}
	return tl
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
	c := t.Col(cc.Column)
	if c == nil {
		return nil, &frame.UnknownColumnError{Name: cc.Column, Known: t.Names()}
	}
	return tallyRows(c, members, w, cc.Missing).profile(cc, maxLevels), nil
}

// profile is the categorical profile of the tallies (see categorical).
func (tl *tallies) profile(cc CategoricalColumn, maxLevels int) *result.CategoricalProfile {
	levels := tl.levels
	counts := make([]float64, len(levels))
	missing := 0
	for s := range tl.cnt {
		for l := range levels {
			counts[l] += tl.mass[s][l]
		}
		missing += tl.missCnt[s]
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
	cp := &result.CategoricalProfile{Column: cc.Column, Levels: out}
	if missing > 0 || tl.merged {
		cp.MissingLevel = missName
	}
	total := make([]float64, len(out))
	var all float64
	for s := range tl.cnt {
		cnt := make([]int, len(out))
		mass := make([]float64, len(out))
		var segMass float64
		for l := range levels {
			cnt[slot[l]] += tl.cnt[s][l]
			mass[slot[l]] += tl.mass[s][l]
			segMass += tl.mass[s][l]
		}
		if missSlot >= 0 {
			cnt[missSlot] += tl.missCnt[s]
			mass[missSlot] += tl.missMass[s]
			segMass += tl.missMass[s]
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
	op, warn := tallyRows(c, members, w, "").outcome(o)
	return op, warn, nil
}

// outcome is the outcome profile of the tallies (see outcome).
func (tl *tallies) outcome(o *Outcome) (*result.OutcomeProfile, string) {
	levels := tl.levels
	target := slices.Index(levels, o.Value)
	var warn string
	if target < 0 {
		shown := slices.Clone(levels)
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
	for s := range tl.cnt {
		h, kn := 0, 0
		var wh, wk float64
		for l := range levels {
			kn += tl.cnt[s][l]
			wk += tl.mass[s][l]
			if l == target {
				h += tl.cnt[s][l]
				wh += tl.mass[s][l]
			}
		}
		op.Counts = append(op.Counts, h)
		op.Known = append(op.Known, kn)
		op.Rates = append(op.Rates, fratio(wh, wk))
		hit += wh
		known += wk
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
