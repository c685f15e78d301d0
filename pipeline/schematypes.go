package pipeline

import (
	"context"
	"sort"

	"github.com/churnlab/segment/internal/frame"
)

// ColumnType is what a read of the input tells about a column before any
// stage runs: its kind, whether it has missing values and, for a column
// with few distinct values, those values (a one-hot step's new columns are
// then known by name). Steps keep it up to date through the column check;
// a step that changes a column in a way the check cannot follow leaves its
// type unknown.
type ColumnType struct {
	Kind       frame.Kind
	HasMissing bool
	// Levels are the distinct values as text, ordered as the onehot step
	// orders them (numbers numerically, text by bytes); nil when unknown or
	// more than MaxTypedLevels.
	Levels []string
}

// MaxTypedLevels bounds the levels a ColumnType keeps.
const MaxTypedLevels = 200

// Typed reports whether the schema knows column types (CheckColumnsTyped).
func (s *Schema) Typed() bool { return s.types != nil }

// Type returns a column's type, when known.
func (s *Schema) Type(name string) (ColumnType, bool) {
	t, ok := s.types[name]
	return t, ok && s.has[name]
}

// SetType records a column's type (no-op for an untyped schema).
func (s *Schema) SetType(name string, t ColumnType) {
	if s.types != nil {
		s.types[name] = t
	}
}

// TypesOf describes the columns of t.
func TypesOf(t *frame.Table) map[string]ColumnType {
	out := make(map[string]ColumnType, t.NumCols())
	for _, c := range t.Columns() {
		out[c.Name] = ColumnType{Kind: c.Kind, HasMissing: c.NumMissing() > 0, Levels: Levels(c, MaxTypedLevels)}
	}
	return out
}

// Levels returns a column's distinct non-missing values as text, ordered
// as the onehot step orders them (numbers numerically, then text by
// bytes), or nil when there are more than max.
func Levels(c *frame.Column, max int) []string {
	levels, ok := levelsOf(c, max)
	if !ok {
		return nil
	}
	return sortedLevels(levels, c.Kind)
}

// level is a distinct value: its text and, for a numeric column, its
// number.
type level struct {
	text string
	num  float64
}

// levelsOf returns a column's distinct non-missing values in order of
// appearance (false when there are more than max).
func levelsOf(c *frame.Column, max int) ([]level, bool) {
	seen := map[string]bool{}
	var levels []level
	if c.Kind == frame.String {
		// one pass over the codes, then the dictionary
		used := make([]bool, len(c.Dict))
		for i := range c.Len() {
			code := c.Code(i)
			if code >= 0 {
				used[code] = true
			}
		}
		for code, s := range c.Dict {
			if !used[code] || seen[s] {
				continue
			}
			if len(levels) == max {
				return nil, false
			}
			seen[s] = true
			levels = append(levels, level{text: s})
		}
		return levels, true
	}
	for i := 0; i < c.Len(); i++ {
		if c.IsMissing(i) {
			continue
		}
		s := c.Format(i)
		if seen[s] {
			continue
		}
		if len(levels) == max {
			return nil, false
		}
		seen[s] = true
		v, _ := c.Value(i)
		levels = append(levels, level{s, v})
	}
	return levels, true
}

// sortedLevels orders levels as the onehot step does and returns their
// texts.
func sortedLevels(levels []level, kind frame.Kind) []string {
	sort.Slice(levels, func(a, b int) bool {
		if kind != frame.String && levels[a].num != levels[b].num {
			return levels[a].num < levels[b].num
		}
		return levels[a].text < levels[b].text
	})
	out := make([]string, len(levels))
	for i, l := range levels {
		out[i] = l.text
	}
	return out
}

// typesAcc gathers ColumnTypes over the batches of a scan.
type typesAcc struct {
	names []string
	kinds map[string]frame.Kind
	miss  map[string]bool
	lv    map[string]map[string]float64 // nil once a column has too many
}

func (a *typesAcc) add(t *frame.Table) {
	if a.kinds == nil {
		a.kinds, a.miss, a.lv = map[string]frame.Kind{}, map[string]bool{}, map[string]map[string]float64{}
	}
	for _, c := range t.Columns() {
		if _, ok := a.kinds[c.Name]; !ok {
			a.names = append(a.names, c.Name)
			a.lv[c.Name] = map[string]float64{}
		}
		a.kinds[c.Name] = c.Kind
		a.miss[c.Name] = a.miss[c.Name] || c.NumMissing() > 0
		set := a.lv[c.Name]
		if set == nil {
			continue
		}
		levels, ok := levelsOf(c, MaxTypedLevels)
		for _, l := range levels {
			set[l.text] = l.num
		}
		if !ok || len(set) > MaxTypedLevels {
			a.lv[c.Name] = nil
		}
	}
}

func (a *typesAcc) types() map[string]ColumnType {
	out := make(map[string]ColumnType, len(a.names))
	for _, n := range a.names {
		ct := ColumnType{Kind: a.kinds[n], HasMissing: a.miss[n]}
		if set := a.lv[n]; set != nil {
			levels := make([]level, 0, len(set))
			for text, num := range set {
				levels = append(levels, level{text, num})
			}
			ct.Levels = sortedLevels(levels, ct.Kind)
		}
		out[n] = ct
	}
	return out
}

// CheckColumnsTyped is CheckColumns after reading the whole input once (as
// the ingest stage would) to learn each column's type and, for columns
// with few values, the values: so expressions are type-checked against the
// columns each step produces, and the columns a one-hot step makes are
// known by name (with "did you mean" for a misspelt one). What only the
// rows left after a filter would show (a level that no row keeps) is still
// found when the run gets there. This is `segment validate`'s default.
func CheckColumnsTyped(ctx context.Context, cfg *Config) error {
	in, _, err := checkColumnsWith(ctx, cfg, readTypes(ctx, cfg))
	in.Close()
	return err
}

// readTypes is CheckColumnsTyped's typer: it reads the input's rows once
// and gives the schema their column types.
//
// An input that a run would stream (larger than execution.memory_limit,
// or execution.mode: stream) is scanned in batches instead of read whole,
// so that validating a config never needs the memory the run avoids.
func readTypes(ctx context.Context, cfg *Config) func(*OpenedInput, *Schema) error {
	return func(in *OpenedInput, s *Schema) error {
		if resolveExecution(ctx, cfg, in).Mode == ModeStream {
			var acc typesAcc
			err := in.Source.Scan(ctx, in.Columns, cfg.Execution.BatchRows, func(t *frame.Table) error {
				acc.add(t)
				return nil
			})
			if err != nil {
				return inputError(cfg, err)
			}
			s.types = acc.types()
			return nil
		}
		t, err := in.Source.Read(ctx, in.Columns)
		if err != nil {
			return inputError(cfg, err)
		}
		s.types = TypesOf(t)
		return nil
	}
}
