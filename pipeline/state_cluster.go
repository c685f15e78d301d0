package pipeline

// ClusterResult is what the cluster stage leaves in the State for later stages and
// the report.
type ClusterResult struct{}
