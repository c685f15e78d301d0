// Package kmeans is segment's k-means engine: a deterministic, parallel
// reimplementation of scikit-learn 1.2.1's KMeans(algorithm="lloyd") with
// sample weights and a sample-then-refine mode for large tables, plus a
// wrapper around github.com/muesli/kmeans kept for comparison.
//
// # API
//
//	Fit(ctx, X, n, d, opt)                    native engine (the default), one k
//	Scan(ctx, X, n, d, ks, opt)               native engine, several k sharing work; Scan(...)[a] == Fit with K = ks[a]
//	FitMuesli(ctx, X, n, d, opt)              github.com/muesli/kmeans v0.3.1, best of opt.NInit
//	Assign(X, n, d, centers, k)               nearest centre + inertia (segment predict, scoring)
//	AssignWeighted(X, n, d, centers, k, w)    the same with the weighted inertia
//	Canonicalize(res)                         renumber clusters: size desc, then centre lexicographic
//
// X is a flat row-major n×d []float64, already scaled by the caller; no
// function modifies its inputs (Canonicalize rewrites the Result it is
// given, by design). Options.Weights gives each row a sample weight;
// Options.SampleAbove, SampleRows, SampleNInit and Refine control sample
// mode. Result reports, besides the fit, every restart's inertia and Lloyd
// iterations (RestartInertia, RestartIterations) and, in sample mode, the
// sample sizes and each refinement on all rows (Sample, RestartRows,
// Refined).
//
// # Sample mode (tables above 200,000 rows)
//
// Above Options.SampleAbove rows (default DefaultSampleAbove = 200,000;
// negative: never) Fit and Scan do not run the restarts on all rows.
// Measured on 1M synthetic churn rows × 6 features, k = 2..10, NInit = 10
// (bench/kmeans/README.md): with every restart on all rows 40 s of CPU
// (27.7 s on 2 cores) and 322 MB; in sample mode 2.6–2.8 s of CPU for the
// whole Scan and 134–161 MB, every k within 0.04% of scikit-learn's best of
// five random_states for seeds 0..4 (0.06% for seeds 5..9). The steps:
//
//  1. A uniform sample of SampleRows rows (default 50,000) is drawn without
//     replacement (selection sampling from a PCG seeded with SplitMix64
//     output 0 of Seed, which no restart uses) and shuffled, so that its
//     first SampleRows/8 rows (at least 1,000) are a uniform "coarse"
//     sample. The sample depends on (n, SampleRows, Seed) only, so it is
//     the same for every k.
//  2. SampleNInit restarts (default 3 × NInit) of k-means++ and Lloyd run on
//     the coarse sample, restart i from the same stream as in the full
//     mode. Three times the restarts, because one restart finds the best
//     basin rarely on some data (7% of restarts for k = 10 on the churn
//     table, where sklearn's own 10-restart fits miss it in 2 of 5
//     random_states), and a coarse restart works on 1/160 of the rows of
//     one on 1M rows.
//  3. Every restart with a distinct partition of the coarse sample
//     continues Lloyd on the whole sample; the Refine (default 2) with the
//     lowest sample inertia and distinct partitions are kept. Ranking on
//     the coarse sample alone picked worse basins (up to 1.2% above
//     sklearn) and is not done.
//  4. Each kept candidate is refined by Lloyd on all rows (MaxIter, Tol as
//     usual; 2–6 iterations on the churn table) and the lowest inertia on
//     all rows is kept, ties to the better sample candidate; Labels and
//     Inertia are then computed on all rows as always.
//
// Sample mode stays off when SampleRows ≥ n and, per k, when the coarse
// sample has fewer than k rows of positive weight. The tolerance is the one
// of all rows in every phase. Result.RestartInertia and RestartIterations
// then describe the SampleNInit coarse restarts (RestartRows rows),
// Iterations and Converged the kept refinement, BestRestart the restart it
// descends from, and Refined every refinement. Tables of at most
// SampleAbove rows take exactly the path described below and give the same
// bits as before sample mode existed.
//
// # Sample weights
//
// With Options.Weights, row i counts w_i times: cluster centres are weighted
// means Σw_i x_i / Σw_i, the inertia is Σ w_i ‖x_i − c‖², an empty cluster
// is one of weight 0 (sklearn's rule; relocation moves one far row's w·x
// and w), and k-means++ follows scikit-learn ≥ 1.3 rather than 1.2.1
// (which ignores sample_weight when seeding): the first centre is row i with
// probability w_i/Σw, and the D² of the candidate draws, of the potential
// and of the candidate potentials is w·D². That is the seeding of the table
// with every row repeated w_i times (integer weights), which is the point
// of weights (TestWeightedSeedingDistribution). Like sklearn, the stopping
// tolerance uses the unweighted per-feature variance of X, so a weighted
// fit equals the fit on repeated rows exactly when Tol = 0 and up to the
// stopping point otherwise. Weights exactly 1 everywhere take the
// unweighted path (same bits as nil); weights must be finite and ≥ 0 with
// at least K positive. Checked against scikit-learn 1.2.1's
// KMeans(init=array, n_init=1).fit(Z, sample_weight=w) from the same
// starting centres (testdata/gen_sklearn_weights.py: same iterations,
// sizes, cluster weights, inertia to 1e-10, centres to 1e-9), against
// repeated rows (same labels and iterations, inertia to 1e-12), and for
// weight-0 rows (never a centre, no effect on the centres).
//
// # Equivalence with scikit-learn
//
// Fit follows sklearn's KMeans.fit with init="k-means++" step by step:
//
//   - Seeding is greedy k-means++ (_kmeans_plusplus): first centre uniform,
//     then 2 + int(ln k) candidates drawn with probability ∝ D² (u·φ looked
//     up in the cumulative D² with searchsorted-left semantics), keeping the
//     candidate with the lowest resulting potential.
//   - Lloyd iterations (_kmeans_single_lloyd): E-step, M-step with
//     _relocate_empty_clusters_dense (each empty cluster takes one of the
//     points farthest from their assigned centre; the point's label is not
//     changed until the next E-step, exactly as in sklearn), strict
//     convergence when the labels do not change, otherwise stop when
//     Σ_j ‖c_j^new − c_j^old‖² ≤ Tol × mean per-feature variance of X
//     (_tolerance), or after MaxIter; if not strictly converged, one more
//     E-step. Iterations counts like n_iter_.
//   - Restarts: keep the lowest inertia; a later restart replaces the best
//     only if its inertia is strictly lower and its partition differs
//     (sklearn's _is_same_clustering guard), so ties go to the lowest index.
//
// Checked in the tests against fixtures from scikit-learn 1.2.1 (testdata/
// gen_*.py): from identical starting centres, Fit reproduces sklearn's
// iteration count, cluster sizes, inertia (to 1e-10 relative) and centres
// (to 1e-9) on all five shared datasets for k = 2..8, including a start that
// triggers empty-cluster relocation; the distribution of single restarts
// (500 seeds vs 500 random_states) has the same mean inertia and the same
// chance of reaching the best optimum; and on the product's reference data
// the best-known k = 4 optimum (inertia 0.21620252197655662) is reached by
// 12 of seeds 0..99 with NInit = 10 (sklearn: 10 of random_state 0..99).
//
// Differences, all deliberate: the random streams are Go's PCG, not numpy's
// MT19937, so a seed does not reproduce a sklearn random_state; distances are
// computed as Σ(x−c)² rather than sklearn's ‖x‖²−2x·c+‖c‖² (more accurate,
// and exactly the same bits in Fit and Assign); the order of the e farthest
// points in relocation is distance-descending, ties by row (numpy's
// argpartition leaves it unspecified); with Options.Init and NInit > 1 the
// other restarts still run (sklearn warns and runs one).
//
// The equal-budget comparison matters: one 10-restart run of either library
// is a single draw from a wide distribution on real data. Against the
// fixture KMeans(n_init=10, random_state=0), sklearn itself with random_state
// 1..20 is more than 0.1% worse in 82 of 700 (dataset, k, seed) cases and
// Fit with NInit = 10 in 67 of 700; see TestInertiaVsSklearn.
//
// # Speed
//
// Pure Go, flat slices, no interfaces in the inner loops:
//
//   - The E-step uses Hamerly's bounds (one upper bound on the distance to
//     the assigned centre, one lower bound on the distance to all others,
//     stored relative to the cumulative centre drift so unchanged points
//     cost a compare and no writes). Rows that fail the bound test are
//     collected first and their cache lines touched together, so the cache
//     misses overlap. k-means++ hands its final labels and distances to the
//     first Lloyd iteration, which therefore needs no distance computation.
//
//   - Distances to four centres are computed together (independent sums
//     overlap in the pipeline); the expanded form ‖x‖²−2x·c+‖c‖² was
//     measured only ~10% faster in scalar Go and loses precision, so it is
//     not used.
//
//   - The M-step keeps per-chunk cluster sums and recomputes a chunk's sums
//     only when one of its labels changed, which leaves the sums
//     bit-identical to a full recomputation.
//
//   - The running nearest/second-nearest minimum of the full search is kept
//     without branches above four centres (MINSD and a conditional move),
//     and the Hamerly bound pass collects failing rows without a branch
//     (-18% and -7% CPU on the 1M × 6 scan; same bits).
//
// Measured and not kept (bench/kmeans/README.md): exact second-nearest
// distances from k-means++ as initial lower bounds (1–2% fewer full
// searches: the first M-step moves the centres too far for the bounds to
// help), a looser tolerance for sample restarts (25% fewer iterations, no
// CPU saved: late iterations skip almost every row). Not tried: Elkan or
// Yinyang bounds (k lower bounds per row are 80 MB at 1M × 10, and at d = 6
// a bound update costs about as much as the distance it saves), float32
// distances (no SIMD in scalar Go, and the working sets of sample mode
// already fit in cache), k-means‖ seeding (its oversampling rounds cost more
// distance computations than greedy k-means++ for k ≤ 10, and after
// sampling seeding is 5% of the time).
//
// On 1,000,000 × 10 standardised rows (8 Gaussian blobs, k = 8, NInit =
// 10; see bench/kmeans/README.md) Fit with sample mode off is faster than
// scikit-learn 1.2.1 at one and at two threads, with inertia within 1e-7
// relative of sklearn's.
//
// # Determinism
//
// Results are a pure function of (X, n, d, K, NInit, MaxIter, Tol, Seed,
// Init, Weights and the sample-mode options): bit-identical for any
// GOMAXPROCS and Options.Workers (tested for GOMAXPROCS 1 and 2 and Workers
// 1, 2, 3, 8, in sample mode for Fit and Scan with and without weights):
//
//   - Restart i draws from its own math/rand/v2 PCG, seeded with outputs
//     2i+1 and 2i+2 of SplitMix64 started at Options.Seed, so a restart's
//     stream depends only on (Seed, i) and restarts can run in parallel in
//     any order (restart i's result does not depend on NInit either).
//   - Every sum over rows is a sequential sum within fixed chunks of 256
//     rows, with the chunk partials added in chunk order; chunk boundaries
//     depend only on n.
//   - Restarts (and in sample mode continuations and refinements) run on
//     one pool of Workers goroutines (0 = GOMAXPROCS; runPool, also used by
//     FitMuesli, with forChunks as the one chunking helper); when there are
//     fewer jobs than workers, the chunk loops inside a job run in parallel
//     instead. Results are combined by job index: the best restart (and the
//     sample-mode candidates) are chosen in restart order whatever order
//     they finish in. Scan runs the jobs of all its k on the pool, largest
//     k first.
//   - Multiply-adds are written with explicit float64 conversions, which
//     the Go spec forbids fusing into FMA, so results are also the same on
//     architectures or GOAMD64 levels that have FMA.
//
// After choosing the best restart, Fit recomputes Labels and Inertia from its
// centres with the same code as Assign, so Labels, Centers and Inertia are
// always consistent and Assign(X, Fit.Centers) reproduces them bit for bit.
// Inertia is Σ‖x−c‖² in fixed chunk order.
//
// # Why not muesli by default
//
// FitMuesli wraps github.com/muesli/kmeans v0.3.1 (through
// github.com/muesli/clusters) and is offered for comparison only. Measured
// (TestMuesli*, and a 10-restart comparison on the five shared datasets,
// standardised, k = 2..8):
//
//   - Not reproducible: it seeds math/rand's global source with rand.Seed,
//     which is a no-op on Go ≥ 1.24, and draws from it; two identical calls
//     gave different inertias in 28 of 35 cases. Result.Reproducible is
//     false and Options.Seed is ignored.
//   - Its initial centres are uniform in [0,1]^d, so the wrapper min-max
//     scales X to [0,1] per column and maps the centres back.
//   - It stops when fewer than 1% of the points change cluster (or after 97
//     iterations), i.e. before convergence: with 10 restarts each, its
//     inertia was above Fit's in 33 of 35 cases, by up to 5.4% (median
//     0.29%).
//   - After an empty-cluster refill the refilled point stays in its old
//     cluster as well, so memberships can total more than n when the
//     iteration cap ends the loop right after a refill (n + k − 1 with
//     identical rows; never seen on the shared data). The wrapper always
//     recomputes Labels, Sizes and Inertia from the final centres with
//     Assign.
//   - Slow: interfaces and math.Pow per coordinate, one allocation per
//     membership; 8–24× slower than Fit at equal restarts on the shared
//     datasets.
package kmeans
