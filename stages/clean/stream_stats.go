package clean

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/streamstat"
	"github.com/churnlab/segment/pipeline"
)

// maxModeValues bounds the distinct values a streamed fillna mode counts
// in memory (a mode of a column of mostly distinct numbers is not a
// useful fill anyway).
const maxModeValues = 4 << 20

// fillStats computes, in one pass over the table at the step's position
// (two with a median), what a fillna needs: each method's value, and the
// missing count of the columns whose type depends on it (an int column
// filled with a number that is not whole becomes float only when it has
// missing values).
type fillStats struct {
	missing int64
	mom     streamstat.Moments
	sk      streamstat.Sketch
	strs    map[string]int64
	nums    map[float64]int64
	t, f    int64
}

// freezeFill returns the frozen fillna (every method replaced by its
// value over every row) and the columns that become float or stay as they
// are.
func freezeFill(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, fields map[string]frame.Field, f Fillna) (Fillna, map[string]bool, map[string]bool, error) {
	names := slices.Sorted(maps.Keys(f))
	out := make(Fillna, len(f))
	var need []string
	for _, name := range names {
		fd, ok := fields[name]
		if !ok {
			return nil, nil, nil, &frame.UnknownColumnError{Name: name, Known: slices.Sorted(maps.Keys(fields))}
		}
		if err := checkFill(zeroColumn(fd), f[name]); err != nil {
			return nil, nil, nil, fmt.Errorf("fillna %q: %w", name, err)
		}
		if fill := f[name]; fill.Method != "" || fd.Kind == frame.Int && !wholeFill(fill) {
			need = append(need, name)
		}
		out[name] = f[name]
	}
	toFloat, skip := map[string]bool{}, map[string]bool{}
	if len(need) == 0 {
		return out, toFloat, skip, nil
	}
	st := map[string]*fillStats{}
	median := false
	for _, name := range need {
		st[name] = &fillStats{strs: map[string]int64{}, nums: map[float64]int64{}}
		median = median || f[name].Method == "median"
	}
	type part struct {
		missing []int64
		mom     []streamstat.Moments
	}
	err := str.Run(ctx, env, pipeline.Pass{Name: "fillna statistics", Columns: need,
		Map: func(b *pipeline.Batch) (any, error) {
			p := part{missing: make([]int64, len(need)), mom: make([]streamstat.Moments, len(need))}
			for j, name := range need {
				c := b.Table.Col(name)
				p.missing[j] = int64(c.NumMissing())
				if c.Kind.Numeric() {
					x, _ := c.Float64s()
					p.mom[j].Add(x)
				}
			}
			return p, nil
		},
		Reduce: func(v any, b *pipeline.Batch) error {
			p := v.(part)
			for j, name := range need {
				s := st[name]
				s.missing += p.missing[j]
				s.mom.Merge(p.mom[j])
				c := b.Table.Col(name)
				switch f[name].Method {
				case "median":
					x, _ := c.Float64s()
					s.sk.AddAll(x)
				case "mode":
					if err := s.countMode(c); err != nil {
						return fmt.Errorf("fillna %q: %w", name, err)
					}
				}
			}
			return nil
		}})
	if err != nil {
		return nil, nil, nil, err
	}
	if median {
		for _, name := range need {
			if f[name].Method == "median" {
				st[name].sk.PlanQuantiles(0.5)
				st[name].sk.StartCollect()
			}
		}
		if err := str.Run(ctx, env, pipeline.Pass{Name: "fillna medians", Columns: need,
			Reduce: func(_ any, b *pipeline.Batch) error {
				for _, name := range need {
					if f[name].Method == "median" {
						x, _ := b.Table.Col(name).Float64s()
						st[name].sk.CollectAll(x)
					}
				}
				return nil
			}}); err != nil {
			return nil, nil, nil, err
		}
		for _, name := range need {
			if f[name].Method == "median" {
				if err := st[name].sk.Finish(); err != nil {
					return nil, nil, nil, err
				}
			}
		}
	}
	for _, name := range need {
		s, fd, fill := st[name], fields[name], f[name]
		if fill.Method != "" {
			v, err := s.value(fd.Kind, fill.Method)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("fillna %q: %w", name, err)
			}
			fill = v
			out[name] = v
		}
		if fd.Kind == frame.Int && !wholeFill(fill) {
			if s.missing > 0 {
				toFloat[name] = true
			} else {
				skip[name] = true
			}
		}
	}
	return out, toFloat, skip, nil
}

