package csv

import (
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config holds the CSV source's keys of the input block (the shared keys
// path, id, types, columns are pipeline.InputConfig's).
type Config struct {
	// Delimiter: "," ";" "\t" (or "tab") or "|"; empty detects one of
	// , ; and tab from the header line. Default "".
	Delimiter string `yaml:"delimiter" json:"delimiter,omitempty"`
	// Encoding of the text: utf-8, latin1 or cp1252. A UTF-16 or UTF-32
	// byte order mark overrides it. Default utf-8.
	Encoding string `yaml:"encoding" json:"encoding,omitempty"`
	// NAValues are extra cell values that mean "missing", e.g. ["NA",
	// "N/A", "null"]. Empty and whitespace-only cells are always missing.
	NAValues []string `yaml:"na_values" json:"na_values,omitempty"`
}

var _ pipeline.Validator = (*Config)(nil)

// NewConfig returns the defaults.
func NewConfig() any { return &Config{} }

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	switch c.Delimiter {
	case "", ",", ";", "\t", "tab", "|":
	default:
		fe.Add("delimiter", "unsupported delimiter %q (use \",\", \";\", \"tab\" or \"|\", or leave it empty to detect)", c.Delimiter)
	}
	switch strings.ToLower(c.Encoding) {
	case "", "utf-8", "utf8", "latin1", "iso-8859-1", "cp1252", "windows-1252":
	default:
		fe.Add("encoding", "unsupported encoding %q (use utf-8, latin1 or cp1252)", c.Encoding)
	}
	return fe.Err()
}

// delimiter is the configured delimiter as a rune, 0 to detect.
func (c *Config) delimiter() rune {
	switch c.Delimiter {
	case "tab", "\t":
		return '\t'
	case "":
		return 0
	}
	return rune(c.Delimiter[0])
}
