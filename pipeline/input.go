package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/sniff"
)

// sharedInputKeys are the keys of the input block that every source has.
func sharedInputKeys() []string { return keysOf(&InputConfig{}) }

// keysOf lists the YAML keys of a config struct.
func keysOf(cfg any) []string { return confyaml.KnownKeys(cfg) }

// SourceFormat is the format of the source that reads the input: input.format,
// or the one detected when it is not set ("" before Load).
func (in *InputConfig) SourceFormat() string { return in.factory.Format }

// Describe names the input for messages: the path ("standard input" for
// "-"), or what the source's config says (a table and a DSN without its
// password).
func (in *InputConfig) Describe() string {
	switch {
	case in.Path == "-":
		return "standard input"
	case in.Path != "":
		return string(in.Path)
	}
	if d, ok := in.Options.(Describer); ok {
		return d.Describe()
	}
	return in.factory.Format + " input"
}

// MarshalJSON writes the shared keys and the source's keys as one object,
// as they are written in the config (the manifest's effective config).
func (in InputConfig) MarshalJSON() ([]byte, error) {
	type plain InputConfig // without this method
	shared, err := json.Marshal(plain(in))
	if err != nil || in.Options == nil {
		return shared, err
	}
	opts, err := json.Marshal(in.Options)
	if err != nil {
		return nil, err
	}
	switch {
	case len(opts) <= 2: // {}
		return shared, nil
	case len(shared) <= 2:
		return opts, nil
	}
	return append(append(shared[:len(shared)-1:len(shared)-1], ','), opts[1:]...), nil
}

// DecodeYAML implements confyaml.NodeDecoder: it decodes the shared keys
// and, once the source is known (input.format, or detected from the keys
// given and what input.path holds), that source's keys, strictly, from
// the same block.
func (in *InputConfig) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a mapping of keys, got %s", confyaml.DescribeNode(n))
		return
	}
	if in.reg == nil {
		d.Errorf(n, key, "no input sources are registered (pass the registry of sources/sources.go with Registry.WithSources)")
		return
	}
	in.decoded = true
	// Peek at format and path with a decoder whose errors are dropped:
	// the decoding below reports them once.
	peek := d.Sub()
	var keys []string
	var formatNode, pathNode ast.Node
	for _, mv := range m.Values {
		k, _ := confyaml.ScalarText(d.Resolve(mv.Key))
		keys = append(keys, k)
		switch k {
		case "format":
			formatNode = mv.Value
		case "path":
			pathNode = mv.Value
		}
	}
	format, path := "", ""
	if formatNode != nil {
		format, _ = peek.Scalar(formatNode, "")
		format = strings.TrimSpace(format)
	}
	if pathNode != nil {
		s, ok := peek.Scalar(pathNode, "")
		in.undecided = !ok // reported by the decoding below
		if ok {
			in.rawPath = s
			path = s
			if s != "-" && s != "" {
				path = d.ResolvePath(d.Resolve(pathNode), s)
			}
		}
	}

	var f SourceFactory
	found := false
	if format != "" {
		if f, found = in.reg.Lookup(format); !found {
			msg := fmt.Sprintf("unknown format %q (known: %s)", format, strings.Join(in.reg.Formats(), ", "))
			if s := frame.Suggest(format, in.reg.Formats()); s != "" {
				msg = fmt.Sprintf("unknown format %q (did you mean %q?)", format, s)
			}
			d.Errorf(d.Resolve(formatNode), confyaml.JoinKey(key, "format"), "%s", msg)
		}
	} else {
		p := probeInput(path, keys)
		if f, found = in.reg.detect(p); found {
			in.detected = describeProbe(p)
		}
	}

	var opts any
	var optKeys []string
	if found {
		opts = f.NewConfig()
		optKeys = keysOf(opts)
	}
	// Keys of another source get a message naming it instead of "unknown
	// key", and are left out of the strict decoding.
	shared := sharedInputKeys()
	body := *m
	body.Values = nil
	for i, mv := range m.Values {
		k := keys[i]
		if found && !slices.Contains(shared, k) && !slices.Contains(optKeys, k) {
			if owners := in.reg.otherKeyOwners(k, f.Format); len(owners) > 0 {
				d.Errorf(mv.Key, confyaml.JoinKey(key, k), "%q is a key of the %s source, but the input is read by the %s source (%s); remove it or set input.format",
					k, strings.Join(owners, " and "), f.Format, in.how(format))
				continue
			}
		}
		if !found && !slices.Contains(shared, k) {
			continue // the format's problem is reported; its keys cannot be checked
		}
		body.Values = append(body.Values, mv)
	}

	// Decode the shared keys and the source's into one struct made of
	// both, so that unknown keys are reported with suggestions from either.
	fields := []reflect.StructField{{Name: "Shared", Type: reflect.TypeFor[InputConfig](), Tag: `yaml:",inline"`}}
	if found {
		fields = append(fields, reflect.StructField{Name: "Opts", Type: reflect.TypeOf(opts).Elem(), Tag: `yaml:",inline"`})
	}
	both := reflect.New(reflect.StructOf(fields)).Elem()
	both.Field(0).Set(reflect.ValueOf(*in))
	if found {
		both.Field(1).Set(reflect.ValueOf(opts).Elem())
	}
	d.Decode(&body, both.Addr().Interface(), key)
	*in = both.Field(0).Interface().(InputConfig)
	if found {
		reflect.ValueOf(opts).Elem().Set(both.Field(1))
		in.Options, in.factory = opts, f
	}
	if in.rawPath == "-" {
		in.Path = "-" // standard input, not a file named "-" beside the config
	}
}

