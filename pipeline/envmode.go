package pipeline

// Execution is how the run holds its table (resolved before the first
// stage); nil outside Run.
func (e *Env) Execution() *Execution { return e.exec }

// Mode is the run's execution mode: ModeMemory (the default outside Run)
// or ModeStream. Each stage dispatches on it.
func (e *Env) Mode() string {
	if e.exec == nil || e.exec.Mode == "" {
		return ModeMemory
	}
	return e.exec.Mode
}
