// Package eda is the exploratory-data-analysis stage: the first thing an
// executive sees of a run.
//
// It describes every column of the table (pandas describe() semantics via
// internal/stats), correlates the numeric columns with pandas'
// DataFrame.corr() semantics (Pearson or Spearman, pairwise-complete rows),
// draws the annotated correlation heatmap at an exact pixel size
// (internal/plotkit), and words the strongest correlations and the
// data-quality problems as deterministic sentences.
//
// Choices:
//   - Bool columns are numeric 0/1 (their mean is the share of true), as in
//     pandas' corr(); their summary has numeric statistics, not top/freq.
//   - The id column (input.id, followed through renames) gets only count,
//     missing and distinct in the summary and is never correlated.
//   - A column with fewer than two distinct finite values is left out of the
//     correlation with a warning, so the heatmap has no NaN cells from
//     constant columns.
//   - Pair insights: up to max_insights pairs with |r| ≥ thresholds.weak,
//     by |r|, ties in matrix order; the strongest positive and the strongest
//     negative pair are always listed, whatever their strength. Then, per
//     column in matrix order, a column negatively correlated (r ≤ −weak)
//     with at least `several` others gets its own insight.
//
// Artifacts: summary.csv, correlation.csv, correlation_n.csv,
// correlation.png (and .svg), insights.md and eda.json; the State's EDA slot
// holds the same content (result.EDA).
//
// Feature checks (features.go): the features of every cluster stage after
// this one that exist on this table are checked as that stage will scale
// them (internal/featcheck: dominant one-hot columns, near-duplicates) and
// recorded in eda.json's feature_checks and as alerts.
package eda
