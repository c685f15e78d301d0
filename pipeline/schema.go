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

	// unreadable maps the current name of an input column the source
	// cannot read to why; naming it is an error.
	unreadable map[string]string
	// origin maps current names that are not input column names to the
	// input column they hold ("" for a column made by a stage).
	origin map[string]string

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
		s.add(n)
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
	if why, ok := s.unreadable[name]; ok {
		s.errs = append(s.errs, &confyaml.FieldError{Key: key, Msg: fmt.Sprintf("column %q cannot be read: %s", name, why)})
		return false
	}
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
		s.add(name)
		s.setOrigin(name, "")
	}
}

func (s *Schema) add(name string) {
	if !s.has[name] {
		s.has[name] = true
		s.names = append(s.names, name)
		delete(s.gone, name)
	}
}

// setOrigin records that the column now named name holds the input column
// from ("" when a stage made it).
func (s *Schema) setOrigin(name, from string) {
	if s.origin == nil {
		s.origin = map[string]string{}
	}
	if from == name {
		delete(s.origin, name)
		return
	}
	s.origin[name] = from
}

// inputName returns the input column that the column now named name
// holds ("" for one a stage made).
func (s *Schema) inputName(name string) string {
	if from, ok := s.origin[name]; ok {
		return from
	}
	return name
}

// origins is a copy of the names that differ from their input column's.
func (s *Schema) origins() map[string]string {
	if len(s.origin) == 0 {
		return nil
	}
	out := make(map[string]string, len(s.origin))
	for k, v := range s.origin {
		out[k] = v
	}
	return out
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
	delete(s.unreadable, name)
	delete(s.origin, name)
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
			delete(s.unreadable, n)
			delete(s.origin, n)
		}
	}
	if !keep[s.weight] {
		s.weight = ""
	}
	known := s.has
	s.names = nil
	s.has = map[string]bool{}
	s.dynamic = nil
	for _, n := range names {
		t, typed := s.types[n]
		s.add(n)
		if !known[n] {
			s.setOrigin(n, "")
			delete(s.types, n)
		} else if typed {
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
	s.setOrigin(new, s.inputName(old))
	delete(s.origin, old)
	if why, ok := s.unreadable[old]; ok {
		delete(s.unreadable, old)
		s.unreadable[new] = why
	}
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
