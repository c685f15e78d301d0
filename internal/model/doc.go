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
// model.json carries "schema_version": SchemaVersion (1). Read refuses any
// other version with a message naming both ("model.json has
// schema_version 2; this segment reads 1"), then checks that the parts
// agree (feature count, scaler, centroid shapes, IDs, names, sizes) and says
// what does not match. Unknown keys are ignored, so fields may be added to
// version 1 without breaking older readers; a change of meaning needs a new
// version.
//
// Two optional fields were added to version 1: max_id (the highest segment
// ID used by this model's lineage, so IDs are never reused; HighestID) and
// distributions (each feature's training deciles and bin shares, see
// Distribution, so a later run can compute the population stability index
// of new data without the training rows; Model.PSI). Models without them
// still load.
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
//
// RecordLines maps data rows back to the physical lines of a CSV file,
// following internal/csvio's rules (blank lines skipped, quoted fields may
// span lines), so messages can say "line 57".
package model
