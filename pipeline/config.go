package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/churnlab/segment/internal/frame"
)

// Config is a segment job: one YAML file. See docs/config.md for every key.
type Config struct {
	// Version of the config format. Required; must be 1.
	Version int `yaml:"version,required" json:"version"`
	// Name of the job; it names the run folders (<out>/<UTC time>-<name>).
	// Letters, digits, '.', '_' and '-'. Required.
	Name string `yaml:"name,required" json:"name"`
	// Description is free text shown in the report.
	Description string `yaml:"description" json:"description,omitempty"`
	// Seed for every random choice of the run (k-means seeding, samples).
	// Each stage derives its own seed from it and its name. Default 42.
	Seed uint64 `yaml:"seed" json:"seed"`
	// Input is the table to analyse.
	Input InputConfig `yaml:"input,required" json:"input"`
	// Output says where runs are written.
	Output OutputConfig `yaml:"output" json:"output"`
	// Stages run in this order.
	Stages []*StageSpec `yaml:"stages,required" json:"stages"`

	// File is the config path as given; Dir its folder. Set by Load.
	File string `yaml:"-" json:"-"`
	Dir  string `yaml:"-" json:"-"`
	// FileSHA256 is the sha256 of the config file's bytes.
	FileSHA256 string `yaml:"-" json:"-"`
	// Overrides are the --set flags applied, in order.
	Overrides []string `yaml:"-" json:"-"`

	dec *Decoder
}

// InputConfig describes the input file and how to read it.
type InputConfig struct {
	// Path of the input file, relative to the config file's folder.
	// Required.
	Path Path `yaml:"path,required" json:"path"`
	// Format of the file. Only "csv" is supported. Default "csv".
	Format string `yaml:"format" json:"format"`
	// ID names the customer id column. It is kept out of statistics and
	// clustering and written next to each segment assignment. Optional.
	ID string `yaml:"id" json:"id,omitempty"`
	// Delimiter: "," ";" "\t" (or "tab") or "|"; empty detects one of
	// , ; and tab from the header line. Default "".
	Delimiter string `yaml:"delimiter" json:"delimiter,omitempty"`
	// Encoding of the file: utf-8, latin1 or cp1252. Default utf-8.
	Encoding string `yaml:"encoding" json:"encoding,omitempty"`
	// NAValues are extra cell values that mean "missing", e.g. ["NA",
	// "N/A", "null"]. Empty and whitespace-only cells are always missing.
	NAValues []string `yaml:"na_values" json:"na_values,omitempty"`
	// Types overrides the inferred type of columns: int, float, bool or
	// string, e.g. {Zip Code: string}.
	Types map[string]string `yaml:"types" json:"types,omitempty"`
	// Columns keeps only these columns, in this order. Default: all.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// MissingHint is added to the error when the file does not exist, e.g.
	// where to download it.
	MissingHint string `yaml:"missing_hint" json:"missing_hint,omitempty"`
}

// OutputConfig says where runs are written.
type OutputConfig struct {
	// Dir holds one folder per run plus `latest` and `failed/`. Relative to
	// the config file's folder; --out overrides it. Default "runs".
	Dir Path `yaml:"dir" json:"dir"`
	// KeepTables writes the table after every stage that changes it as
	// <stage>.table.csv. Default false.
	KeepTables bool `yaml:"keep_tables" json:"keep_tables"`
	// Retention prunes old runs after a successful publish.
	Retention RetentionConfig `yaml:"retention" json:"retention"`
}

// RetentionConfig limits how many published runs are kept.
type RetentionConfig struct {
	// KeepLast keeps the newest N runs (0 keeps all). The run `latest`
	// points at and any run a stage's `previous:` refers to are never
	// removed. Default 0.
	KeepLast int `yaml:"keep_last" json:"keep_last"`
}

// StageSpec is one entry of `stages:`.
type StageSpec struct {
	// Type of the stage (see `segment stages`). Required.
	Type string `json:"type"`
	// Name of the stage, unique in the config; defaults to Type. It
	// addresses the stage in --set (stages.NAME.key) and prefixes its files
	// when it differs from Type.
	Name string `json:"name"`
	// Config is the decoded stage config (a pointer from Factory.NewConfig).
	Config any `json:"config"`

	Factory Factory `json:"-"`

	node, typeNode, nameNode, configNode ast.Node
	dec                                  *Decoder
}

// Path is a file path in the config; relative values resolve against the
// config file's folder (or the working directory for --set values).
type Path string

// DecodeYAML implements NodeDecoder.
func (p *Path) DecodeYAML(d *Decoder, n ast.Node, key string) {
	if s, ok := d.Scalar(n, key); ok {
		*p = Path(d.ResolvePath(n, s))
	}
}