// wholeFill reports whether a constant fill keeps an int column int.
func wholeFill(f Fill) bool {
	switch v := f.Value.(type) {
	case int64:
		return true
	case float64:
		return v == math.Trunc(v) && math.Abs(v) < 1<<53
	}
	return true // a text or bool fill is refused for an int column by checkFill
}

func (s *fillStats) countMode(c *frame.Column) error {
	for i := range c.Len() {
		if c.IsMissing(i) {
			continue
		}
		switch c.Kind {
		case frame.String:
			s.strs[c.Dict[c.Code(i)]]++
		case frame.Bool:
			if c.Bools[i] {
				s.t++
			} else {
				s.f++
			}
		default:
			v, _ := c.Value(i)
			s.nums[v]++
		}
	}
	if len(s.nums) > maxModeValues || len(s.strs) > maxModeValues {
		return fmt.Errorf("mode: more than %d distinct values to count in stream mode; fill with a constant, mean or median", maxModeValues)
	}
	return nil
}

// value is the method's value, as fillValue gives it in memory.
func (s *fillStats) value(kind frame.Kind, method string) (Fill, error) {
	switch method {
	case "mean", "median":
		v := s.mom.Mean()
		if method == "median" {
			var ok bool
			if v, ok = s.sk.Quantile(0.5); !ok && s.sk.N() > 0 {
				return Fill{}, fmt.Errorf("the median could not be found exactly")
			}
		}
		if math.IsNaN(v) {
			return Fill{}, fmt.Errorf("every value is missing; there is no %s", method)
		}
		return Fill{Value: v}, nil
	}
	noMode := fmt.Errorf("every value is missing; there is no mode")
	switch kind {
	case frame.String:
		best, bestN := "", int64(-1)
		for v, n := range s.strs {
			if n > bestN || n == bestN && v < best {
				best, bestN = v, n
			}
		}
		if bestN < 0 {
			return Fill{}, noMode
		}
		return Fill{Value: best}, nil
	case frame.Bool:
		if s.t+s.f == 0 {
			return Fill{}, noMode
		}
		return Fill{Value: s.t > s.f}, nil
	}
	best, bestN := 0.0, int64(-1)
	for v, n := range s.nums {
		if n > bestN || n == bestN && v < best {
			best, bestN = v, n
		}
	}
	if bestN < 0 {
		return Fill{}, noMode
	}
	return Fill{Value: best}, nil
}

// zeroColumn is an empty column of a field's kind, for checks that look
// at a column's type only.
func zeroColumn(f frame.Field) *frame.Column {
	switch f.Kind {
	case frame.Float:
		return frame.NewFloat(f.Name, nil, nil)
	case frame.Int:
		return frame.NewInt(f.Name, nil, nil)
	case frame.Bool:
		return frame.NewBool(f.Name, nil, nil)
	}
	return frame.NewString(f.Name, nil, nil)
}

// emptyTable is a table with no rows and the given columns.
func emptyTable(fields []frame.Field) *frame.Table {
	cols := make([]*frame.Column, len(fields))
	for i, f := range fields {
		cols[i] = zeroColumn(f)
	}
	t, _ := frame.New(cols...)
	return t
}

