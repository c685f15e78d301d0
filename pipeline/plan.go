package pipeline

import (
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
)

// checkNeeds verifies that every stage's inputs are provided by an earlier
// stage.
func checkNeeds(cfg *Config, reg *Registry) confyaml.ConfigErrors {
	var errs confyaml.ConfigErrors
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
			if by := reg.providers(need); len(by) > 0 {
				msg += fmt.Sprintf(" (add a stage of type %s before it)", strings.Join(by, " or "))
			}
			errs = append(errs, st.errorAt(cfg.dec, st.node, "", msg))
		}
		for _, p := range st.Factory.Provides {
			provided[p] = true
		}
	}
	return errs
}
