package report

import "github.com/churnlab/segment/pipeline"

// The drift section is a hook: the stage that compares a run with the
// previous one fills pipeline.DriftResult, buildDrift turns it into a
// DriftView, and the templates named "drift" (templates/drift.html.tmpl
// and templates/drift.md.tmpl) render it. To extend the
// section, add fields to DriftView, fill them here and show them in those
// two templates; nothing else in the report changes.

// DriftView is the drift section.
type DriftView struct {
	// Failed lists the drift_fail thresholds the run crossed (the run
	// exits with code 3).
	Failed []string
}

// buildDrift turns the drift result into its view.
func buildDrift(d *pipeline.DriftResult) *DriftView {
	return &DriftView{Failed: append([]string(nil), d.Failed...)}
}
