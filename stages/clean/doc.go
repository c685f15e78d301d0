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
// Frozen steps (freeze.go, replay.go). Every kind implements Freezer: after
// a step ran, the stage records its frozen form — the same step with its
// statistics fitted on the training rows written out as constants (fillna
// mean/median/mode → the value, clip quantiles → bounds, onehot → its
// levels, dropna/dedupe without columns → the columns they checked) — in
// the State's Transform, which the cluster stage writes into model.json.
// Replay runs a model's frozen steps on new rows for `segment predict`:
// each kind narrows itself to the columns the features need (restrict),
// raw text is brought to its type at fit time (coerce.go), row steps only
// count the rows they would drop unless asked to drop them, and a value a
// step cannot handle in one row (a cast or expression that fails, a level
// never seen in training with UnseenReject) makes that row a problem
// instead of failing the run. A new kind is still one file: its Op,
// Freeze, restrict and, when it differs from Apply on new rows, replay.
//
// The id column (input.id) is text exactly as in the input: a derive that
// overwrites it, or a cast of it to another type, is refused when the
// config is checked.
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
// By default (engine: native) the steps run on the typed table of
// internal/frame rather than on gota's DataFrame API: gota v0.12.0 copies
// the whole frame on every Rename, Select and Mutate, drops NA rows silently
// in Filter with "!=", prints floats with 6 decimals in Records() (so
// equal-looking rows are not equal), and its Mean/Describe are wrong with
// missing values. Statistics used by fillna and clip (mean, median, mode,
// quantiles) are computed over the non-missing values with pandas semantics.
//
// engine: gota runs every step with gota's own DataFrame operations instead
// (gota.go and the gota_*.go files: one applyGota method per kind), corrected
// where gota's semantics differ so that the table is the native engine's,
// cell for cell; engine_test.go checks that on every shipped config. A new
// step kind needs its applyGota too (TestGotaCoversEveryKind).
package clean
