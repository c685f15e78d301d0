// Package cluster is the segmentation stage: k-means on scaled numeric
// features — or k-prototypes on numeric plus categorical features — with k
// fixed or chosen with evidence, sample weights, bootstrap stability per
// segment, frozen into model.json.
//
// Steps, in order:
//
//  1. The feature columns are read as an n×d matrix (int, float and bool as
//     0/1). Missing values, text columns and unknown columns are errors
//     naming the column (and the count of missing values); every problem is
//     reported at once. A feature with the same value in every row is an
//     error, whatever the scaling.
//
//  2. The features are scaled (internal/scale: standard by default,
//     minmax, robust, normalize — each row to unit length, as the churn
//     notebook did — log1p-standard or none), then multiplied by the
//     optional per-feature weights.
//
//  3. For every k to try (k alone, k and the `elbow` range, or `k_range`
//     with k: auto) k-means runs with n_init restarts of greedy k-means++
//     (internal/kmeans.Scan for all k at once, each result bit for bit
//     kmeans.Fit of that k, scikit-learn's algorithm; or FitMuesli with
//     engine: muesli) and the same seed for every k, so k: auto's choice is
//     the same fit as that k given alone. Per k the log has the restarts'
//     inertia and iterations and, in sample mode, the sample and the
//     refinements (mixed.go, fit.go). Each k gets its inertia,
//     silhouette (exact up to silhouette_sample rows, else on a seeded
//     uniform sample of that many rows; never an n² matrix),
//     Calinski–Harabasz and Davies–Bouldin index (undefined for k = 1: NaN,
//     blank in elbow.csv).
//
//  4. k: auto picks k by `select` (internal/kselect): auto, the default —
//     the largest k whose segments are all clearly apart (separation ≥
//     min_separation), else a vote of the elbow, silhouette,
//     Calinski–Harabasz and Davies–Bouldin — or one index alone: elbow
//     (Kneedle on the inertia curve; when it finds no knee, the best
//     silhouette, with a warning), silhouette (highest), calinski_harabasz
//     (highest) or davies_bouldin (lowest); ties go to the smallest k. Each
//     index's pick, whether they agree and why this k are kept in
//     result.Clusters.Choice (the report and elbow.csv show them); a fixed
//     k records whether the file or a --set flag gave it. Before fitting,
//     internal/featcheck warns about one-hot columns that dominate the
//     distance and near-duplicate features.
//
//  5. The kept fit is put in canonical order (kmeans.Canonicalize: largest
//     segment first, ties by centroid) and every row is labelled again by
//     kmeans.Assign on the canonical centroids, which is exactly how
//     `segment predict` scores rows, so the two always agree. Segment IDs
//     are 1..K in that order. Original-unit centroids are the means of each
//     segment's rows.
//
//  6. With `previous:` naming an earlier model (a run folder such as the
//     output folder's latest, or a model.json), the new segments are matched
//     to the previous ones: both models' original-unit centroids are scaled
//     with this run's scaler, the Hungarian algorithm pairs them on Euclidean
//     distance, and pairs farther apart than max_shift (default: the RMS
//     per-feature standard deviation of the scaled rows, 1 for standard
//     scaling) are dropped. Matched segments keep their IDs and names, the
//     others get fresh IDs above the highest ever used (model.json max_id);
//     unmatched previous segments are retired. This only renumbers: labels,
//     inertia and the canonical order are unchanged. warm_start seeds restart
//     0 with the previous centroids. A previous: that names nothing yet is an
//     info line (IDs 1..K); one that exists without a readable model, or a
//     model over other features, is an error.
//
//  7. The comparison (drift.go) fills result.Drift: sizes and shares
//     by ID, centroid movement, the transition matrix of the customers in
//     both runs (by input.id, against the previous run's assignments.csv)
//     with the adjusted Rand index, splits and merges (split_share rule),
//     per-feature PSI against the previous model's stored training
//     distribution, and the drift_fail verdict (the runner exits 3 after
//     publishing). It is written as drift.json and drift.md.
//
// k-prototypes (mixed.go): categorical_features selects engine
// kprototypes (internal/kproto). The categorical columns are coded by their
// text in sorted order (-1 missing, an error unless categorical_missing:
// category); each k is fitted with the same seed, scored by the cost and
// the silhouette on sqrt(Σ(z−c)² + γ·mismatches) (CH, DB and separation
// are NaN), put in kproto.Canonicalize's order and relabelled with the
// model's Predict; matching with a previous model adds γ per mode that
// differs (by text) to the numeric distance; model.json is schema 3.
//
// Sample weights (input.weight_column, pipeline.Env.Weights): the scaler
// (scale.FitWeighted), the fit (kmeans/kproto Options.Weights; zero-weight
// rows are left out of a k-prototypes fit and labelled after), every
// index (metrics' weighted versions), the order (total weight), the
// original-unit centroids, the gap statistic and the bootstrap are
// weighted: each row counts w times.
//
// Evidence (evidence.go): select: gap computes internal/stability.Gap over
// k_range on a sample and picks k by Tibshirani's rule (gap and gap_s in
// elbow.csv); stability: refits the kept k on seeded bootstrap resamples
// (internal/stability.Bootstrap with the KMeans or KPrototypes adapter, at
// most 50,000 rows each) and records per segment the mean Jaccard,
// dissolved and recovered counts and the ARI of the refits in
// result.Clusters.Stability; stability_fail thresholds give a stability
// verdict (exit 6 after publishing), before any drift verdict.
//
// mode: assign fits nothing (steps 2–6): the rows are scored with the previous model
// (model.Assign, or for a k-prototypes model model.Codes and the
// prototypes' Predict — assign_mixed.go — as segment predict does),
// model.json is a byte copy of it,
// and step 7 runs with every segment kept (or empty).
//
// Seed: the stage's own seed (pipeline.Env.Seed, derived from the run's
// `seed:` and the stage's name) unless `seed:` is pinned in the stage
// config, which then wins. Restart i's random stream derives from the seed
// inside internal/kmeans, and every computation is independent of
// GOMAXPROCS, so the same data, config and build give byte-identical
// assignments.csv, model.json and elbow.csv.
//
// Outputs (prefixed "<name>-" when the stage's name is not "cluster"):
// assignments.csv (the id column, text exactly as in the input, or a
// 1-based `row`, and `segment`), model.json (see internal/model and
// docs/model.md: with the clean stages' frozen steps from the State's
// Transform — or, without a clean stage, the input's columns — and each
// segment's 99th-percentile training distance for predict's outlier flag), and, when more than one k was fitted,
// elbow.csv (k, inertia, silhouette, ch, db, chosen) and elbow.png/.svg
// (inertia and silhouette by k, side by side, chosen k marked), and with a
// previous model drift.json and drift.md. The State's Clusters slot gets a
// result.Clusters, and its Drift slot a result.Drift when a previous model
// was compared (nil otherwise); the manifest notes k, inertia, iterations,
// engine, scale, seed, sizes, ids and the select method. The run folder of
// the previous model is recorded with Env.UseRun, so retention keeps the run
// compared with, and crossed drift_fail thresholds are given as a drift
// verdict (Env.FailAfterPublish: exit 3 after publishing). See
// docs/nightly.md.
package cluster
