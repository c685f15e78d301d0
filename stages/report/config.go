package report

import (
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the report stage's config block. Every key is optional.
type Config struct {
	// Title of the report. Default "Customer segmentation: <job name>".
	Title string `yaml:"title" json:"title,omitempty"`
	// Include lists the sections, in the fixed report order: summary,
	// quality, eda, k_selection, segments, hypotheses, drift. A section
	// whose data is missing from the run (e.g. eda without an eda stage)
	// is left out silently. Default all.
	Include []string `yaml:"include" json:"include"`
	// Formats of the report: html (one self-contained file, images
	// inline) and/or md (Markdown with relative image links). Default
	// [html, md].
	Formats []string `yaml:"formats" json:"formats"`
}

var _ pipeline.Validator = (*Config)(nil)

// Section names.
const (
	SectionSummary    = "summary"
	SectionQuality    = "quality"
	SectionEDA        = "eda"
	SectionKSelection = "k_selection"
	SectionSegments   = "segments"
	SectionHypotheses = "hypotheses"
	SectionDrift      = "drift"
)

// Sections lists every section in report order.
func Sections() []string {
	return []string{SectionSummary, SectionQuality, SectionEDA, SectionKSelection, SectionSegments, SectionHypotheses, SectionDrift}
}

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{Include: Sections(), Formats: []string{"html", "md"}}
}

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	if len(c.Title) > 200 {
		fe.Add("title", "a title has at most 200 characters, got %d", len(c.Title))
	}
	known := map[string]bool{}
	for _, s := range Sections() {
		known[s] = true
	}
	seen := map[string]bool{}
	for i, s := range c.Include {
		key := fmt.Sprintf("include[%d]", i)
		switch {
		case !known[s]:
			fe.Add(key, "unknown section %q (sections: %s)", s, strings.Join(Sections(), ", "))
		case seen[s]:
			fe.Add(key, "section %q is listed twice", s)
		}
		seen[s] = true
	}
	if len(c.Formats) == 0 {
		fe.Add("formats", "list at least one of html, md")
	}
	seenF := map[string]bool{}
	for i, f := range c.Formats {
		key := fmt.Sprintf("formats[%d]", i)
		switch {
		case f != "html" && f != "md":
			fe.Add(key, "unknown format %q (want html or md)", f)
		case seenF[f]:
			fe.Add(key, "format %q is listed twice", f)
		}
		seenF[f] = true
	}
	return fe.Err()
}

func (c *Config) wants(section string) bool {
	for _, s := range c.Include {
		if s == section {
			return true
		}
	}
	return false
}
