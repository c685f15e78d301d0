package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

// CheckColumns reads the input's header (not its rows) and checks every
// column a stage refers to, stage by stage, following renames and new
// columns. An input that cannot be read is an *InputError; unknown columns
// are confyaml.ConfigErrors. It is what `segment validate` adds to decoding the config, and
// what `segment run` does before touching any row.
func CheckColumns(cfg *Config) error {
	_, err := checkColumns(cfg)
	return err
}

// checkColumns is CheckColumns; it also returns what the check resolved for
// each stage (aligned with cfg.Stages), which the runner hands to the stage
// in its Env and records in the manifest.
func checkColumns(cfg *Config) ([]Resolved, error) { return checkColumnsWith(cfg, nil) }

// checkColumnsWith is checkColumns; typer, when set, may give the schema
// column types before the stages are checked (CheckColumnsTyped).
func checkColumnsWith(cfg *Config, typer func(*Schema) error) ([]Resolved, error) {
	s, err := inputSchema(cfg)
	if err != nil {
		return nil, err
	}
	if typer != nil {
		if err := typer(s); err != nil {
			return nil, err
		}
	}
	resolved := make([]Resolved, len(cfg.Stages))
	var stageErrs []confyaml.FieldErrors
	for i, spec := range cfg.Stages {
		resolved[i].IDColumn = s.ID()
		resolved[i].WeightColumn = s.Weight()
		var fes confyaml.FieldErrors
		if cc, ok := spec.Config.(ColumnChecker); ok {
			cc.CheckColumns(s)
			fes = s.takeErrors()
		}
		stageErrs = append(stageErrs, fes)
	}
	errs := s.summarizeHeader(cfg, stageErrs)
	for i, spec := range cfg.Stages {
		errs = append(errs, spec.locate(stageErrs[i])...)
	}
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	return resolved, nil
}

// inputSchema reads the input's header and checks the columns the input
// block names (types, columns, id), giving the schema the first stage sees.
func inputSchema(cfg *Config) (*Schema, error) {
	in := &cfg.Input
	opt := in.CSVOptions()
	header, _, err := csvio.ReadHeader(string(in.Path), csvio.Options{Delimiter: opt.Delimiter, Encoding: opt.Encoding})
	if err != nil {
		ie := &InputError{Err: err}
		if errors.Is(err, fs.ErrNotExist) {
			ie.Hint = in.MissingHint
		}
		if cfg.dec != nil {
			ie.Pos = cfg.dec.ErrorAt(cfg.dec.NodeFor("input.path"), "", "", "").Pos
		}
		return nil, ie
	}
	s := NewSchema(header, "")
	var fe confyaml.FieldErrors
	unknown := func(key, col string, known []string) {
		fe = append(fe, &confyaml.FieldError{Key: key, Msg: (&frame.UnknownColumnError{Name: col, Known: known}).Error()})
	}
	for _, col := range slices.Sorted(maps.Keys(in.Types)) {
		if !s.Has(col) {
			unknown(confyaml.MapKey("input.types", col), col, header)
		}
	}
	if len(in.Columns) > 0 {
		for i, col := range in.Columns {
			if !s.Has(col) {
				unknown(fmt.Sprintf("input.columns[%d]", i), col, header)
			}
		}
		s.Keep(in.Columns)
	}
	if in.ID != "" {
		if !s.Has(in.ID) {
			unknown("input.id", in.ID, s.Names())
		} else {
			s.id = in.ID
		}
	}
	if w := in.WeightColumn; w != "" {
		if !s.Has(w) {
			unknown("input.weight_column", w, s.Names())
		} else {
			s.weight = w
		}
	}
	if len(fe) > 0 {
		return nil, cfg.dec.Locate(fe, "", nil).Sorted()
	}
	return s, nil
}
