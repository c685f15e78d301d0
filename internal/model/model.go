package model

import (
	"fmt"

	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/internal/version"
)

// SchemaVersion is the version of model.json this package writes. It reads
// every version from OldestSchemaVersion on.
//
// Version 2 added transform (the clean steps from the raw input to the
// features, frozen), outlier_quantile and outlier_distance; with it predict
// scores raw input rows. A version-1 model still loads (Lacks says what it
// lacks) and scores tables that already hold its features.
//
// Version 3 (MixedSchemaVersion) adds the categorical features of a
// k-prototypes model (categorical_features, categories, modes, gamma,
// categorical_missing); only such models are written as version 3.
const SchemaVersion = 3

// OldestSchemaVersion is the oldest model.json version this package reads.
const OldestSchemaVersion = 1

// Model is model.json: a fitted segmentation frozen for scoring new rows.
// Segment index s = 0..K-1 addresses the per-segment slices (canonical
// order: largest segment first); IDs[s] is the number users see.
type Model struct {
	// SchemaVersion is SchemaVersion when fitted by this package; a model
	// read from an older file keeps its version.
	SchemaVersion int `json:"schema_version"`
	// Segment identifies the build that fitted the model (module, version,
	// VCS revision, Go version; the commit time is left out).
	Segment version.Info `json:"segment"`

	// Features are the feature columns, in model order.
	Features []string `json:"features"`
	// Scaler maps original feature values to the space the centroids live
	// in. Its Features equal Features.
	Scaler *scale.Scaler `json:"scaler"`

	// K is the number of segments.
	K int `json:"k"`
	// IDs holds each segment index's ID (1..K for a fresh model).
	IDs []int `json:"ids"`
	// Names holds each segment index's pinned name ("" when none).
	Names []string `json:"names"`
	// Sizes holds the number of training rows in each segment.
	Sizes []int `json:"sizes"`
	// CentersScaled are the K centroids in scaled units (K rows of d).
	CentersScaled [][]float64 `json:"centers_scaled"`
	// CentersOriginal are the mean original feature values of each
	// segment's training rows (K rows of d).
	CentersOriginal [][]float64 `json:"centers_original"`

	// Inertia is the sum of squared scaled distances of the training rows
	// to their centroids.
	Inertia float64 `json:"inertia"`
	// Iterations is the number of Lloyd iterations of the kept restart.
	Iterations int `json:"iterations"`
	// Converged reports whether the kept restart stopped before MaxIter.
	Converged bool `json:"converged"`

	// Engine is "native" (internal/kmeans.Fit) or "muesli".
	Engine string `json:"engine"`
	// Seed is the k-means seed used (restart i's stream derives from it).
	Seed uint64 `json:"seed"`
	// NInit, MaxIter and Tol are the k-means settings.
	NInit   int     `json:"n_init"`
	MaxIter int     `json:"max_iter"`
	Tol     float64 `json:"tol"`
	// BestRestart is the index of the kept restart; RestartInertia holds
	// every restart's inertia by index.
	BestRestart    int       `json:"best_restart"`
	RestartInertia []float64 `json:"restart_inertia"`
	// Reproducible is false for the muesli engine.
	Reproducible bool `json:"reproducible"`
	// Select is how k was chosen: "fixed", "elbow", "silhouette",
	// "calinski_harabasz" or "davies_bouldin".
	Select string `json:"select"`

	// Input describes the training input and how to read new files the
	// same way.
	Input Input `json:"input"`

	// MaxID is the highest segment ID this model or any model it was
	// numbered after (the cluster stage's `previous:`) has used; fresh IDs
	// start above it, so an ID is never given to a different segment.
	// Optional: 0 means max(IDs).
	MaxID int `json:"max_id,omitempty"`
	// Distributions holds each feature's training distribution (deciles), in
	// feature order, for the population stability index of later data.
	// Optional: absent from models written before it was added.
	Distributions []Distribution `json:"distributions,omitempty"`

	// OutlierQuantile is the quantile of the training distances that
	// OutlierDistance holds (0.99). Schema 2; 0 in a version-1 model.
	OutlierQuantile float64 `json:"outlier_quantile,omitempty"`
	// OutlierDistance holds, per segment index, the OutlierQuantile
	// quantile (linear interpolation, numpy's default) of its training
	// rows' distances to its centroid in scaled units: a new row farther
	// from its centroid than that is flagged as an outlier. Schema 2; nil in
	// a version-1 model.
	OutlierDistance []float64 `json:"outlier_distance,omitempty"`

	// CategoricalFeatures are the categorical feature columns of a
	// k-prototypes model (engine kprototypes), in model order; nil for
	// k-means. Schema 3.
	CategoricalFeatures []string `json:"categorical_features,omitempty"`
	// Categories holds, per categorical feature, the training categories
	// in code order (sorted by text): a category's code is its index. A
	// category not in the list mismatches every prototype. Schema 3.
	Categories [][]string `json:"categories,omitempty"`
	// Modes holds, per segment index, the prototype's category of each
	// categorical feature (null: the missing category, only with
	// categorical_missing: category). Schema 3.
	Modes [][]*string `json:"modes,omitempty"`
	// Gamma weighs one categorical mismatch against the squared scaled
	// numeric distance: dissimilarity = Σ (z − c)² + γ × mismatches.
	// Schema 3.
	Gamma float64 `json:"gamma,omitempty"`
	// CategoryShares holds, per categorical feature, the training rows'
	// share of each category in code order followed by the share of the
	// missing category: the expected distribution of the feature's PSI
	// (CategoricalPSI). Schema 3; absent in a model written before it was
	// added (no categorical PSI then).
	CategoryShares [][]float64 `json:"category_shares,omitempty"`
	// CategoricalMissing is what a missing categorical cell means: error
	// (it cannot be scored) or category (a category of its own). Schema 3.
	CategoricalMissing string `json:"categorical_missing,omitempty"`
	// Init is the k-prototypes initialisation (cao or huang). Schema 3.
	Init string `json:"init,omitempty"`
	// WeightColumn names the training rows' sample-weight column
	// (input.weight_column; informational: predict does not need it).
	WeightColumn string `json:"weight_column,omitempty"`

	// Transform is how the training rows went from the raw input to the
	// feature columns: the input's columns and types, and the clean steps
	// with every statistic frozen at fit time (see Transform). Schema 2; nil
	// in a version-1 model, which scores tables that already hold the
	// features.
	Transform *Transform `json:"transform,omitempty"`
}