// freezeClip returns the frozen clip: quantile bounds computed exactly
// over every row in two passes.
func freezeClip(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, fields map[string]frame.Field, c Clip) (Clip, error) {
	names := slices.Sorted(maps.Keys(c))
	var need []string
	for _, name := range names {
		fd, ok := fields[name]
		if !ok {
			return nil, &frame.UnknownColumnError{Name: name, Known: slices.Sorted(maps.Keys(fields))}
		}
		if !fd.Kind.Numeric() {
			return nil, fmt.Errorf("clip %q: the column holds %ss, not numbers", name, fd.Kind)
		}
		if b := c[name]; b.LowerQuantile != nil || b.UpperQuantile != nil {
			need = append(need, name)
		}
	}
	sk := map[string]*streamstat.Sketch{}
	for _, name := range need {
		sk[name] = &streamstat.Sketch{}
	}
	pass := func(label string, collect bool) error {
		return str.Run(ctx, env, pipeline.Pass{Name: label, Columns: need,
			Reduce: func(_ any, b *pipeline.Batch) error {
				for _, name := range need {
					x, _ := b.Table.Col(name).Float64s()
					if collect {
						sk[name].CollectAll(x)
					} else {
						sk[name].AddAll(x)
					}
				}
				return nil
			}})
	}
	if len(need) > 0 {
		if err := pass("clip quantiles (counts)", false); err != nil {
			return nil, err
		}
		for _, name := range need {
			b := c[name]
			for _, q := range []*float64{b.LowerQuantile, b.UpperQuantile} {
				if q != nil {
					sk[name].PlanQuantiles(*q)
				}
			}
			sk[name].StartCollect()
		}
		if err := pass("clip quantiles (values)", true); err != nil {
			return nil, err
		}
		for _, name := range need {
			if err := sk[name].Finish(); err != nil {
				return nil, err
			}
		}
	}
	out := make(Clip, len(c))
	for _, name := range names {
		b := c[name]
		if b.LowerQuantile == nil && b.UpperQuantile == nil {
			out[name] = b
			continue
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		if b.LowerQuantile != nil {
			lo, _ = sk[name].Quantile(*b.LowerQuantile)
		}
		if b.UpperQuantile != nil {
			hi, _ = sk[name].Quantile(*b.UpperQuantile)
		}
		fz, err := b.frozen(name, lo, hi)
		if err != nil {
			return nil, err
		}
		out[name] = fz
	}
	return out, nil
}

// freezeOnehot returns the onehot with every column's levels: those
// given, else the column's distinct values over every row (one pass),
// sorted as levelsOf sorts them.
func freezeOnehot(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, fields map[string]frame.Field, o *Onehot) (*Onehot, error) {
	out := *o
	out.Columns = slices.Clone(o.Columns)
	out.Levels = map[string][]string{}
	var need []string
	for _, name := range o.Columns {
		if _, ok := fields[name]; !ok {
			return nil, &frame.UnknownColumnError{Name: name, Known: slices.Sorted(maps.Keys(fields))}
		}
		if l, ok := o.Levels[name]; ok {
			out.Levels[name] = slices.Clone(l)
		} else {
			need = append(need, name)
		}
	}
	if len(need) == 0 {
		return &out, nil
	}
	levels := map[string]map[string]float64{}
	over := map[string]*streamstat.Distinct{}
	for _, name := range need {
		levels[name] = map[string]float64{}
	}
	defer func() {
		for _, d := range over {
			d.Close()
		}
	}()
	err := str.Run(ctx, env, pipeline.Pass{Name: "onehot levels", Columns: need,
		Map: func(b *pipeline.Batch) (any, error) {
			part := make([]map[string]float64, len(need))
			for j, name := range need {
				c := b.Table.Col(name)
				m := map[string]float64{}
				for i := range c.Len() {
					if c.IsMissing(i) {
						continue
					}
					s := c.Format(i)
					if _, ok := m[s]; !ok {
						m[s], _ = c.Value(i)
					}
				}
				part[j] = m
			}
			return part, nil
		},
		Reduce: func(v any, _ *pipeline.Batch) error {
			for j, name := range need {
				for s, num := range v.([]map[string]float64)[j] {
					if d := over[name]; d != nil {
						d.AddString(s)
						continue
					}
					levels[name][s] = num
					if len(levels[name]) > o.MaxLevels {
						d := &streamstat.Distinct{Dir: str.TempDir()}
						for t := range levels[name] {
							d.AddString(t)
						}
						over[name] = d
					}
				}
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	for _, name := range need {
		if d := over[name]; d != nil {
			n, err := d.Count()
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("onehot %q: %d distinct values, more than max_levels %d (an id or free-text column?); raise max_levels if this is intended", name, n, o.MaxLevels)
		}
		texts := slices.Collect(maps.Keys(levels[name]))
		numeric := fields[name].Kind != frame.String
		sort.Slice(texts, func(a, b int) bool {
			la, lb := levels[name][texts[a]], levels[name][texts[b]]
			if numeric && la != lb {
				return la < lb
			}
			return texts[a] < texts[b]
		})
		out.Levels[name] = texts
	}
	return &out, nil
}

// dedupeKept finds the stored rows a dedupe keeps — the first (or last)
// of each group of rows with equal values in its columns — over every
// row: the rows' keys go to temporary partitions by hash in one pass, then
// each partition is grouped in memory. It returns a bitmap over the
// stored rows.
func dedupeKept(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, cols []string, last bool) ([]uint64, error) {
	rows := str.StoredRows()
	kept := make([]uint64, (rows+63)/64)
	n := str.Rows()
	if n < 0 {
		n = rows
	}
	// partitions of about 32 MB of keys each
	parts := int(min(4096, max(16, n*int64(9*len(cols)+16)/(32<<20))))
	p, err := streamstat.NewPartitions(str.TempDir(), parts, 64<<10)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	seed := maphash.MakeSeed()
	type part struct {
		recs  []byte
		parts []int32
		ends  []int32
	}
	err = str.Run(ctx, env, pipeline.Pass{Name: "dedupe keys", Columns: cols,
		Map: func(b *pipeline.Batch) (any, error) {
			t := b.Table
			cs := make([]*frame.Column, len(cols))
			for j, name := range cols {
				if cs[j] = t.Col(name); cs[j] == nil {
					return nil, &frame.UnknownColumnError{Name: name, Known: t.Names()}
				}
			}
			var pt part
			var key []byte
			for i := range t.NumRows() {
				key = streamRowKey(key[:0], cs, i)
				pt.parts = append(pt.parts, int32(maphash.Bytes(seed, key)%uint64(parts)))
				pt.recs = binary.AppendUvarint(pt.recs, uint64(len(key)))
				pt.recs = append(pt.recs, key...)
				pt.recs = binary.LittleEndian.AppendUint64(pt.recs, uint64(b.Row(i)))
				pt.ends = append(pt.ends, int32(len(pt.recs)))
			}
			return pt, nil
		},
		Reduce: func(v any, _ *pipeline.Batch) error {
			pt := v.(part)
			start := int32(0)
			for i, end := range pt.ends {
				if err := p.Add(int(pt.parts[i]), pt.recs[start:end]); err != nil {
					return err
				}
				start = end
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	seen := map[string]int64{}
	for i := range p.Len() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := p.Read(i)
		if err != nil {
			return nil, err
		}
		clear(seen)
		for len(b) > 0 {
			l, k := binary.Uvarint(b)
			key := b[k : k+int(l)]
			row := int64(binary.LittleEndian.Uint64(b[k+int(l):]))
			b = b[k+int(l)+8:]
			if _, dup := seen[string(key)]; !dup || last {
				seen[string(key)] = row
			}
		}
		for _, row := range seen {
			kept[row>>6] |= 1 << (row & 63)
		}
	}
	return kept, nil
}

// streamRowKey encodes row i of cols as bytes equal exactly when the rows'
// values are (missing equals missing, -0 equals 0), with text compared by
// its bytes (batches have dictionaries of their own).
func streamRowKey(key []byte, cols []*frame.Column, i int) []byte {
	for _, c := range cols {
		if c.IsMissing(i) {
			key = append(key, 0)
			continue
		}
		key = append(key, 1)
		switch c.Kind {
		case frame.Float:
			f := c.Floats[i]
			if f == 0 {
				f = 0 // -0 equals 0
			}
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(f))
		case frame.Int:
			key = binary.LittleEndian.AppendUint64(key, uint64(c.Int(i)))
		case frame.Bool:
			if c.Bools[i] {
				key = append(key, 1)
			} else {
				key = append(key, 0)
			}
		default:
			s := c.Dict[c.Code(i)]
			key = binary.AppendUvarint(key, uint64(len(s)))
			key = append(key, s...)
		}
	}
	return key
}

// countMissing counts the missing cells of columns in one pass.
func countMissing(ctx context.Context, env *pipeline.Env, str *pipeline.Stream, cols []string) (map[string]int64, error) {
	out := map[string]int64{}
	err := str.Run(ctx, env, pipeline.Pass{Name: "missing values", Columns: cols,
		Map: func(b *pipeline.Batch) (any, error) {
			m := make([]int64, len(cols))
			for j, name := range cols {
				if c := b.Table.Col(name); c != nil {
					m[j] = int64(c.NumMissing())
				}
			}
			return m, nil
		},
		Reduce: func(v any, _ *pipeline.Batch) error {
			for j, name := range cols {
				out[name] += v.([]int64)[j]
			}
			return nil
		}})
	return out, err
}
