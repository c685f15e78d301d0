// Package pushdown runs a segment job's row work inside the PostgreSQL
// database that holds the rows (execution.mode: database): the clean
// steps become SQL layers (internal/sqlgen), the statistics of eda,
// cluster and profile become aggregate queries, and only their results —
// and the seeded sample the k-means fit needs — leave the database.
//
// # Pieces
//
//   - Session (Open): the source's connection (a Backend: the postgres
//     source), the statement log that the manifest records (Entry: what,
//     where, the SQL, seconds, rows returned, whether they were a sample of
//     the table) and the parts of the source: the source itself, or, for a
//     table partitioned into postgres_fdw foreign tables (a sharded
//     setup), each leaf partition.
//   - Relation: the run's table while it stays in the database — the
//     source's columns, each read as the postgres source reads it (see
//     below), and the SQL layers stages added (Layer), replayable over the
//     whole source or over one part. Query builds its sqlgen.Query.
//   - Aggregates: Relation.Aggregate runs one GROUP BY query per part and
//     combines the partial results in Go (Partial: counts, sums, minima,
//     maxima, moments and co-moments with Chan et al.'s pairwise update), so
//     the same statistics come from one server or from each shard. What
//     does not combine — quantiles (percentile_cont), distinct counts, a
//     mode — runs once over the whole source (Relation.Whole), on the
//     server that holds it or on the coordinator of a sharded setup.
//   - Sample: a seeded, repeatable sample of the relation's rows, chosen
//     by the md5 of the seed and the id (or of the row's text without an
//     id), independent of the physical order and of the partitioning.
//   - the write-back of per-row results is pgio's WriteSelect: INSERT …
//     SELECT in one transaction, once per part.
//
// # Pushdown to the shards
//
// postgres_fdw ships an aggregate to the remote server only when it is
// computed over one foreign table (PostgreSQL 15 aggregates a partitioned
// table partition by partition with partial aggregates that stay on the
// coordinator, unless the GROUP BY holds the partition key), and only when
// the query's layers are merged into one SELECT — a subquery fenced with
// OFFSET 0 is evaluated on the coordinator over the fetched columns. So in
// per-partition mode every query is written once per foreign partition,
// without fences (sqlgen's Query.Flat), and the per-row scoring that writes
// results back is grouped by the columns it reads (GROUP BY id and the
// raw columns, count(*) restoring repeated rows), which makes it an
// aggregate the shard computes whole: EXPLAIN (VERBOSE) shows the scoring
// expressions in each Foreign Scan's Remote SQL. Text comparisons under
// COLLATE "C", a cast of a timestamp with time zone to text, CONCAT (the
// char(n) reader), NULLIF and other expressions postgres_fdw 15 does not
// deparse or considers unsafe are not shipped; postgres_fdw then fetches
// the columns and evaluates them on the coordinator.
//
// # Reading the columns as the postgres source does
//
// The first layer reads each column as internal/pgio reads it into a
// frame table, so that a stage sees the same values in both modes:
// integers as bigint; double precision and numeric as double precision
// with NaN as NULL (numeric converted correctly rounded); real through its
// shortest text (the float64 nearest to the decimal the server prints);
// booleans as they are; text, varchar, name, enum labels and uuid as text;
// char(n) with its padding; date and timestamps as their text with
// DateStyle ISO and TimeZone UTC (set on the session). The id column
// (input.id) is text, as the ingest stage makes it.
package pushdown