// DecodeYAML implements NodeDecoder: it keeps the config block's node for
// decoding once the stage type is known.
func (s *StageSpec) DecodeYAML(d *Decoder, n ast.Node, key string) {
	s.node = firstKey(n)
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a stage block {type, name, config}, got %s", describeNode(n))
		return
	}
	valid := []string{"type", "name", "config"}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		k, _ := scalarText(mv.Key)
		if seen[k] {
			d.Errorf(mv.Key, JoinKey(key, k), "key %q is given twice", k)
			continue
		}
		seen[k] = true
		v := d.resolve(mv.Value)
		switch k {
		case "type":
			s.typeNode = v
			s.Type, _ = d.Scalar(v, JoinKey(key, k))
		case "name":
			s.nameNode = v
			s.Name, _ = d.Scalar(v, JoinKey(key, k))
		case "config":
			s.configNode = v
		default:
			d.Errorf(mv.Key, JoinKey(key, k), "%s", unknownKeyMsg(k, valid))
		}
	}
	if !seen["type"] {
		d.Errorf(firstKey(n), JoinKey(key, "type"), "missing required key \"type\"")
	}
}

// DefaultConfig returns a Config with every top-level default filled in.
func DefaultConfig() *Config {
	return &Config{
		Seed:   42,
		Input:  InputConfig{Format: "csv"},
		Output: OutputConfig{Dir: "runs"},
	}
}

// LoadOptions adjusts Load.
type LoadOptions struct {
	Overrides []Override
	// LookupEnv resolves ${VAR}; default os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// WorkDir resolves relative --set paths; default the process's.
	WorkDir string
}

// Load reads, overrides, decodes and validates a config file. Problems come
// back together as ConfigErrors, each with file:line:col and YAML key.
func Load(path string, reg *Registry, opt LoadOptions) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, ConfigErrors{{Pos: path, Msg: fmt.Sprintf("cannot read config: %v", err)}}
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
	d := newDecoder(path, dir, opt.WorkDir, opt.LookupEnv)
	cfg := DefaultConfig()
	cfg.File, cfg.Dir, cfg.dec = path, dir, d
	sum := sha256.Sum256(src)
	cfg.FileSHA256 = hex.EncodeToString(sum[:])

	root, errs := parseRoot(path, src)
	if errs != nil {
		return nil, errs
	}
	var setErrs ConfigErrors
	for _, o := range opt.Overrides {
		cfg.Overrides = append(cfg.Overrides, o.Key+"="+o.Value)
		if err := d.applyOverride(root, o); err != nil {
			setErrs = append(setErrs, &ConfigError{Pos: o.flag(), Msg: err.Error()})
		}
	}
	if setErrs != nil {
		return nil, setErrs
	}
	d.decode(root, elemOf(cfg), "")
	all := d.takeErrors("", "")
	if _, set := d.pos["output.dir"]; !set {
		cfg.Output.Dir = Path(joinPath(dir, string(cfg.Output.Dir)))
	}

	names := map[string]bool{}
	for i, st := range cfg.Stages {
		key := fmt.Sprintf("stages[%d]", i)
		if st == nil || st.node == nil || st.Type == "" {
			continue
		}
		f, ok := reg.Lookup(st.Type)
		if !ok {
			msg := fmt.Sprintf("unknown stage type %q", st.Type)
			if s := frame.Suggest(st.Type, reg.Types()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (known: " + strings.Join(reg.sortedTypes(), ", ") + ")"
			}
			all = append(all, d.errAt(st.typeNode, "", "", key+".type", msg))
			continue
		}
		st.Factory = f
		if st.Name == "" {
			st.Name = st.Type
		}
		if names[st.Name] {
			at := st.nameNode
			if at == nil {
				at = st.node
			}
			all = append(all, d.errAt(at, st.Name, st.Type, key+".name", fmt.Sprintf("duplicate stage name %q; give each stage of the same type its own `name:`", st.Name)))
			continue
		}
		names[st.Name] = true
		st.Config = f.NewConfig()
		st.dec = d.sub()
		if st.configNode != nil {
			st.dec.decode(st.configNode, elemOf(st.Config), "")
		}
		all = append(all, st.dec.takeErrors(st.Name, st.Type)...)
		if v, ok := st.Config.(Validator); ok {
			all = append(all, st.fieldErrors(AsFieldErrors(v.Validate()))...)
		}
	}
	all = append(all, checkNeeds(cfg, reg)...)
	all = append(all, cfg.validate()...)
	if len(all) > 0 {
		return nil, all.sorted()
	}
	return cfg, nil
}

