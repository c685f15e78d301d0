package pipeline

// FeatureConfig is implemented by the config of a stage that clusters on
// features (the cluster stage), so that an earlier stage can look at them
// before the fit: the eda stage checks them for one-hot dummies that would
// dominate the distance and for near-duplicates.
type FeatureConfig interface {
	// ClusterFeatures returns the feature columns, the scaling method and
	// the per-feature weights (nil when none).
	ClusterFeatures() (features []string, scale string, weights map[string]float64)
}
