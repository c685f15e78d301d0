// Package pgtest gives tests a real PostgreSQL: the DSNs of the servers
// that .ci/pg starts, a fresh schema or database per test, throwaway roles,
// and loaders for a frame.Table or a CSV file.
//
// The servers come from the environment:
//
//	SEGMENT_PG_DSN           the single test server (superuser)
//	SEGMENT_PG_PASSWORD_DSN  a role that must log in with its scram-sha-256 password
//	SEGMENT_PG_COORD_DSN     coordinator of the sharded setup (postgres_fdw servers shard1, shard2)
//	SEGMENT_PG_SHARD1_DSN    shard 1
//	SEGMENT_PG_SHARD2_DSN    shard 2
//
// Start them with `eval "$(.ci/pg start)"` and stop them with `.ci/pg stop`.
// When a variable is unset a test skips with a one-line reason, except
// under CI (CI set to anything but "" or "false"), where it fails: CI must
// never pass by skipping the database tests.
//
// Everything a helper creates is dropped in t.Cleanup. Names of schemas,
// databases and roles are unique per test (the test's name, sanitised, and
// a random suffix), so tests may run in parallel.
//
// pgtest talks to the server through pgx directly and does not import
// internal/pgio, so pgio's own tests can use it.
package pgtest
