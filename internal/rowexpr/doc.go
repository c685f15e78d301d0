// Package rowexpr compiles row expressions (github.com/expr-lang/expr) over
// the columns of a frame.Table and evaluates them for every row: the
// language of the clean stage's `filter` and `derive` steps.
//
// Column names: a name that is a plain identifier (Age, Total_Revenue) is
// used as is; any other name is written between backticks, as in
// pandas.DataFrame.query: `Customer Status` != "Churned", `Tenure(Months)` / 12.
// (Backticks therefore quote names here, not raw strings; use "..." or '...'
// for strings.)
//
// Types: float columns are float64; int columns are int, except that an
// int column with missing cells is float64 (like pandas, which turns such a
// column into float64 so it can hold NaN); bool columns are bool; string
// columns are string.
//
// Missing values:
//   - a comparison (== != < <= > >=, in, contains, startsWith, endsWith,
//     matches) whose operands read a missing cell is false — including !=.
//     (gota's own Filter drops NA rows for "!=" silently; here the rule is
//     the same for every operator and written down.) Ask is_missing(col)
//     explicitly to select missing rows: is_missing(Age) or Age > 60.
//   - derive: the result is missing whenever a column the expression reads
//     is missing in that row, unless the expression calls is_missing() or
//     fill() — then it is evaluated as written, with missing numbers as NaN
//     and missing strings as "".
//   - a derived float that comes out NaN or ±Inf is missing.
//
// Functions besides expr's builtins: floor ceil abs min max (builtins), and
// round(x[, digits]) (half to even, like pandas), log log1p log10 exp sqrt
// pow(x, y), is_missing(col), fill(col, default).
//
// Expressions are compiled once and type-checked against the table's
// schema before any row is evaluated; evaluation runs on all cores in
// fixed row chunks, so results do not depend on GOMAXPROCS.
package rowexpr
