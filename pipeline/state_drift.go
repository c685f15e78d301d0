package pipeline

// DriftResult is what a comparison with the previous run leaves in the State
// for the report.
type DriftResult struct {
	// Failed lists the drift_fail thresholds crossed; a non-empty list makes
	// the run exit 3 after publishing.
	Failed []string
}
