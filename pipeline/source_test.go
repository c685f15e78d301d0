package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// The test sources: "text" reads a small CSV file with encoding/csv (ints
// where every cell parses, else strings), "db" pretends to be a database
// (its rows are its table key's letters), both small enough to show the
// contract without internal/csvio, which pipeline does not import.

type textConfig struct {
	// Sep is the field separator.
	Sep string `yaml:"sep" json:"sep,omitempty"`
}

func (c *textConfig) Validate() error {
	var fe confyaml.FieldErrors
	if len(c.Sep) > 1 {
		fe.Add("sep", "one character")
	}
	return fe.Err()
}

type textSource struct {
	path    string
	header  []string
	rows    [][]string
	reads   int
	lineage *result.Input
}

func textFactory() SourceFactory {
	return SourceFactory{
		Format: "text", Summary: "test CSV", ReadsPath: true,
		Detect: func(p Probe) int {
			switch {
			case p.Magic == "text":
				return DetectContent
			case strings.HasSuffix(p.Path, ".csv"):
				return DetectExtension
			case p.Path != "" && !p.Dir:
				return DetectFallback
			}
			return DetectNo
		},
		NewConfig: func() any { return &textConfig{Sep: ","} },
		Open: func(ctx context.Context, in *InputConfig) (Source, error) {
			f, err := os.Open(string(in.Path))
			if err != nil {
				return nil, KeyError("path", err)
			}
			defer f.Close()
			r := csv.NewReader(f)
			r.Comma = rune(in.Options.(*textConfig).Sep[0])
			recs, err := r.ReadAll()
			if err != nil || len(recs) == 0 {
				return nil, fmt.Errorf("%s: not CSV: %v", in.Path, err)
			}
			return &textSource{path: string(in.Path), header: recs[0], rows: recs[1:]}, nil
		},
	}
}

