// Package model is the frozen segmentation model: model.json, written by the
// cluster stage and read by `segment predict` (and by later stages that
// assign new rows to existing segments).
//
// A Model holds everything needed to score a new row exactly as the
// training rows were scored: the feature names in order, the fitted scaler
// (internal/scale, with its parameters), the k centroids in scaled units,
// the segment IDs and pinned names, and the input parsing options
// (delimiter, encoding, na_values, types, id column). It also records how it
// was made (engine, seed, n_init, max_iter, tol, per-restart inertia, the
// segment build and the sha256 of the training input) so a run can be
// audited and reproduced. It holds no timestamps: the same data, config and
// build give the same bytes.
//
// # Schema
//
// model.json carries "schema_version": SchemaVersion (2). Parse reads
// versions OldestSchemaVersion (1) to SchemaVersion and refuses any other
// with a message naming both ("model.json has schema_version 3; this
// segment reads 1 and 2"), refuses a null, NaN or Infinity where a number
// belongs (encoding/json would read null as 0: a silently wrong centroid),
// then checks that the parts agree (feature count, scaler, centroid
// shapes, IDs, names, sizes, outlier thresholds, transform) and says what
// does not match. Unknown keys are ignored; a change of meaning needs a new
// version.
//
// Version 2 added Transform — the raw input's columns and types and every
// clean step before the cluster stage, each frozen (its statistics fitted
// on the training rows written out as constants), so predict can score raw
// rows — and the per-segment outlier thresholds (OutlierDistance: the 99th
// percentile of each segment's training distances). A version-1 model
// still loads; Lacks says in words what it lacks. Two optional fields were
// added to version 1 earlier: max_id (the highest segment ID used by this
// model's lineage, so IDs are never reused; HighestID) and distributions
// (each feature's training deciles and bin shares, see Distribution, so a
// later run can compute the population stability index of new data
// without the training rows; Model.PSI). docs/model.md documents the schema
// for users.
//
// # Scoring
//
// Matrix turns a table's feature columns into an n×d matrix in original
// units and lists every cell that cannot be scored (missing, not a number,
// outside the scaler's domain) as a Problem with its row and column. Assign
// scales valid rows with the model's scaler and gives each its nearest
// centroid (internal/kmeans.Assign: ties go to the lowest segment index,
// the same rule as the fit) and the Euclidean distance to it in scaled
// units. On the training rows this reproduces the fit's labels exactly.
// Score adds the second-nearest centroid and its distance (the margin is
// their difference), every centroid's distance when asked, and the outlier
// flag; OutlierThresholds computes the thresholds from the training rows.
// The transform itself is replayed by the clean stage (stages/clean.Replay),
// which knows the step kinds; this package only stores and checks it.
//
// RecordLines maps data rows back to the physical lines of a CSV file,
// following internal/csvio's rules (blank lines skipped, quoted fields may
// span lines), so messages can say "line 57".
package model
