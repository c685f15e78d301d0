// Package clean is the `clean` stage: an ordered list of table steps —
// filter, select, drop, rename, derive, cast, dropna, fillna, dedupe, clip,
// onehot — each logging rows and columns before → after.
//
// Each kind of step is one type in its own file (filter.go, fillna.go, ...)
// implementing Op: it decodes from the step's YAML value, validates itself,
// follows the column names (CheckColumns) and runs on the table (Apply); a
// kind that changes the columns' names or types also follows the typed
// columns (Vars), so expressions are type-checked before any row is read. step.go lists the kinds; adding a step is one
// file and one line there, plus its section in docs/config.md.
//
// With a typed schema (segment validate reads the input's types) the
// column check also type-checks every expression against the columns each
// step produces (typecheck.go). A derive counts the rows it leaves without a
// value, by cause, in a warning (notedOp).
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
