package confyaml

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ConfigError is one problem in a configuration, located in the file (or in
// a --set flag) and named by its YAML key path.
type ConfigError struct {
	Pos   string // "configs/x.yaml:14:7", "--set seed=x" or the file name alone
	Block string // the block Key is relative to, e.g. `stage "clean" (clean)`; "" for the top level
	Key   string // YAML key path, e.g. "steps[0].filter"
	Msg   string

	line, col int // for sorting
}

// Error is "POS: BLOCK: KEY: MSG", leaving out the empty parts.
func (e *ConfigError) Error() string {
	var b strings.Builder
	for _, part := range []string{e.Pos, e.Block, e.Key} {
		if part != "" {
			b.WriteString(part)
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ConfigErrors collects every problem found in a configuration.
type ConfigErrors []*ConfigError

func (es ConfigErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sorted returns the errors ordered by position in the file (errors without
// a line, such as --set flags, last), keeping the order of equal positions.
func (es ConfigErrors) Sorted() ConfigErrors {
	out := append(ConfigErrors(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.line == 0) != (b.line == 0) {
			return a.line != 0 // located errors first
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	return out
}

// FieldError is a problem with one key of a config block, reported by a
// Validate method. Key is the YAML path relative to the block, e.g.
// "steps[2].fillna.Age"; Decoder.Locate turns it into a file position.
type FieldError struct {
	Key string
	Msg string
}

func (e *FieldError) Error() string {
	if e.Key == "" {
		return e.Msg
	}
	return e.Key + ": " + e.Msg
}

// FieldErrors is a list of FieldError; its zero value is ready to use.
type FieldErrors []*FieldError

// Add appends a formatted error for key.
func (es *FieldErrors) Add(key, format string, args ...any) {
	*es = append(*es, &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Err returns nil when empty, else the list itself.
func (es FieldErrors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es FieldErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// AsFieldErrors flattens err into field errors: a FieldErrors or
// *FieldError keeps its keys, any other error becomes one error without key.
func AsFieldErrors(err error) FieldErrors {
	if err == nil {
		return nil
	}
	var fes FieldErrors
	if errors.As(err, &fes) {
		return fes
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return FieldErrors{fe}
	}
	return FieldErrors{{Msg: err.Error()}}
}
