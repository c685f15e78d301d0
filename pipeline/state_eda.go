package pipeline

// EDAResult is what the eda stage leaves in the State for later stages and
// the report.
type EDAResult struct{}
