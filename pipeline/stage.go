package pipeline

import "context"

// Stage is one step of a run. Run reads what earlier stages left in the
// state, writes its artifacts through env and records its results in st.
// It must return promptly with ctx.Err() once ctx is cancelled.
type Stage interface {
	Run(ctx context.Context, env *Env, st *State) error
}

// Slot names a part of the State that stages provide and need.
type Slot string

// The slots of the State.
const (
	SlotTable    Slot = "table"    // State.Table
	SlotEDA      Slot = "eda"      // State.EDA
	SlotClusters Slot = "clusters" // State.Clusters
	SlotProfile  Slot = "profile"  // State.Profile
	SlotDrift    Slot = "drift"    // State.Drift
)

// Factory describes a stage type: its documentation, what it needs and
// provides, its config with defaults, and how to build it. Factories are
// listed explicitly in stages/stages.go; there is no init() registration.
type Factory struct {
	Type     string
	Summary  string // one line for `segment stages`
	Needs    []Slot // slots an earlier stage must provide
	Provides []Slot // slots the stage sets (some only in some runs, e.g. drift)

	// NewConfig returns a pointer to a config struct with every default
	// filled in. Its fields carry `yaml:"..."` tags and doc comments. It may
	// implement Validator and ColumnChecker.
	NewConfig func() any

	// New builds the stage from a decoded, validated config (the pointer
	// NewConfig returned).
	New func(cfg any) (Stage, error)
}

// Validator is implemented by configs that check their own values. Errors
// should be FieldErrors keyed by YAML paths relative to the config block.
type Validator interface {
	Validate() error
}

// ColumnChecker is implemented by configs that reference table columns.
// CheckColumns reports unknown columns (s.Require does it with a "did you
// mean" hint) and applies the stage's changes to the schema (renames, new
// and dropped columns) so later stages are checked against the right names.
type ColumnChecker interface {
	CheckColumns(s *Schema)
}
