// Package clean is the `clean` stage: an ordered list of table steps —
// filter, select, drop, rename, derive, cast, dropna, fillna, dedupe, clip,
// onehot — each logging rows and columns before → after.
//
// Row expressions (filter, derive) use internal/rowexpr: backticks quote
// column names with spaces (`Customer Status` != "Churned"), and a
// comparison that reads a missing value is false, != included, unless the
// expression asks is_missing(col).
//
// The steps run on the typed table of internal/frame rather than on gota's
// DataFrame API: gota v0.12.0 copies the whole frame on every Rename, Select
// and Mutate, drops NA rows silently in Filter with "!=", prints floats with
// 6 decimals in Records() (so equal-looking rows are not equal), and its
// Mean/Describe are wrong with missing values. Statistics used by fillna and
// clip (mean, median, mode, quantiles) are computed over the non-missing
// values with pandas semantics.
package clean
