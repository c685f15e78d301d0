// Package streamstat computes statistics of a table that is read in
// batches and never held whole — segment's bounded-memory mode (execution
// mode stream) — with results that match the in-memory ones (package
// stats, pandas 1.5.3) exactly or to a stated tolerance, and that do not
// depend on how many goroutines computed them.
//
//   - Moments: count, mean, M2 (the sum of squared deviations), min and
//     max of the non-missing values. Each batch is summarised by a two-pass
//     mean and M2, and batches are merged with Chan, Golub and LeVeque's
//     pairwise update in batch order, so a result depends only on the
//     batches, not on the workers. Mean and standard deviation agree with
//     the in-memory two-pass values to about 1e-15 relative (different
//     rounding, not a different method); the tests hold them to 1e-12.
//   - Pearson: the pairwise-complete co-moments of every pair of columns
//     (the rows where both are finite, as pandas' DataFrame.corr()), merged
//     the same way; r agrees with stats.Corr to 1e-12.
//   - Sketch: exact order statistics in two passes. The first counts the
//     values in a histogram of 2^24 bins over the order-preserving bit
//     pattern of float64 (12 bits of sign and exponent, then the top 12
//     bits of the mantissa: each bin is 1/4096 of an octave wide), with the
//     mantissa level allocated only for the octaves that occur. Planning
//     then marks the few bins that hold the wanted ranks (or the values
//     near a threshold), the second pass keeps every value of those bins
//     with its count, and the quantiles follow with numpy's linear
//     interpolation, bit for bit as stats.Quantile on the sorted column.
//     Memory: 32 kB per sketch plus 32 kB per octave present, and the
//     distinct values of the marked bins.
//   - Distinct: the exact number of distinct values, in a hash set up to a
//     cap and then hash-partitioned to a temporary file whose partitions
//     are counted one at a time (Partitions).
//   - SampleKey: a row's key for a seeded uniform sample that does not
//     depend on the order or grouping of batches: the rows with the
//     smallest keys (TopRows) are a uniform sample without replacement.
//
// Values are float64 with NaN marking a missing value, as in package stats.
package streamstat
