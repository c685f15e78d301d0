package pipeline

// Input returns the run's input, opened by the column check before any
// stage ran: the ingest stage reads it (exactly once for a stream). It is
// nil when the stage runs outside Run.
func (e *Env) Input() *OpenedInput { return e.input }

// NearNumeric explains why a text column is text when the input source
// found it nearly numeric (a few stray cells such as "N/A" in a column of
// numbers): which rows broke the numbers and what to do. column is the
// name the stage sees; renames by earlier stages are followed back to the
// input column. "" when there is nothing to say.
func (e *Env) NearNumeric(column string) string {
	if e.state == nil || e.state.Input == nil || len(e.state.Input.NearNumeric) == 0 {
		return ""
	}
	name := column
	if from, ok := e.origins[column]; ok {
		name = from
	}
	if name == "" {
		return ""
	}
	return e.state.Input.NearNumeric[name]
}
