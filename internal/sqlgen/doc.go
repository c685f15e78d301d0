// Package sqlgen writes SQL for the row work segment does in memory, so that
// it can run inside the database that holds the rows: today `segment export`
// (a model.json as one SELECT that scores every row of a table exactly as
// `segment predict` scores it), later pushdown (a clean stage's steps and the
// aggregates and Lloyd passes of eda and cluster, compiled to SQL).
//
// The layers, each usable on its own:
//
//   - Dialect (Lookup, Dialects): quoting of names (Ident, Table) and text
//     (String), exact literals (Float prints Go's shortest round-trip form
//     and makes the engine read it as the same double; Int, Bool, Null),
//     types (Type, Cast) and the functions whose names or semantics differ
//     between postgres, duckdb, bigquery, clickhouse and ansi. The
//     arithmetic helpers (Div, Ln, Log10, Sqrt, Exp, Pow, Log1p,
//     RoundHalfEven, IsFinite) give Go's IEEE-754 results where an engine
//     would raise an error or round differently.
//   - CompileExpr: a row expression of the clean stage (filter, derive;
//     internal/rowexpr's language) compiled to SQL, from the checked tree
//     rowexpr evaluates, with predict's missing-value rules (Expr.Derive,
//     Expr.Filter). What has no exact SQL form is refused with an error
//     wrapping ErrNotExpressible that names the construct.
//   - Step, StepsFromTransform, Narrow: clean steps as the compiler sees
//     them (from model.json's frozen steps; pushdown builds them from a
//     clean config), and predict's narrowing to what the features need.
//   - Query: a SELECT built as a chain of CTEs, one per step (Source for the
//     raw typed columns, Apply for a step, Layer for anything else), with an
//     id carried through (Carry) and a reason column for rows that cannot be
//     used (Check). Each CTE ends with the dialect's fence (OFFSET 0 on
//     PostgreSQL) so that the engine does not merge the layers' expressions.
//   - Query.Scores: the features as doubles, the model's scaler, squared
//     distances summed in feature order, nearest and second nearest
//     centroid with predict's tie-breaking; ExportModel puts it all
//     together.
//
// Exactness: every operation predict does on doubles is one IEEE-754
// operation in SQL, in the same order, so PostgreSQL and DuckDB give the
// same bits (tested on the Maven, churn and frozen-statistics models);
// functions from the C library (ln, exp, pow, log1p through ln) may differ
// in the last place. docs/warehouse.md lists the dialects' quirks and what
// cannot be expressed.
package sqlgen
