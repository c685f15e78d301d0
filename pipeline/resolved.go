package pipeline

// Resolved is what a run worked out from a stage's config, which itself
// stays as it was loaded: the runner fills it before the stage runs and hands
// it over in the Env; the stage adds what it resolves while running. The
// manifest records it under the stage's "resolved".
type Resolved struct {
	// IDColumn is the id column's name as the stage sees it: input.id after
	// the renames of earlier stages ("" when there is none).
	IDColumn string `json:"id_column,omitempty"`
	// WeightColumn is input.weight_column as the stage sees it, after
	// renames ("" when there is none).
	WeightColumn string `json:"weight_column,omitempty"`
	// Runs are the run folders (or model files outside a run folder) the
	// stage read, e.g. its previous model; retention never removes them.
	Runs []string `json:"runs,omitempty"`

	// origins maps the stage's column names that differ from the input's
	// to the input column they hold ("" for columns made by stages), for
	// Env.NearNumeric.
	origins map[string]string
}

func (r *Resolved) isZero() bool { return r.IDColumn == "" && r.WeightColumn == "" && len(r.Runs) == 0 }

// UseRun records that the stage read the published run folder (or model
// file) at path: the manifest lists it under the stage's resolved.runs, and
// retention never removes that run.
func (e *Env) UseRun(path string) {
	if e.record == nil || path == "" {
		return
	}
	if e.record.Resolved == nil {
		e.record.Resolved = &Resolved{}
	}
	e.record.Resolved.Runs = append(e.record.Resolved.Runs, path)
}
