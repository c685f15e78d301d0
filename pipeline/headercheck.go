package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
)

// MinMissingForSummary is the number of columns a config uses that the
// input's header lacks from which the column check reports one summary
// line (the file changed under the config) instead of one line per use.
const MinMissingForSummary = 3

// noteUnknown records that Require did not find name, which the input's
// header never had, with the error it reported.
func (s *Schema) noteUnknown(fe *confyaml.FieldError, name string) {
	s.errName[fe] = name
	if !slices.Contains(s.unknownNames, name) {
		s.unknownNames = append(s.unknownNames, name)
	}
}

// summarizeHeader turns many columns missing from the input's header into
// one error at input.path — "the input's header no longer has 7 of the
// columns this config uses: A, B (did you mean "b"?), …" — and removes the
// errors about them from stageErrs (edited in place), so that a changed
// file gives one line instead of dozens of cascading ones. With fewer
// missing columns it does nothing (each use keeps its own located
// message).
func (s *Schema) summarizeHeader(cfg *Config, stageErrs []confyaml.FieldErrors) confyaml.ConfigErrors {
	if len(s.unknownNames) < MinMissingForSummary {
		return nil
	}
	missing := map[string]bool{}
	for _, n := range s.unknownNames {
		missing[n] = true
	}
	for i, fes := range stageErrs {
		kept := fes[:0]
		for _, fe := range fes {
			if !missing[s.errName[fe]] {
				kept = append(kept, fe)
			}
		}
		stageErrs[i] = kept
	}
	header := make([]string, 0, len(s.header))
	for h := range s.header {
		header = append(header, h)
	}
	slices.Sort(header)
	parts := make([]string, len(s.unknownNames))
	for i, n := range s.unknownNames {
		parts[i] = n
		if sug := frame.Suggest(n, header); sug != "" {
			parts[i] += fmt.Sprintf(" (did you mean %q?)", sug)
		}
	}
	msg := fmt.Sprintf("the input's header no longer has %d of the columns this config uses: %s (the file has %d columns: is it the export this config was written for?)",
		len(parts), strings.Join(parts, ", "), len(header))
	return confyaml.ConfigErrors{cfg.dec.ErrorAt(cfg.dec.NodeFor("input.path"), "", "input.path", msg)}
}
