// Package kproto is segment's k-prototypes engine (Huang 1997, 1998) for
// tables with numeric and categorical features: deterministic, weighted,
// seeded, and GOMAXPROCS-independent.
//
// # API
//
//	Fit(ctx, num, n, p, cat, opt) (*Result, error)   cluster n rows
//	(*Result).Model() *Model                          frozen prototypes
//	Canonicalize(*Result) []int                       renumber: weight desc, then centroid, then modes
//	(*Model).Predict(num, n, cat, weights)            labels + cost of new rows (segment predict)
//	(*Model).Cost(num, n, cat, labels, weights)       the objective of any labelling
//	(*Model).Distance(i, other, j)                    prototype-to-prototype distance (drift, stable IDs)
//	Dissimilarity(numA, numB, catA, catB, gamma)      the mixed distance of two points
//	ParseInit("cao"|"huang"), ParseMissing("error"|"category")
//
// num is a flat row-major n×p []float64 of already scaled numeric features;
// cat[c] holds the int32 codes of categorical feature c for the n rows
// (0, 1, … as frame.Column.Code gives them; -1 = missing). No function modifies
// its inputs.
//
// # The model
//
// The cost of a row x (numeric part x_1..x_p, categories a_1..a_q) against
// a prototype (centroid c, modes m) is
//
//	d(x, proto) = Σ_f (x_f − c_f)² + γ · #{c : a_c ≠ m_c}
//
// and Fit minimises Σ_i w_i · d(x_i, proto(label_i)) (w = Options.Weights,
// nil = 1). Prototypes are the weighted means of the numeric features and
// the weighted modes of the categorical ones; a mode tie goes to the lowest
// category code, and the missing category (-1, with MissingCategory) is
// lowest of all. γ defaults to the kmodes package's rule, 0.5 × the mean of
// the numeric features' standard deviations (population, weighted; 0.5 for
// standard-scaled features), 1 when p = 0; Options.Gamma sets it. Row
// labels go to the nearest prototype, the lowest index among equal costs,
// in Fit and Predict alike.
//
// # Procedure (kmodes' k_prototypes)
//
// Followed from the kmodes package (github.com/nicodv/kmodes,
// kmodes/kprototypes.py, kmodes/kmodes.py and kmodes/util/init_methods.py,
// read at commit 61265b1; facts only, no code):
//
//  1. Each of NInit restarts (default 10) initialises K prototypes (Cao,
//     the default, or Huang — below), assigns every row to its nearest
//     initial prototype, and sets the prototypes to the weighted means and
//     modes of those clusters.
//  2. It then sweeps: rows in order 0..n−1 each go to the nearest prototype
//     as the prototypes stand at that moment; a move updates the member
//     sums, the category counts and both prototypes immediately (an
//     online, MacQueen-style iteration, not Lloyd's batch one). A cluster
//     left empty by a move is refilled at once with a random member of the
//     cluster with the most rows (kmodes: "reinitialize with a random point
//     from largest cluster").
//  3. After each sweep the cost is recomputed with every row at its
//     nearest prototype; the restart stops when a sweep moved no row, when
//     the cost did not decrease, or after MaxIter sweeps (default 100).
//  4. The restart with the lowest cost wins (the earliest on ties); Labels
//     are every row's nearest final prototype and Cost their cost.
//
// Deliberate differences from kmodes, each a fix:
//
//   - Initial prototypes are always distinct data rows, so no cluster
//     starts empty and initialisation cannot fail at larger k (kmodes
//     issues #132, #136: kmodes draws the numeric parts from
//     N(mean, sd), which leaves clusters empty, retries 20 times, then
//     raises "could not initialize"). Huang: every value of every
//     prototype is drawn from its feature's weighted frequencies (kmodes
//     does this for the categorical part), then the vector is replaced by
//     the nearest data row distinct from the prototypes already chosen (the
//     lowest row among equals; kmodes uses the categorical part and
//     numpy's unstable argsort). Cao: the categorical parts are the rows
//     kmodes' init_cao selects (density Σ_c freq(a_ic)/(W·q), then the row
//     maximising density × the minimal mismatch count to the seeds
//     chosen, lowest row on ties), and each prototype is a whole row drawn
//     with probability ∝ weight among the rows sharing that categorical
//     part — the draw is what makes Cao restarts differ. A prototype
//     equal to an earlier one is replaced by a random distinct row. Fewer
//     than K distinct rows is an error (ErrTooFewDistinct); kmodes
//     silently lowers K.
//   - Seeds are honoured (kmodes issues #43, #112): restart i draws only
//     from its own math/rand/v2 PCG, seeded from SplitMix64 outputs 2i+1
//     and 2i+2 of Options.Seed, so restart i does not depend on NInit,
//     on which goroutine runs it, or on GOMAXPROCS.
//   - Weights: kmodes adds 1 instead of the weight to the member count, so
//     its weighted means are wrong; here means divide by the weight sum,
//     modes count weights, the refilled row moves with its own weight
//     (kmodes uses the weight of the row that emptied the cluster) and both
//     numeric prototypes are recomputed after a refill (kmodes leaves the
//     refilled one at 0 until its next move).
//   - Modes are a pure function of the counts (lowest code on ties); kmodes
//     keeps the old mode on a tie in the receiving cluster.
//   - A stationary restart (its last sweep moved nothing) recomputes its
//     prototypes from its partition before its final cost, so restarts
//     reaching the same partition report bit-identical costs.
//   - Missing categories are an error naming the row and feature, or a
//     category of their own (Options.Missing); numeric NaN/Inf and
//     non-positive weights are errors.
//
// When a restart stops because its cost rose or MaxIter was reached, its
// prototypes are those of the last sweep and Labels the rows' nearest
// prototypes, as in kmodes; Result.Stationary says whether the final
// prototypes are exactly the means and modes of Labels.
//
// # Speed (kmodes issue #45)
//
// Categorical codes are packed row-major once; per restart, every buffer is
// allocated once and a sweep allocates nothing per row. Mismatch counts
// come from a per-category table of prototype bytes: summing the q table
// entries of a row gives the match counts for eight prototypes per 64-bit
// word at once (q ≤ 255; larger q compares codes directly). The k numeric
// distances are accumulated feature by feature from a transposed centroid
// copy. Modes change incrementally (O(1) when the moved row's category
// gains, a rescan of one feature's counts when the mode loses). Restarts
// run in parallel on Options.Workers goroutines; with fewer restarts than
// workers the cost passes run in parallel chunks instead. On 1,000,000
// rows × (5 numeric + 5 categorical), k = 6, NInit = 10, see
// bench/kproto/README.md.
//
// # Determinism
//
// Results are a pure function of the inputs and Options (Workers
// excepted): sweeps are sequential by definition, every parallel sum runs
// over fixed chunks of 2048 rows added in chunk order, the best restart is
// chosen in restart order, and multiply-adds are written with explicit
// float64 conversions so the compiler cannot fuse them. Tested bit for bit
// with Workers 1, 2, 3, 8 and GOMAXPROCS 1 and 2.
//
// # What was checked (kmodes itself is not installable here)
//
//   - TestFitMatchesPlainReimplementation: a plain reimplementation of the
//     procedure above in the test file (prototypes recomputed from their
//     members after every move, mismatches by comparison, no tables,
//     chunks or goroutines; the same random draws) against Fit on 186
//     tables: 180 random mixed ones (8–60 rows, 1–3 numeric and 1–3
//     categorical features, some with few distinct values, k = 2..7, both
//     inits, no/integer/fractional weights, missing as a category, fixed
//     starts with a prototype far from every row) and 6 built so that
//     clusters empty inside sweeps. Identical labels, modes, iterations,
//     convergence flags and empty-cluster refills per restart (187 refills,
//     25 of them inside sweeps); costs and centroids equal to 1e-9.
//   - The reference cost function, written plainly in the test, equals
//     Result.Cost for the returned labels and prototypes.
//   - TestBruteForceOptimum: every partition of 12 tiny tables (6–9 rows,
//     k = 2 and 3, weighted and not) enumerated; the best of 64 restarts
//     reaches the global optimum cost with both inits, every label is the
//     nearest prototype, and stationary results' prototypes are the
//     weighted means and modes of their clusters.
//   - TestWeightsEqualRepeatedRows: integer weights against repeated rows:
//     same default γ, same brute-force global optimum, and from the same
//     start the same labels, modes, cluster weights and cost (1e-12).
//   - Determinism, seeds, large k (10, 20, 40 clusters on data with 12
//     distinct categorical rows), duplicate rows, mode ties, missing
//     policies, Predict = Fit bit for bit, errors.
//   - TestTelcoSegmentsAreNotContracts: on the IBM telco table the k = 4
//     segments are not the contract types (no segment ≥ 95 % one contract,
//     ARI with the contract types 0.20) and each is bootstrap-stable.
package kproto
