package parquet

// Config holds the Parquet source's keys of the input block (the shared
// keys path, id, types, columns are pipeline.InputConfig's).
type Config struct {
	// Partitions turns Hive-style key=value directory names of a
	// partitioned export (country=FR/part-0.parquet) into columns, after
	// the files' columns, as Spark, Hive and pyarrow read them. Default
	// true.
	Partitions bool `yaml:"partitions" json:"partitions"`
}

// NewConfig returns the defaults.
func NewConfig() any { return &Config{Partitions: true} }
