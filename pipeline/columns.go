package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// OpenedInput is the run's input, opened by the column check and read by
// the ingest stage (Env.Input): the source and what to read from it.
type OpenedInput struct {
	Source Source
	// Fields is the source's schema, as the column check saw it.
	Fields []Field
	// Columns are the columns to read: input.columns, or every column the
	// source can read; nil means every column.
	Columns []string
	// LeftOut are the columns of types the source cannot read, left out
	// because neither the input block nor a stage names them.
	LeftOut []Field
}

// Close closes the source (nil-safe).
func (in *OpenedInput) Close() error {
	if in == nil || in.Source == nil {
		return nil
	}
	return in.Source.Close()
}

// CheckColumns opens the input, reads its schema (a CSV header, Parquet
// footers, a query's description; no rows) and checks every column a
// stage refers to, stage by stage, following renames and new columns. It
// is what `segment validate` adds to decoding the config, and what
// `segment run` does before touching any row. On standard input it
// consumes the header, which is gone afterwards: `segment run` keeps the
// input it opened for the ingest stage instead.
//
// An input that cannot be read as a file at all (missing, unreadable, not
// the format input.format or the file's bytes say) is an *InputError, a
// data error; a problem a config key fixes (a query the server rejects, an
// unknown column) is a confyaml.ConfigErrors.
func CheckColumns(cfg *Config) error {
	in, _, err := checkColumns(context.Background(), cfg)
	in.Close()
	return err
}

// checkColumns is CheckColumns; it keeps the input open (the caller closes
// it) and also returns what the check resolved for each stage (aligned
// with cfg.Stages), which the runner hands to the stage in its Env and
// records in the manifest.
func checkColumns(ctx context.Context, cfg *Config) (*OpenedInput, []Resolved, error) {
	return checkColumnsWith(ctx, cfg, nil)
}

