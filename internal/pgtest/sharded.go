package pgtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/frame"
)

// Sharded builds a sharded copy of tbl on the sharded setup and returns a
// coordinator DSN whose search_path is a fresh schema holding it:
//
//   - on each shard i (1, 2), in a schema of the same name, a plain table
//     <table>_p<i> shaped like tbl, which holds that shard's rows;
//   - on the coordinator, <table> hash-partitioned on key (PARTITION BY
//     HASH, modulus 2), whose partition with remainder i-1 is <table>_p<i>,
//     a postgres_fdw foreign table on server shard<i>.
//
// The rows are loaded through the coordinator, which routes each to its
// shard, and every table is analysed. The coordinator runs with
// enable_partitionwise_aggregate on, so an aggregate grouped by key runs on
// the shards (EXPLAIN VERBOSE shows it in each Foreign Scan's Remote SQL).
// The schemas are dropped on all three servers at cleanup. table and key are
// used as written (quoted).
func Sharded(t testing.TB, table string, tbl *frame.Table, key string) (coordDSN, schema string) {
	t.Helper()
	coord, shards := ShardedDSNs(t)
	if !tbl.Has(key) {
		t.Fatalf("pgtest: Sharded: key column %q is not in the table", key)
	}
	schema = uniqueName(t, "s")
	qs := QuoteIdent(schema)
	for _, dsn := range append([]string{coord}, shards...) {
		Exec(t, dsn, "CREATE SCHEMA "+qs)
		dsn := dsn
		t.Cleanup(func() { dropLater(t, dsn, "DROP SCHEMA IF EXISTS "+qs+" CASCADE") })
	}
	part := func(i int) string { return fmt.Sprintf("%s_p%d", table, i) }
	for i, dsn := range shards {
		Exec(t, dsn, CreateTableSQL(qs+"."+QuoteIdent(part(i+1)), tbl))
	}
	parent := qs + "." + QuoteIdent(table)
	stmts := []string{strings.TrimSuffix(CreateTableSQL(parent, tbl), ")") + ") PARTITION BY HASH (" + QuoteIdent(key) + ")"}
	for i := range shards {
		stmts = append(stmts, fmt.Sprintf(
			"CREATE FOREIGN TABLE %s.%s PARTITION OF %s FOR VALUES WITH (MODULUS %d, REMAINDER %d) SERVER shard%d OPTIONS (schema_name %s, table_name %s)",
			qs, QuoteIdent(part(i+1)), parent, len(shards), i, i+1, quoteLiteral(schema), quoteLiteral(part(i+1))))
	}
	Exec(t, coord, stmts...)
	conn := Connect(t, coord)
	copyRows(t, conn, pgx.Identifier{schema, table}, tbl)
	for i, dsn := range shards {
		Exec(t, dsn, "ANALYZE "+qs+"."+QuoteIdent(part(i+1)))
	}
	if _, err := conn.Exec(context.Background(), "ANALYZE "+parent); err != nil {
		t.Fatalf("pgtest: analyze %s: %v", parent, err)
	}
	return WithParam(coord, "options", "-c search_path="+schema), schema
}

// Explain returns the plan of sql on dsn, EXPLAIN (VERBOSE, COSTS OFF),
// one line per plan line: with a postgres_fdw foreign table it shows what
// is shipped to the remote server ("Remote SQL: …") and what runs locally.
// A trailing semicolon of sql is ignored.
func Explain(t testing.TB, dsn, sql string) string {
	t.Helper()
	conn := Connect(t, dsn)
	sql = strings.TrimSuffix(strings.TrimSpace(sql), ";")
	rows, err := conn.Query(context.Background(), "EXPLAIN (VERBOSE, COSTS OFF) "+sql)
	if err != nil {
		t.Fatalf("pgtest: explain: %v\n%s", err, sql)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("pgtest: explain: %v", err)
	}
	return strings.Join(lines, "\n")
}