func parseRoot(path string, src []byte) (*ast.MappingNode, ConfigErrors) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		pos, msg := path, err.Error()
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			pos = fmt.Sprintf("%s:%d:%d", path, se.Token.Position.Line, se.Token.Position.Column)
			msg = se.Message
		}
		return nil, ConfigErrors{{Pos: pos, Msg: "YAML syntax error: " + msg}}
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			return nil, ConfigErrors{{Pos: path, Msg: "the file holds more than one YAML document; use one"}}
		}
		body = doc.Body
	}
	if body == nil {
		return nil, ConfigErrors{{Pos: path, Msg: "the config is empty"}}
	}
	switch b := body.(type) {
	case *ast.MappingNode:
		return b, nil
	case *ast.MappingValueNode:
		return ast.Mapping(b.GetToken(), false, b), nil
	}
	return nil, ConfigErrors{{Pos: path, Msg: "the config must be a mapping of keys (version, name, input, stages, ...)"}}
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Validate checks the top-level values.
func (c *Config) validate() ConfigErrors {
	var fe FieldErrors
	if c.Version != 1 {
		fe.Add("version", "unsupported version %d (this segment reads version 1)", c.Version)
	}
	if c.Name != "" && !namePattern.MatchString(c.Name) {
		fe.Add("name", "%q cannot name a folder: use letters, digits, '.', '_' and '-'", c.Name)
	}
	if c.Input.Format != "csv" {
		fe.Add("input.format", "unsupported format %q (only csv)", c.Input.Format)
	}
	switch c.Input.Delimiter {
	case "", ",", ";", "\t", "tab", "|":
	default:
		fe.Add("input.delimiter", "unsupported delimiter %q (use \",\", \";\", \"tab\" or \"|\", or leave it empty to detect)", c.Input.Delimiter)
	}
	switch strings.ToLower(c.Input.Encoding) {
	case "", "utf-8", "utf8", "latin1", "iso-8859-1", "cp1252", "windows-1252":
	default:
		fe.Add("input.encoding", "unsupported encoding %q (use utf-8, latin1 or cp1252)", c.Input.Encoding)
	}
	for col, typ := range c.Input.Types {
		if _, err := frame.ParseKind(typ); err != nil {
			fe.Add(MapKey("input.types", col), "%v", err)
		}
	}
	if c.Output.Retention.KeepLast < 0 {
		fe.Add("output.retention.keep_last", "must be 0 (keep all) or more")
	}
	if len(c.Stages) == 0 && c.dec.pos["stages"] != nil {
		fe.Add("stages", "list at least one stage")
	}
	return c.dec.fieldErrors(fe, "", "")
}

// EffectiveJSON is the config after --set, ${VAR} and defaults, as JSON
// (recorded in the manifest; its sha256 identifies the job).
func (c *Config) EffectiveJSON() []byte {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		panic("pipeline: config does not marshal: " + err.Error()) // config types are plain data
	}
	return b
}

// EffectiveSHA256 is the sha256 of EffectiveJSON.
func (c *Config) EffectiveSHA256() string {
	s := sha256.Sum256(c.EffectiveJSON())
	return hex.EncodeToString(s[:])
}

// Stage returns the spec of the stage with the given name.
func (c *Config) Stage(name string) *StageSpec {
	for _, s := range c.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (d *Decoder) sub() *Decoder {
	s := *d
	s.errs = nil
	s.pos = map[string]ast.Node{}
	return &s
}

func (d *Decoder) errAt(n ast.Node, stage, typ, key, msg string) *ConfigError {
	pos, line, col := d.position(n)
	return &ConfigError{Pos: pos, Stage: stage, Type: typ, Key: key, Msg: msg, line: line, col: col}
}

func (d *Decoder) takeErrors(stage, typ string) ConfigErrors {
	var out ConfigErrors
	for _, e := range d.errs {
		out = append(out, d.errAt(e.node, stage, typ, e.key, e.msg))
	}
	d.errs = nil
	return out
}

// fieldErrors locates field errors (keys relative to the decoded block).
func (d *Decoder) fieldErrors(fes FieldErrors, stage, typ string) ConfigErrors {
	var out ConfigErrors
	for _, fe := range fes {
		out = append(out, d.errAt(d.nodeFor(fe.Key), stage, typ, fe.Key, fe.Msg))
	}
	return out
}

func (s *StageSpec) fieldErrors(fes FieldErrors) ConfigErrors {
	var out ConfigErrors
	for _, fe := range fes {
		n := s.dec.nodeFor(fe.Key)
		if n == nil {
			n = s.node
		}
		out = append(out, s.dec.errAt(n, s.Name, s.Type, fe.Key, fe.Msg))
	}
	return out
}

// checkNeeds verifies that every stage's inputs are provided by an earlier
// stage.
func checkNeeds(cfg *Config, reg *Registry) ConfigErrors {
	var errs ConfigErrors
	provided := map[Slot]bool{}
	for _, st := range cfg.Stages {
		if st == nil || st.Factory.Type == "" {
			continue
		}
		for _, need := range st.Factory.Needs {
			if provided[need] {
				continue
			}
			msg := fmt.Sprintf("needs %s; no earlier stage provides them", need)
			var by []string
			for _, t := range reg.Types() {
				f, _ := reg.Lookup(t)
				for _, p := range f.Provides {
					if p == need {
						by = append(by, t)
					}
				}
			}
			if len(by) > 0 {
				msg += fmt.Sprintf(" (add a stage of type %s before it)", strings.Join(by, " or "))
			}
			errs = append(errs, cfg.dec.errAt(st.node, st.Name, st.Type, "", msg))
		}
		for _, p := range st.Factory.Provides {
			provided[p] = true
		}
	}
	return errs
}
