package pipeline

// ProfileResult is what the profile stage leaves in the State for later stages and
// the report.
type ProfileResult struct{}
