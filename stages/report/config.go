package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// Config is the report stage's config block. Every key is optional.
type Config struct {
	// Title of the report. Default "Customer segmentation: <job name>".
	Title string `yaml:"title" json:"title,omitempty"`
	// Sections lists the sections shown, in this order: overview (the
	// segments at a glance, first screen), profiles, hypotheses, drift, and
	// the appendix sections k_selection, quality, eda, summary, reproduce.
	// A section whose data is missing from the run (e.g. eda without an
	// eda stage) is left out silently. Default all, in that order.
	Sections []string `yaml:"sections" json:"sections"`
	// Include is the older form of Sections: the sections to show, always
	// in the default order ("segments" meaning overview and profiles; the
	// reproducibility footer always shown). Give Sections or Include, not
	// both. Optional.
	Include []string `yaml:"include" json:"include,omitempty"`
	// Formats of the report: html (one self-contained file, images
	// inline) and/or md (Markdown with relative image links). Default
	// [html, md].
	Formats []string `yaml:"formats" json:"formats"`
}

var _ pipeline.Validator = (*Config)(nil)

// Section names.
const (
	SectionOverview   = "overview"
	SectionProfiles   = "profiles"
	SectionHypotheses = "hypotheses"
	SectionDrift      = "drift"
	SectionKSelection = "k_selection"
	SectionQuality    = "quality"
	SectionEDA        = "eda"
	SectionSummary    = "summary"
	SectionReproduce  = "reproduce"

	// sectionSegments is include:'s name for overview and profiles.
	sectionSegments = "segments"
)

// Sections lists every section in the default order: what the people who
// act on the report read first, then the appendix.
func Sections() []string {
	return []string{SectionOverview, SectionProfiles, SectionHypotheses, SectionDrift,
		SectionKSelection, SectionQuality, SectionEDA, SectionSummary, SectionReproduce}
}

// appendixSections are the details a reader may skip: shown under the
// Appendix heading, after a page break in print.
var appendixSections = []string{SectionKSelection, SectionQuality, SectionEDA, SectionSummary, SectionReproduce}

// includeNames are the names include: accepts.
func includeNames() []string {
	return []string{SectionSummary, SectionQuality, SectionEDA, SectionKSelection, sectionSegments, SectionHypotheses, SectionDrift}
}

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{Sections: Sections(), Formats: []string{"html", "md"}}
}

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	if len(c.Title) > 200 {
		fe.Add("title", "a title has at most 200 characters, got %d", len(c.Title))
	}
	checkNames(&fe, "sections", c.Sections, Sections())
	if len(c.Sections) == 0 {
		fe.Add("sections", "list at least one of %s", strings.Join(Sections(), ", "))
	}
	if c.Include != nil {
		checkNames(&fe, "include", c.Include, includeNames())
		if !slices.Equal(c.Sections, Sections()) {
			fe.Add("include", "give sections (order and choice) or include (its older form), not both")
		}
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

// checkNames reports unknown and repeated section names under key[i].
func checkNames(fe *confyaml.FieldErrors, key string, names, known []string) {
	seen := map[string]bool{}
	for i, s := range names {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case !slices.Contains(known, s):
			fe.Add(k, "unknown section %q (sections: %s)", s, strings.Join(known, ", "))
		case seen[s]:
			fe.Add(k, "section %q is listed twice", s)
		}
		seen[s] = true
	}
}

// order returns the sections to show, in order: Sections, or with the
// older Include the default order filtered by it.
func (c *Config) order() []string {
	if c.Include == nil {
		return c.Sections
	}
	var out []string
	for _, s := range Sections() {
		inc := slices.Contains(c.Include, s) || s == SectionReproduce ||
			(s == SectionOverview || s == SectionProfiles) && slices.Contains(c.Include, sectionSegments)
		if inc {
			out = append(out, s)
		}
	}
	return out
}

func (c *Config) wants(section string) bool { return slices.Contains(c.order(), section) }

// isAppendix reports whether a section belongs to the appendix.
func isAppendix(section string) bool { return slices.Contains(appendixSections, section) }
