package pipeline

import (
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// Schema is the list of column names a stage will see, used to check column
// references before any row is read (`segment validate` and the start of
// `segment run`). Stages update it through ColumnChecker.
type Schema struct {
	names   []string
	has     map[string]bool
	dynamic []string // name prefixes of columns that only exist once data is read (one-hot)
	id      string
	weight  string            // input.weight_column under its current name ("" when none or dropped)
	gone    map[string]string // names no longer present → why ("renamed to "X"", "dropped")
	errs    confyaml.FieldErrors

	// types holds what a read of the input told about each column (nil
	// when only the header was read; see schematypes.go).
	types map[string]ColumnType
	// header is the input's header; unknownNames the names a Require did
	// not find that the header never had (first use first), errName the
	// name behind each of those errors (see headercheck.go).
	header       map[string]bool
	unknownNames []string
	errName      map[*confyaml.FieldError]string
}

// NewSchema starts a schema from the input's header.
func NewSchema(names []string, id string) *Schema {
	s := &Schema{has: map[string]bool{}, id: id, header: map[string]bool{}, errName: map[*confyaml.FieldError]string{}}
	for _, n := range names {
		s.Add(n)
		s.header[n] = true
	}
	return s
}

// Names returns the current column names in order.
func (s *Schema) Names() []string { return append([]string(nil), s.names...) }

// ID returns the configured id column ("" when none).
func (s *Schema) ID() string { return s.id }

// Weight returns the sample-weight column (input.weight_column) under its
// current name; "" when none is configured or an earlier step dropped it.
func (s *Schema) Weight() string { return s.weight }

// Has reports whether a column is known, counting one-hot columns whose
// names are only known after reading the data.
func (s *Schema) Has(name string) bool {
	if s.has[name] {
		return true
	}
	for _, p := range s.dynamic {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Require reports an unknown column under key, with a "did you mean" hint.
func (s *Schema) Require(key, name string) bool {
	if s.Has(name) {
		return true
	}
	msg := (&frame.UnknownColumnError{Name: name, Known: s.names}).Error()
	why, gone := s.gone[name]
	if gone {
		msg = fmt.Sprintf("unknown column %q (%s by an earlier step)", name, why)
	}
	fe := &confyaml.FieldError{Key: key, Msg: msg}
	s.errs = append(s.errs, fe)
	if !gone && !s.header[name] {
		s.noteUnknown(fe, name)
	}
	return false
}

// Errorf records another column problem under key.
func (s *Schema) Errorf(key, format string, args ...any) {
	s.errs = append(s.errs, &confyaml.FieldError{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Add appends a column (no-op when it exists). Its type, if the schema
// is typed, is unknown until SetType: a step that adds or replaces a
// column sets it.
func (s *Schema) Add(name string) {
	delete(s.types, name)
	if !s.has[name] {
		s.has[name] = true
		s.names = append(s.names, name)
		delete(s.gone, name)
	}
}

// AddDynamic declares that columns starting with prefix will exist.
func (s *Schema) AddDynamic(prefix string) { s.dynamic = append(s.dynamic, prefix) }

// Remove deletes a column.
func (s *Schema) Remove(name string) {
	if !s.has[name] {
		return
	}
	delete(s.has, name)
	delete(s.types, name)
	s.forget(name, "dropped")
	for i, n := range s.names {
		if n == name {
			s.names = append(s.names[:i:i], s.names[i+1:]...)
			break
		}
	}
	if name == s.id {
		s.id = ""
	}
	if name == s.weight {
		s.weight = ""
	}
}

// Keep reduces the schema to the given columns, in that order.
func (s *Schema) Keep(names []string) {
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	for _, n := range s.names {
		if !keep[n] {
			s.forget(n, "left out by a select")
		}
	}
	if !keep[s.weight] {
		s.weight = ""
	}
	s.names = nil
	s.has = map[string]bool{}
	s.dynamic = nil
	for _, n := range names {
		t, typed := s.types[n]
		s.Add(n)
		if typed {
			s.types[n] = t
		}
	}
}

// Rename renames a column in place. When old is unknown (Require has
// reported it), new is added, so that later steps using the new name are
// not blamed too.
func (s *Schema) Rename(old, new string) {
	if !s.has[old] {
		s.Add(new)
		return
	}
	if t, ok := s.types[old]; ok {
		delete(s.types, old)
		s.types[new] = t
	}
	delete(s.has, old)
	s.forget(old, fmt.Sprintf("renamed to %q", new))
	delete(s.gone, new)
	s.has[new] = true
	for i, n := range s.names {
		if n == old {
			s.names[i] = new
		}
	}
	if s.id == old {
		s.id = new
	}
	if s.weight == old {
		s.weight = new
	}
}

// takeErrors returns and clears the recorded problems.
func (s *Schema) takeErrors() confyaml.FieldErrors {
	e := s.errs
	s.errs = nil
	return e
}

func (s *Schema) forget(name, why string) {
	if s.gone == nil {
		s.gone = map[string]string{}
	}
	s.gone[name] = why
}
