// Package postgres is the `postgres` input source: a PostgreSQL table or
// query, read with internal/pgio through the binary COPY protocol inside a
// read-only transaction, typed from the result's column types.
//
// The schema comes from the statement's description (no row is fetched),
// so `segment validate` checks every column a stage names against the
// table. Rows are sorted by input.order_by — by default input.id when it is
// set — so that the row order, the k-means seeding that depends on it and
// the row digest in the manifest are repeatable; text keys sort in byte
// order (COLLATE "C"), the order of a CSV export sorted with LC_ALL=C.
//
// The DSN's password never appears in logs, the manifest, errors or the
// report: the config's JSON form shows the DSN redacted, pgio scrubs its
// errors, and the runner removes the password from recorded command lines.
package postgres
