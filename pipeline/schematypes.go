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
	type level struct {
		text string
		num  float64
	}
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
				return nil
			}
			seen[s] = true
			levels = append(levels, level{text: s})
		}
		sort.Slice(levels, func(a, b int) bool { return levels[a].text < levels[b].text })
		out := make([]string, len(levels))
		for i, l := range levels {
			out[i] = l.text
		}
		return out
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
			return nil
		}
		seen[s] = true
		v, _ := c.Value(i)
		levels = append(levels, level{s, v})
	}
	sort.Slice(levels, func(a, b int) bool {
		if c.Kind != frame.String && levels[a].num != levels[b].num {
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
func readTypes(ctx context.Context, cfg *Config) func(*OpenedInput, *Schema) error {
	return func(in *OpenedInput, s *Schema) error {
		t, err := in.Source.Read(ctx, in.Columns)
		if err != nil {
			return inputError(cfg, err)
		}
		s.types = TypesOf(t)
		return nil
	}
}