// how says how the format was chosen, for messages.
func (in *InputConfig) how(given string) string {
	if given != "" {
		return "input.format: " + given
	}
	if in.detected != "" {
		return "detected: " + in.detected
	}
	return "detected"
}

// validate checks the shared keys and the source's own (its Validate);
// keys are relative to the top level ("input.path").
func (in *InputConfig) validate() confyaml.FieldErrors {
	var fe confyaml.FieldErrors
	for _, col := range slices.Sorted(maps.Keys(in.Types)) {
		if k, err := frame.ParseKind(in.Types[col]); err != nil {
			fe.Add(confyaml.MapKey("input.types", col), "%v", err)
		} else if col == in.ID && k != frame.String {
			fe.Add(confyaml.MapKey("input.types", col), "%q is the id column (input.id), which is always read as text, exactly as in the file; remove it from input.types", col)
		}
	}
	seen := map[string]bool{}
	for i, c := range in.Columns {
		if seen[c] {
			fe.Add(fmt.Sprintf("input.columns[%d]", i), "column %q is listed twice", c)
		}
		seen[c] = true
	}
	f := in.factory
	if f.Format == "" {
		if in.decoded && in.Format == "" && !in.undecided {
			fe.Add("input", "cannot tell which source reads this input: give path (a file, a directory or - for standard input) or the keys of a database source, or set format (%s)", strings.Join(in.reg.Formats(), ", "))
		}
		return fe
	}
	switch {
	case f.ReadsPath && in.Path == "":
		fe.Add("input.path", "missing required key \"path\" (the %s source reads a file; - is standard input)", f.Format)
	case !f.ReadsPath && in.Path != "":
		fe.Add("input.path", "the %s source reads no file; remove path, or set input.format to the format of the file", f.Format)
	}
	if v, ok := in.Options.(Validator); ok {
		for _, e := range confyaml.AsFieldErrors(v.Validate()) {
			fe = append(fe, &confyaml.FieldError{Key: confyaml.JoinKey("input", e.Key), Msg: e.Msg})
		}
	}
	return fe
}

// Validate checks an input block built in code (see
// SourceRegistry.PrepareInput) as Load checks a decoded one: the shared
// keys and the source's own; keys are named as in a config ("input.path").
func (in *InputConfig) Validate() error { return in.validate().Err() }

// secrets returns what the source's config holds that must never be
// recorded.
func (in *InputConfig) secrets() []string {
	if s, ok := in.Options.(Secrets); ok {
		return s.Secrets()
	}
	return nil
}

// probeInput looks at input.path without consuming anything: a directory
// is listed, a regular file's first bytes are read, and a stream is left
// alone.
func probeInput(path string, keys []string) Probe {
	p := Probe{Path: path, Keys: slices.Sorted(slices.Values(keys))}
	switch path {
	case "":
		return p
	case "-":
		p.Stream = true
		return p
	}
	st, err := os.Stat(path)
	if err != nil {
		p.Missing = errors.Is(err, fs.ErrNotExist)
		return p
	}
	switch {
	case st.IsDir():
		p.Dir = true
		p.DirExts = dirExtensions(path)
	case st.Mode().IsRegular():
		f, err := os.Open(path)
		if err != nil {
			return p
		}
		defer f.Close()
		buf := make([]byte, sniff.SampleSize)
		n, _ := readFull(f, buf)
		if n > 0 {
			p.Magic = string(sniff.Detect(buf[:n]).Format)
		}
	default:
		p.Stream = true
	}
	return p
}

func readFull(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := f.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// dirExtensions lists the extensions of the files below dir (names
// starting with '.' or '_' skipped), looking at no more than 10,000
// entries.
func dirExtensions(dir string) []string {
	seen := map[string]bool{}
	n := 0
	_ = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if n++; n > 10000 {
			return filepath.SkipAll
		}
		name := e.Name()
		if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.IsDir() {
			seen[strings.ToLower(filepath.Ext(name))] = true
		}
		return nil
	})
	return slices.Sorted(maps.Keys(seen))
}

// describeProbe says what the probe found, for messages ("the file starts
// with gzip data").
func describeProbe(p Probe) string {
	switch {
	case p.Path == "":
		return "from the keys given"
	case p.Path == "-":
		return "standard input"
	case p.Missing:
		return "from the file name " + filepath.Base(p.Path)
	case p.Dir:
		return "a directory"
	case p.Stream:
		return "a stream"
	case p.Magic != "":
		return "the file holds " + sniff.Describe(sniff.Format(p.Magic))
	}
	return "from the file name " + filepath.Base(p.Path)
}
