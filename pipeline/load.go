package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// LoadOptions adjusts Load.
type LoadOptions struct {
	Overrides []confyaml.Override
	// LookupEnv resolves ${VAR}; default os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// WorkDir resolves relative --set paths; default the process's.
	WorkDir string
}

// Load reads, overrides, decodes and validates a config file. Problems come
// back together as confyaml.ConfigErrors, each with file:line:col and YAML
// key.
func Load(path string, reg *Registry, opt LoadOptions) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, confyaml.ConfigErrors{{Pos: path, Msg: fmt.Sprintf("cannot read config: %v", err)}}
	}
	return LoadBytes(path, src, reg, opt)
}

// LoadBytes is Load for a config already in memory; path names it in
// messages and its folder anchors relative paths.
func LoadBytes(path string, src []byte, reg *Registry, opt LoadOptions) (*Config, error) {
	if opt.LookupEnv == nil {
		opt.LookupEnv = os.LookupEnv
	}
	if opt.WorkDir == "" {
		opt.WorkDir, _ = os.Getwd()
	}
	dir := filepath.Dir(path)
	d := confyaml.NewDecoder(confyaml.Options{File: path, BaseDir: dir, WorkDir: opt.WorkDir, LookupEnv: opt.LookupEnv})
	cfg := DefaultConfig()
	cfg.File, cfg.Dir, cfg.dec = path, dir, d
	cfg.Input.reg = reg.Sources()
	sum := sha256.Sum256(src)
	cfg.FileSHA256 = hex.EncodeToString(sum[:])

	root, errs := confyaml.Parse(path, src, "version, name, input, stages, ...")
	if errs != nil {
		return nil, errs
	}
	var setErrs confyaml.ConfigErrors
	for _, o := range opt.Overrides {
		cfg.Overrides = append(cfg.Overrides, OverrideText(o))
		if err := d.ApplyOverride(root, o); err != nil {
			setErrs = append(setErrs, &confyaml.ConfigError{Pos: o.Flag(), Msg: err.Error()})
		}
	}
	if setErrs != nil {
		return nil, setErrs
	}
	d.Decode(root, cfg, "")
	all := d.TakeErrors("")
	if !d.Present("output.dir") {
		cfg.Output.Dir = confyaml.Path(d.ResolvePath(nil, string(cfg.Output.Dir)))
	}
	names := map[string]bool{}
	for i, st := range cfg.Stages {
		all = append(all, decodeStage(d, reg, st, fmt.Sprintf("stages[%d]", i), names)...)
	}
	all = append(all, checkNeeds(cfg, reg)...)
	all = append(all, cfg.validate()...)
	cfg.secrets = cfg.Input.secrets()
	if len(all) > 0 {
		return nil, cfg.redactErrors(all).Sorted()
	}
	for i, o := range cfg.Overrides {
		cfg.Overrides[i] = cfg.Redact(o)
	}
	return cfg, nil
}

// decodeStage looks up a stage's type, names it, and decodes and validates
// its `config:` block into the config type of its factory. names holds the
// stage names taken by earlier stages; key is the stage's path
// ("stages[2]").
func decodeStage(d *confyaml.Decoder, reg *Registry, st *StageSpec, key string, names map[string]bool) confyaml.ConfigErrors {
	if st == nil || st.node == nil || st.Type == "" {
		return nil // reported while decoding the list
	}
	f, ok := reg.Lookup(st.Type)
	if !ok {
		msg := fmt.Sprintf("unknown stage type %q", st.Type)
		if s := frame.Suggest(st.Type, reg.Types()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += " (known: " + strings.Join(slices.Sorted(slices.Values(reg.Types())), ", ") + ")"
		}
		return confyaml.ConfigErrors{d.ErrorAt(st.typeNode, "", key+".type", msg)}
	}
	st.Factory = f
	if st.Name == "" {
		st.Name = st.Type
	}
	if why := checkName(st.Name, "a stage name"); why != "" {
		at := st.nameNode
		if at == nil {
			at = st.node
		}
		return confyaml.ConfigErrors{d.ErrorAt(at, "", key+".name", why)}
	}
	if names[st.Name] {
		at := st.nameNode
		if at == nil {
			at = st.node
		}
		return confyaml.ConfigErrors{st.errorAt(d, at, key+".name", fmt.Sprintf("duplicate stage name %q; give each stage of the same type its own `name:`", st.Name))}
	}
	names[st.Name] = true
	st.Config = f.NewConfig()
	st.dec = d.Sub()
	if st.configNode != nil {
		st.dec.Decode(st.configNode, st.Config, "")
	}
	errs := st.dec.TakeErrors(st.block())
	if v, ok := st.Config.(Validator); ok {
		errs = append(errs, st.locate(confyaml.AsFieldErrors(v.Validate()))...)
	}
	return errs
}
