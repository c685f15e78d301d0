package segment

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
	"github.com/churnlab/segment/sources/gota"
	"github.com/churnlab/segment/stages"
)

// Job is a segment config, loaded and checked, ready to run on DataFrames.
// It holds the config's bytes, the overrides and the ${VAR} values seen
// when it was loaded, never a DataFrame or a run, so one Job can run any
// number of times, from any number of goroutines at once.
type Job struct {
	file string
	src  []byte
	sets []confyaml.Override
	env  map[string]envValue
	wd   string
	name string
}

// LoadOptions adjusts Load and LoadBytes.
type LoadOptions struct {
	// Set overrides config keys as the command's --set flags do, in
	// order: "key.path=value", e.g. "stages.cluster.k=5" or
	// "stages.seed_table.steps[0].filter=Age > 30" (the value is read as
	// YAML; see docs/config.md, "--set").
	Set []string
	// LookupEnv resolves ${VAR} and ${VAR:-default} in string values;
	// default os.LookupEnv. Each variable is looked up once, by Load:
	// every run of the Job sees the same value.
	LookupEnv func(name string) (string, bool)
}

type envValue struct {
	v  string
	ok bool
}

// Load reads the config file at path and checks it as `segment run -c
// path --set …` does before reading any data: every problem is reported
// at once, in a ConfigErrors, each with its file:line:col (or the --set
// value) and YAML key. Relative paths in the config resolve against the
// config file's folder, relative --set paths against the working
// directory.
func Load(path string, opt LoadOptions) (*Job, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, ConfigErrors{{Pos: path, Msg: fmt.Sprintf("cannot read config: %v", err)}}
	}
	return LoadBytes(path, src, opt)
}

// LoadBytes is Load for a config held in memory. name names it in messages
// and its folder anchors the config's relative paths (output.dir); ""
// means "segment.yaml" in the working directory. src is copied.
func LoadBytes(name string, src []byte, opt LoadOptions) (*Job, error) {
	if name == "" {
		name = "segment.yaml"
	}
	j := &Job{file: name, src: slices.Clone(src), env: map[string]envValue{}}
	var errs ConfigErrors
	for _, s := range opt.Set {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			errs = append(errs, &ConfigError{Msg: err.Error()})
			continue
		}
		j.sets = append(j.sets, o)
	}
	if errs != nil {
		return nil, errs
	}
	lookup := opt.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("segment: working directory: %w", err)
	}
	j.wd = wd
	cfg, err := pipeline.LoadBytes(j.file, j.src, registry(dataframe.DataFrame{}), pipeline.LoadOptions{
		Overrides: j.sets,
		WorkDir:   j.wd,
		LookupEnv: func(name string) (string, bool) {
			v, ok := lookup(name)
			j.env[name] = envValue{v, ok}
			return v, ok
		},
	})
	if err != nil {
		return nil, err
	}
	j.name = cfg.Name
	return j, nil
}

// Name is the config's job name (it names the run folders).
func (j *Job) Name() string { return j.name }

// File is the config's file name as given to Load or LoadBytes.
func (j *Job) File() string { return j.file }

// config loads the Job's config again for one run, reading df through the
// gota source: the same bytes, overrides and ${VAR} values as Load, so it
// cannot fail where Load succeeded (but for a DataFrame-dependent check,
// which Run makes later).
func (j *Job) config(df dataframe.DataFrame) (*pipeline.Config, *pipeline.Registry, error) {
	reg := registry(df)
	cfg, err := pipeline.LoadBytes(j.file, j.src, reg, pipeline.LoadOptions{
		Overrides: j.sets,
		WorkDir:   j.wd,
		LookupEnv: func(name string) (string, bool) {
			e := j.env[name]
			return e.v, e.ok
		},
	})
	return cfg, reg, err
}

// registry is every stage and every source, with the gota source reading
// df: a new registry per run, so that runs on different DataFrames share
// nothing.
func registry(df dataframe.DataFrame) *pipeline.Registry {
	return stages.Registry().WithSources(sources.RegistryWith(gota.Factory(df)))
}
