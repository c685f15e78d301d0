package pipeline

// ProfileResult is what the profile stage leaves in the State for the
// report. (Filled in by the profile stage.)
type ProfileResult struct{}
