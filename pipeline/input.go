package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

// CSVOptions converts the input block to reader options.
func (in *InputConfig) CSVOptions() csvio.Options {
	opt := csvio.Options{Encoding: strings.ToLower(in.Encoding), NAValues: in.NAValues, Columns: in.Columns}
	switch in.Delimiter {
	case "tab", "\t":
		opt.Delimiter = '\t'
	case "":
	default:
		opt.Delimiter = rune(in.Delimiter[0])
	}
	if len(in.Types) > 0 {
		opt.Types = make(map[string]frame.Kind, len(in.Types))
		for col, t := range in.Types {
			k, _ := frame.ParseKind(t) // checked by validate
			opt.Types[col] = k
		}
	}
	return opt
}

// CheckColumns reads the input's header (not its rows) and checks every
// column a stage refers to, stage by stage, following renames and new
// columns. It is what `segment validate` adds to decoding the config, and
// what `segment run` does before touching any row.
func CheckColumns(cfg *Config) error {
	in := &cfg.Input
	opt := in.CSVOptions()
	header, _, err := csvio.ReadHeader(string(in.Path), csvio.Options{Delimiter: opt.Delimiter, Encoding: opt.Encoding})
	if err != nil {
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) && in.MissingHint != "" {
			msg += "\n  " + in.MissingHint
		}
		return confyaml.ConfigErrors{cfg.dec.ErrorAt(cfg.dec.NodeFor("input.path"), "", "input.path", msg)}
	}
	var errs confyaml.ConfigErrors
	s := NewSchema(header, "")
	fe := confyaml.FieldErrors{}
	for col := range in.Types {
		if !s.Has(col) {
			fe = append(fe, &confyaml.FieldError{Key: confyaml.MapKey("input.types", col), Msg: (&frame.UnknownColumnError{Name: col, Known: header}).Error()})
		}
	}
	if len(in.Columns) > 0 {
		for i, col := range in.Columns {
			if !s.Has(col) {
				fe = append(fe, &confyaml.FieldError{Key: fmt.Sprintf("input.columns[%d]", i), Msg: (&frame.UnknownColumnError{Name: col, Known: header}).Error()})
			}
		}
		s.Keep(in.Columns)
	}
	if in.ID != "" {
		if !s.Has(in.ID) {
			fe = append(fe, &confyaml.FieldError{Key: "input.id", Msg: (&frame.UnknownColumnError{Name: in.ID, Known: s.Names()}).Error()})
		} else {
			s.id = in.ID
		}
	}
	errs = append(errs, cfg.dec.Locate(fe, "", nil)...)
	if len(errs) > 0 {
		return errs.Sorted()
	}
	for _, spec := range cfg.Stages {
		if cc, ok := spec.Config.(ColumnChecker); ok {
			cc.CheckColumns(s)
			errs = append(errs, spec.locate(s.takeErrors())...)
		}
	}
	if len(errs) > 0 {
		return errs.Sorted()
	}
	return nil
}