// checkColumnsWith is checkColumns; typer, when set, may give the schema
// column types before the stages are checked (CheckColumnsTyped).
func checkColumnsWith(ctx context.Context, cfg *Config, typer func(*OpenedInput, *Schema) error) (*OpenedInput, []Resolved, error) {
	in, s, err := openInput(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if typer != nil {
		if err := typer(in, s); err != nil {
			in.Close()
			return nil, nil, err
		}
	}
	resolved := make([]Resolved, len(cfg.Stages))
	var stageErrs []confyaml.FieldErrors
	for i, spec := range cfg.Stages {
		resolved[i].IDColumn = s.ID()
		resolved[i].WeightColumn = s.Weight()
		resolved[i].origins = s.origins()
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
		in.Close()
		return nil, nil, cfg.redactErrors(errs).Sorted()
	}
	return in, resolved, nil
}

// openInput opens the input through its source, reads its schema and
// checks the columns the input block names (types, columns, id), giving
// the schema the first stage sees.
func openInput(ctx context.Context, cfg *Config) (in *OpenedInput, s *Schema, err error) {
	icfg := &cfg.Input
	if icfg.reg == nil || icfg.factory.Format == "" {
		return nil, nil, errors.New("pipeline: the config was not loaded with input sources (Load with Registry.WithSources)")
	}
	src, err := icfg.factory.Open(ctx, icfg)
	if err != nil {
		return nil, nil, inputError(cfg, err)
	}
	defer func() {
		if err != nil {
			src.Close()
		}
	}()
	fields, err := src.Schema(ctx)
	if err != nil {
		return nil, nil, inputError(cfg, err)
	}
	names := make([]string, len(fields))
	byName := make(map[string]Field, len(fields))
	for i, f := range fields {
		names[i] = f.Name
		byName[f.Name] = f
	}
	s = NewSchema(names, "")
	for _, f := range fields {
		if f.Unsupported != "" {
			if s.unreadable == nil {
				s.unreadable = map[string]string{}
			}
			s.unreadable[f.Name] = unreadableReason(f)
		}
	}
	var fe confyaml.FieldErrors
	unknown := func(key, col string, known []string) {
		fe = append(fe, &confyaml.FieldError{Key: key, Msg: (&frame.UnknownColumnError{Name: col, Known: known}).Error()})
	}
	for _, col := range slices.Sorted(maps.Keys(icfg.Types)) {
		if _, ok := byName[col]; !ok {
			unknown(confyaml.MapKey("input.types", col), col, names)
		}
	}
	in = &OpenedInput{Source: src, Fields: fields}
	if len(icfg.Columns) > 0 {
		for i, col := range icfg.Columns {
			if !s.Require(fmt.Sprintf("input.columns[%d]", i), col) {
				fe = append(fe, s.takeErrors()...)
			}
		}
		s.Keep(icfg.Columns)
		in.Columns = slices.Clone(icfg.Columns)
	} else {
		for _, f := range fields {
			if f.Unsupported != "" {
				in.LeftOut = append(in.LeftOut, f)
			}
		}
		if len(in.LeftOut) > 0 {
			for _, f := range fields {
				if f.Unsupported == "" {
					in.Columns = append(in.Columns, f.Name)
				}
			}
			if len(in.Columns) == 0 {
				f := in.LeftOut[0]
				fe = append(fe, &confyaml.FieldError{Key: "input", Msg: fmt.Sprintf("none of the input's columns can be read: column %q: %s", f.Name, unreadableReason(f))})
			}
		}
	}
	if icfg.ID != "" {
		if !s.Has(icfg.ID) {
			unknown("input.id", icfg.ID, s.Names())
		} else if s.Require("input.id", icfg.ID) {
			s.id = icfg.ID
		} else {
			fe = append(fe, s.takeErrors()...)
		}
	}
	if w := icfg.WeightColumn; w != "" {
		if !s.Has(w) {
			unknown("input.weight_column", w, s.Names())
		} else {
			s.weight = w
		}
	}
	if len(fe) > 0 {
		return nil, nil, cfg.redactErrors(cfg.dec.Locate(fe, "", nil)).Sorted()
	}
	return in, s, nil
}

// unreadableReason is the message for naming a column the source cannot
// read.
func unreadableReason(f Field) string {
	if f.Type == "" {
		return f.Unsupported
	}
	return fmt.Sprintf("its type %s is not supported (%s)", f.Type, f.Unsupported)
}

// inputError turns an error of opening the input into what the command
// reports. A problem with the input file itself — it does not exist, cannot
// be read, or is not what input.format (or its own bytes) say it is — is an
// *InputError: a data error (exit 1) recorded in failed/, since the config
// may be right and tonight's export missing or broken. A problem another
// key of the input block fixes (a DSN that does not parse, a refused login,
// a query the server rejects, an unknown table) is a config error at that
// key (exit 2). Anything else is returned as it is.
func inputError(cfg *Config, err error) error {
	var ke *InputKeyError
	if !errors.As(err, &ke) {
		return err
	}
	key := confyaml.JoinKey("input", ke.Key)
	if ke.Key == "path" || ke.Key == "format" || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		ie := &InputError{Key: key, Err: ke.Err}
		if msg := ke.Err.Error(); cfg.Redact(msg) != msg {
			ie.Err = errors.New(cfg.Redact(msg)) // a secret in a path: keep it out
		}
		if errors.Is(err, fs.ErrNotExist) {
			ie.Hint = strings.TrimSpace(cfg.Input.MissingHint)
		}
		if cfg.dec != nil {
			ie.Pos = cfg.Redact(cfg.dec.ErrorAt(cfg.dec.NodeFor(key), "", "", "").Pos)
		}
		return ie
	}
	msg := ke.Err.Error()
	return cfg.redactErrors(confyaml.ConfigErrors{cfg.dec.ErrorAt(cfg.dec.NodeFor(key), "", key, msg)})
}