func (s *textSource) Schema(context.Context) ([]Field, error) {
	var out []Field
	for _, n := range s.header {
		f := Field{Name: n, Inferred: true}
		if strings.HasPrefix(n, "blob") {
			f.Type, f.Unsupported = "BLOB", "binary data"
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *textSource) Read(ctx context.Context, columns []string) (*frame.Table, error) {
	s.reads++
	if len(columns) == 0 {
		columns = s.header
	}
	var cols []*frame.Column
	for _, name := range columns {
		j := slices.Index(s.header, name)
		if j < 0 {
			return nil, fmt.Errorf("no column %q", name)
		}
		vals := make([]string, len(s.rows))
		ints := make([]int64, len(s.rows))
		isInt := true
		for i, r := range s.rows {
			vals[i] = r[j]
			v, err := strconv.ParseInt(r[j], 10, 64)
			ints[i], isInt = v, isInt && err == nil
		}
		if isInt {
			cols = append(cols, frame.NewInt(name, ints, nil))
		} else {
			cols = append(cols, frame.NewString(name, vals, nil))
		}
	}
	t, err := frame.New(cols...)
	if err != nil {
		return nil, err
	}
	s.lineage = &result.Input{Format: "text", Path: s.path, SHA256: "x", Rows: t.NumRows(), Columns: t.NumCols(),
		NearNumeric: map[string]string{"b": "column \"b\" is text because of a stray cell"}}
	return t, nil
}

func (s *textSource) Scan(ctx context.Context, columns []string, batchRows int, fn func(*frame.Table) error) error {
	t, err := s.Read(ctx, columns)
	if err != nil {
		return err
	}
	return fn(t)
}

func (s *textSource) Lineage() *result.Input { return s.lineage }
func (s *textSource) Close() error           { return nil }

type dbConfig struct {
	// DSN with a password.
	DSN string `yaml:"dsn,required" json:"-"`
	// Table to read.
	Table string `yaml:"table" json:"table"`
}

func (c *dbConfig) Secrets() []string {
	if _, pw, ok := strings.Cut(c.DSN, "password="); ok {
		return []string{pw}
	}
	return nil
}

func (c *dbConfig) Describe() string { return "db table " + c.Table }

func dbFactory() SourceFactory {
	return SourceFactory{
		Format: "db", Summary: "test database",
		Detect: func(p Probe) int {
			if slices.Contains(p.Keys, "dsn") {
				return DetectContent
			}
			return DetectNo
		},
		NewConfig: func() any { return &dbConfig{} },
		Open: func(ctx context.Context, in *InputConfig) (Source, error) {
			c := in.Options.(*dbConfig)
			if c.Table == "missing" {
				return nil, KeyError("table", errors.New(`relation "missing" does not exist`))
			}
			if c.Table == "down" {
				return nil, errors.New("cannot connect: the server is down")
			}
			return &textSource{header: []string{"letter"}, rows: [][]string{{"a"}, {"b"}}}, nil
		},
	}
}

func testSources() *SourceRegistry {
	return NewSourceRegistry(textFactory(), dbFactory()).WithTableWriter(".txt", func(w io.Writer, t *frame.Table) error {
		_, err := fmt.Fprintln(w, strings.Join(t.Names(), "|"))
		return err
	})
}

// loadInput loads a config with the given input block against the test
// registry, in a folder holding d.csv ("a,b\n1,x\n2,y\n").
func loadInput(t *testing.T, input string, sets ...string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b\n1,x\n2,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ovs []confyaml.Override
	for _, s := range sets {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	src := "version: 1\nname: test\ninput:\n" + input + "stages:\n  - type: fake\n    config: {label: hi}\n"
	return LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), testRegistry(), LoadOptions{Overrides: ovs, LookupEnv: func(k string) (string, bool) {
		if k == "DB_DSN" {
			return "host=db password=hunter22", true
		}
		return "", false
	}})
}

// TestInputDetection: the source comes from input.format, else from the
// keys given, the content and the extension; its keys are decoded beside
// the shared ones, and keys of another source are named as such.
func TestInputDetection(t *testing.T) {
	for _, tc := range []struct {
		name, input string
		format      string
		err         string
	}{
		{"content", "  path: d.csv\n", "text", ""},
		{"explicit with own key", "  path: d.csv\n  format: text\n  sep: \";\"\n", "text", ""},
		{"keys say db", "  dsn: x\n  table: t\n", "db", ""},
		{"unknown format", "  path: d.csv\n  format: txet\n", "", `input.format: unknown format "txet" (did you mean "text"?)`},
		{"key of another source", "  path: d.csv\n  table: t\n", "", `input.table: "table" is a key of the db source, but the input is read by the text source (detected: the file holds text); remove it or set input.format`},
		{"unknown key", "  path: d.csv\n  sepp: x\n", "", `input.sepp: unknown key "sepp" (did you mean "sep"?)`},
		{"source's Validate", "  path: d.csv\n  sep: ab\n", "", `input.sep: one character`},
		{"path refused", "  format: db\n  dsn: x\n  table: t\n  path: d.csv\n", "", `input.path: the db source reads no file`},
		{"keys of two sources", "  dsn: x\n  path: d.csv\n", "", `input.dsn: "dsn" is a key of the db source, but the input is read by the text source (detected: the file holds text)`},
		{"path required", "  format: text\n", "", `input.path: missing required key "path" (the text source reads a file`},
		{"required key of the source", "  format: db\n  table: t\n", "", `input.dsn: missing required key "dsn"`},
		{"nothing to go on", "  id: a\n", "", `input: cannot tell which source reads this input`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := loadInput(t, tc.input)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want …%s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Input.SourceFormat(); got != tc.format {
				t.Errorf("format %q, want %q", got, tc.format)
			}
		})
	}
	cfg, err := loadInput(t, "  path: d.csv\n  sep: \";\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c := cfg.Input.Options.(*textConfig); c.Sep != ";" {
		t.Errorf("sep %q", c.Sep)
	}
	// The effective config shows the source's keys beside the shared ones.
	var eff map[string]any
	if err := json.Unmarshal(cfg.EffectiveJSON(), &eff); err != nil {
		t.Fatal(err)
	}
	in := eff["input"].(map[string]any)
	if in["sep"] != ";" || !strings.HasSuffix(in["path"].(string), "d.csv") {
		t.Errorf("effective input %v", in)
	}
	// "-" is standard input, not a file beside the config.
	if cfg, err := loadInput(t, "  path: \"-\"\n  format: text\n"); err != nil || cfg.Input.Path != "-" || cfg.Input.Describe() != "standard input" {
		t.Errorf("path -: %v %v", cfg, err)
	}
}