// DefaultOutlierQuantile is the quantile of a segment's training distances
// beyond which a new row is an outlier.
const DefaultOutlierQuantile = 0.99

// Input is the part of model.json about input files.
type Input struct {
	// SHA256 is the hex sha256 of the training input file.
	SHA256 string `json:"sha256"`
	// Rows is the number of rows the model was fitted on (after cleaning).
	Rows int `json:"rows"`
	// IDColumn names the id column as the cluster stage saw it (after
	// renames); "" when the input had none and rows were numbered.
	IDColumn string `json:"id_column,omitempty"`
	// Delimiter as configured ("" = detect), Encoding ("" = utf-8),
	// NAValues and Types are the input block's reading options.
	Delimiter string            `json:"delimiter,omitempty"`
	Encoding  string            `json:"encoding,omitempty"`
	NAValues  []string          `json:"na_values,omitempty"`
	Types     map[string]string `json:"types,omitempty"`
}

// Lacks lists, in words, what this model lacks compared with the current
// schema (nothing for a model of the current version): predict prints it as
// a note.
func (m *Model) Lacks() []string {
	var out []string
	if m.Transform == nil {
		out = append(out, "it records no preparation steps, so the input must already hold the features as the cluster stage saw them (after clean's renames, fills and derived columns), e.g. a table written with output.keep_tables: true; refit to score raw rows")
	}
	if len(m.OutlierDistance) == 0 {
		out = append(out, "it stores no outlier thresholds, so the outlier column is left empty")
	}
	if len(m.Distributions) == 0 {
		out = append(out, "it stores no training distributions, so no PSI can be computed against it")
	}
	return out
}

// Dim returns the number of features d.
func (m *Model) Dim() int { return len(m.Features) }

// CentersFlat returns the scaled centroids as one K×d row-major slice.
func (m *Model) CentersFlat() []float64 {
	d := m.Dim()
	out := make([]float64, 0, m.K*d)
	for _, c := range m.CentersScaled {
		out = append(out, c...)
	}
	return out
}

// HighestID returns the highest segment ID used so far: MaxID, or the
// largest of IDs when that is higher.
func (m *Model) HighestID() int {
	h := m.MaxID
	for _, id := range m.IDs {
		h = max(h, id)
	}
	return h
}

// Label returns segment index s's label: its pinned name, or
// "Segment <ID>".
func (m *Model) Label(s int) string {
	if s < len(m.Names) && m.Names[s] != "" {
		return m.Names[s]
	}
	return fmt.Sprintf("Segment %d", m.IDs[s])
}
