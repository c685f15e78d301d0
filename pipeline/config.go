package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// Config is a segment job: one YAML file. See docs/config.md for every key.
type Config struct {
	// Version of the config format. Required; must be 1.
	Version int `yaml:"version,required" json:"version"`
	// Name of the job; it names the run folders (<out>/<UTC time>-<name>)
	// and the job's link <out>/latest-<name>. Letters, digits, '.', '_' and
	// '-', starting with a letter or digit, at most 64 characters. Required.
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
	// Execution says how the run holds its table: in memory, streamed in
	// passes, or chosen from the input's size (execution.go).
	Execution ExecutionConfig `yaml:"execution" json:"execution"`
	// Stages run in this order.
	Stages []*StageSpec `yaml:"stages,required" json:"stages"`

	// File is the config path as given; Dir its folder. Set by Load.
	File string `yaml:"-" json:"-"`
	Dir  string `yaml:"-" json:"-"`
	// FileSHA256 is the sha256 of the config file's bytes.
	FileSHA256 string `yaml:"-" json:"-"`
	// Overrides are the --set flags applied, in order.
	Overrides []string `yaml:"-" json:"-"`

	dec     *confyaml.Decoder
	secrets []string // what the input's config holds that is never recorded (a DSN's password)
}

// InputConfig describes the input: the keys every source shares, and the
// keys of the source that reads it (Options), written side by side in the
// `input:` block. See docs/config.md, "Input sources".
type InputConfig struct {
	// Format names the source that reads the input (`segment sources`):
	// csv, parquet or postgres. Default: detected from the keys given (a
	// dsn means postgres), then from what input.path holds (its first
	// bytes, a directory of Parquet files), then its extension.
	Format string `yaml:"format" json:"format,omitempty"`
	// Path of the input file or directory, relative to the config file's
	// folder; "-" is standard input. Required by the sources that read a
	// path (csv, parquet); refused by the others.
	Path confyaml.Path `yaml:"path" json:"path,omitempty"`
	// ID names the customer id column. It is kept out of statistics and
	// clustering and written next to each segment assignment. Optional.
	ID string `yaml:"id" json:"id,omitempty"`
	// WeightColumn names a numeric column of sample weights (frequency
	// weights): each row counts that many times in the eda statistics, the
	// cluster stage (scaling, k-means or k-prototypes, k selection,
	// stability) and the profiles. Finite and ≥ 0; a row of weight 0 is
	// ignored by every statistic but still gets a segment. Like the id
	// column it is kept out of statistics and clustering, and followed
	// through renames. Optional (every row counts once).
	WeightColumn string `yaml:"weight_column" json:"weight_column,omitempty"`
	// Types overrides the type of columns: int, float, bool or string,
	// e.g. {Zip Code: string}. CSV cells are parsed as that type; other
	// sources convert the column after reading it.
	Types map[string]string `yaml:"types" json:"types,omitempty"`
	// Columns keeps only these columns, in this order (only they are read
	// where the source can). Default: all.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// MissingHint is added to the error when the input file does not
	// exist, e.g. where to download it.
	MissingHint string `yaml:"missing_hint" json:"missing_hint,omitempty"`

	// Options is the source's own config: the pointer its factory's
	// NewConfig returned, decoded from the same block (e.g. the CSV
	// source's delimiter, encoding and na_values). Set by Load.
	Options any `yaml:"-" json:"-"`

	// AsText asks the source to read every column as text, byte for byte
	// where the format stores text (segment predict: its replay brings each
	// column to the type the training run read it as). Not a config key.
	AsText bool `yaml:"-" json:"-"`

	reg       *SourceRegistry
	factory   SourceFactory // the source chosen (given or detected); Format "" when none
	detected  string        // how the format was detected, for messages; "" when given
	rawPath   string        // input.path as written (after ${VAR}), before resolving
	undecided bool          // input.path could not be read (an unset ${VAR}): no source was chosen
	decoded   bool          // the block was decoded (it is in the file)
}

// OutputConfig says where runs are written.
type OutputConfig struct {
	// Dir holds one folder per run plus `latest` and `failed/`. Relative to
	// the config file's folder; --out overrides it. Default "runs".
	Dir confyaml.Path `yaml:"dir" json:"dir"`
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

// DefaultConfig returns a Config with every top-level default filled in.
func DefaultConfig() *Config {
	return &Config{
		Seed:      42,
		Output:    OutputConfig{Dir: "runs"},
		Execution: defaultExecution(),
	}
}

// validate checks the top-level values.
func (c *Config) validate() confyaml.ConfigErrors {
	var fe confyaml.FieldErrors
	if c.Version != 1 {
		fe.Add("version", "unsupported version %d (this segment reads version 1)", c.Version)
	}
	if c.Name != "" {
		if why := checkName(c.Name, "a job name"); why != "" {
			fe.Add("name", "%s", why)
		}
	}
	fe = append(fe, c.Input.validate()...)
	if c.Input.WeightColumn != "" && c.Input.WeightColumn == c.Input.ID {
		fe.Add("input.weight_column", "%q is the id column (input.id); the weights must be a numeric column of their own", c.Input.WeightColumn)
	}
	if t, ok := c.Input.Types[c.Input.WeightColumn]; ok && c.Input.WeightColumn != "" {
		if k, err := frame.ParseKind(t); err == nil && k == frame.String {
			fe.Add(confyaml.MapKey("input.types", c.Input.WeightColumn), "%q is the weight column (input.weight_column), which must be numeric; remove it from input.types or give int or float", c.Input.WeightColumn)
		}
	}
	c.Execution.validate(&fe, &c.Input, &c.Output)
	if c.Output.Retention.KeepLast < 0 {
		fe.Add("output.retention.keep_last", "must be 0 (keep all) or more")
	}
	if len(c.Stages) == 0 && c.dec.Present("stages") {
		fe.Add("stages", "list at least one stage")
	}
	return c.dec.Locate(fe, "", nil)
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

// Redact replaces every secret the config holds (a DSN's password) in s
// with "xxxxx": for command lines and texts that are recorded or shown.
func (c *Config) Redact(s string) string {
	for _, sec := range c.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	return s
}

// redactErrors removes the secrets from config errors: a --set flag that
// gave a DSN with its password is their position.
func (c *Config) redactErrors(errs confyaml.ConfigErrors) confyaml.ConfigErrors {
	if len(c.secrets) == 0 {
		return errs
	}
	for _, e := range errs {
		e.Pos, e.Msg = c.Redact(e.Pos), c.Redact(e.Msg)
	}
	return errs
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