// TestInputSecrets: a source's secrets never reach the recorded overrides
// or the effective config.
func TestInputSecrets(t *testing.T) {
	cfg, err := loadInput(t, "  dsn: ${DB_DSN}\n  table: t\n", "input.table=u")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Input.Describe() != "db table u" {
		t.Errorf("describe %q", cfg.Input.Describe())
	}
	if got := cfg.Redact("psql host=db password=hunter22"); got != "psql host=db password=xxxxx" {
		t.Errorf("redact %q", got)
	}
	cfg, err = loadInput(t, "  dsn: x\n  table: t\n", "input.dsn=host=db password=hunter22")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(cfg.Overrides, " "), "hunter22") || strings.Contains(string(cfg.EffectiveJSON()), "hunter22") {
		t.Errorf("secret recorded: %q %s", cfg.Overrides, cfg.EffectiveJSON())
	}
}

// TestInputErrors: an *InputKeyError is a config error at its key; any
// other error of opening the input is returned as it is.
func TestInputErrors(t *testing.T) {
	cfg, err := loadInput(t, "  dsn: x\n  table: missing\n")
	if err != nil {
		t.Fatal(err)
	}
	err = CheckColumns(cfg)
	var ce confyaml.ConfigErrors
	if !errors.As(err, &ce) || !strings.HasSuffix(ce[0].Error(), `input.table: relation "missing" does not exist`) || !strings.Contains(ce[0].Error(), "c.yaml:5:") {
		t.Errorf("missing table: %v", err)
	}
	cfg, _ = loadInput(t, "  dsn: x\n  table: down\n")
	err = CheckColumns(cfg)
	if errors.As(err, &ce) || err == nil || err.Error() != "cannot connect: the server is down" {
		t.Errorf("server down: %v", err)
	}
}

// TestUnreadableColumns: a column the source cannot read is left out when
// nothing names it, and is a config error where something does, following
// renames.
func TestUnreadableColumns(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,blob1,b\n1,x,y\n"), 0o644)
	load := func(input, names string) *Config {
		src := "version: 1\nname: test\ninput:\n  path: d.csv\n" + input + "stages:\n  - type: renamer\n  - type: fake\n    config: {label: hi, names: [" + names + "]}\n"
		cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), testRegistry(), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	in, _, err := checkColumns(context.Background(), load("", "b"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Columns, []string{"a", "b"}) || len(in.LeftOut) != 1 || in.LeftOut[0].Name != "blob1" {
		t.Errorf("columns %v, left out %v", in.Columns, in.LeftOut)
	}
	for _, tc := range []struct{ input, names, want string }{
		{"", "blob1", `names[0]: column "blob1" cannot be read: its type BLOB is not supported (binary data)`},
		{"  columns: [a, blob1]\n", "a", `input.columns[1]: column "blob1" cannot be read`},
		{"  id: blob1\n", "a", `input.id: column "blob1" cannot be read`},
	} {
		if err := CheckColumns(load(tc.input, tc.names)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q %q: %v, want …%s", tc.input, tc.names, err, tc.want)
		}
	}
}

// TestInputOpenedOnce: a run opens its input once, in the column check,
// and the stages read it through Env.Input; NearNumeric follows renames
// back to the input column.
func TestInputOpenedOnce(t *testing.T) {
	cfg, out := runConfig(t, "  - type: reader\n  - type: renamer\n  - type: reader\n    name: reader2\n")
	res, err := Run(context.Background(), cfg, RunOptions{OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	got := res.State.Warnings
	want := []Warning{
		{Stage: "reader", Message: `a,b read 1 rows; b: column "b" is text because of a stray cell`},
		{Stage: "reader2", Message: `a,b read 1 rows; b: `},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("warnings %v\nwant %v", got, want)
	}
}

// reader reads the input through Env.Input and warns what it saw.
type reader struct{}

func (reader) Run(ctx context.Context, env *Env, st *State) error {
	in := env.Input()
	if st.Table == nil {
		t, err := in.Source.Read(ctx, in.Columns)
		if err != nil {
			return err
		}
		st.Table, st.Input = t, in.Source.Lineage()
	}
	env.Warn("%s read %d rows; b: %s", strings.Join(st.Table.Names(), ","), in.Source.(*textSource).reads, env.NearNumeric("b"))
	return nil
}
