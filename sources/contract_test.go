package sources

// The contract every source keeps, checked over Registry() like the
// stages' (stages/contract_test.go): a config struct whose every field is
// a documented YAML key, defaults that validate (but for the keys a user
// must give), no clash with the shared input keys, and a detection that
// claims nothing it cannot read.

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// mustGive are the keys of each source that have no default: Validate of
// the defaults may only complain about them.
var mustGive = map[string][]string{
	"postgres": {"dsn", "table"},
}

// section returns the part of docs/config.md under the heading, up to the
// next heading of the same or a higher level.
func section(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "\n"+heading+"\n")
	if start < 0 {
		t.Fatalf("docs/config.md has no heading %q", heading)
	}
	level := strings.Index(heading, " ")
	rest := doc[start+len(heading)+2:]
	for _, h := range regexp.MustCompile(`(?m)^#+ `).FindAllStringIndex(rest, -1) {
		if h[1]-h[0]-1 <= level {
			return rest[:h[0]]
		}
	}
	return rest
}

// documented reports whether key appears as `key` in a table row of text.
func documented(text, key string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "| `"+key+"`") {
			return true
		}
	}
	return false
}

func TestSourceConfigs(t *testing.T) {
	reg := Registry()
	shared := section(t, "### `input`")
	for _, k := range confyaml.KnownKeys(&pipeline.InputConfig{}) {
		if !documented(shared, k) {
			t.Errorf("shared input key %s is not documented in docs/config.md's section on `input`", k)
		}
	}
	for _, format := range reg.Formats() {
		t.Run(format, func(t *testing.T) {
			f, _ := reg.Lookup(format)
			if f.Summary == "" {
				t.Error("no summary for `segment sources`")
			}
			cfg := f.NewConfig()
			v := reflect.ValueOf(cfg)
			if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
				t.Fatalf("NewConfig returns %T, want a pointer to a struct", cfg)
			}
			typ := v.Elem().Type()
			for i := range typ.NumField() {
				fld := typ.Field(i)
				if name, _, _ := strings.Cut(fld.Tag.Get("yaml"), ","); name == "" || name == "-" || !fld.IsExported() {
					t.Errorf("field %s is not a YAML key: a source config holds only its keys", fld.Name)
				}
			}
			if val, ok := cfg.(pipeline.Validator); ok {
				for _, e := range confyaml.AsFieldErrors(val.Validate()) {
					if !slices.Contains(mustGive[format], e.Key) {
						t.Errorf("the defaults do not validate: %v", e)
					}
				}
			}
			docs := section(t, "## Source `"+format+"`")
			for _, k := range confyaml.KnownKeys(cfg) {
				if !documented(docs, k) {
					t.Errorf("key %s is not documented in docs/config.md's section \"## Source `%s`\"", k, format)
				}
			}
			if f.Detect(pipeline.Probe{}) != pipeline.DetectNo {
				t.Error("claims an input block without path or keys")
			}
		})
	}
}

// TestDetect: content before extension, directories, streams, keys.
func TestDetect(t *testing.T) {
	reg := Registry()
	for _, tc := range []struct {
		name string
		p    pipeline.Probe
		want string
	}{
		{"csv text", pipeline.Probe{Path: "x.csv", Magic: "text"}, "csv"},
		{"gzip named .csv.gz", pipeline.Probe{Path: "x.csv.gz", Magic: "gzip"}, "csv"},
		{"zstd named .dat", pipeline.Probe{Path: "x.dat", Magic: "zstd"}, "csv"},
		{"parquet content named .csv", pipeline.Probe{Path: "x.csv", Magic: "parquet"}, "parquet"},
		{"text named .parquet", pipeline.Probe{Path: "x.parquet", Magic: "text"}, "csv"},
		{"missing .parquet", pipeline.Probe{Path: "x.parquet", Missing: true}, "parquet"},
		{"missing .csv.zst", pipeline.Probe{Path: "x.csv.zst", Missing: true}, "csv"},
		{"missing, no extension", pipeline.Probe{Path: "x", Missing: true}, "csv"},
		{"xlsx: csv says what it is", pipeline.Probe{Path: "x.xlsx", Magic: "xlsx"}, "csv"},
		{"directory of parquet", pipeline.Probe{Path: "d", Dir: true, DirExts: []string{".crc", ".parquet"}}, "parquet"},
		{"directory of other files", pipeline.Probe{Path: "d", Dir: true, DirExts: []string{".csv"}}, "parquet"},
		{"standard input", pipeline.Probe{Path: "-", Stream: true}, "csv"},
		{"a pipe", pipeline.Probe{Path: "/dev/fd/63", Stream: true}, "csv"},
		{"dsn", pipeline.Probe{Keys: []string{"dsn", "id", "table"}}, "postgres"},
		{"query", pipeline.Probe{Keys: []string{"query"}}, "postgres"},
	} {
		best, score := "", 0
		for _, format := range reg.Formats() {
			f, _ := reg.Lookup(format)
			if s := f.Detect(tc.p); s > score {
				best, score = format, s
			}
		}
		if best != tc.want {
			t.Errorf("%s: detected %q, want %q", tc.name, best, tc.want)
		}
	}
}
